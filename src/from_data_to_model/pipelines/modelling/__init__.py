"""The per-model template: spec → model, history, metadata → validation summary (+ test)."""

from .pipeline import (
    FASHION_MNIST_TRAINING_DATA,
    create_pipeline,
    model_template,
    variant_parameters,
)

__all__ = ["FASHION_MNIST_TRAINING_DATA", "create_pipeline", "model_template", "variant_parameters"]
