"""The ``tuning`` pipeline: a validation curve per regularizer, and the value it settles on.

Every (family, value, seed) goes through the per-model template, without the test split,
in ``tuning.<family>.<value>.seed_<seed>``; each family's curve, settled value and figure
live in ``tuning.<family>`` (so ``--namespaces=tuning.l1`` runs one family), and the
report in ``tuning``.
"""

from __future__ import annotations

from kedro.pipeline import Node, Pipeline, node

from from_data_to_model.frames import stack_tables
from from_data_to_model.pipelines.modelling import (
    FASHION_MNIST_TRAINING_DATA,
    model_template,
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
    here, family = f"{TUNING}.{name}", study.families[name]
    points = study.sweep(name)
    trained = sum(
        (
            model_template(p, FASHION_MNIST_TRAINING_DATA, variant_parameters(p.variant))
            for p in points
        ),
        Pipeline([]),
    )
    grid = f"params:{TUNING}.families.{name}"

    def family_node(func, inputs, output: str, name: str | None = None) -> Node:
        name = name or func.__name__
        return node(func, inputs, f"{here}.{output}", name=name, namespace=here, tags=TAGS)

    return trained + Pipeline(
        [
            node(
                validation_curve,
                [grid, "params:evaluation", *(f"{p.namespace}.validation_summary" for p in points)],
                [f"{here}.curve_table", f"{here}.points_table"],
                name="validation_curve",
                namespace=here,
                tags=TAGS,
            ),  # fmt: skip
            family_node(
                stack_tables,
                [f"{p.namespace}.learning_curve" for p in points],
                "learning_curves_table",
                name="stack_learning_curves",
            ),
            family_node(
                settle_value,
                [f"{here}.curve_table", f"{here}.points_table", grid, "params:evaluation"],
                "settled_value",
            ),
            family_node(
                plot_validation_curve,
                [f"{here}.curve_table", f"{here}.settled_value", grid],
                "validation_curve_plot",
            ),
            family_node(
                report_section,
                [
                    f"{here}.curve_table",
                    f"{here}.settled_value",
                    grid,
                    f"params:regularization.variants.{family.variant}",
                ],
                "report_section",
            ),  # fmt: skip
        ]
    )


def create_pipeline(study: StudyShape) -> Pipeline:
    """Every configured family's sweep, then the report on how each value was settled."""
    if not study.families:
        return Pipeline([])
    sweeps = sum((family_pipeline(study, name) for name in study.families), Pipeline([]))

    def each(output: str) -> dict[str, str]:
        return {name: f"{TUNING}.{name}.{output}" for name in study.families}

    report = Pipeline(
        [
            node(compile_tuning_report, each("report_section"), f"{TUNING}.report",
                 name="compile_tuning_report", namespace=TUNING, tags=TAGS),
            node(compile_curves_table, each("curve_table"), f"{TUNING}.curves_table",
                 name="compile_curves_table", namespace=TUNING, tags=TAGS),
        ]
    )  # fmt: skip
    return sweeps + report
