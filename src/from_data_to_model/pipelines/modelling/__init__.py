"""The per-model template: spec → model, history, metadata → validation summary (+ test)."""

from .nodes import Training
from .pipeline import (
    FASHION_MNIST_TRAINING_DATA,
    create_pipeline,
    model_template,
    models_pipeline,
    variant_parameters,
)

__all__ = [
    "FASHION_MNIST_TRAINING_DATA",
    "Training",
    "create_pipeline",
    "model_template",
    "models_pipeline",
    "variant_parameters",
]
