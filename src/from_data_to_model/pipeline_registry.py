"""Project pipelines: each folder of ``pipelines/`` is one, ``__default__`` is all of them."""

from __future__ import annotations

from kedro.framework.project import find_pipelines
from kedro.pipeline import Pipeline


def register_pipelines() -> dict[str, Pipeline]:
    """Register the project's pipelines.

    ``data_ingestion`` and ``data_processing`` prepare both datasets; ``housing`` and
    ``regularization`` are the two parts of the study, each from its raw data to its
    report; ``training`` and ``evaluation`` are the study's two halves on their own.
    The study's variants come from the run's parameters (see ``run_parameters``).
    """
    pipelines = find_pipelines(raise_errors=True)
    pipelines["__default__"] = sum(pipelines.values(), Pipeline([]))
    return pipelines
