"""The final check on the official test set, on models and tables with known answers."""

from __future__ import annotations

import math

import keras
import numpy as np
import pandas as pd
import pytest

from from_data_to_model.pipelines.evaluation.official_test import (
    check_promoted_model,
    compare_test_sets,
    most_confused,
)
from tests.conftest import base_evaluation

CLASSES = ["zero", "one", "two"]


def always(class_index: int) -> keras.Model:
    """A model that gives ``class_index`` probability 0.8 (the others 0.1) whatever it sees."""
    bias = np.full(3, np.log(0.1), np.float32)
    bias[class_index] = np.log(0.8)
    dense = keras.layers.Dense(3, activation="softmax", kernel_initializer="zeros",
                               bias_initializer=keras.initializers.Constant(bias))  # fmt: skip
    return keras.Sequential([keras.Input((4,)), dense])


def test_check_gives_accuracy_loss_per_class_and_confusions():
    labels = np.eye(3, dtype=np.float32)[[0, 0, 1, 2]]
    check, per_class, confusion, predictions = check_promoted_model(
        always(0), np.zeros((4, 4)), labels, CLASSES
    )
    assert check["images"] == 4 and check["accuracy"] == 0.5
    assert check["data_loss"] == pytest.approx(-(2 * math.log(0.8) + 2 * math.log(0.1)) / 4)
    assert per_class.set_index("class").loc["zero"].tolist() == pytest.approx([0.5, 1.0, 2 / 3, 2])
    assert per_class.set_index("class").loc["one", "recall"] == 0
    assert confusion.set_index("true").loc["one", "zero"] == 1
    assert confusion.set_index("true").to_numpy().sum() == 4
    assert predictions["predicted"].tolist() == [0, 0, 0, 0]
    assert most_confused(confusion, top=2) == [("one", "zero", 1), ("two", "zero", 1)]


def test_both_test_sets_side_by_side_per_variant():
    runs = pd.DataFrame({"variant": ["a", "a"], "namespace": ["r.a.s1", "r.a.s2"],
                         "test_data_loss": [0.30, 0.32],
                         "test_accuracy": [0.90, 0.88]})  # fmt: skip
    official = pd.DataFrame({"namespace": ["r.a.s2", "r.a.s1"], "test_data_loss": [0.42, 0.40],
                             "test_accuracy": [0.85, 0.87]})  # fmt: skip
    row = compare_test_sets(runs, official, base_evaluation()).iloc[0]
    assert row["seeds"] == 2
    assert row["own_test_accuracy_mean"] == pytest.approx(0.89)
    assert row["official_test_accuracy_mean"] == pytest.approx(0.86)
    assert row["official_test_data_loss_mean"] == pytest.approx(0.41)
