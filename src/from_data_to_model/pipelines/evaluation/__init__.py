"""Evaluation: metrics, fit diagnosis, model choice on validation data, report, plots."""

from .pipeline import create_pipeline

__all__ = ["create_pipeline"]
