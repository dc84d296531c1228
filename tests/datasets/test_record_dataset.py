"""A promotion record: JSON, versioned, and a load before any save that says what to run."""

from __future__ import annotations

import pytest
from kedro.io import Version

from from_data_to_model.datasets import ModelMissingError, RecordDataset


def record(tmp_path, save=None) -> RecordDataset:
    return RecordDataset(
        filepath=str(tmp_path / "promotion.json"), version=Version(None, save),
        missing="No housing model has been promoted yet: run the study first.",
    )  # fmt: skip


def test_a_saved_record_loads_and_none_says_what_to_run(tmp_path):
    with pytest.raises(ModelMissingError, match="No housing model has been promoted yet"):
        record(tmp_path).load()
    record(tmp_path, save="2026-01-01T00.00.00.000Z").save({"seed": 42})
    assert record(tmp_path).load() == {"seed": 42}
