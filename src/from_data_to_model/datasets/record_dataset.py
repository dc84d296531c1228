"""A JSON record (kedro-datasets' ``json.JSONDataset``) that says what to run when none was
saved yet: a promotion record, read with its promoted model."""

from __future__ import annotations

from typing import Any

from kedro.io.core import VersionNotFoundError
from kedro_datasets.json import JSONDataset

from .errors import ModelMissingError


class RecordDataset(JSONDataset):
    """``json.JSONDataset`` with ``missing``: the message of a load before any save."""

    def __init__(self, *, missing: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._missing = missing

    def load(self) -> Any:
        try:
            return super().load()
        except VersionNotFoundError:
            raise ModelMissingError(self._missing) from None
