"""The served model's input checks, one at a time: each bad request is refused with its
own message, and the same request made good passes (the [mlflow] extra)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("mlflow", reason="MLFLOW EXTRA ABSENT: the served model needs it")
from mlflow.exceptions import MlflowException  # noqa: E402

from from_data_to_model.serving import PromotedModel  # noqa: E402
from tests.promotions import housing_promotion, image_promotion  # noqa: E402


def served(promotion) -> PromotedModel:
    model = PromotedModel()
    model.promotion = promotion
    return model


GOOD = np.full((2, 784), 128.0)


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (GOOD[0], "Each row must hold 784 values"),  # one dimension, not rows
        (GOOD[:, :783], "Each row must hold 784 values"),  # a row too short
        ([["x"] * 784], "Every value must be a number"),
        (np.where(np.eye(2, 784, dtype=bool), np.nan, GOOD), "Every value must be a finite number"),
        (GOOD - 129, "Pixel values must lie in [0, 255]; got -1 to -1"),  # below the range
        (GOOD + 128, "Pixel values must lie in [0, 255]; got 256 to 256"),  # above it
    ],
)
def test_each_bad_image_request_is_refused_with_its_reason(rows, message):
    with pytest.raises(MlflowException, match=message.replace("[", r"\[").replace("]", r"\]")):
        served(image_promotion(["a", "b"]))._rows(rows)


def test_good_requests_pass_as_float32_rows():
    rows = served(image_promotion(["a", "b"]))._rows(pd.DataFrame(GOOD))
    assert rows.dtype == np.float32 and rows.shape == (2, 784)
    edges = served(image_promotion(["a", "b"]))._rows(np.array([[0.0] * 783 + [255.0]]))
    assert edges.min() == 0 and edges.max() == 255  # both ends of the range are pixels
    houses = served(housing_promotion())._rows([[8.3, -41.0]])  # no range: any number
    assert houses.tolist() == [[pytest.approx(8.3), -41.0]]


def test_a_house_no_house_can_be_is_refused_by_row_and_feature():
    promotion = housing_promotion()
    possible = {"MedInc": (0.0, None), "HouseAge": (0.0, 200.0)}
    promotion = promotion.model_copy(
        update={"inputs": promotion.inputs.model_copy(update={"possible": possible})}
    )
    assert served(promotion)._rows([[8.3, 41.0]]).shape == (1, 2)
    with pytest.raises(MlflowException, match=r"Row 2, MedInc is -3, which no house can have"):
        served(promotion)._rows([[8.3, 41.0], [-3.0, 41.0]])
    with pytest.raises(MlflowException, match=r"HouseAge is 500, .*possible: 0 to 200"):
        served(promotion)._rows([[8.3, 500.0]])
