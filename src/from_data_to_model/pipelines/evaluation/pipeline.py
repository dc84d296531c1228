"""The ``evaluation`` pipeline: per-variant metrics, then the report, the choice and the plots."""

from __future__ import annotations

from kedro.pipeline import Node, Pipeline, node, pipeline

from from_data_to_model import run_parameters
from from_data_to_model.pipelines.training.pipeline import STUDY

from .choice import choose_model
from .metrics import evaluate_model
from .plots import plot_learning_curves, plot_test_metrics, plot_validation_vs_original
from .report import compile_report_table, summarise_variant, write_report

EVALUATION_TAG = "evaluation"
FASHION_MNIST_TEST_DATA = {"X_test": "fashion_mnist_X_test", "y_test": "fashion_mnist_y_test"}


def evaluation_node() -> Node:
    """``model`` on ``X_test``/``y_test`` → ``test_metrics`` (names to be namespaced)."""
    return node(
        evaluate_model,
        inputs=["model", "X_test", "y_test"],
        outputs="test_metrics",
        name="evaluate_model",
        tags=[EVALUATION_TAG],
    )


def variant_evaluation(variant: str) -> Pipeline:
    """Test metrics and the report row of one variant, under ``regularization.<variant>``."""
    summary = node(
        summarise_variant,
        inputs=["training_history", "training_metadata", "test_metrics", "params:diagnosis"],
        outputs="summary",
        name="summarise_variant",
        tags=[EVALUATION_TAG],
    )
    return pipeline(
        [evaluation_node(), summary],
        namespace=f"{STUDY}.{variant}",
        inputs=FASHION_MNIST_TEST_DATA,
        parameters={"params:diagnosis": "params:evaluation.diagnosis"},
    )


def study_evaluation(variants: list[str]) -> Pipeline:
    """The report table, the choice, the report and the figures, in ``regularization``."""

    def each(output: str) -> dict[str, str]:
        return {v: f"{STUDY}.{v}.{output}" for v in variants}

    def study_node(func, inputs, outputs: str, name: str) -> Node:
        return node(
            func, inputs, f"{STUDY}.{outputs}", name=name, namespace=STUDY, tags=[EVALUATION_TAG]
        )

    table = f"{STUDY}.report_table"
    return Pipeline(
        [
            study_node(
                compile_report_table, each("summary"), "report_table", "compile_report_table"
            ),
            study_node(
                choose_model, [table, "params:evaluation.choice"], "model_choice", "choose_model"
            ),
            study_node(
                write_report,
                [table, f"{STUDY}.model_choice", "params:evaluation"],
                "report",
                "write_report",
            ),
            study_node(
                plot_learning_curves,
                each("training_history"),
                "learning_curves_plots",
                "plot_learning_curves",
            ),
            study_node(
                plot_validation_vs_original,
                {"baseline": "params:evaluation.baseline", **each("training_history")},
                "validation_loss_vs_original_plots",
                "plot_validation_vs_original",
            ),
            study_node(plot_test_metrics, table, "test_metrics_plot", "plot_test_metrics"),
        ]
    )


def create_pipeline(**kwargs) -> Pipeline:
    """Evaluate every variant of the run's configuration, then report on them all."""
    variants = run_parameters.variants()
    if not variants:
        return Pipeline([])
    return sum((variant_evaluation(v) for v in variants), Pipeline([])) + study_evaluation(variants)
