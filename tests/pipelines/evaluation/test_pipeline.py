"""The study as a slice: tiny models trained, compared, chosen, reported; and the wiring that
keeps every test figure away from the choice."""

from __future__ import annotations

import pytest
from kedro.pipeline import Pipeline
from matplotlib.figure import Figure

from from_data_to_model.hooks import training_nodes
from from_data_to_model.pipeline_registry import study_pipelines
from from_data_to_model.pipelines import evaluation, modelling
from from_data_to_model.study import StudyShape
from tests.conftest import base_parameters, study_of
from tests.slices import fashion_mnist_inputs, run_slice, study_parameters

VARIANTS = {
    "overfit": {},
    "small": {"hidden": {"units": [4]}},
    "dropout": {"dropout": {"layers": 1}},
}


@pytest.fixture(scope="module")
def study():
    parameters = study_parameters(VARIANTS, seeds=[1, 2])
    shape = study_of(parameters)
    pipeline = modelling.create_pipeline(shape) + evaluation.create_pipeline(shape)
    kept = [
        *(f"regularization.{name}" for name in ("runs_table", "report_table", "validation_table",
          "model_choice", "learning_curves_table", "official_test_table", "official_check",
          "per_class_table")),
        "fashion_mnist_study_promoted_model", "fashion_mnist_study_promotion",
    ]  # fmt: skip
    return run_slice(
        pipeline,
        parameters,
        keep=tuple(kept),
        **fashion_mnist_inputs(train=90, val=30, test=30, official_test=30),
    )


@pytest.mark.slow  # trains models
def test_tables_choice_and_report(study):
    runs = study.load("regularization.runs_table")
    assert list(zip(runs["variant"], runs["seed"], strict=True)) == [
        (v, s) for v in VARIANTS for s in (1, 2)
    ]
    assert runs["test_data_loss"].gt(0).all() and (runs["test_rows"] == 30).all()
    table = study.load("regularization.report_table")
    assert list(table["variant"]) == list(VARIANTS)
    assert (table["seeds"] == 2).all() and table["test_data_loss_ci_low"].notna().all()
    small = table.set_index("variant").loc["small"]
    assert small["parameter_count"] == 784 * 4 + 4 + 50
    assert small["model_val_loss_mean"] == runs[runs["variant"] == "small"]["model_val_loss"].mean()
    validation = study.load("regularization.validation_table")
    choice = study.load("regularization.model_choice")
    best = validation.loc[validation["model_val_loss_mean"].idxmin(), "variant"]
    assert choice["variant"] == best or best in choice["tied_with"]
    report = study.load("regularization.report")
    assert f"**{choice['variant']}**, chosen on the validation split only" in report
    assert "test split (30 rows)" in report
    curves = study.load("regularization.learning_curves_table")
    assert len(curves) == 3 * 2 * 2 and set(curves["epoch"]) == {1, 2}


@pytest.mark.slow  # trains models
def test_the_chosen_variants_best_seed_is_promoted_and_checked_on_the_official_set(study):
    choice, promotion = (
        study.load("regularization.model_choice"),
        study.load("fashion_mnist_study_promotion"),
    )
    runs = study.load("regularization.runs_table")
    own = runs[runs["variant"] == choice["variant"]]
    best = own.loc[own["model_val_loss"].idxmin()]
    assert (promotion.variant, promotion.seed) == (choice["variant"], best["seed"])
    assert promotion.namespace == best["namespace"]
    assert promotion.outputs.classes[0] == "T-shirt/top"
    assert promotion.served_name == "from_data_to_model.fashion_mnist_study"
    check = study.load("regularization.official_check")
    assert check["images"] == 30 and 0 <= check["accuracy"] <= 1
    official = study.load("regularization.official_test_table")
    assert list(official["variant"]) == list(VARIANTS) and (official["seeds"] == 2).all()
    assert study.load("regularization.per_class_table")["images"].sum() == 30
    report = study.load("regularization.report")
    assert f"**{promotion.namespace}**: of {choice['variant']}'s 2 seeds" in report
    assert "## The final check: Fashion-MNIST's official test set (30 images)" in report
    assert "- MLP 256-128-64, no preprocessing: 0.900" in report


@pytest.mark.slow  # trains models
def test_figures(study):
    curves = study.load("regularization.learning_curves_plots")
    assert set(curves) == {"overfit.png", "small.png", "dropout.png"}
    versus = study.load("regularization.validation_loss_vs_original_plots")
    assert set(versus) == {"small.png", "dropout.png", "all.png"}
    assert isinstance(study.load("regularization.test_metrics_plot"), Figure)


def upstream(pipeline: Pipeline, dataset: str) -> set[str]:
    """Every dataset a dataset is made from, however far back."""
    return set().union(*(n.inputs for n in pipeline.to_outputs(dataset).nodes))


@pytest.mark.parametrize("name", ["regularization", "__default__", "evaluation"])
def test_no_test_figure_is_upstream_of_the_choice(name):
    pipeline = study_pipelines(study_of(base_parameters()))[name]
    sources = upstream(pipeline, "regularization.model_choice")
    assert "regularization.l2.seed_43.validation_summary" in sources
    # the split itself is upstream (it makes training rows too); nothing read from its test
    # side, nor from the official test set
    assert not sources & {"fashion_mnist_X_test", "fashion_mnist_y_test"}
    assert not [s for s in sources if "test_" in s.split(".")[-1] and "unscaled" not in s
                and not s.startswith("params:processing")]  # fmt: skip
    assert not [s for s in sources if "official" in s or "promot" in s]


def test_no_test_figure_is_upstream_of_the_studys_promoted_model():
    pipeline = study_pipelines(study_of(base_parameters()))["regularization"]
    sources = upstream(pipeline, "fashion_mnist_study_promoted_model")
    assert {"regularization.model_choice", "fashion_mnist_scaler"} <= sources
    assert "regularization.l2.seed_43.model@loader" in sources  # every candidate, loaded lazily
    assert not [s for s in sources if "test_" in s.split(".")[-1] and "unscaled" not in s
                and not s.startswith("params:processing")]  # fmt: skip
    assert not [s for s in sources if "official" in s]


def test_the_evaluation_half_trains_nothing():
    """``kedro run --pipeline=evaluation`` scores the models on disk; it never trains."""
    pipelines = study_pipelines(study_of(base_parameters()))
    assert not training_nodes(pipelines["evaluation"])
    assert training_nodes(pipelines["regularization"]) == training_nodes(pipelines["training"])


def test_every_dotted_name_belongs_to_its_node_namespace():
    """No node reads or writes another namespace's datasets, but the final stage, which reads
    the study's (Kedro's warning stays quiet)."""
    for name, pipeline in study_pipelines(study_of(base_parameters())).items():
        for node in pipeline.nodes:
            for dataset in node.inputs + node.outputs:
                if "." in dataset and not dataset.startswith("params:"):
                    assert node.namespace, (name, node.name, dataset)
                    top = node.namespace.split(".")[0]
                    own = (f"{top}.", "regularization.") if top == "final" else (f"{top}.",)
                    assert dataset.startswith(own), (name, node.name, dataset)
                    if top == "final" and dataset.startswith("regularization."):
                        assert dataset in node.inputs, (name, node.name, dataset)


def test_without_variants_there_is_no_study_to_evaluate():
    assert evaluation.create_pipeline(StudyShape()).nodes == []
