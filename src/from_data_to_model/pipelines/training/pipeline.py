"""The training template, and the ``training`` pipeline: one node per configured variant."""

from __future__ import annotations

from kedro.pipeline import Pipeline, node, pipeline

from from_data_to_model import run_parameters

from .nodes import SEED_SEPARATOR, Replicate, train_model

TRAINING_TAG = "training"
STUDY = "regularization"  # the namespace of the Fashion-MNIST study

# The study's training inputs, shared by every variant (template name → catalog name).
FASHION_MNIST_TRAINING_DATA = {
    "X_train": "fashion_mnist_X_train",
    "y_train": "fashion_mnist_y_train",
    "X_val": "fashion_mnist_X_val",
    "y_val": "fashion_mnist_y_val",
}


def training_template(replicate: Replicate | None = None) -> Pipeline:
    """The training node with un-namespaced names (``X_train`` → ``model``, ...).

    With a ``replicate``, its seed (and sweep setting) replace the spec's.
    """
    return pipeline(
        [
            node(
                train_model if replicate is None else replicate.train_model,
                inputs=[
                    "X_train",
                    "y_train",
                    "X_val",
                    "y_val",
                    "params:defaults",
                    "params:changes",
                ],
                outputs=["model", "training_history", "training_metadata"],
                name="train_model",
                tags=[TRAINING_TAG],
            )
        ]
    )


def variant_parameters(variant: str) -> dict[str, str]:
    """The template's parameters for one variant of the study."""
    return {
        "params:defaults": f"params:{STUDY}.defaults",
        "params:changes": f"params:{STUDY}.variants.{variant}",
    }


def replicate_namespace(variant: str, seed: int) -> str:
    """Where one seed of one variant lives: ``regularization.<variant>.seed_<seed>``."""
    return f"{STUDY}.{variant}{SEED_SEPARATOR}{seed}"


def create_pipeline(**kwargs) -> Pipeline:
    """One training node per variant and seed of the run's configuration.

    Each writes ``regularization.<variant>.seed_<seed>.model``, ``.training_history``
    and ``.training_metadata``.
    """
    seeds = run_parameters.seeds()
    return sum(
        (
            pipeline(
                training_template(Replicate(seed)),
                namespace=replicate_namespace(variant, seed),
                inputs=FASHION_MNIST_TRAINING_DATA,
                parameters=variant_parameters(variant),
            )
            for variant in run_parameters.variants()
            for seed in seeds
        ),
        Pipeline([]),
    )
