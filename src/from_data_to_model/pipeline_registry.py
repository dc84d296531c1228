"""Project pipelines, found by ``find_pipelines`` in ``pipelines/<name>/``."""

from __future__ import annotations

import re
from pathlib import Path

from kedro.framework.project import find_pipelines
from kedro.pipeline import Pipeline

from from_data_to_model.pipelines import regularization

PIPELINES_DIR = Path(__file__).parent / "pipelines"


def register_pipelines() -> dict[str, Pipeline]:
    """Register the project's pipelines.

    Each folder of ``pipelines/`` is a pipeline of that name: ``data_ingestion``,
    ``data_processing``, ``housing`` (its data, model and evaluation),
    ``regularization`` (Fashion-MNIST data, one training node per configured variant,
    evaluation, report), and the templates ``training`` and ``evaluation`` on their
    own. ``__default__`` is everything, with the housing results in the report.

    Kedro only imports the folders named on the command line (``--pipeline=housing``),
    so ``__default__`` is built only when everything is requested.
    """
    try:
        pipelines = find_pipelines(raise_errors=True)
    except ImportError as exc:
        # Kedro imports only the folders named on the command line; name a missing one.
        named = re.search(r"'[\w.]+\.pipelines\.([^']+)'", str(exc))
        if named is None or (PIPELINES_DIR / named.group(1)).is_dir():
            raise
        name = named.group(1)
        known = sorted(p.parent.name for p in PIPELINES_DIR.glob("*/pipeline.py"))
        raise ValueError(
            f"Unknown pipeline {name!r}. Pipelines: {', '.join([*known, '__default__'])}."
        ) from None
    if "__default__" in pipelines:  # everything was found, housing included
        pipelines["__default__"] = pipelines["housing"] + regularization.create_pipeline(
            include_housing=True
        )
    return pipelines
