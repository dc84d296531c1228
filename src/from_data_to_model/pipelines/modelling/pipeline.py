"""The per-model template, and the study's models: one template per variant and seed.

Every trained model of the project, the study's, the housing model and each point of a
sweep, goes through ``model_template``: resolved spec → model, history, metadata → a
validation summary; test metrics are a separate node, which only the study's reporting
and the housing report read. Models that ``StudyShape.batches`` trains together share one
training node (``batch_training``, in their variant's or family's namespace) that writes
each one's outputs in its own namespace, as its template's node would.
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

from .nodes import TRAINING_OUTPUTS, BatchTraining, Training, evaluate_model
from .summary import summarise_validation

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
    trained_apart: bool = False,
) -> Pipeline:
    """One run's nodes, in its namespace (``run.namespace``).

    Args:
        run: whose model: its seed and sweep point are merged over the variant's spec.
        data: catalog names for ``X_train``, ``y_train``, ``X_val``, ``y_val``, and
            ``X_<test>``, ``y_<test>`` for each of ``tests``.
        parameters: parameter names for ``params:defaults`` (a full spec),
            ``params:changes`` (the variant's changes) and ``params:diagnosis``.
        tests: the test sets the model is scored on, each into ``<test>_metrics`` (a
            sweep point is scored on none).
        trained_apart: its training node is another's (``batch_training``): the template
            reads what that node writes.
    """
    training = node(
        Training(run).train_model,
        inputs=["X_train", "y_train", "X_val", "y_val", "params:defaults", "params:changes"],
        outputs=list(TRAINING_OUTPUTS),
        name="train_model",
        tags=[TRAINING_TAG],
    )
    nodes = [] if trained_apart else [training]
    nodes += [
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
        parameters={k: v for k, v in parameters.items() if k in used},
    )  # fmt: skip


def batch_training(
    runs: list[Run], data: dict[str, str], parameters: dict[str, str], name: str
) -> Pipeline:
    """One node that trains ``runs`` (one variant's or sweep family's) as one program, in
    their scope's namespace, writing each run's ``TRAINING_OUTPUTS`` in its own."""
    outputs = {
        f"model_{k}_{output}": f"{run.namespace}.{output}"
        for k, run in enumerate(runs)
        for output in TRAINING_OUTPUTS
    }
    trains = node(
        BatchTraining(tuple(runs)).train_models,
        inputs=["X_train", "y_train", "X_val", "y_val", "params:defaults", "params:changes"],
        outputs=list(outputs),
        name=name,
        tags=[TRAINING_TAG],
    )
    return pipeline(
        [trains], namespace=runs[0].scope, inputs={k: data[k] for k in trains.inputs if k in data},
        outputs=outputs,
        parameters={k: parameters[k] for k in ("params:defaults", "params:changes")},
    )  # fmt: skip


def models_pipeline(
    study: StudyShape,
    runs: list[Run],
    data: dict[str, str],
    parameters_of: Callable[[str], dict[str, str]],
    tests: tuple[str, ...] = (),
) -> Pipeline:
    """Every run through the template (``parameters_of(variant)``); the runs the study
    trains together (``StudyShape.batches``) by one ``batch_training`` node per batch,
    named ``train_models`` (``_2``, ``_3``, ... where a scope has several)."""
    own = {run.namespace for run in runs}
    batches = [[r for r in runs if r.namespace in b] for b in study.batches if own & set(b)]
    together = {run.namespace for batch in batches for run in batch}
    models = [
        model_template(r, data, parameters_of(r.variant), tests, r.namespace in together)
        for r in runs
    ]
    per_scope: dict[str, int] = {}
    for batch in batches:
        count = per_scope[batch[0].scope] = per_scope.get(batch[0].scope, 0) + 1
        name = "train_models" if count == 1 else f"train_models_{count}"
        models.append(batch_training(batch, data, parameters_of(batch[0].variant), name))
    return sum(models, Pipeline([]))


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
    return models_pipeline(study, study.runs(), data, variant_parameters, tests)
