"""The ``tuning`` pipeline: a validation curve per regularizer, and the value it settles on.

Every (family, value, seed) is a training node from the study's template, namespaced
``tuning.<family>.<value>.seed_<seed>``; each family's curve, settled value and figure
live in ``tuning.<family>`` (so ``--namespaces=tuning.l1`` runs one family), and the
report in ``tuning``.
"""

from __future__ import annotations

from kedro.pipeline import Node, Pipeline, node, pipeline

from from_data_to_model import run_parameters
from from_data_to_model.pipelines.evaluation.pipeline import EVALUATION_TAG
from from_data_to_model.pipelines.training.nodes import SEED_SEPARATOR, Replicate
from from_data_to_model.pipelines.training.pipeline import (
    FASHION_MNIST_TRAINING_DATA,
    training_template,
    variant_parameters,
)

from .grid import Family, families, value_name
from .nodes import (
    compile_curves_table,
    compile_tuning_report,
    plot_validation_curve,
    report_section,
    settle_value,
    summarise_point,
    validation_curve,
)

TUNING = "tuning"


def point(family: Family, value, seed: int, namespace: str) -> Pipeline:
    """Training one value of a family with one seed, and its summary."""
    summary = node(
        summarise_point,
        inputs=["training_history", "training_metadata"],
        outputs="summary",
        name="summarise_point",
        tags=[EVALUATION_TAG],
    )
    return pipeline(
        training_template(Replicate(seed, family.path, value)) + pipeline([summary]),
        namespace=namespace,
        inputs=FASHION_MNIST_TRAINING_DATA,
        parameters=variant_parameters(family.variant),
    )


def family_pipeline(name: str, family: Family, seeds: list[int]) -> Pipeline:
    """Every point of one family, then its curve, settled value, figure and report section."""
    here = f"{TUNING}.{name}"
    points = [
        (v, s, f"{here}.{value_name(v)}{SEED_SEPARATOR}{s}") for v in family.values for s in seeds
    ]
    trained = sum((point(family, v, s, ns) for v, s, ns in points), Pipeline([]))
    grid = f"params:{TUNING}.families.{name}"

    def family_node(func, inputs, output: str) -> Node:
        return node(
            func, inputs, f"{here}.{output}", name=func.__name__, namespace=here,
            tags=[EVALUATION_TAG],
        )  # fmt: skip

    return trained + Pipeline(
        [
            family_node(
                validation_curve,
                {
                    "family": grid,
                    "evaluation": "params:evaluation",
                    **{ns.removeprefix(f"{here}."): f"{ns}.summary" for _, _, ns in points},
                },
                "curve_table",
            ),  # fmt: skip
            family_node(
                settle_value,
                [f"{here}.curve_table", grid, "params:evaluation.choice.tie_tolerance"],
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


def create_pipeline(**kwargs) -> Pipeline:
    """Every configured family's sweep, then the report on how each value was settled."""
    grids = families(run_parameters.section(TUNING), run_parameters.variants())
    if not grids:
        return Pipeline([])
    seeds = run_parameters.seeds(TUNING)
    sweeps = sum((family_pipeline(n, f, seeds) for n, f in grids.items()), Pipeline([]))

    def each(output: str) -> dict[str, str]:
        return {name: f"{TUNING}.{name}.{output}" for name in grids}

    report = Pipeline(
        [
            node(compile_tuning_report, each("report_section"), f"{TUNING}.report",
                 name="compile_tuning_report", namespace=TUNING, tags=[EVALUATION_TAG]),
            node(compile_curves_table, each("curve_table"), f"{TUNING}.curves_table",
                 name="compile_curves_table", namespace=TUNING, tags=[EVALUATION_TAG]),
        ]
    )  # fmt: skip
    return sweeps + report
