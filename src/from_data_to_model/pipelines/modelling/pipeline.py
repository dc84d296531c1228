"""The per-model template, and the study's models: one template per variant and seed.

Every trained model of the project, the study's, the housing model and each point of a
sweep, goes through ``model_template``: resolved spec → model, history, metadata → a
validation summary; test metrics are a separate node, which only the study's reporting
and the housing report read. Each model has its own training node, also where models are
trained together as one program (``together.py``).
"""

from __future__ import annotations

from collections.abc import Callable

from kedro.pipeline import Pipeline, node, pipeline

from from_data_to_model.study import (
    EVALUATION_TAG,
    REGULARIZATION,
    TRAINING_TAG,
    Run,
    StudyShape,
)
from from_data_to_model.together import TRAINING_INPUT

from .nodes import TRAINING_OUTPUTS, Training, evaluate_model
from .summary import summarise_validation

TRAINING_DATA = ("X_train", "y_train", "X_val", "y_val")  # what a model trains on, by name
# The study's data, shared by every variant (template name → catalog name).
FASHION_MNIST_TRAINING_DATA = {
    "X_train": "fashion_mnist_X_train",
    "y_train": "fashion_mnist_y_train",
    "X_val": "fashion_mnist_X_val",
    "y_val": "fashion_mnist_y_val",
}
# Its test sets: the study's own split, and Fashion-MNIST's official test images.
FASHION_MNIST_TEST_DATA = {
    "X_test": "fashion_mnist_X_test",
    "y_test": "fashion_mnist_y_test",
    "X_official_test": "fashion_mnist_X_official_test",
    "y_official_test": "fashion_mnist_y_official_test",
}


def model_template(
    run: Run,
    data: dict[str, str],
    parameters: dict[str, str],
    tests: tuple[str, ...] = (),
) -> Pipeline:
    """One run's nodes, in its namespace (``run.namespace``).

    Args:
        run: whose model: its seed and sweep point are merged over the variant's spec.
        data: catalog names for ``X_train``, ``y_train``, ``X_val``, ``y_val``, and
            ``X_<test>``, ``y_<test>`` for each of ``tests``.
        parameters: parameter names for ``params:defaults`` (a full spec),
            ``params:changes`` (the variant's changes) and ``params:diagnosis``; the
            training plan is ``params:training``.
        tests: the test sets the model is scored on, each into ``<test>_metrics`` (a
            sweep point is scored on none).
    """
    nodes = [
        node(
            Training(run).train_model,
            inputs=[*TRAINING_DATA, "params:defaults", "params:changes", TRAINING_INPUT],
            outputs=list(TRAINING_OUTPUTS),
            name="train_model",
            tags=[TRAINING_TAG],
        ),
        node(
            summarise_validation,
            inputs=["training_history", "training_metadata", "spec", "params:diagnosis"],
            outputs=["validation_summary", "learning_curve"],
            name="summarise_validation",
            tags=[EVALUATION_TAG],
        ),
    ]
    nodes += [
        node(
            evaluate_model,
            inputs=["model@keras", "training_metadata", f"X_{test}", f"y_{test}"],
            outputs=f"{test}_metrics",
            name="evaluate_model" if test == "test" else f"evaluate_model_on_{test}",
            tags=[EVALUATION_TAG],
        )
        for test in tests
    ]
    used = {name for n in nodes for name in n.inputs}
    return pipeline(
        nodes, namespace=run.namespace, inputs={k: v for k, v in data.items() if k in used},
        parameters={TRAINING_INPUT: TRAINING_INPUT} | {
            k: v for k, v in parameters.items() if k in used
        },
    )  # fmt: skip


def models_pipeline(
    runs: list[Run],
    data: dict[str, str],
    parameters_of: Callable[[str], dict[str, str]],
    tests: tuple[str, ...] = (),
) -> Pipeline:
    """Every run through the template, with its variant's parameters
    (``parameters_of(variant)``)."""
    return sum(
        (model_template(r, data, parameters_of(r.variant), tests) for r in runs), Pipeline([])
    )


def variant_parameters(variant: str) -> dict[str, str]:
    """The template's parameters for a variant of the Fashion-MNIST study."""
    return {
        "params:defaults": f"params:{REGULARIZATION}.defaults",
        "params:changes": f"params:{REGULARIZATION}.variants.{variant}",
        "params:diagnosis": "params:evaluation.diagnosis",
    }


def create_pipeline(study: StudyShape) -> Pipeline:
    """Every model of the study: each variant with each seed, trained, summarised on
    validation and scored on the study's test split and on the official test set, in
    ``regularization.<variant>.seed_<seed>``."""
    data = FASHION_MNIST_TRAINING_DATA | FASHION_MNIST_TEST_DATA
    tests = ("test", "official_test")
    return models_pipeline(study.runs(), data, variant_parameters, tests)
