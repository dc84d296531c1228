"""The ``evaluation`` pipeline: the study's models compared on validation, the choice, then
the test figures, the report and the figures, all in ``regularization``.

The choice is wired to the validation summaries alone: no test metric, and nothing made
from one, is upstream of ``regularization.model_choice``.
"""

from __future__ import annotations

from kedro.pipeline import Pipeline, node

from from_data_to_model.frames import stack_tables, tabulate_records
from from_data_to_model.study import EVALUATION_TAG, REGULARIZATION, REPORTING_TAG, StudyShape

from .choice import choose_model
from .plots import plot_learning_curves, plot_test_metrics, plot_validation_vs_original
from .report import write_report
from .tables import (
    aggregate_validation,
    compile_report_table,
    compile_runs_table,
)


def _study(name: str) -> str:
    return f"{REGULARIZATION}.{name}"


def _node(func, inputs, outputs: str, *, name: str | None = None, reporting: bool = True):
    """A node of the study's namespace; ``reporting`` ones write what a person reads."""
    tags = [EVALUATION_TAG, REPORTING_TAG] if reporting else [EVALUATION_TAG]
    name = name or func.__name__
    return node(func, inputs, _study(outputs), name=name, namespace=REGULARIZATION, tags=tags)


def create_pipeline(study: StudyShape) -> Pipeline:
    """Compare the study's models on validation and choose; then report with test figures."""
    if not study.variants:
        return Pipeline([])
    runs = [run.namespace for run in study.runs()]

    def each(output: str) -> list[str]:
        return [f"{namespace}.{output}" for namespace in runs]

    validation = Pipeline(
        [
            _node(
                tabulate_records,
                each("validation_summary"),
                "validation_runs",
                name="tabulate_validation_runs",
                reporting=False,
            ),  # fmt: skip
            _node(
                aggregate_validation,
                [_study("validation_runs"), "params:evaluation"],
                "validation_table",
            ),
            _node(
                choose_model,
                [_study("validation_table"), "params:evaluation.choice"],
                "model_choice",
            ),  # fmt: skip
            _node(
                stack_tables,
                each("learning_curve"),
                "learning_curves_table",
                name="stack_learning_curves",
            ),  # fmt: skip
        ]
    )
    test = Pipeline(
        [
            _node(
                tabulate_records,
                each("test_metrics"),
                "test_runs",
                name="tabulate_test_runs",
                reporting=False,
            ),  # fmt: skip
            _node(
                compile_runs_table,
                [_study("validation_runs"), _study("test_runs")],
                "runs_table",
            ),
            _node(
                compile_report_table,
                [_study("validation_table"), _study("runs_table"), "params:evaluation"],
                "report_table",
            ),
            _node(
                write_report,
                [_study(n) for n in ("report_table", "runs_table", "model_choice")]
                + ["params:evaluation"],
                "report",
            ),
        ]
    )
    figures = Pipeline(
        [
            _node(plot_learning_curves, _study("learning_curves_table"), "learning_curves_plots"),
            _node(
                plot_validation_vs_original,
                [_study("learning_curves_table"), "params:evaluation.baseline"],
                "validation_loss_vs_original_plots",
            ),
            _node(plot_test_metrics, _study("report_table"), "test_metrics_plot"),
        ]
    )
    return validation + test + figures
