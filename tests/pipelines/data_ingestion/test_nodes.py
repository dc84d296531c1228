"""Ingestion nodes: flattening, one-hot encoding, scikit-learn's housing frame."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from from_data_to_model.pipelines.data_ingestion.nodes import (
    derive_housing_frame,
    prepare_fashion_mnist,
)
from tests.pipelines.data_processing.test_pipeline import RAW_COLUMNS


def test_prepare_fashion_mnist_flattens_and_one_hot_encodes():
    images = np.arange(3 * 2 * 2, dtype=np.uint8).reshape(3, 2, 2)
    labels = np.array([2, 0, 1], dtype=np.uint8)
    flat, one_hot = prepare_fashion_mnist({"images": images, "labels": labels}, num_classes=3)
    np.testing.assert_array_equal(flat, [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]])
    np.testing.assert_array_equal(one_hot, [[0, 0, 1], [1, 0, 0], [0, 1, 0]])
    assert one_hot.dtype == np.float32


def test_housing_frame_matches_hand_computed_rows():
    # StatLib's first two rows, in the raw file's column order.
    raw = pd.DataFrame(
        [
            [-122.23, 37.88, 41, 880, 129, 322, 126, 8.3252, 452600],
            [-122.22, 37.86, 21, 7099, 1106, 2401, 1138, 8.3014, 358500],
        ],
        columns=RAW_COLUMNS,
        dtype=float,
    )
    frame = derive_housing_frame(raw)
    assert list(frame.columns) == [
        "MedInc", "HouseAge", "AveRooms", "AveBedrms", "Population",
        "AveOccup", "Latitude", "Longitude", "MedHouseVal",
    ]  # fmt: skip
    first = frame.iloc[0]
    expected = [8.3252, 41, 6.984127, 1.023810, 322, 2.555556, 37.88, -122.23, 4.526]
    assert first.to_numpy() == pytest.approx(expected, abs=1e-6)
    second = frame.iloc[1]
    assert second["AveRooms"] == pytest.approx(7099 / 1138)
    assert second["AveOccup"] == pytest.approx(2401 / 1138)
    assert second["MedHouseVal"] == pytest.approx(3.585)
