"""from-data-to-model: from raw data to a model that generalizes well."""

__version__ = "0.1.0"
