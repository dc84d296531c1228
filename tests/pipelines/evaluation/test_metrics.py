"""Per-variant metrics: test figures of a model with known outputs, learning-curve figures."""

from __future__ import annotations

import math

import keras
import numpy as np
import pytest

from from_data_to_model.pipelines.evaluation.metrics import (
    effective_epoch,
    evaluate_model,
    history_metrics,
)
from tests.pipelines.evaluation.histories import clear_overfit, metadata


def uniform_model() -> keras.Model:
    """All-zero weights: softmax gives 0.1 to each class, whatever the input."""
    model = keras.Sequential(
        [
            keras.Input((4,)),
            keras.layers.Dense(10, activation="softmax", kernel_initializer="zeros"),
        ]
    )
    model.compile(loss="categorical_crossentropy", metrics=["accuracy"])
    return model


def test_evaluate_model_on_known_outputs():
    labels = np.array([0, 0, 3, 7, 0, 1, 2, 0])
    y = np.eye(10, dtype=np.float32)[labels]
    metrics = evaluate_model(uniform_model(), np.ones((8, 4), np.float32), y)
    assert metrics["test_loss"] == pytest.approx(math.log(10), rel=1e-5)
    assert metrics["test_accuracy"] == pytest.approx(4 / 8)  # argmax ties → class 0
    assert metrics["test_rows"] == 8
    assert metrics["test_data_loss"] == pytest.approx(metrics["test_loss"])  # no penalty
    assert all(isinstance(v, float) for k, v in metrics.items() if k != "test_rows")


def test_history_metrics_of_a_full_run():
    h = clear_overfit()
    figures = history_metrics(h, metadata(h))
    assert (
        figures["epochs_run"] == 10 and figures["best_epoch"] == 5 and figures["model_epoch"] == 10
    )
    assert figures["best_val_loss"] == pytest.approx(0.35)
    assert figures["final_val_loss"] == figures["model_val_loss"] == pytest.approx(0.455)
    assert figures["final_train_loss"] == pytest.approx(0.06)
    assert figures["gap_final"] == pytest.approx(0.455 - 0.06)
    assert figures["gap_at_best"] == pytest.approx(0.35 - 0.22)


def test_restored_best_weights_make_the_best_epoch_the_model():
    h = clear_overfit().iloc[:8]  # stopped after 3 epochs without improvement
    meta = metadata(h, early_stopping=True)
    assert effective_epoch(h, meta) == 5
    assert history_metrics(h, meta)["model_val_loss"] == pytest.approx(0.35)
    assert effective_epoch(h, metadata(h, early_stopping=True, restore=False)) == 8


def test_penalty_is_not_data_loss():
    dense = keras.layers.Dense(
        10,
        activation="softmax",
        kernel_initializer=keras.initializers.Constant(0.5),  # equal scores: loss log(10)
        kernel_regularizer=keras.regularizers.L2(1.0),  # penalty 40 weights × 0.25
    )
    model = keras.Sequential([keras.Input((4,)), dense])
    model.compile(loss="categorical_crossentropy", metrics=["accuracy"])
    y = np.eye(10, dtype=np.float32)[np.zeros(8, int)]
    metrics = evaluate_model(model, np.ones((8, 4), np.float32), y)
    assert metrics["test_loss"] - metrics["test_data_loss"] == pytest.approx(10.0, rel=1e-5)
    assert metrics["test_data_loss"] == pytest.approx(math.log(10), rel=1e-5)  # equal scores


def test_data_losses_are_preferred_to_keras_logged_ones():
    h = clear_overfit().assign(train_data_loss=0.01, val_data_loss=0.02)
    figures = history_metrics(h, metadata(h))
    assert figures["final_train_loss"] == 0.01 and figures["model_val_loss"] == 0.02
    assert figures["final_logged_train_loss"] == pytest.approx(0.06)
