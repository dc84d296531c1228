"""The ``regularization`` pipeline: the whole Fashion-MNIST study, from raw files to report."""

from __future__ import annotations

from kedro.pipeline import Pipeline

from from_data_to_model.pipelines import data_pipeline, evaluation, training


def create_pipeline(**kwargs) -> Pipeline:
    """Fashion-MNIST ingestion and processing, every variant's training, the evaluation.

    Everything the study writes is under the ``regularization`` namespace:
    ``regularization.<variant>.model``, ..., ``regularization.report``.
    """
    return (
        data_pipeline("fashion_mnist") + training.create_pipeline() + evaluation.create_pipeline()
    )
