"""A promotion record (``promotion.Promotion``) as JSON (kedro-datasets' ``json.JSONDataset``),
with a message that says what to run when none was saved yet."""

from __future__ import annotations

import json
from typing import Any

from kedro.io.core import VersionNotFoundError
from kedro_datasets._typing import JSONPreview
from kedro_datasets.json import JSONDataset

from from_data_to_model.promotion import Promotion

from .errors import ModelMissingError


class PromotionDataset(JSONDataset):
    """``json.JSONDataset`` of a ``Promotion``; ``missing``: the message of a load before
    any save."""

    def __init__(self, *, missing: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._missing = missing

    def load(self) -> Promotion:
        try:
            return Promotion.model_validate(super().load())
        except VersionNotFoundError:
            raise ModelMissingError(self._missing) from None

    def save(self, data: Promotion) -> None:
        super().save(data.model_dump(mode="json"))

    def preview(self) -> JSONPreview:
        """The record, as kedro viz shows a JSON dataset."""
        return JSONPreview(json.dumps(self.load().model_dump(mode="json")))
