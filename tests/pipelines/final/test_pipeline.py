"""The final stage as a slice: candidates, the refit, calibration, the final model; and the
wiring that keeps the official test set out of every choice."""

from __future__ import annotations

import numpy as np
import pytest

from from_data_to_model.calibration import temperature_scaled
from from_data_to_model.ensemble import predict_probabilities
from from_data_to_model.pipeline_registry import study_pipelines
from from_data_to_model.pipelines import evaluation, final, modelling
from tests.conftest import base_parameters, study_of
from tests.slices import fashion_mnist_inputs, run_slice, study_parameters

VARIANTS = {"overfit": {}, "dropout": {"dropout": {"layers": 1}}}
ROWS = {"train": 90, "val": 30, "test": 30, "official_test": 30}


@pytest.fixture(scope="module")
def stage():
    parameters = study_parameters(VARIANTS, seeds=[1, 2])
    parameters["final"]["tuned"]["families"] = []
    shape = study_of(parameters)
    pipeline = (
        modelling.create_pipeline(shape)
        + evaluation.create_pipeline(shape)
        + final.create_pipeline(shape)
    )
    inputs = fashion_mnist_inputs(**ROWS)
    catalog = run_slice(
        pipeline,
        parameters,
        keep=("fashion_mnist_promoted_model", "fashion_mnist_promotion", "final.choice",
              "final.calibration", "final.candidates_table", "final.official_table",
              "final.tuned_design", "final.refit.seed_1.training_metadata",
              "final.refit.seed_1.model@keras", "final.refit.seed_2.model@keras"),
        **{"final.settled_values": {}},
        **inputs,
    )  # fmt: skip
    return catalog, inputs


@pytest.mark.slow  # trains models
def test_candidates_are_compared_as_singles_and_ensembles_on_validation(stage):
    catalog, _ = stage
    table = catalog.load("final.candidates_table")
    assert set(table["candidate"]) == {"chosen", "tuned"}
    assert table.groupby("candidate").size().to_dict() == {"chosen": 4, "tuned": 4}
    ensembles = table[table["model"] == "ensemble of 2"].set_index("candidate")
    assert (ensembles["nll_low"] <= ensembles["nll"]).all()
    choice = catalog.load("final.choice")
    assert choice["winner"] == ensembles["nll"].idxmin()
    assert [m["seed"] for m in choice["members"]] == [1, 2]
    design = catalog.load("final.tuned_design")
    assert design["source"] == "study choice"  # no tuning run in the slice


@pytest.mark.slow  # trains models
def test_the_refit_trains_on_train_and_test_rows_for_the_chosen_epochs(stage):
    catalog, _ = stage
    metadata = catalog.load("final.refit.seed_1.training_metadata")
    member = next(m for m in catalog.load("final.choice")["members"] if m["seed"] == 1)
    assert metadata["train_rows"] == ROWS["train"] + ROWS["test"]
    assert metadata["epochs_run"] == member["best_epoch"] == metadata["refit_epochs"]
    assert metadata["refit_of"] == member["namespace"]


@pytest.mark.slow  # trains models
def test_the_final_model_is_the_calibrated_mean_of_the_refit_members(stage):
    catalog, inputs = stage
    model, promotion = (
        catalog.load("fashion_mnist_promoted_model"),
        catalog.load("fashion_mnist_promotion"),
    )
    calibration = catalog.load("final.calibration")
    assert promotion.temperature == calibration["temperature"] > 0
    assert promotion.members == ["final.refit.seed_1", "final.refit.seed_2"]
    pixels = inputs["fashion_mnist_official_images"]
    standardized = inputs["fashion_mnist_scaler"].transform(pixels).astype(np.float32)
    members = [catalog.load(f"{ns}.model@keras") for ns in promotion.members]
    mean = np.mean([predict_probabilities(m, standardized) for m in members], axis=0)
    np.testing.assert_allclose(
        predict_probabilities(model, pixels),
        temperature_scaled(mean, promotion.temperature),
        atol=1e-5,
    )
    official = catalog.load("final.official_table")
    assert official["model"].iloc[0] == "final model (calibrated)"
    assert (official["images"].iloc[:3] == ROWS["official_test"]).all()
    assert "MLP 256-128-64, no preprocessing" in set(official["model"])


def upstream(pipeline, dataset: str) -> set[str]:
    return set().union(*(n.inputs for n in pipeline.to_outputs(dataset).nodes))


@pytest.mark.parametrize("name", ["final", "__default__"])
def test_nothing_from_the_official_test_set_flows_into_any_choice(name):
    pipeline = study_pipelines(study_of(base_parameters()))[name]
    chosen = ["final.choice", "final.calibration", "fashion_mnist_promotion",
              "fashion_mnist_promoted_model", "final.refit.seed_44.model@keras"]  # fmt: skip
    for dataset in chosen:
        sources = upstream(pipeline, dataset)
        assert "fashion_mnist_X_val" in sources, dataset
        assert not [s for s in sources if "official" in s], dataset
    # and it is read, afterwards
    assert "fashion_mnist_official_images" in upstream(pipeline, "final.official_table")


def test_the_default_run_has_the_final_stage_and_the_study_alone_has_not():
    pipelines = study_pipelines(study_of(base_parameters()))
    names = {n.name for n in pipelines["__default__"].nodes}
    assert {"final.compare_candidates", "final.refit.seed_42.refit_model"} <= names
    assert not [n for n in pipelines["regularization"].nodes if n.name.startswith("final.")]
