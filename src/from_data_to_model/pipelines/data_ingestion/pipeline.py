"""The ``data_ingestion`` pipeline."""

from kedro.pipeline import Pipeline, node, pipeline

from .nodes import derive_housing_frame, prepare_fashion_mnist, validate_housing_table


def create_pipeline(**kwargs) -> Pipeline:
    """Raw Fashion-MNIST (training and official test images) and housing files → validated
    intermediate datasets."""
    return pipeline(
        [
            node(
                prepare_fashion_mnist,
                inputs=["fashion_mnist_raw_train", "params:ingestion.fashion_mnist.num_classes"],
                outputs=["fashion_mnist_images", "fashion_mnist_labels"],
                name="prepare_fashion_mnist",
                tags=["fashion_mnist"],
            ),
            node(
                prepare_fashion_mnist,
                inputs=[
                    "fashion_mnist_raw_official_test",
                    "params:ingestion.fashion_mnist.num_classes",
                ],
                outputs=["fashion_mnist_official_images", "fashion_mnist_y_official_test"],
                name="prepare_fashion_mnist_official_test",
                tags=["fashion_mnist"],
            ),
            node(
                validate_housing_table,
                inputs=["california_housing_raw", "params:ingestion.california_housing.rows"],
                outputs="california_housing_validated",
                name="validate_housing_table",
                tags=["housing"],
            ),
            node(
                derive_housing_frame,
                inputs="california_housing_validated",
                outputs="california_housing",
                name="derive_housing_frame",
                tags=["housing"],
            ),
        ]
    )
