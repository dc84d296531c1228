"""Custom Kedro datasets: only what kedro-datasets has no class for."""

from .errors import (
    InputDataError,
    ModelFileError,
    ModelMissingError,
    RawDataError,
    RawDataMissingError,
)
from .idx_dataset import FashionMnistDataset
from .input_datasets import ImageInputDataset, RowsInputDataset
from .keras_model_dataset import KerasModelDataset
from .record_dataset import RecordDataset

__all__ = [
    "FashionMnistDataset",
    "ImageInputDataset",
    "InputDataError",
    "KerasModelDataset",
    "ModelFileError",
    "ModelMissingError",
    "RawDataError",
    "RawDataMissingError",
    "RecordDataset",
    "RowsInputDataset",
]
