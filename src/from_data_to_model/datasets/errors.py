"""Error types raised for raw data: each message says what is wrong and what to do."""

from kedro.io import DatasetError


class RawDataError(DatasetError):
    """A raw file exists but is not what the project expects (corrupt, wrong format)."""


class RawDataMissingError(RawDataError):
    """Raw files are missing and could not be downloaded."""


class ModelFileError(DatasetError):
    """A saved model file is not a loadable Keras model."""


class InputDataError(DatasetError):
    """Data to score (images, housing features) that cannot be read as such."""


class ModelMissingError(DatasetError):
    """No model was saved where a load looks (none promoted yet): the message says what to
    run to make one."""
