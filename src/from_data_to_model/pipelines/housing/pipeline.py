"""The ``housing`` pipeline: its data, then hold out validation rows, train, evaluate."""

from kedro.pipeline import Pipeline, node, pipeline

from from_data_to_model.pipelines import data_pipeline
from from_data_to_model.pipelines.evaluation.metrics import history_metrics
from from_data_to_model.pipelines.evaluation.pipeline import EVALUATION_TAG, evaluation_node
from from_data_to_model.pipelines.evaluation.plots import plot_housing_learning_curve
from from_data_to_model.pipelines.evaluation.report import write_housing_report
from from_data_to_model.pipelines.training import training_template

from .nodes import hold_out_validation


def create_pipeline(**kwargs) -> Pipeline:
    """Housing data, then the model trained on ``housing_X_train`` and evaluated.

    The modelling runs under the ``housing`` namespace, so its outputs are
    ``housing.model``, ``housing.training_history``, ..., ``housing.report``.
    """
    hold_out = node(
        hold_out_validation,
        inputs=["X_train_full", "y_train_full", "params:validation_split"],
        outputs=["X_fit", "X_val", "y_fit", "y_val"],
        name="hold_out_validation",
    )
    training = pipeline(training_template(), inputs={"X_train": "X_fit", "y_train": "y_fit"})
    evaluation = pipeline(
        [
            evaluation_node(),
            node(
                history_metrics,
                inputs=["training_history", "training_metadata"],
                outputs="summary",
                name="summarise_history",
            ),
            node(
                write_housing_report,
                inputs=["summary", "test_metrics"],
                outputs="report",
                name="write_report",
            ),
            node(
                plot_housing_learning_curve,
                inputs="training_history",
                outputs="learning_curve_plot",
                name="plot_learning_curve",
            ),
        ],
        tags=[EVALUATION_TAG],
    )
    return data_pipeline("housing") + pipeline(
        pipeline([hold_out]) + training + evaluation,
        namespace="housing",
        inputs={
            "X_train_full": "housing_X_train",
            "y_train_full": "housing_y_train",
            "X_test": "housing_X_test",
            "y_test": "housing_y_test",
        },
        parameters={
            "params:validation_split": "params:housing.validation_split",
            "params:defaults": "params:housing.model",
            "params:changes": "params:housing.overrides",
        },
    )
