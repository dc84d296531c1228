"""The training template and its instantiation per variant."""

from __future__ import annotations

from collections.abc import Iterable

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


FASHION_MNIST_DATA = {
    "X_train": "fashion_mnist_X_train",
    "y_train": "fashion_mnist_y_train",
    "X_val": "fashion_mnist_X_val",
    "y_val": "fashion_mnist_y_val",
}


def create_pipeline(variants: Iterable[str] | None = None, **kwargs) -> Pipeline:
    """One training node per Fashion-MNIST variant (default: the configured ones).

    Each is the template under the variant's namespace: ``<variant>.model`` and so on,
    from the shared spec and the variant's overrides.
    """
    if variants is None:
        variants = configured_variants()
    return sum(
        (
            pipeline(
                training_template(),
                namespace=variant,
                inputs=FASHION_MNIST_DATA,
                parameters={
                    "params:model_defaults": "params:regularization.defaults",
                    "params:model_overrides": f"params:regularization.variants.{variant}",
                },
            )
            for variant in variants
        ),
        Pipeline([]),
    )
