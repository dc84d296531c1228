"""Checks on the real public files; skipped, with the reason shown, when they are absent."""

from __future__ import annotations

import numpy as np
import pytest

from from_data_to_model.datasets import FashionMnistDataset
from from_data_to_model.pipelines.data_ingestion.nodes import (
    derive_housing_frame,
    validate_housing_table,
)
from tests.conftest import RAW_DIR, requires_real_data
from tests.pipelines.data_ingestion.test_housing_table import load

pytestmark = [requires_real_data, pytest.mark.real_data]


def test_raw_fashion_mnist_facts():
    data = FashionMnistDataset(path=str(RAW_DIR / "fashion-mnist")).load()
    assert data["images"].shape == (60000, 28, 28)
    assert np.bincount(data["labels"]).tolist() == [6000] * 10
    assert data["labels"][:10].tolist() == [9, 0, 0, 3, 0, 2, 7, 2, 5, 5]
    assert data["images"].mean() / 255 == pytest.approx(0.2860, abs=1e-4)


def test_housing_frame_is_scikit_learns():
    """scikit-learn's published frame: its first row and column means."""
    raw = load(RAW_DIR / "california-housing" / "cal_housing.data")
    frame = derive_housing_frame(validate_housing_table(raw, 20640))
    assert frame.shape == (20640, 9)
    assert frame.iloc[0].to_numpy() == pytest.approx(
        [8.3252, 41, 6.984127, 1.023810, 322, 2.555556, 37.88, -122.23, 4.526], abs=1e-6
    )
    assert frame.mean().to_numpy() == pytest.approx(
        [3.870671, 28.639486, 5.429000, 1.096675, 1425.476744, 3.070655, 35.631861,
         -119.569704, 2.068558], abs=1e-6
    )  # fmt: skip


@pytest.mark.slow
def test_model_inputs_from_real_data(real_project):
    real_project.session_run(pipeline_names=["data_ingestion", "data_processing"])
    catalog = real_project.catalog()
    shapes = {
        name: catalog.load(name).shape
        for name in ["fashion_mnist_X_train", "fashion_mnist_X_val", "fashion_mnist_X_test"]
    }
    assert shapes == {
        "fashion_mnist_X_train": (33600, 784),
        "fashion_mnist_X_val": (8400, 784),
        "fashion_mnist_X_test": (18000, 784),
    }
    assert catalog.load("housing_X_train").shape == (14448, 8)
    assert catalog.load("housing_X_test").shape == (6192, 8)
    housing = catalog.load("california_housing")
    assert housing.iloc[0].to_numpy() == pytest.approx(
        [8.3252, 41, 6.984127, 1.023810, 322, 2.555556, 37.88, -122.23, 4.526], abs=1e-6
    )
    assert catalog.load("fashion_mnist_labels")[0].argmax() == 9
