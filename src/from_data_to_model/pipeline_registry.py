"""Project pipelines: the data pipelines, the housing model and the regularization study."""

from __future__ import annotations

import os
from pathlib import Path

from kedro.config import OmegaConfigLoader
from kedro.framework.project import settings
from kedro.pipeline import Pipeline
from kedro.utils import find_kedro_project

from from_data_to_model.pipelines import (
    data_ingestion,
    data_processing,
    evaluation,
    housing,
    training,
)


def configured_variants(project_path: Path | None = None) -> list[str]:
    """Names of the Fashion-MNIST variants in ``parameters_regularization.yml``.

    Read from ``conf/base`` merged with ``conf/local`` (or the ``KEDRO_ENV``
    environment): pipelines are built before a run's ``--env`` is known.
    """
    root = project_path or find_kedro_project(Path.cwd()) or Path.cwd()
    loader = OmegaConfigLoader(
        conf_source=str(root / settings.CONF_SOURCE),
        base_env="base",
        default_run_env=os.environ.get("KEDRO_ENV", "local"),
        merge_strategy=settings.CONFIG_LOADER_ARGS.get("merge_strategy"),
    )
    variants = loader["parameters"].get("regularization", {}).get("variants") or {}
    return list(variants)


def register_pipelines() -> dict[str, Pipeline]:
    """Register the project's pipelines.

    Returns:
        ``data_ingestion``, ``data_processing``, ``housing`` (its data, model and
        evaluation), ``regularization`` (Fashion-MNIST data, one training node per
        variant, the evaluation and report), and ``__default__`` (everything; its
        report includes the housing results).
    """
    data = data_ingestion.create_pipeline() + data_processing.create_pipeline()
    variants = configured_variants()
    study = training.create_pipeline(variants)
    housing_model = housing.create_pipeline()
    return {
        "data_ingestion": data_ingestion.create_pipeline(),
        "data_processing": data_processing.create_pipeline(),
        "housing": data.only_nodes_with_tags("housing") + housing_model,
        "regularization": data.only_nodes_with_tags("fashion_mnist")
        + study
        + evaluation.create_pipeline(variants),
        "__default__": data
        + housing_model
        + study
        + evaluation.create_pipeline(variants, include_housing=True),
    }
