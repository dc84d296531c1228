"""Every field of a model spec reaches Keras, through the training node itself."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from from_data_to_model import models
from from_data_to_model.model_spec import (
    ModelSpec,
    ModelSpecChanges,
    resolve_spec,
    setting,
    spec_paths,
)
from from_data_to_model.pipelines.modelling.nodes import Training
from from_data_to_model.study import REGULARIZATION, Run
from tests.conftest import VARIANTS, base_parameters
from tests.specs import DEFAULTS, spec_of

# A small spec to probe from: every probe below changes one field of it.
PROBE_BASE = resolve_spec(
    DEFAULTS,
    ModelSpecChanges.model_validate(
        {"hidden": {"units": [6]}, "dropout": {"layers": 1}, "epochs": 2, "batch_size": 16,
         "early_stopping": {"enabled": True, "patience": 3}}
    ),
)  # fmt: skip


def dense(model):
    return [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)]


def dropouts(model):
    return [layer for layer in model.layers if isinstance(layer, keras.layers.Dropout)]


def penalty(model, kind: str) -> float:
    regularizer = dense(model)[0].kernel_regularizer
    return regularizer.get_config().get(kind, 0.0) if regularizer else 0.0


def data_loss(fit):
    (callback,) = [c for c in fit["callbacks"] if isinstance(c, models.DataLoss)]
    return callback


def early_stopping(fit):
    (callback,) = [c for c in fit["callbacks"] if isinstance(c, keras.callbacks.EarlyStopping)]
    return callback


# field → (a new value, what Keras got: read off the built model or what fit was given)
PROBES = {
    "hidden.units": ([5, 3], lambda m, f: [layer.units for layer in dense(m)[:-1]]),
    "hidden.activation": ("tanh", lambda m, f: dense(m)[0].activation.__name__),
    "hidden.l1": (0.01, lambda m, f: penalty(m, "l1")),
    "hidden.l2": (0.02, lambda m, f: penalty(m, "l2")),
    "dropout.rate": (0.25, lambda m, f: dropouts(m)[0].rate),
    "dropout.layers": (3, lambda m, f: len(dropouts(m))),
    "output.units": (4, lambda m, f: dense(m)[-1].units),
    "output.activation": ("sigmoid", lambda m, f: dense(m)[-1].activation.__name__),
    "optimizer.name": ("adam", lambda m, f: type(m.optimizer).__name__.lower()),
    "optimizer.learning_rate": (0.01, lambda m, f: float(m.optimizer.learning_rate)),
    "loss": ("mse", lambda m, f: m.loss),
    "metrics": (["mae"], lambda m, f: m.get_compile_config()["metrics"]),
    "epochs": (3, lambda m, f: f["epochs"]),
    "batch_size": (8, lambda m, f: f["batch_size"]),
    "early_stopping.enabled": (False, lambda m, f: any(
        isinstance(c, keras.callbacks.EarlyStopping) for c in f["callbacks"])),
    "early_stopping.monitor": ("val_accuracy", lambda m, f: early_stopping(f).monitor),
    "early_stopping.patience": (5, lambda m, f: early_stopping(f).patience),
    "early_stopping.restore_best_weights": (
        False, lambda m, f: early_stopping(f).restore_best_weights),
    "seed": (7, lambda m, f: f["seed"]),
    "train_loss_rows": (20, lambda m, f: len(data_loss(f).x)),
}  # fmt: skip


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    return rng.normal(size=(64, 784)).astype(np.float32), rng.integers(0, 40, 64)


class FakeHistory:
    """What ``fit`` returns, for a fit that only records what it was given."""

    def __init__(self, epochs: int):
        self.history = {"loss": [1.0] * epochs, "val_loss": [1.0] * epochs}


def given_to_keras(spec: ModelSpec, data, monkeypatch):
    """The training node's model (built, compiled) and what it gave ``fit`` and the seeding,
    without training: the probes read what Keras was told."""
    x, labels = data
    y = np.eye(spec.output.units, dtype=np.float32)[labels % spec.output.units]
    fit_call: dict = {}
    real_seed = keras.utils.set_random_seed

    def fit(self, *args, **kwargs):
        fit_call.update(kwargs)
        return FakeHistory(kwargs["epochs"])

    def set_random_seed(seed):
        fit_call["seed"] = seed
        real_seed(seed)

    monkeypatch.setattr(keras.Model, "fit", fit)
    monkeypatch.setattr(keras.utils, "set_random_seed", set_random_seed)
    training = Training(Run(REGULARIZATION, "probe"))
    model, *_ = training.train_model(x[:48], y[:48], x[48:], y[48:], spec, None)
    return model, fit_call


def changed(path: str, value) -> ModelSpec:
    spec = PROBE_BASE.model_dump()
    leaf = spec
    *parents, key = path.split(".")
    for parent in parents:
        leaf = leaf[parent]
    assert leaf[key] != value, "the probe must change the field"
    leaf[key] = value
    return ModelSpec.model_validate(spec)


@pytest.mark.parametrize("field", sorted(PROBES))
def test_field_reaches_keras(field, data, monkeypatch):
    value, observe = PROBES[field]
    before = observe(*given_to_keras(PROBE_BASE, data, monkeypatch))
    after = observe(*given_to_keras(changed(field, value), data, monkeypatch))
    assert after == pytest.approx(value) and before != after


# Values to try on a field no probe knows (a new regularizer's), in this order.
CANDIDATES = (True, False, 3, 0.25, 1.0e-4, [5, 3], "tanh", "adam", "mse", ["mae"])


def anonymous(config):
    """A Keras config without the names Keras numbers each object by."""
    if isinstance(config, dict):
        return {k: anonymous(v) for k, v in config.items() if k != "name"}
    if isinstance(config, list):
        return [anonymous(v) for v in config]
    return config


def keras_view(model, fit_call) -> dict:
    """All that Keras was given: layers, optimizer, compilation, fit's arguments, callbacks."""
    callbacks = [
        (type(c).__name__, {k: v for k, v in vars(c).items() if isinstance(v, int | float | str)})
        for c in fit_call["callbacks"]
    ]
    return {
        "model": anonymous(model.get_config()),
        "optimizer": (type(model.optimizer).__name__, anonymous(model.optimizer.get_config())),
        "compiled": anonymous(model.get_compile_config()),
        "fit": {k: fit_call[k] for k in ("epochs", "batch_size", "seed")},
        "callbacks": callbacks,
        "data_loss_rows": len(data_loss(fit_call).x),
    }


