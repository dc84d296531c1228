"""The training node on tiny data: model, spec, history, metadata; seeded reproducibility."""

from __future__ import annotations

import keras
import numpy as np
import pandas as pd
import pytest

from from_data_to_model.model_spec import ModelSpec, ModelSpecChanges, resolve_spec
from from_data_to_model.pipelines.modelling.nodes import Training, lowest_epoch
from from_data_to_model.study import REGULARIZATION, TUNING, Run
from tests.conftest import base_parameters

DEFAULTS = ModelSpec.model_validate(base_parameters()["regularization"]["defaults"])


def train_model(*args):
    """The training node of the study's variant ``v``, with the spec's own seed."""
    return Training(Run(REGULARIZATION, "v")).train_model(*args)


def changes(**fields) -> ModelSpecChanges:
    return ModelSpecChanges.model_validate(
        {"hidden": {"units": [8]}, "epochs": 2, "batch_size": 32, **fields}
    )


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(200, 784)).astype(np.float32)
    labels = x[:, :10].argmax(axis=1)  # learnable from the first ten pixels
    y = np.eye(10, dtype=np.float32)[labels]
    return x[:160], y[:160], x[160:], y[160:]


@pytest.mark.slow  # trains models
def test_train_model_returns_model_spec_history_metadata(data, caplog):
    caplog.set_level("INFO")
    model, spec, history, metadata = Training(Run(REGULARIZATION, "l2", seed=43)).train_model(
        *data, DEFAULTS, changes()
    )
    assert isinstance(model, keras.Model)
    assert list(history.columns) == [
        "epoch", "accuracy", "loss", "val_accuracy", "val_loss", "train_data_loss", "val_data_loss",
    ]  # fmt: skip
    assert history["epoch"].tolist() == [1, 2]
    assert history["loss"].iloc[1] < history["loss"].iloc[0]
    assert metadata["epochs_run"] == 2 and metadata["steps_per_epoch"] == 5
    assert metadata["model_epoch"] == 2 and not metadata["stopped_early"]
    assert metadata["parameter_count"] == 784 * 8 + 8 + 8 * 10 + 10
    assert metadata["keras_backend"] == keras.backend.backend() and metadata["fit_seconds"] > 0
    assert {k: metadata[k] for k in ("study", "variant", "seed", "namespace")} == {
        "study": "regularization", "variant": "l2", "seed": 43,
        "namespace": "regularization.l2.seed_43",
    }  # fmt: skip
    assert spec == resolve_spec(DEFAULTS, changes(seed=43)).model_dump()
    epoch_lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("epoch ")]
    assert len(epoch_lines) == 2 and epoch_lines[0].startswith("epoch 1/2 - loss ")
    assert "val_loss" in epoch_lines[0] and "val_accuracy" in epoch_lines[0]
    assert "train_data_loss" in epoch_lines[0] and "val_data_loss" in epoch_lines[0]
    assert 0 < metadata["data_loss_seconds"] < metadata["fit_seconds"]


@pytest.mark.slow  # trains models
def test_training_loss_in_inference_mode_is_below_the_logged_one_with_dropout(data):
    """Keras logs a running mean with dropout on; the data loss is the model as it is used."""
    heavy_dropout = changes(hidden={"units": [64]}, dropout={"layers": 1, "rate": 0.6}, epochs=3)
    _, _, history, _ = train_model(*data, DEFAULTS, heavy_dropout)
    assert (history["train_data_loss"] < history["loss"]).all()


@pytest.mark.slow  # trains models
def test_data_losses_leave_out_the_penalty(data):
    penalised = changes(hidden={"units": [8], "l2": 0.1})
    _, _, history, _ = train_model(*data, DEFAULTS, penalised)
    penalty = history["val_loss"] - history["val_data_loss"]
    assert (penalty > 0.01).all()  # Keras' val_loss carries the L2 term, the data loss not
    _, _, plain, _ = train_model(*data, DEFAULTS, changes())
    assert (plain["val_loss"] - plain["val_data_loss"]).abs().max() < 1e-5


