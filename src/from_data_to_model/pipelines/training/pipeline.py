"""The training template, and the ``training`` pipeline: one node per configured variant."""

from __future__ import annotations

from kedro.pipeline import Pipeline, node, pipeline

from from_data_to_model import run_parameters

from .nodes import train_model

TRAINING_TAG = "training"
STUDY = "regularization"  # the namespace of the Fashion-MNIST study

# The study's training inputs, shared by every variant (template name → catalog name).
FASHION_MNIST_TRAINING_DATA = {
    "X_train": "fashion_mnist_X_train",
    "y_train": "fashion_mnist_y_train",
    "X_val": "fashion_mnist_X_val",
    "y_val": "fashion_mnist_y_val",
}


def training_template() -> Pipeline:
    """The training node with un-namespaced names (``X_train`` → ``model``, ...)."""
    return pipeline(
        [
            node(
                train_model,
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


def create_pipeline(**kwargs) -> Pipeline:
    """One training node per variant of the run's configuration, ``regularization.<variant>``.

    Each writes ``regularization.<variant>.model``, ``.training_history`` and
    ``.training_metadata``.
    """
    return sum(
        (
            pipeline(
                training_template(),
                namespace=f"{STUDY}.{variant}",
                inputs=FASHION_MNIST_TRAINING_DATA,
                parameters=variant_parameters(variant),
            )
            for variant in run_parameters.variants()
        ),
        Pipeline([]),
    )
