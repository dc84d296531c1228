"""The study as a slice: tiny models trained, evaluated, reported; names inside namespaces."""

from __future__ import annotations

import pytest
from matplotlib.figure import Figure

from from_data_to_model.pipeline_registry import register_pipelines
from from_data_to_model.pipelines import evaluation, training
from tests.conftest import base_parameters
from tests.slices import build, fashion_mnist_inputs, run_slice, study_parameters


@pytest.fixture(scope="module")
def study():
    variants = {
        "overfit": {},
        "small": {"hidden": {"units": [4]}},
        "dropout": {"dropout": {"layers": 1}},
    }
    parameters = study_parameters(variants, seeds=[1, 2])
    pipeline = build(lambda: training.create_pipeline() + evaluation.create_pipeline(), parameters)
    return run_slice(
        pipeline,
        parameters,
        keep=(
            "regularization.report_table",
            "regularization.runs_table",
            "regularization.model_choice",
        ),
        **fashion_mnist_inputs(train=90, val=30, test=30),
    )


def test_report_table_and_choice(study):
    runs = study.load("regularization.runs_table")
    assert list(zip(runs["variant"], runs["seed"], strict=True)) == [
        (v, s) for v in ["overfit", "small", "dropout"] for s in (1, 2)
    ]
    assert runs["test_data_loss"].gt(0).all() and (runs["test_rows"] == 30).all()
    table = study.load("regularization.report_table")
    assert list(table["variant"]) == ["overfit", "small", "dropout"]
    assert (table["seeds"] == 2).all() and table["test_data_loss_ci_low"].notna().all()
    small = table.set_index("variant").loc["small"]
    assert small["parameter_count"] == 784 * 4 + 4 + 50
    assert small["model_val_loss_mean"] == runs[runs["variant"] == "small"]["model_val_loss"].mean()
    choice = study.load("regularization.model_choice")
    assert choice["variant"] in {"overfit", "small", "dropout"}
    report = study.load("regularization.report")
    assert f"**{choice['variant']}**, chosen on the validation split only" in report
    assert "test split (30 rows)" in report


def test_figures(study):
    curves = study.load("regularization.learning_curves_plots")
    assert set(curves) == {"overfit.png", "small.png", "dropout.png"}
    versus = study.load("regularization.validation_loss_vs_original_plots")
    assert set(versus) == {"small.png", "dropout.png", "all.png"}
    assert isinstance(study.load("regularization.test_metrics_plot"), Figure)


def test_every_dotted_name_belongs_to_its_node_namespace():
    """No node reads or writes another namespace's datasets (Kedro's warning stays quiet)."""
    from kedro.framework.project import configure_project

    configure_project("from_data_to_model")
    build(lambda: None, base_parameters())
    for name, pipeline in register_pipelines().items():
        for node in pipeline.nodes:
            for dataset in node.inputs + node.outputs:
                if "." in dataset and not dataset.startswith("params:"):
                    assert node.namespace, (name, node.name, dataset)
                    top = node.namespace.split(".")[0]
                    assert dataset.startswith(f"{top}."), (name, node.name, dataset)
