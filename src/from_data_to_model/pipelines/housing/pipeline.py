"""The housing model: hold out validation rows, the per-model template, the report."""

from kedro.pipeline import Pipeline, node

from from_data_to_model.pipelines.modelling import model_template
from from_data_to_model.study import EVALUATION_TAG, HOUSING, PROMOTION_TAG, REPORTING_TAG, Run

from .nodes import (
    hold_out_validation,
    plot_housing_learning_curve,
    promote_housing_model,
    write_housing_report,
)

# Training on the first rows of the training split, validating on the rest, as Keras'
# validation_split does; testing on the test split.
HOUSING_DATA = {
    "X_train": "housing.X_fit",
    "y_train": "housing.y_fit",
    "X_val": "housing.X_val",
    "y_val": "housing.y_val",
    "X_test": "housing_X_test",
    "y_test": "housing_y_test",
}


def create_pipeline(**kwargs) -> Pipeline:
    """The housing model trained on ``housing_X_train``, its report and learning curve, and
    the model promoted with its scaler (the one model: nothing to choose between).

    Everything it writes is in the ``housing`` namespace: ``housing.model``,
    ``housing.validation_summary``, ``housing.test_metrics``, ..., ``housing.report``.
    """
    hold_out = node(
        hold_out_validation,
        inputs=["housing_X_train", "housing_y_train", "params:housing.validation_split"],
        outputs=["housing.X_fit", "housing.X_val", "housing.y_fit", "housing.y_val"],
        name="hold_out_validation",
        namespace=HOUSING,
    )
    model = model_template(
        Run(HOUSING, HOUSING),
        HOUSING_DATA,
        {
            "params:defaults": "params:housing.model",
            "params:changes": "params:housing.overrides",
            "params:diagnosis": "params:housing.diagnosis",
        },
        tests=("test",),
    )
    reporting = [EVALUATION_TAG, REPORTING_TAG]
    report = Pipeline(
        [
            node(
                write_housing_report,
                inputs=["housing.validation_summary", "housing.test_metrics"],
                outputs="housing.report",
                name="write_report",
                namespace=HOUSING,
                tags=reporting,
            ),
            node(
                promote_housing_model,
                inputs=["housing.validation_summary", "housing.model", "housing_scaler"],
                outputs=["housing_promotion", "housing_promoted_model"],
                name="promote_model",
                namespace=HOUSING,
                tags=[EVALUATION_TAG, PROMOTION_TAG],
            ),
            node(
                plot_housing_learning_curve,
                inputs="housing.learning_curve",
                outputs="housing.learning_curve_plot",
                name="plot_learning_curve",
                namespace=HOUSING,
                tags=reporting,
            ),
        ]
    )
    return Pipeline([hold_out]) + model + report
