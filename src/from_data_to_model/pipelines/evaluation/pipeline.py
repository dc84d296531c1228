"""The ``evaluation`` pipeline: the study's models compared on validation, the choice, the
promoted model; then the test figures, the official test set, the report and the figures,
all in ``regularization``.

The choice is wired to the validation summaries alone: no test metric, and nothing made
from one, is upstream of ``regularization.model_choice`` (nor of the promoted model).
"""

from __future__ import annotations

from kedro.pipeline import Pipeline, node

from from_data_to_model.frames import stack_tables, tabulate_records
from from_data_to_model.study import (
    AGGREGATE_TAG,
    EVALUATION_TAG,
    PROMOTION_TAG,
    REGULARIZATION,
    REPORTING_TAG,
    StudyShape,
)

from .choice import choose_model
from .official_test import check_promoted_model, compare_test_sets
from .plots import (
    plot_confident_mistakes,
    plot_confusion_matrix,
    plot_learning_curves,
    plot_test_metrics,
    plot_validation_vs_original,
)
from .promotion import promote_model, select_promoted_run
from .report import write_report
from .tables import aggregate_validation, compile_report_table, compile_runs_table

CLASS_NAMES = "params:ingestion.fashion_mnist.class_names"
# The model in use, and what it is: project-wide names, read by `predict` and notebooks.
PROMOTED_MODEL, PROMOTION = "fashion_mnist_promoted_model", "fashion_mnist_promotion"


def _study(name: str) -> str:
    return f"{REGULARIZATION}.{name}"


def _node(func, inputs, outputs, *, name: str | None = None, tags=(REPORTING_TAG,)):
    """A node of the study's namespace, made from every run; ``reporting`` ones write what
    a person reads."""
    outputs = [_study(o) for o in outputs] if isinstance(outputs, list) else _study(outputs)
    return node(
        func, inputs, outputs, name=name or func.__name__, namespace=REGULARIZATION,
        tags=[EVALUATION_TAG, AGGREGATE_TAG, *tags],
    )  # fmt: skip


def _each(runs: list[str], output: str) -> list[str]:
    """One output of every run, in the study's order."""
    return [f"{namespace}.{output}" for namespace in runs]


def _choice(runs: list[str]) -> Pipeline:
    """Validation summaries → validation table → the choice → the promoted model."""
    return Pipeline(
        [
            _node(tabulate_records, _each(runs, "validation_summary"), "validation_runs",
                  name="tabulate_validation_runs", tags=()),
            _node(aggregate_validation, [_study("validation_runs"), "params:evaluation"],
                  "validation_table"),
            _node(choose_model,
                  [_study("validation_table"), _study("validation_runs"), "params:evaluation"],
                  "model_choice"),
            node(select_promoted_run,
                 [_study("model_choice"), _study("validation_runs"), CLASS_NAMES],
                 PROMOTION, name="select_promoted_run", namespace=REGULARIZATION,
                 tags=[EVALUATION_TAG, AGGREGATE_TAG, PROMOTION_TAG]),
            node(promote_model,
                 {"promotion": PROMOTION, "scaler": "fashion_mnist_scaler",
                  **dict(zip(runs, _each(runs, "model"), strict=True))},
                 PROMOTED_MODEL, name="promote_model", namespace=REGULARIZATION,
                 tags=[EVALUATION_TAG, AGGREGATE_TAG, PROMOTION_TAG]),
        ]
    )  # fmt: skip


def _test(runs: list[str]) -> Pipeline:
    """After the choice: the test figures, on the study's split and the official set."""
    return Pipeline(
        [
            _node(tabulate_records, _each(runs, "test_metrics"), "test_runs",
                  name="tabulate_test_runs", tags=()),
            _node(tabulate_records, _each(runs, "official_test_metrics"), "official_test_runs",
                  name="tabulate_official_test_runs", tags=()),
            _node(compile_runs_table, [_study("validation_runs"), _study("test_runs")],
                  "runs_table"),
            _node(compile_report_table,
                  [_study("validation_table"), _study("runs_table"), "params:evaluation"],
                  "report_table"),
            _node(compare_test_sets,
                  [_study("runs_table"), _study("official_test_runs"), "params:evaluation"],
                  "official_test_table"),
            _node(check_promoted_model,
                  [PROMOTED_MODEL, "fashion_mnist_official_images",
                   "fashion_mnist_y_official_test", CLASS_NAMES],
                  ["official_check", "per_class_table", "confusion_table",
                   "official_predictions_table"]),
            _node(write_report,
                  {"report": _study("report_table"), "runs": _study("runs_table"),
                   "choice": _study("model_choice"), "promotion": PROMOTION,
                   "official": _study("official_test_table"),
                   "check": _study("official_check"), "per_class": _study("per_class_table"),
                   "confusion": _study("confusion_table"), "evaluation": "params:evaluation"},
                  "report"),
        ]
    )  # fmt: skip


def _figures(runs: list[str]) -> Pipeline:
    return Pipeline(
        [
            _node(stack_tables, _each(runs, "learning_curve"), "learning_curves_table",
                  name="stack_learning_curves"),
            _node(plot_learning_curves, _study("learning_curves_table"), "learning_curves_plots"),
            _node(plot_validation_vs_original,
                  [_study("learning_curves_table"), "params:evaluation.baseline"],
                  "validation_loss_vs_original_plots"),
            _node(plot_test_metrics, _study("report_table"), "test_metrics_plot"),
            _node(plot_confusion_matrix, _study("confusion_table"), "confusion_matrix_plot"),
            _node(plot_confident_mistakes,
                  ["fashion_mnist_official_images", _study("official_predictions_table"),
                   CLASS_NAMES],
                  "confident_mistakes_plot"),
        ]
    )  # fmt: skip


def create_pipeline(study: StudyShape) -> Pipeline:
    """Compare the study's models on validation, choose and promote; then report with test
    figures and the final check on the official test set."""
    if not study.variants:
        return Pipeline([])
    runs = [run.namespace for run in study.runs()]
    return _choice(runs) + _test(runs) + _figures(runs)
