"""The evaluation pipeline: per-variant metrics, then the report, the choice and the plots."""

from __future__ import annotations

from collections.abc import Sequence

from kedro.pipeline import Node, Pipeline, node, pipeline

from from_data_to_model.variants import configured_variants

from .choice import choose_model
from .metrics import evaluate_model
from .plots import plot_learning_curves, plot_test_metrics, plot_validation_vs_original
from .report import compile_report_table, summarise_variant, write_report

FASHION_MNIST_TEST = {"X_test": "fashion_mnist_X_test", "y_test": "fashion_mnist_y_test"}


def evaluation_node() -> Node:
    """``model`` on ``X_test``/``y_test`` → ``test_metrics`` (names to be namespaced)."""
    return node(
        evaluate_model,
        inputs=["model", "X_test", "y_test"],
        outputs="test_metrics",
        name="evaluate_model",
    )


def create_variant_evaluation(namespace: str) -> Pipeline:
    """Test metrics and the report row of one variant, under its namespace."""
    template = pipeline(
        [
            evaluation_node(),
            node(
                summarise_variant,
                inputs=[
                    "training_history",
                    "training_metadata",
                    "test_metrics",
                    "params:diagnosis",
                ],
                outputs="summary",
                name="summarise_variant",
            ),
        ],
        tags=["evaluation"],
    )
    return pipeline(
        template,
        namespace=namespace,
        inputs=FASHION_MNIST_TEST,
        parameters={"params:diagnosis": "params:evaluation.diagnosis"},
    )


def create_pipeline(
    variants: Sequence[str] | None = None, include_housing: bool = False, **kwargs
) -> Pipeline:
    """Evaluate every variant, then write the report, the choice and the figures.

    Args:
        variants: the Fashion-MNIST variants (default: the configured ones).
        include_housing: add the housing model's results to the Markdown report.
    """
    if variants is None:
        variants = configured_variants()
    if not variants:
        return Pipeline([])
    per_variant = sum((create_variant_evaluation(v) for v in variants), Pipeline([]))
    histories = {v: f"{v}.training_history" for v in variants}
    report_inputs = {
        "table": "report_table",
        "choice": "model_choice",
        "run_metadata": f"{variants[0]}.training_metadata",  # seed, backend, versions
        "evaluation": "params:evaluation",
    }
    if include_housing:
        report_inputs |= {
            "housing_metrics": "housing.test_metrics",
            "housing_summary": "housing.summary",
        }
    study = pipeline(
        [
            node(
                compile_report_table,
                inputs={v: f"{v}.summary" for v in variants},
                outputs="report_table",
                name="compile_report_table",
            ),
            node(
                choose_model,
                inputs=["report_table", "params:evaluation.choice"],
                outputs="model_choice",
                name="choose_model",
            ),
            node(
                write_report,
                inputs=report_inputs,
                outputs="report",
                # distinct names: kedro viz identifies nodes by name across pipelines
                name="write_report_with_housing" if include_housing else "write_report",
            ),
            node(
                plot_learning_curves,
                inputs=histories,
                outputs="learning_curves_plot",
                name="plot_learning_curves",
            ),
            node(
                plot_validation_vs_original,
                inputs={"baseline": "params:evaluation.baseline", **histories},
                outputs="validation_loss_vs_original_plot",
                name="plot_validation_vs_original",
            ),
            node(
                plot_test_metrics,
                inputs="report_table",
                outputs="test_metrics_plot",
                name="plot_test_metrics",
            ),
        ],
        tags=["evaluation"],
    )
    return per_variant + study
