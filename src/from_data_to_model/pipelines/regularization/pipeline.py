"""The ``regularization`` pipeline: the whole Fashion-MNIST study, from raw files to report."""

from __future__ import annotations

from collections.abc import Sequence

from kedro.pipeline import Pipeline

from from_data_to_model.pipelines import data_pipeline, evaluation, training
from from_data_to_model.variants import configured_variants


def create_pipeline(
    variants: Sequence[str] | None = None, include_housing: bool = False, **kwargs
) -> Pipeline:
    """Fashion-MNIST ingestion and processing, every variant's training, the evaluation.

    Args:
        variants: the variants to train (default: the configured ones).
        include_housing: add the housing model's results to the report (``__default__``).
    """
    if variants is None:
        variants = configured_variants()
    return (
        data_pipeline("fashion_mnist")
        + training.create_pipeline(variants)
        + evaluation.create_pipeline(variants, include_housing=include_housing)
    )
