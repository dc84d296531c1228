"""The ``data_processing`` pipeline."""

from kedro.pipeline import Pipeline, node, pipeline

from .nodes import scale_features, separate_target, split_data, standardize


def create_pipeline(**kwargs) -> Pipeline:
    """Intermediate data → scaled model inputs (train / validation / test) and scalers."""
    housing = pipeline(
        [
            node(
                separate_target,
                inputs=["california_housing", "params:processing.housing.target"],
                outputs=["housing_features", "housing_target"],
                name="separate_housing_target",
            ),
            node(
                split_data,
                inputs=[
                    "housing_features",
                    "housing_target",
                    "params:processing.housing.test_split",
                ],
                outputs=[
                    "housing_X_train_unscaled",
                    "housing_X_test_unscaled",
                    "housing_y_train",
                    "housing_y_test",
                ],
                name="split_housing_train_test",
            ),
            node(
                scale_features,
                inputs=["housing_X_train_unscaled", "housing_X_test_unscaled"],
                outputs=["housing_X_train", "housing_X_test", "housing_scaler"],
                name="scale_housing_features",
            ),
        ],
        tags=["housing"],
    )
    fashion_mnist = pipeline(
        [
            node(
                split_data,
                inputs=[
                    "fashion_mnist_images",
                    "fashion_mnist_labels",
                    "params:processing.fashion_mnist.test_split",
                ],
                outputs=[
                    "fashion_mnist_X_train_full_unscaled",
                    "fashion_mnist_X_test_unscaled",
                    "fashion_mnist_y_train_full",
                    "fashion_mnist_y_test",
                ],
                name="split_fashion_mnist_train_test",
            ),
            node(
                scale_features,
                inputs=["fashion_mnist_X_train_full_unscaled", "fashion_mnist_X_test_unscaled"],
                outputs=[
                    "fashion_mnist_X_train_full",
                    "fashion_mnist_X_test",
                    "fashion_mnist_scaler",
                ],
                name="scale_fashion_mnist_features",
            ),
            node(
                split_data,
                inputs=[
                    "fashion_mnist_X_train_full",
                    "fashion_mnist_y_train_full",
                    "params:processing.fashion_mnist.validation_split",
                ],
                outputs=[
                    "fashion_mnist_X_train",
                    "fashion_mnist_X_val",
                    "fashion_mnist_y_train",
                    "fashion_mnist_y_val",
                ],
                name="split_fashion_mnist_train_validation",
            ),
            node(
                standardize,
                inputs=["fashion_mnist_official_images", "fashion_mnist_scaler"],
                outputs="fashion_mnist_X_official_test",
                name="scale_fashion_mnist_official_test",
            ),
        ],
        tags=["fashion_mnist"],
    )
    return housing + fashion_mnist
