"""Custom Kedro datasets: only the raw formats that kedro-datasets does not read."""

from .california_housing_dataset import CaliforniaHousingDataset
from .errors import RawDataError, RawDataMissingError
from .idx_dataset import FashionMnistDataset

__all__ = [
    "CaliforniaHousingDataset",
    "FashionMnistDataset",
    "RawDataError",
    "RawDataMissingError",
]
