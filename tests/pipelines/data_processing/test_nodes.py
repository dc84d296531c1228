"""Splits and scaling: shapes, disjoint rows, training-only fit, determinism, float32."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from from_data_to_model.pipelines.data_processing.nodes import (
    scale_features,
    separate_target,
    split_data,
)

SPLIT = {"test_size": 0.3, "random_state": 100}


@pytest.fixture
def rows():
    rng = np.random.default_rng(1)
    features = rng.normal(5.0, 3.0, size=(200, 6)).astype(np.float32)
    features[:, 0] = np.arange(200)  # a row id, to check disjointness
    target = np.eye(10, dtype=np.float32)[np.arange(200) % 10]
    return features, target


def test_split_shapes_and_disjoint_rows(rows):
    features, target = rows
    x_train, x_test, y_train, y_test = split_data(features, target, SPLIT)
    assert x_train.shape == (140, 6) and x_test.shape == (60, 6)
    assert y_train.shape == (140, 10) and y_test.shape == (60, 10)
    train_ids, test_ids = set(x_train[:, 0]), set(x_test[:, 0])
    assert not train_ids & test_ids
    assert train_ids | test_ids == set(range(200))
    # features and targets stay paired
    np.testing.assert_array_equal(y_train.argmax(1), x_train[:, 0].astype(int) % 10)


def test_split_is_deterministic_and_seed_dependent(rows):
    first = split_data(*rows, SPLIT)[0]
    again = split_data(*rows, SPLIT)[0]
    other = split_data(*rows, {"test_size": 0.3, "random_state": 42})[0]
    np.testing.assert_array_equal(first, again)
    assert not np.array_equal(first, other)


def test_split_too_few_rows_is_explained():
    with pytest.raises(ValueError, match="Cannot split 1 rows"):
        split_data(np.zeros((1, 2)), np.zeros(1), SPLIT)


def test_scaler_fitted_on_training_rows_only(rows):
    features, _ = rows
    train, test = features[:150], features[150:] + 10.0  # the test side is shifted
    train_scaled, test_scaled, scaler = scale_features(train, test)
    np.testing.assert_allclose(train_scaled.mean(axis=0), 0.0, atol=1e-5)
    np.testing.assert_allclose(train_scaled.std(axis=0), 1.0, atol=1e-4)
    np.testing.assert_allclose(scaler.mean_, train.mean(axis=0), rtol=1e-5)
    assert (test_scaled[:, 1:].mean(axis=0) > 1.0).all()  # not forced to 0
    assert train_scaled.dtype == np.float32 and test_scaled.dtype == np.float32


def test_scaler_keeps_frames_and_columns():
    frame = pd.DataFrame({"a": [1.0, 2.0, 3.0, 4.0], "b": [0.0, 0.0, 1.0, 1.0]})
    train_scaled, test_scaled, _ = scale_features(frame.iloc[:3], frame.iloc[3:])
    assert list(train_scaled.columns) == ["a", "b"]
    assert test_scaled["a"].iloc[0] == pytest.approx((4.0 - 2.0) / np.std([1, 2, 3]), rel=1e-5)


def test_separate_target():
    frame = pd.DataFrame({"x": [1, 2], "MedHouseVal": [3.0, 4.0]})
    features, target = separate_target(frame, "MedHouseVal")
    assert list(features.columns) == ["x"] and list(target.columns) == ["MedHouseVal"]
