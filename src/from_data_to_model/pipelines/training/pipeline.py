"""The training template and its instantiation per variant."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from kedro.pipeline import Pipeline, node, pipeline

from from_data_to_model.variants import configured_variants

from .nodes import train_model

TRAINING_TAG = "training"


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
                    "params:model_defaults",
                    "params:model_overrides",
                ],
                outputs=["model", "training_history", "training_metadata"],
                name="train_model",
                tags=[TRAINING_TAG],
            )
        ]
    )


def create_training_pipeline(
    namespace: str, data: Mapping[str, str], defaults: str, overrides: str
) -> Pipeline:
    """The template under ``namespace``: outputs ``<namespace>.model`` and so on.

    Args:
        namespace: the variant's name (also the prefix of its outputs).
        data: ``X_train``/``y_train``/``X_val``/``y_val`` → catalog dataset names.
        defaults: the ``params:`` entry of the shared model spec.
        overrides: the ``params:`` entry of this variant's changes to it.
    """
    return pipeline(
        training_template(),
        namespace=namespace,
        inputs=dict(data),
        parameters={"params:model_defaults": defaults, "params:model_overrides": overrides},
    )


FASHION_MNIST_DATA = {
    "X_train": "fashion_mnist_X_train",
    "y_train": "fashion_mnist_y_train",
    "X_val": "fashion_mnist_X_val",
    "y_val": "fashion_mnist_y_val",
}


def create_pipeline(variants: Iterable[str] | None = None, **kwargs) -> Pipeline:
    """One training node per Fashion-MNIST variant (default: the configured ones)."""
    if variants is None:
        variants = configured_variants()
    return sum(
        (
            create_training_pipeline(
                variant,
                FASHION_MNIST_DATA,
                defaults="params:regularization.defaults",
                overrides=f"params:regularization.variants.{variant}",
            )
            for variant in variants
        ),
        Pipeline([]),
    )
