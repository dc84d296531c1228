"""One training template, instantiated per model variant with Kedro namespaces."""

from .pipeline import create_pipeline, create_training_pipeline, training_template

__all__ = ["create_pipeline", "create_training_pipeline", "training_template"]
