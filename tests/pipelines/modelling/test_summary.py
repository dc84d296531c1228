"""A model's validation summary and learning curve, and its test metrics, on known inputs."""

from __future__ import annotations

import math

import keras
import numpy as np
import pytest

from from_data_to_model.pipelines.modelling.nodes import evaluate_model
from from_data_to_model.pipelines.modelling.summary import history_metrics, summarise_validation
from tests.conftest import base_evaluation
from tests.pipelines.modelling.histories import clear_overfit, metadata, spec

THRESHOLDS = base_evaluation().diagnosis


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
    meta = metadata(clear_overfit(), variant="l2", seed=43)
    metrics = evaluate_model(uniform_model(), meta, np.ones((8, 4), np.float32), y)
    assert metrics["test_loss"] == pytest.approx(math.log(10), rel=1e-5)
    assert metrics["test_accuracy"] == 4 / 8  # argmax ties → class 0
    assert metrics["test_rows"] == 8
    assert metrics["test_data_loss"] == pytest.approx(metrics["test_loss"])  # no penalty
    assert {k: metrics[k] for k in ("variant", "seed", "namespace")} == {
        "variant": "l2", "seed": 43, "namespace": "regularization.l2.seed_43",
    }  # fmt: skip


def test_history_metrics_of_a_full_run():
    figures = history_metrics(clear_overfit(), model_epoch=10)
    assert (figures["epochs_run"], figures["best_epoch"], figures["model_epoch"]) == (10, 5, 10)
    assert figures["best_val_loss"] == 0.35
    assert figures["final_val_loss"] == figures["model_val_loss"] == 0.455
    assert figures["final_train_loss"] == 0.06
    assert figures["gap_final"] == pytest.approx(0.455 - 0.06)
    assert figures["gap_at_best"] == pytest.approx(0.35 - 0.22)
    assert figures["model_val_accuracy"] == pytest.approx(0.85)


def test_the_model_epoch_decides_the_model_figures():
    """Restored best weights (early stopping): the model's figures are that epoch's."""
    figures = history_metrics(clear_overfit().iloc[:8], model_epoch=5)
    assert figures["model_val_loss"] == 0.35 and figures["model_train_loss"] == 0.22
    assert figures["final_val_loss"] == 0.41


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
    meta = metadata(clear_overfit())
    metrics = evaluate_model(model, meta, np.ones((8, 4), np.float32), y)
    assert metrics["test_loss"] - metrics["test_data_loss"] == pytest.approx(10.0, rel=1e-5)
    assert metrics["test_data_loss"] == pytest.approx(math.log(10), rel=1e-5)  # equal scores


def test_data_losses_are_preferred_to_keras_logged_ones():
    h = clear_overfit().assign(train_data_loss=0.01, val_data_loss=0.02)
    figures = history_metrics(h, model_epoch=10)
    assert figures["final_train_loss"] == 0.01 and figures["model_val_loss"] == 0.02
    assert figures["final_logged_train_loss"] == 0.06


def test_summary_carries_identity_figures_diagnosis_and_the_spec_by_path():
    h = clear_overfit()
    summary, curve = summarise_validation(
        h, metadata(h, variant="l2", seed=43), spec(hidden={"l2": 1e-8}), THRESHOLDS
    )
    assert summary["variant"] == "l2" and summary["seed"] == 43
    assert summary["namespace"] == "regularization.l2.seed_43" and summary["family"] is None
    assert summary["model_val_loss"] == 0.455 and summary["diagnosis"] == "over-fitting"
    assert summary["hidden.units"] == "8" and summary["hidden.l2"] == 1e-8
    assert summary["early_stopping.enabled"] is False
    assert not any(key.startswith("test_") for key in summary)  # validation only
    assert list(curve.columns) == [
        "study", "variant", "seed", "family", "value", "namespace", "epoch", "train_loss",
        "val_loss",
    ]  # fmt: skip
    assert curve["epoch"].tolist() == list(range(1, 11)) and (curve["seed"] == 43).all()
    assert curve["val_loss"].tolist() == h["val_loss"].tolist()
