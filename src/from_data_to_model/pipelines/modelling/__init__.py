"""The per-model template: spec → model, history, metadata → validation summary (+ test)."""

from .pipeline import create_pipeline, model_template

__all__ = ["create_pipeline", "model_template"]
