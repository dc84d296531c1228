"""Raw files → validated intermediate data (flattened images, one-hot labels, housing frame)."""

from .pipeline import create_pipeline

__all__ = ["create_pipeline"]
