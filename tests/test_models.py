"""The model builder and spec validation, against the study's own configuration."""

from __future__ import annotations

import copy

import keras
import pytest
import yaml

from from_data_to_model.models import ModelSpecError, build_model, deep_merge, resolve_model_spec
from tests.conftest import PROJECT_ROOT, VARIANTS


def study_parameters(name: str) -> dict:
    return yaml.safe_load((PROJECT_ROOT / f"conf/base/parameters_{name}.yml").read_text())


REGULARIZATION = study_parameters("regularization")["regularization"]
DEFAULTS = REGULARIZATION["defaults"]


def built(variant: str) -> keras.Model:
    spec = resolve_model_spec(DEFAULTS, REGULARIZATION["variants"][variant], variant)
    return build_model(spec, input_dim=784)


def dense_layers(model):
    return [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)]


def dropout_rates(model):
    return [layer.rate for layer in model.layers if isinstance(layer, keras.layers.Dropout)]


def test_configuration_holds_the_eight_study_variants():
    assert list(REGULARIZATION["variants"]) == VARIANTS


@pytest.mark.parametrize(
    ("variant", "hidden_units", "l1", "l2", "dropouts", "epochs", "batch", "early_stopping"),
    [
        ("underfit", 10, 0, 0, [], 50, 2048, False),
        ("overfit", 1568, 0, 0, [], 20, 512, False),
        ("early_stopping", 1568, 0, 0, [], 20, 512, True),
        ("reduced_size", 128, 0, 0, [], 20, 512, False),
        ("l1", 1568, 1e-8, 0, [], 20, 512, False),
        ("l2", 1568, 0, 1e-8, [], 20, 512, False),
        ("dropout", 1568, 0, 0, [0.5, 0.5], 20, 512, False),
        ("combined", 128, 1e-7, 0, [0.5], 20, 512, True),
    ],
)
def test_variants_match_the_spec(
    variant, hidden_units, l1, l2, dropouts, epochs, batch, early_stopping
):
    spec = resolve_model_spec(DEFAULTS, REGULARIZATION["variants"][variant], variant)
    assert (spec["epochs"], spec["batch_size"]) == (epochs, batch)
    assert spec["early_stopping"]["enabled"] is early_stopping
    if early_stopping:
        assert spec["early_stopping"] == {
            "enabled": True, "monitor": "val_loss", "patience": 3, "restore_best_weights": True,
        }  # fmt: skip
    model = built(variant)
    hidden, output = dense_layers(model)
    assert hidden.units == hidden_units and hidden.activation.__name__ == "relu"
    assert output.units == 10 and output.activation.__name__ == "softmax"
    regularizer = hidden.kernel_regularizer
    config = regularizer.get_config() if regularizer else {}
    assert config.get("l1", 0) == pytest.approx(l1) and config.get("l2", 0) == pytest.approx(l2)
    assert output.kernel_regularizer is None
    assert dropout_rates(model) == dropouts
    assert isinstance(model.optimizer, keras.optimizers.RMSprop)
    assert float(model.optimizer.learning_rate) == pytest.approx(0.0005)
    assert model.count_params() == 784 * hidden_units + hidden_units + hidden_units * 10 + 10


def test_housing_model_matches_the_spec():
    housing = study_parameters("housing")["housing"]
    model = build_model(resolve_model_spec(housing["model"], housing["overrides"]), input_dim=8)
    hidden, output = dense_layers(model)
    assert (hidden.units, output.units, output.activation.__name__) == (16, 1, "linear")
    assert float(model.optimizer.learning_rate) == pytest.approx(0.01)
    assert model.loss == "mse"


def test_saved_model_reloads_in_safe_mode(tmp_path):
    model = built("combined")
    path = tmp_path / "combined.keras"
    model.save(path)
    reloaded = keras.models.load_model(path, safe_mode=True)
    assert [type(layer) for layer in reloaded.layers] == [type(layer) for layer in model.layers]


def test_deep_merge_merges_nested_and_mutates_nothing():
    defaults = {"hidden": {"units": [1], "l1": 0.0}, "epochs": 2}
    overrides = {"hidden": {"l1": 0.5}}
    snapshot = copy.deepcopy((defaults, overrides))
    assert deep_merge(defaults, overrides) == {"hidden": {"units": [1], "l1": 0.5}, "epochs": 2}
    assert (defaults, overrides) == snapshot


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"hiden": {"units": [8]}}, "unknown field 'hiden'"),
        ({"hidden": {"unit": [8]}}, "unknown field 'hidden.unit'"),
        ({"hidden": {"l1": -1e-8}}, "field 'hidden.l1' must be a number >= 0"),
        ({"hidden": {"l2": "0.1"}}, "field 'hidden.l2' must be a number >= 0"),
        ({"dropout": {"rate": 1.0}}, "field 'dropout.rate' must be a number in [0, 1)"),
        ({"dropout": {"rate": -0.1}}, "field 'dropout.rate'"),
        ({"dropout": {"layers": -1}}, "field 'dropout.layers'"),
        ({"epochs": 0}, "field 'epochs' must be a positive integer"),
        ({"batch_size": -512}, "field 'batch_size' must be a positive integer"),
        ({"hidden": {"units": [0]}}, "field 'hidden.units' must be a list of positive integers"),
        ({"output": {"units": 0}}, "field 'output.units'"),
        ({"optimizer": {"name": "rmsprob"}}, "field 'optimizer.name' unknown optimizer 'rmsprob'"),
        (
            {"optimizer": {"learning_rate": 0}},
            "field 'optimizer.learning_rate' must be a number > 0",
        ),
        ({"hidden": {"activation": "relux"}}, "field 'hidden.activation' unknown activation"),
        ({"loss": "categorical_crossentropyy"}, "field 'loss' unknown loss"),
        ({"early_stopping": {"patience": -3}}, "field 'early_stopping.patience'"),
        ({"epochs": True}, "field 'epochs'"),
    ],
)
def test_invalid_specs_name_variant_and_field(overrides, field):
    with pytest.raises(ModelSpecError) as excinfo:
        resolve_model_spec(DEFAULTS, overrides, variant="my_variant")
    assert "variant 'my_variant'" in str(excinfo.value)
    assert field in str(excinfo.value)


def test_missing_field_is_named():
    defaults = {k: v for k, v in DEFAULTS.items() if k != "seed"}
    with pytest.raises(ModelSpecError, match="field 'seed' is missing"):
        resolve_model_spec(defaults, {}, variant="v")
