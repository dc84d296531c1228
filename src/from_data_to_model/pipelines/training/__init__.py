"""One training template, instantiated per model variant with Kedro namespaces."""

from .pipeline import create_pipeline, training_template

__all__ = ["create_pipeline", "training_template"]
