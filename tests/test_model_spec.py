"""Model specs: the study's configuration, the merge, and errors that name the field."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from from_data_to_model.model_spec import ModelSpec, ModelSpecChanges, nested, resolve_spec
from tests.specs import DEFAULTS, REGULARIZATION, spec_of


def test_configuration_holds_the_eight_study_variants():
    """The study's own eight, in its order (the tests elsewhere read them from conf)."""
    assert list(REGULARIZATION["variants"]) == [
        "underfit", "overfit", "early_stopping", "reduced_size", "l1", "l2", "dropout",
        "combined",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("variant", "units", "l1", "l2", "dropout_layers", "epochs", "batch", "early_stopping"),
    [
        ("underfit", [10], 0, 0, 0, 50, 2048, False),
        ("overfit", [1568], 0, 0, 0, 20, 512, False),
        ("early_stopping", [1568], 0, 0, 0, 20, 512, True),
        ("reduced_size", [128], 0, 0, 0, 20, 512, False),
        ("l1", [1568], 1e-8, 0, 0, 20, 512, False),
        ("l2", [1568], 0, 1e-8, 0, 20, 512, False),
        ("dropout", [1568], 0, 0, 2, 20, 512, False),
        ("combined", [128], 1e-7, 0, 1, 20, 512, True),
    ],
)
def test_variants_resolve_to_the_study(
    variant, units, l1, l2, dropout_layers, epochs, batch, early_stopping
):
    spec = spec_of(variant)
    assert (spec.hidden.units, spec.hidden.l1, spec.hidden.l2) == (units, l1, l2)
    assert (spec.dropout.layers, spec.dropout.rate) == (dropout_layers, 0.5)
    assert (spec.epochs, spec.batch_size, spec.early_stopping.enabled) == (
        epochs,
        batch,
        early_stopping,
    )
    assert spec.early_stopping.patience == 3 and spec.early_stopping.restore_best_weights
    assert (spec.optimizer.name, spec.optimizer.learning_rate) == ("rmsprop", 0.0005)
    assert spec.loss == "categorical_crossentropy" and spec.seed == 42


def test_merge_is_nested_and_leaves_the_defaults_alone():
    changes = ModelSpecChanges.model_validate({"hidden": {"l1": 0.5}, "epochs": 3})
    spec = resolve_spec(DEFAULTS, changes)
    assert (spec.hidden.l1, spec.hidden.units, spec.epochs) == (0.5, [1568], 3)
    assert DEFAULTS.hidden.l1 == 0 and DEFAULTS.epochs == 20
    assert resolve_spec(DEFAULTS, None) == DEFAULTS


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"hiden": {"units": [8]}}, "hiden"),
        ({"hidden": {"unit": [8]}}, "hidden.unit"),
        ({"hidden": {"l1": -1e-8}}, "hidden.l1"),
        ({"hidden": {"l2": "0.1"}}, "hidden.l2"),
        ({"dropout": {"rate": 1.0}}, "dropout.rate"),
        ({"dropout": {"layers": -1}}, "dropout.layers"),
        ({"epochs": True}, "epochs"),
        ({"hidden": {"units": [0]}}, "hidden.units.0"),
        ({"hidden": {"units": []}}, "hidden.units"),
        ({"optimizer": {"name": "rmsprob"}}, "optimizer.name"),
        ({"optimizer": {"learning_rate": 0}}, "optimizer.learning_rate"),
        ({"loss": "categorical_crossentropyy"}, "loss"),
        ({"seed": 4.2}, "seed"),
    ],
)
def test_invalid_changes_name_the_field(changes, field):
    """Typos, strings for numbers, booleans for counts, out-of-range values: refused, at
    the field (the spec's constraints; pydantic's wording is pydantic's)."""
    with pytest.raises(ValidationError) as excinfo:
        ModelSpecChanges.model_validate(changes)
    (error,) = excinfo.value.errors()
    assert ".".join(str(part) for part in error["loc"]) == field


def test_defaults_must_be_complete():
    incomplete = {k: v for k, v in REGULARIZATION["defaults"].items() if k != "seed"}
    with pytest.raises(ValidationError) as excinfo:
        ModelSpec.model_validate(incomplete)
    assert [e["loc"] for e in excinfo.value.errors()] == [("seed",)]


values = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 3000), st.floats(allow_nan=True), st.text(max_size=8),
    st.lists(st.integers(-2, 50), max_size=3),
)  # fmt: skip
fields = st.sampled_from(
    ["epochs", "batch_size", "seed", "loss", "metrics", "hidden.units", "hidden.l1",
     "hidden.activation", "dropout.rate", "dropout.layers", "optimizer.learning_rate",
     "early_stopping.patience", "typo"]
)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(path=fields, value=values)
def test_any_change_is_valid_or_explained(path, value):
    """Whatever a YAML value holds: a validation error naming the field, or a sound spec."""
    try:
        changes = ModelSpecChanges.model_validate(nested(path, value))
    except ValidationError as error:
        assert ".".join(str(p) for p in error.errors()[0]["loc"]).startswith(path)
        return
    spec = resolve_spec(DEFAULTS, changes)
    assert spec.epochs > 0 and spec.batch_size > 0 and spec.seed >= 0
    assert all(u > 0 for u in spec.hidden.units) and 0 <= spec.dropout.rate < 1
    assert spec.hidden.l1 >= 0 and spec.optimizer.learning_rate > 0
    if value is not None:  # None means "no change"
        leaf = spec.model_dump()
        for key in path.split("."):
            leaf = leaf[key]
        assert leaf == value
