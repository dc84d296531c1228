"""The ``predict`` pipeline: new images and houses scored by the promoted models.

``predict.fashion_mnist`` scores the images at ``predict_images`` (a folder of image files
or an IDX file) with ``fashion_mnist_promoted_model``; ``predict.housing`` the rows of the
CSV at ``predict_housing`` with ``housing_promoted_model``. Either input may be absent: it
is then not scored, and the run says so. ``--namespaces=predict.housing`` runs one.
"""

from __future__ import annotations

from kedro.pipeline import Pipeline, node, pipeline

from from_data_to_model.promotion import model_dataset, record_dataset

from .nodes import (
    check_housing_rows,
    draw_contact_sheet,
    predict_classes,
    predict_values,
    prepare_images,
)

PREDICT = "predict"


def create_pipeline(**kwargs) -> Pipeline:
    """Images → predicted classes and a contact sheet; houses → predicted values."""
    model, promotion = model_dataset("fashion_mnist"), record_dataset("fashion_mnist")
    images = pipeline(
        [
            node(
                prepare_images,
                ["predict_images", "params:predict.images"],
                "prepared",
                name="prepare_images",
            ),
            node(
                predict_classes,
                [model, "prepared", promotion],
                "predictions",
                name="predict_classes",
            ),
            node(
                draw_contact_sheet,
                ["prepared", "predictions", "params:predict.contact_sheet"],
                "contact_sheet_plot",
                name="draw_contact_sheet",
            ),
        ],  # fmt: skip
        namespace=f"{PREDICT}.fashion_mnist",
        inputs={"predict_images", model, promotion},
        parameters={"params:predict.images", "params:predict.contact_sheet"},
    )
    model, promotion = model_dataset("housing"), record_dataset("housing")
    houses = pipeline(
        [
            node(
                check_housing_rows,
                ["predict_housing", promotion],
                "rows",
                name="check_housing_rows",
            ),
            node(predict_values, [model, "rows", promotion], "predictions", name="predict_values"),
        ],  # fmt: skip
        namespace=f"{PREDICT}.housing",
        inputs={"predict_housing", model, promotion},
    )
    return pipeline(images + houses, tags=[PREDICT])