def probe_value(path: str):
    """A value the field accepts that differs from the probe base's: its probe's, or the
    first candidate that validates."""
    if path in PROBES:
        return PROBES[path][0]
    current = PROBE_BASE.model_dump()
    for key in path.split("."):
        current = current[key]
    for candidate in CANDIDATES:
        try:
            setting(path, candidate)
        except ValueError:
            continue
        if candidate != current and type(candidate) is type(current):
            return candidate
    raise AssertionError(f"no candidate value for {path}: add one to CANDIDATES")


@pytest.mark.parametrize("path", spec_paths())
def test_every_spec_field_changes_what_keras_is_given(path, data, monkeypatch):
    """A field added to the spec (a new regularizer) is covered without a probe of its own:
    whatever it is, setting it must change something Keras is given."""
    base = keras_view(*given_to_keras(PROBE_BASE, data, monkeypatch))
    other = keras_view(*given_to_keras(changed(path, probe_value(path)), data, monkeypatch))
    assert other != base, f"{path} changes nothing Keras is given"


@pytest.mark.parametrize("variant", VARIANTS)
def test_study_variants_build_as_specified(variant):
    spec = spec_of(variant)
    model = models.build_model(spec, input_dim=784)
    hidden, output = dense(model)
    assert hidden.units == spec.hidden.units[0] and output.units == 10
    assert [d.rate for d in dropouts(model)] == [0.5] * spec.dropout.layers
    units = spec.hidden.units[0]
    assert model.count_params() == 784 * units + units + units * 10 + 10


def test_housing_model_matches_its_parameters():
    housing = base_parameters()["housing"]
    spec = ModelSpec.model_validate(housing["model"])
    model = models.build_model(spec, input_dim=8)
    hidden, output = dense(model)
    assert (hidden.units, output.units, output.activation.__name__) == (16, 1, "linear")
    assert float(model.optimizer.learning_rate) == pytest.approx(0.01) and model.loss == "mse"


def test_layer_seeds_come_from_the_spec_not_the_process_wide_generator():
    """Another thread drawing from Python's ``random`` (a Dask worker's event loop does)
    between seeding and building changes nothing; the weights are those Keras itself
    draws after ``set_random_seed``, so earlier results stand."""
    import random

    def weights(model):
        return [w for layer in model.layers for w in layer.get_weights()]

    keras.utils.set_random_seed(PROBE_BASE.seed)
    built = models.build_model(PROBE_BASE, input_dim=12)
    keras.utils.set_random_seed(PROBE_BASE.seed)
    random.random()  # what the other thread does
    disturbed = models.build_model(PROBE_BASE, input_dim=12)
    keras.utils.set_random_seed(PROBE_BASE.seed)
    keras_own = keras.Sequential([
        keras.Input(shape=(12,)),
        keras.layers.Dense(6, activation="relu"),
        keras.layers.Dropout(0.5),
        keras.layers.Dense(10, activation="softmax"),
    ])  # fmt: skip
    for a, b, c in zip(weights(built), weights(disturbed), weights(keras_own), strict=True):
        np.testing.assert_array_equal(a, b)
        np.testing.assert_array_equal(a, c)
    states = [dropouts(m)[0].seed_generator.state for m in (built, keras_own)]
    np.testing.assert_array_equal(*map(keras.ops.convert_to_numpy, states))
