"""Scoring new data with the promoted models; never trains."""

from .pipeline import create_pipeline

__all__ = ["create_pipeline"]