@pytest.mark.slow  # trains models
def test_the_runs_seed_replaces_the_specs_and_repeats_exactly(data):
    def trained(seed):
        return Training(Run(REGULARIZATION, "v", seed)).train_model(*data, DEFAULTS, changes())

    first, again, other = trained(7), trained(7), trained(8)
    assert first[1]["seed"] == first[3]["seed"] == 7
    np.testing.assert_array_equal(first[2].to_numpy(), again[2].to_numpy())
    assert other[2]["loss"].iat[0] != first[2]["loss"].iat[0]


@pytest.mark.slow  # trains models
def test_a_sweep_point_sets_its_field_over_the_variants_changes(data):
    point = Run(TUNING, "v", 7, family="l2", path="hidden.l2", value=0.01)
    _, spec, _, metadata = Training(point).train_model(*data, DEFAULTS, changes())
    assert (spec["hidden"]["l2"], spec["hidden"]["units"], spec["seed"]) == (0.01, [8], 7)
    assert (metadata["family"], metadata["value"]) == ("l2", 0.01)
    assert metadata["namespace"] == "tuning.l2.v0p01.seed_7"


def train_on_noise_labels(data, epochs: int, patience: int):
    """A model fitted fast, with early stopping, against validation labels that are noise
    (so validation loss soon rises); also returns how to score it on them."""
    x_train, y_train, x_val, _ = data
    y_val_noise = np.eye(10, dtype=np.float32)[np.random.default_rng(1).integers(0, 10, len(x_val))]
    spec = changes(
        hidden={"units": [64]},
        optimizer={"learning_rate": 0.01},
        epochs=epochs,
        batch_size=16,
        early_stopping={"enabled": True, "patience": patience},
    )
    model, _, history, metadata = train_model(x_train, y_train, x_val, y_val_noise, DEFAULTS, spec)
    return model, history, metadata, (x_val, y_val_noise)


@pytest.mark.slow  # trains models
def test_early_stopping_stops_and_restores_best(data):
    model, history, metadata, (x_val, y_val_noise) = train_on_noise_labels(data, 30, 1)
    assert metadata["stopped_early"] and metadata["epochs_run"] == metadata["model_epoch"] + 1
    assert metadata["model_epoch"] == lowest_epoch(history["val_loss"])
    restored = model.evaluate(x_val, y_val_noise, verbose=0, return_dict=True)["loss"]
    assert restored == pytest.approx(history["val_loss"].min(), rel=1e-4)


@pytest.mark.slow  # trains models
def test_best_weights_are_restored_without_stopping_early_too(data):
    """Keras puts the best epoch's weights back at the end of every fit that has early
    stopping with restore_best_weights, stopped or not: the model is that epoch's."""
    model, history, metadata, (x_val, y_val_noise) = train_on_noise_labels(data, 6, 50)
    assert not metadata["stopped_early"] and metadata["epochs_run"] == 6
    assert metadata["model_epoch"] == lowest_epoch(history["val_loss"]) < 6
    restored = model.evaluate(x_val, y_val_noise, verbose=0, return_dict=True)["loss"]
    assert restored == pytest.approx(history["val_loss"].min(), rel=1e-4)


@pytest.mark.slow  # trains models
def test_accepts_frames_and_no_changes(data):
    x_train, y_train, x_val, y_val = data
    small = resolve_spec(DEFAULTS, changes(epochs=1))
    _, spec, history, _ = train_model(
        pd.DataFrame(x_train), pd.DataFrame(y_train), x_val, y_val, small, None
    )
    assert len(history) == 1 and spec == small.model_dump()


def test_lowest_epoch_is_one_based_and_first_of_ties():
    assert lowest_epoch(pd.Series([0.5, 0.3, 0.3, 0.4])) == 2
