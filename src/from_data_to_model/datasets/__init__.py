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
from .promotion_dataset import PromotionDataset
from .settled_values import SettledValuesDataset

__all__ = [
    "FashionMnistDataset",
    "ImageInputDataset",
    "InputDataError",
    "KerasModelDataset",
    "ModelFileError",
    "ModelMissingError",
    "PromotionDataset",
    "RawDataError",
    "RawDataMissingError",
    "RowsInputDataset",
    "SettledValuesDataset",
]
