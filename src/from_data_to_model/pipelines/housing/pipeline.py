"""The housing model: hold out validation rows, the per-model template, the report."""

from kedro.pipeline import Pipeline, node, pipeline

from from_data_to_model.pipelines.modelling import model_template
from from_data_to_model.promotion import model_dataset, record_dataset
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
HOUSING_PARAMETERS = {
    "params:defaults": "params:housing.model",
    "params:changes": "params:housing.overrides",
    "params:diagnosis": "params:housing.diagnosis",
}


def create_pipeline(**kwargs) -> Pipeline:
    """The housing model trained on ``housing_X_train``, its report and learning curve, and
    the model promoted with its scaler (the one model: nothing to choose between).

    Everything it writes is in the ``housing`` namespace: ``housing.model``,
    ``housing.validation_summary``, ``housing.test_metrics``, ..., ``housing.report``.
    """
    promoted = [record_dataset(HOUSING), model_dataset(HOUSING)]
    reporting = [EVALUATION_TAG, REPORTING_TAG]
    nodes = [
        node(hold_out_validation,
             ["housing_X_train", "housing_y_train", "params:validation_split"],
             ["X_fit", "X_val", "y_fit", "y_val"], name="hold_out_validation"),
        node(write_housing_report, ["validation_summary", "test_metrics"], "report",
             name="write_report", tags=reporting),
        node(promote_housing_model,
             ["validation_summary", "model@keras", "housing_scaler",
              "params:possible_values", "params:warn_beyond_sd"],
             promoted, name="promote_model", tags=[EVALUATION_TAG, PROMOTION_TAG]),
        node(plot_housing_learning_curve, "learning_curve", "learning_curve_plot",
             name="plot_learning_curve", tags=reporting),
    ]  # fmt: skip
    own = pipeline(
        nodes,
        namespace=HOUSING,
        inputs={"housing_X_train", "housing_y_train", "housing_scaler"},
        outputs=set(promoted),
    )
    model = model_template(Run(HOUSING, HOUSING), HOUSING_DATA, HOUSING_PARAMETERS, ("test",))
    return own + model
