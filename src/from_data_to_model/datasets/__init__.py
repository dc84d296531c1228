"""Custom Kedro datasets: only what kedro-datasets has no class for."""

from .errors import ModelFileError, RawDataError, RawDataMissingError
from .idx_dataset import FashionMnistDataset
from .keras_model_dataset import KerasModelDataset

__all__ = [
    "FashionMnistDataset",
    "KerasModelDataset",
    "ModelFileError",
    "RawDataError",
    "RawDataMissingError",
]
