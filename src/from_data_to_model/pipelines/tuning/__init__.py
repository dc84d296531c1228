"""Validation curves: how each regularizer's strength is settled, on validation only."""

from .pipeline import create_pipeline

__all__ = ["create_pipeline"]
