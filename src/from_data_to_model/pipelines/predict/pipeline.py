"""The ``predict`` pipeline: new images and houses scored by the promoted models.

``predict.fashion_mnist`` scores the images at ``predict_images`` (a folder of image files
or an IDX file) with ``fashion_mnist_promoted_model``; ``predict.housing`` the rows of the
CSV at ``predict_housing`` with ``housing_promoted_model``. Either input may be absent: it
is then not scored, and the run says so. ``--namespaces=predict.housing`` runs one.
"""

from __future__ import annotations

from kedro.pipeline import Pipeline, node

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
    images = f"{PREDICT}.fashion_mnist"
    houses = f"{PREDICT}.housing"
    return Pipeline(
        [
            node(prepare_images, ["predict_images", "params:predict.images"],
                 f"{images}.prepared", name="prepare_images", namespace=images),
            node(predict_classes,
                 ["fashion_mnist_promoted_model", f"{images}.prepared",
                  "fashion_mnist_promotion"],
                 f"{images}.predictions", name="predict_classes", namespace=images),
            node(draw_contact_sheet, [f"{images}.prepared", f"{images}.predictions"],
                 f"{images}.contact_sheet_plot", name="draw_contact_sheet", namespace=images),
            node(check_housing_rows, ["predict_housing", "housing_promotion"],
                 f"{houses}.rows", name="check_housing_rows", namespace=houses),
            node(predict_values,
                 ["housing_promoted_model", f"{houses}.rows", "housing_promotion"],
                 f"{houses}.predictions", name="predict_values", namespace=houses),
        ],
        tags=[PREDICT],
    )  # fmt: skip
