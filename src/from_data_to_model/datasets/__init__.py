"""Custom Kedro datasets: only the raw formats that kedro-datasets does not read."""

from .california_housing_dataset import CaliforniaHousingDataset
from .errors import ModelFileError, RawDataError, RawDataMissingError
from .idx_dataset import FashionMnistDataset
from .keras_model_dataset import KerasModelDataset

__all__ = [
    "CaliforniaHousingDataset",
    "FashionMnistDataset",
    "KerasModelDataset",
    "ModelFileError",
    "RawDataError",
    "RawDataMissingError",
]
