"""The final stage: candidates as seed ensembles, the winner refit and calibrated, promoted."""

from .pipeline import create_pipeline

__all__ = ["create_pipeline"]
