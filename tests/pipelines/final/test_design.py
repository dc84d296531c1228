"""The tuned design from the tuning's settled values, as the catalog reads them."""

from __future__ import annotations

import json

import pytest

from from_data_to_model.datasets import SettledValuesDataset
from from_data_to_model.model_spec import ModelSpecChanges, resolve_spec
from from_data_to_model.pipelines.final.design import SettledValueError, tuned_design
from from_data_to_model.pipelines.final.spec import Final
from tests.conftest import base_parameters
from tests.specs import DEFAULTS

PARAMETERS = base_parameters()
FINAL = Final.model_validate(PARAMETERS["final"])
VARIANTS = PARAMETERS["regularization"]["variants"]
FAMILIES = PARAMETERS["tuning"]["families"]


def write_settled(folder, family: str, run: str, value) -> None:
    path = folder / f"{family}_settled.json" / run / f"{family}_settled.json"
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"value": value, "reason": "lowest"}))


def test_the_latest_tuning_run_of_each_family_is_read(tmp_path):
    assert SettledValuesDataset(path=str(tmp_path)).load() == {}  # never tuned
    write_settled(tmp_path, "l2", "2026-01-01T00.00.00.000Z", 1e-4)
    write_settled(tmp_path, "l2", "2026-02-01T00.00.00.000Z", 1e-3)
    write_settled(tmp_path, "dropout", "2026-01-05T00.00.00.000Z", 0.3)
    settled = SettledValuesDataset(path=str(tmp_path)).load()
    assert settled["l2"]["value"] == 1e-3 and settled["l2"]["tuning_run"].startswith("2026-02")
    assert settled["dropout"]["value"] == 0.3


def test_the_design_sets_each_settled_value_in_the_configured_variant(tmp_path):
    write_settled(tmp_path, "l2", "2026-02-01T00.00.00.000Z", 1e-3)
    write_settled(tmp_path, "dropout", "2026-02-01T00.00.00.000Z", 0.3)
    settled = SettledValuesDataset(path=str(tmp_path)).load()
    design = tuned_design({"variant": "reduced_size"}, VARIANTS, FAMILIES, settled, FINAL)
    assert design["source"] == "tuning" and design["variant"] == FINAL.tuned.variant
    spec = resolve_spec(DEFAULTS, ModelSpecChanges.model_validate(design["changes"]))
    assert (spec.hidden.l2, spec.dropout.rate) == (1e-3, 0.3)
    assert spec.dropout.layers == 2 and spec.hidden.units == [1568]  # the dropout variant's
    assert spec.epochs == FINAL.tuned.changes["epochs"] and spec.early_stopping.enabled
    assert "tuning run 2026-02-01T00.00.00.000Z" in design["description"]


def test_without_a_tuning_run_the_study_choice_takes_the_changes():
    design = tuned_design({"variant": "reduced_size"}, VARIANTS, FAMILIES, {}, FINAL)
    assert design["source"] == "study choice" and design["missing"] == ["l2", "dropout"]
    spec = resolve_spec(DEFAULTS, ModelSpecChanges.model_validate(design["changes"]))
    assert spec.hidden.units == [128] and spec.early_stopping.enabled
    assert design["description"].startswith("no tuning run has settled any of l2, dropout")


def test_a_value_the_design_cannot_use_is_named_with_its_run_and_file(tmp_path):
    write_settled(tmp_path, "dropout", "2026-02-01T00.00.00.000Z", 1.5)  # a rate above 1
    settled = SettledValuesDataset(path=str(tmp_path)).load()
    with pytest.raises(SettledValueError) as error:
        tuned_design({"variant": "reduced_size"}, VARIANTS, FAMILIES, settled, FINAL)
    message = str(error.value)
    assert "2026-02-01T00.00.00.000Z settled dropout (dropout.rate) on 1.5" in message
    assert "dropout_settled.json" in message and "--namespaces=tuning.dropout" in message
