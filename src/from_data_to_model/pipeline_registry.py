"""Project pipelines: each folder of ``pipelines/`` is one; ``__default__`` is the study."""

from __future__ import annotations

from kedro.framework.project import find_pipelines
from kedro.pipeline import Pipeline

# Run only when named: a sweep trains many models (see parameters_tuning.yml).
NAMED_ONLY = {"tuning"}


def register_pipelines() -> dict[str, Pipeline]:
    """Register the project's pipelines.

    ``data_ingestion`` and ``data_processing`` prepare both datasets; ``housing`` and
    ``regularization`` are the two parts of the study, each from its raw data to its
    report; ``training`` and ``evaluation`` are the study's two halves on their own;
    ``tuning`` sweeps the regularizers' strengths. The study's variants, seeds and grids
    come from the run's parameters (see ``run_parameters``). ``__default__`` is every
    pipeline but ``tuning``.
    """
    pipelines = find_pipelines(raise_errors=True)
    study = [p for name, p in pipelines.items() if name not in NAMED_ONLY]
    pipelines["__default__"] = sum(study, Pipeline([]))
    return pipelines
