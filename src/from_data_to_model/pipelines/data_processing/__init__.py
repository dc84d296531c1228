"""Splits and scaling: intermediate data → model inputs and fitted scalers."""

from .pipeline import create_pipeline

__all__ = ["create_pipeline"]
