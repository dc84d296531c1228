"""The ``evaluation`` pipeline: the study's models compared on validation, the choice, the
promoted model; then the test figures, the official test set, the report and the figures,
all in ``regularization``.

The choice is wired to the validation summaries alone: no test metric, and nothing made
from one, is upstream of ``regularization.model_choice`` (nor of the promoted model).
"""

from __future__ import annotations

from kedro.pipeline import Pipeline, node, pipeline

from from_data_to_model.frames import stack_tables, tabulate_records
from from_data_to_model.promotion import model_dataset, promote_chosen, record_dataset
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
from .promotion import STUDY_SERVED, select_promoted_run
from .report import write_report
from .tables import aggregate_validation, compile_report_table, compile_runs_table

# Project-wide names this pipeline reads or writes as they are (not in its namespace).
CLASS_NAMES = "params:ingestion.fashion_mnist.class_names"
PROMOTED_MODEL, PROMOTION = model_dataset(STUDY_SERVED), record_dataset(STUDY_SERVED)
SHARED_INPUTS = {
    "fashion_mnist_scaler",
    "fashion_mnist_official_images",
    "fashion_mnist_y_official_test",
}


def create_pipeline(study: StudyShape) -> Pipeline:
    """Compare the study's models on validation, choose and promote; then report with test
    figures and the final check on the official test set."""
    if not study.variants:
        return Pipeline([])
    runs = [run.namespace for run in study.runs()]

    def each(output: str) -> list[str]:
        """One output of every run, in the study's order."""
        return [f"{namespace}.{output}" for namespace in runs]

    reporting, promotion = [REPORTING_TAG], [PROMOTION_TAG]
    nodes = [
        # validation summaries → validation table → the choice → the promoted model
        node(tabulate_records, each("validation_summary"), "validation_runs",
             name="tabulate_validation_runs"),
        node(aggregate_validation, ["validation_runs", "params:evaluation"], "validation_table",
             name="aggregate_validation", tags=reporting),
        node(choose_model, ["validation_table", "validation_runs", "params:evaluation"],
             "model_choice", name="choose_model", tags=reporting),
        node(select_promoted_run,
             ["model_choice", "validation_runs", CLASS_NAMES, "params:predict.images"],
             PROMOTION, name="select_promoted_run", tags=promotion),
        node(promote_chosen,
             {"promotion": PROMOTION, "scaler": "fashion_mnist_scaler",
              **dict(zip(runs, each("model@loader"), strict=True))},
             PROMOTED_MODEL, name="promote_model", tags=promotion),
        # after the choice: the test figures, on the study's split and the official set
        node(tabulate_records, each("test_metrics"), "test_runs", name="tabulate_test_runs"),
        node(tabulate_records, each("official_test_metrics"), "official_test_runs",
             name="tabulate_official_test_runs"),
        node(compile_runs_table, ["validation_runs", "test_runs"], "runs_table",
             name="compile_runs_table", tags=reporting),
        node(compile_report_table, ["validation_table", "runs_table", "params:evaluation"],
             "report_table", name="compile_report_table", tags=reporting),
        node(compare_test_sets, ["runs_table", "official_test_runs", "params:evaluation"],
             "official_test_table", name="compare_test_sets", tags=reporting),
        node(check_promoted_model,
             [PROMOTED_MODEL, "fashion_mnist_official_images", "fashion_mnist_y_official_test",
              CLASS_NAMES],
             ["official_check", "per_class_table", "confusion_table",
              "official_predictions_table"], name="check_promoted_model", tags=reporting),
        node(write_report,
             {"report": "report_table", "runs": "runs_table", "choice": "model_choice",
              "promotion": PROMOTION, "official": "official_test_table",
              "check": "official_check", "per_class": "per_class_table",
              "confusion": "confusion_table", "evaluation": "params:evaluation"},
             "report", name="write_report", tags=reporting),
        # the figures
        node(stack_tables, each("learning_curve"), "learning_curves_table",
             name="stack_learning_curves", tags=reporting),
        node(plot_learning_curves, "learning_curves_table", "learning_curves_plots",
             name="plot_learning_curves", tags=reporting),
        node(plot_validation_vs_original, ["learning_curves_table", "params:evaluation.baseline"],
             "validation_loss_vs_original_plots", name="plot_validation_vs_original",
             tags=reporting),
        node(plot_test_metrics, "report_table", "test_metrics_plot", name="plot_test_metrics",
             tags=reporting),
        node(plot_confusion_matrix, "confusion_table", "confusion_matrix_plot",
             name="plot_confusion_matrix", tags=reporting),
        node(plot_confident_mistakes,
             ["fashion_mnist_official_images", "official_predictions_table", CLASS_NAMES],
             "confident_mistakes_plot", name="plot_confident_mistakes", tags=reporting),
    ]  # fmt: skip
    per_run = {
        name
        for output in (
            "validation_summary",
            "model@loader",
            "test_metrics",
            "official_test_metrics",
            "learning_curve",
        )  # fmt: skip
        for name in each(output)
    }
    return pipeline(
        nodes,
        namespace=REGULARIZATION,
        inputs=per_run | SHARED_INPUTS,
        outputs={PROMOTION, PROMOTED_MODEL},
        parameters={
            "params:evaluation",
            "params:evaluation.baseline",
            CLASS_NAMES,
            "params:predict.images",
        },
        tags=[EVALUATION_TAG, AGGREGATE_TAG],
    )
