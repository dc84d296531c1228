"""Both data pipelines as a slice: raw arrays and tables in, scaled model inputs out."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from from_data_to_model.pipelines import data_ingestion, data_processing
from tests.conftest import tiny_parameters
from tests.raw_files import housing_rows
from tests.slices import run_slice

RAW_COLUMNS = [
    "longitude", "latitude", "housingMedianAge", "totalRooms", "totalBedrooms", "population",
    "households", "medianIncome", "medianHouseValue",
]  # fmt: skip


@pytest.fixture(scope="module")
def model_inputs():
    rng = np.random.default_rng(0)
    raw_images = {
        "images": rng.integers(0, 256, size=(300, 28, 28), dtype=np.uint8),
        "labels": (np.arange(300) % 10).astype(np.uint8),
    }
    official = {
        "images": rng.integers(0, 256, size=(40, 28, 28), dtype=np.uint8),
        "labels": (np.arange(40) % 10).astype(np.uint8),
    }
    raw_housing = pd.DataFrame(housing_rows(80), columns=RAW_COLUMNS)
    pipeline = data_ingestion.create_pipeline() + data_processing.create_pipeline()
    return run_slice(
        pipeline,
        tiny_parameters(),
        keep=("fashion_mnist_official_images", "fashion_mnist_scaler"),
        fashion_mnist_raw_train=raw_images,
        fashion_mnist_raw_official_test=official,
        california_housing_raw=raw_housing,
    )


def test_fashion_mnist_splits_of_the_configured_sizes(model_inputs):
    load = model_inputs.load
    assert load("fashion_mnist_X_train").shape == (168, 784)  # 300 → 210/90 → 168/42
    assert load("fashion_mnist_X_val").shape == (42, 784)
    assert load("fashion_mnist_X_test").shape == (90, 784)
    assert load("fashion_mnist_y_train").shape == (168, 10)
    assert load("fashion_mnist_X_train").dtype == np.float32


def test_scaler_fitted_on_the_first_training_split_only(model_inputs):
    scaler = model_inputs.load("fashion_mnist_scaler")
    assert scaler.n_samples_seen_ == 168 + 42  # not the 90 test rows
    train_and_val = np.vstack(
        [model_inputs.load("fashion_mnist_X_train"), model_inputs.load("fashion_mnist_X_val")]
    )
    np.testing.assert_allclose(train_and_val.mean(axis=0), 0, atol=1e-4)


def test_the_official_test_set_is_scaled_by_the_training_rows_scaler(model_inputs):
    raw = model_inputs.load("fashion_mnist_official_images")
    assert raw.shape == (40, 784) and raw.dtype == np.uint8  # kept raw for the promoted model
    scaler = model_inputs.load("fashion_mnist_scaler")
    np.testing.assert_allclose(
        model_inputs.load("fashion_mnist_X_official_test"),
        scaler.transform(raw.astype(np.float32)),
        rtol=1e-6,
    )
    assert model_inputs.load("fashion_mnist_y_official_test").shape == (40, 10)


def test_housing_model_inputs(model_inputs):
    assert model_inputs.load("housing_X_train").shape == (56, 8)
    assert list(model_inputs.load("housing_y_test").columns) == ["MedHouseVal"]
    assert model_inputs.load("housing_y_test").shape == (24, 1)
