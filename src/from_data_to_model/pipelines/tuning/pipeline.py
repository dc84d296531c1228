"""The ``tuning`` pipeline: a validation curve per regularizer, and the value it settles on.

Every (family, value, seed) goes through the per-model template, without the test split,
in ``tuning.<family>.<value>.seed_<seed>``; each family's curve, settled value and figure
live in ``tuning.<family>`` (so ``--namespaces=tuning.l1`` runs one family), and the
report in ``tuning``.
"""

from __future__ import annotations

from kedro.pipeline import Pipeline, node, pipeline

from from_data_to_model.frames import stack_tables
from from_data_to_model.pipelines.modelling import (
    FASHION_MNIST_TRAINING_DATA,
    models_pipeline,
    variant_parameters,
)
from from_data_to_model.study import (
    AGGREGATE_TAG,
    EVALUATION_TAG,
    REPORTING_TAG,
    TUNING,
    StudyShape,
)

from .nodes import (
    compile_curves_table,
    compile_tuning_report,
    plot_validation_curve,
    report_section,
    settle_value,
    validation_curve,
)

TAGS = [EVALUATION_TAG, AGGREGATE_TAG, REPORTING_TAG]


def family_pipeline(study: StudyShape, name: str) -> Pipeline:
    """Every point of one family, then its curve, settled value, figure and report section."""
    family, points = study.families[name], study.sweep(name)
    trained = models_pipeline(points, FASHION_MNIST_TRAINING_DATA, variant_parameters)
    summaries = [f"{p.namespace}.validation_summary" for p in points]
    curves = [f"{p.namespace}.learning_curve" for p in points]
    grid, variant = (
        f"params:{TUNING}.families.{name}",
        f"params:regularization.variants.{family.variant}",
    )
    nodes = [
        node(validation_curve, [grid, "params:evaluation", *summaries],
             ["curve_table", "points_table"], name="validation_curve"),
        node(stack_tables, curves, "learning_curves_table", name="stack_learning_curves"),
        node(settle_value, ["curve_table", "points_table", grid, "params:evaluation"],
             "settled_value", name="settle_value"),
        node(plot_validation_curve, ["curve_table", "settled_value", grid],
             "validation_curve_plot", name="plot_validation_curve"),
        node(report_section, ["curve_table", "settled_value", grid, variant], "report_section",
             name="report_section"),
    ]  # fmt: skip
    return trained + pipeline(
        nodes,
        namespace=f"{TUNING}.{name}",
        inputs={*summaries, *curves},
        parameters={grid, variant, "params:evaluation"},
        tags=TAGS,
    )


def create_pipeline(study: StudyShape) -> Pipeline:
    """Every configured family's sweep, then the report on how each value was settled."""
    if not study.families:
        return Pipeline([])
    sweeps = sum((family_pipeline(study, name) for name in study.families), Pipeline([]))

    def each(output: str) -> dict[str, str]:
        return {name: f"{TUNING}.{name}.{output}" for name in study.families}

    report = pipeline(
        [
            node(
                compile_tuning_report,
                each("report_section"),
                "report",
                name="compile_tuning_report",
            ),
            node(
                compile_curves_table,
                each("curve_table"),
                "curves_table",
                name="compile_curves_table",
            ),
        ],  # fmt: skip
        namespace=TUNING,
        inputs={*each("report_section").values(), *each("curve_table").values()},
        tags=TAGS,
    )
    return sweeps + report
