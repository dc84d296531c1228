"""Part 1 of the study: the California-housing regression model."""

from .pipeline import create_pipeline

__all__ = ["create_pipeline"]
