"""The ``housing`` modelling pipeline: hold out validation rows, then the training template."""

from kedro.pipeline import Pipeline, node, pipeline

from from_data_to_model.pipelines.training import create_training_pipeline

from .nodes import hold_out_validation


def create_pipeline(**kwargs) -> Pipeline:
    """Train the housing model on ``housing_X_train`` (validation rows held out as Keras does)."""
    hold_out = pipeline(
        [
            node(
                hold_out_validation,
                inputs=["housing_X_train", "housing_y_train", "params:housing.validation_split"],
                outputs=["housing.X_fit", "housing.X_val", "housing.y_fit", "housing.y_val"],
                name="hold_out_validation",
                namespace="housing",
            )
        ]
    )
    training = create_training_pipeline(
        "housing",
        {
            "X_train": "housing.X_fit",
            "y_train": "housing.y_fit",
            "X_val": "housing.X_val",
            "y_val": "housing.y_val",
        },
        defaults="params:housing.model",
        overrides="params:housing.overrides",
    )
    return hold_out + training
