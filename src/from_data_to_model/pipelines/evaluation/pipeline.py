"""The ``evaluation`` pipeline: per-variant metrics, then the report, the choice and the plots."""

from __future__ import annotations

from kedro.pipeline import Node, Pipeline, node, pipeline

from from_data_to_model import run_parameters
from from_data_to_model.pipelines.training.pipeline import STUDY, replicate_namespace

from .choice import choose_model
from .metrics import evaluate_model
from .plots import plot_learning_curves, plot_test_metrics, plot_validation_vs_original
from .report import compile_runs_table, summarise_run, write_report
from .uncertainty import aggregate_variants

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


def replicate_evaluation(variant: str, seed: int) -> Pipeline:
    """Test metrics and the table row of one trained model, in its replicate's namespace."""
    summary = node(
        summarise_run,
        inputs=["training_history", "training_metadata", "test_metrics", "params:diagnosis"],
        outputs="summary",
        name="summarise_run",
        tags=[EVALUATION_TAG],
    )
    return pipeline(
        [evaluation_node(), summary],
        namespace=replicate_namespace(variant, seed),
        inputs=FASHION_MNIST_TEST_DATA,
        parameters={"params:diagnosis": "params:evaluation.diagnosis"},
    )


def study_evaluation(variants: list[str], seeds: list[int]) -> Pipeline:
    """The runs and report tables, the choice, the report and the figures, in ``regularization``."""

    replicates = [replicate_namespace(v, s) for v in variants for s in seeds]

    def each(output: str) -> dict[str, str]:  # keyed by run: <variant>.seed_<seed>
        return {ns.removeprefix(f"{STUDY}."): f"{ns}.{output}" for ns in replicates}

    def study_node(func, inputs, outputs: str, name: str) -> Node:
        return node(
            func, inputs, f"{STUDY}.{outputs}", name=name, namespace=STUDY, tags=[EVALUATION_TAG]
        )

    runs, table = f"{STUDY}.runs_table", f"{STUDY}.report_table"
    return Pipeline(
        [
            study_node(compile_runs_table, each("summary"), "runs_table", "compile_runs_table"),
            study_node(
                aggregate_variants,
                [runs, "params:evaluation"],
                "report_table",
                "aggregate_variants",
            ),
            study_node(
                choose_model, [table, "params:evaluation.choice"], "model_choice", "choose_model"
            ),
            study_node(
                write_report,
                [table, runs, f"{STUDY}.model_choice", "params:evaluation"],
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
    """Evaluate every model of the run's configuration, then report on them all."""
    variants, seeds = run_parameters.variants(), run_parameters.seeds()
    if not variants:
        return Pipeline([])
    per_model = sum((replicate_evaluation(v, s) for v in variants for s in seeds), Pipeline([]))
    return per_model + study_evaluation(variants, seeds)
