"""Part 2 of the study: Fashion-MNIST data, one training node per variant, evaluation."""

from .pipeline import create_pipeline

__all__ = ["create_pipeline"]
