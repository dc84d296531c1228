"""Every field of a model spec reaches Keras, through the training node itself."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from from_data_to_model import models
from from_data_to_model.model_spec import ModelSpec, ModelSpecChanges, resolve_spec
from from_data_to_model.pipelines.training.nodes import train_model
from tests.conftest import VARIANTS, base_parameters
from tests.test_model_spec import DEFAULTS, spec_of

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


def compiled_metrics(history) -> list[str]:
    own = ("epoch", "loss", "train_data_loss")
    return [c for c in history.columns if c not in own and not c.startswith("val_")]


def data_loss(fit):
    (callback,) = [c for c in fit["callbacks"] if isinstance(c, models.DataLoss)]
    return callback


def early_stopping(fit):
    (callback,) = [c for c in fit["callbacks"] if isinstance(c, keras.callbacks.EarlyStopping)]
    return callback


# field → (a new value, what Keras got, read off the trained model, its history or fit's call)
PROBES = {
    "hidden.units": ([5, 3], lambda m, h, f: [layer.units for layer in dense(m)[:-1]]),
    "hidden.activation": ("tanh", lambda m, h, f: dense(m)[0].activation.__name__),
    "hidden.l1": (0.01, lambda m, h, f: penalty(m, "l1")),
    "hidden.l2": (0.02, lambda m, h, f: penalty(m, "l2")),
    "dropout.rate": (0.25, lambda m, h, f: dropouts(m)[0].rate),
    "dropout.layers": (3, lambda m, h, f: len(dropouts(m))),
    "output.units": (4, lambda m, h, f: dense(m)[-1].units),
    "output.activation": ("sigmoid", lambda m, h, f: dense(m)[-1].activation.__name__),
    "optimizer.name": ("adam", lambda m, h, f: type(m.optimizer).__name__.lower()),
    "optimizer.learning_rate": (0.01, lambda m, h, f: float(m.optimizer.learning_rate)),
    "loss": ("mse", lambda m, h, f: m.loss),
    "metrics": (["mae"], lambda m, h, f: compiled_metrics(h)),
    "epochs": (3, lambda m, h, f: len(h)),
    "batch_size": (8, lambda m, h, f: f["batch_size"]),
    "early_stopping.enabled": (False, lambda m, h, f: any(
        isinstance(c, keras.callbacks.EarlyStopping) for c in f["callbacks"])),
    "early_stopping.monitor": ("val_accuracy", lambda m, h, f: early_stopping(f).monitor),
    "early_stopping.patience": (5, lambda m, h, f: early_stopping(f).patience),
    "early_stopping.restore_best_weights": (
        False, lambda m, h, f: early_stopping(f).restore_best_weights),
    "seed": (7, lambda m, h, f: f["seed"]),
    "train_loss_rows": (20, lambda m, h, f: len(data_loss(f).x)),
}  # fmt: skip


def leaf_fields(model: type = ModelSpec, prefix: str = "") -> list[str]:
    fields = []
    for name, info in model.model_fields.items():
        if isinstance(info.annotation, type) and issubclass(info.annotation, ModelSpec.__base__):
            fields += leaf_fields(info.annotation, f"{prefix}{name}.")
        else:
            fields.append(prefix + name)
    return fields


def test_every_field_has_a_probe():
    assert sorted(PROBES) == sorted(leaf_fields())


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    return rng.normal(size=(64, 784)).astype(np.float32), rng.integers(0, 40, 64)


def trained(spec: ModelSpec, data, monkeypatch):
    """Train through the node; returns the model, history and what Keras' fit was given."""
    x, labels = data
    y = np.eye(spec.output.units, dtype=np.float32)[labels % spec.output.units]
    fit_call: dict = {}
    real_fit, real_seed = keras.Model.fit, keras.utils.set_random_seed

    def fit(self, *args, **kwargs):
        fit_call.update(kwargs)
        return real_fit(self, *args, **kwargs)

    def set_random_seed(seed):
        fit_call["seed"] = seed
        real_seed(seed)

    monkeypatch.setattr(keras.Model, "fit", fit)
    monkeypatch.setattr(keras.utils, "set_random_seed", set_random_seed)
    model, history, _ = train_model(x[:48], y[:48], x[48:], y[48:], spec, None)
    return model, history, fit_call


@pytest.mark.parametrize("field", sorted(PROBES))
def test_field_reaches_keras(field, data, monkeypatch):
    value, observe = PROBES[field]
    changed = PROBE_BASE.model_dump()
    leaf = changed
    *parents, key = field.split(".")
    for parent in parents:
        leaf = leaf[parent]
    assert leaf[key] != value, "the probe must change the field"
    leaf[key] = value
    before = observe(*trained(PROBE_BASE, data, monkeypatch))
    after = observe(*trained(ModelSpec.model_validate(changed), data, monkeypatch))
    assert after == pytest.approx(value) and before != after


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


def test_saved_model_reloads_in_safe_mode(tmp_path):
    model = models.build_model(spec_of("combined"), input_dim=784)
    model.save(tmp_path / "combined.keras")
    reloaded = keras.saving.load_model(tmp_path / "combined.keras", safe_mode=True)
    assert [type(layer) for layer in reloaded.layers] == [type(layer) for layer in model.layers]


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
