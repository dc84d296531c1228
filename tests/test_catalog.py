"""The project's catalog class: in-memory data is handed over by reference."""

from __future__ import annotations

import numpy as np
from kedro.io import DataCatalog

from from_data_to_model.catalog import ByReferenceDataCatalog


def _round_trip(catalog: DataCatalog, array: np.ndarray) -> np.ndarray:
    """What the runner does with a dataset the catalog does not declare."""
    dataset = catalog.get("fashion_mnist_X_train_full_unscaled", fallback_to_runtime_pattern=True)
    dataset.save(array)
    return dataset.load()


def test_undeclared_datasets_hand_over_arrays_without_copying():
    array = np.zeros((3, 4), dtype=np.float32)
    assert _round_trip(ByReferenceDataCatalog(), array) is array


def test_kedro_default_catalog_would_copy():
    """The reason for the class: Kedro's default MemoryDataset copies arrays on load."""
    array = np.zeros((3, 4), dtype=np.float32)
    assert _round_trip(DataCatalog(), array) is not array
