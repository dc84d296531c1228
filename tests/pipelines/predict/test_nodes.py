"""Scoring new data: images made to look like the training images; houses checked."""

from __future__ import annotations

import keras
import numpy as np
import pandas as pd
import pytest

from from_data_to_model.pipelines.predict.nodes import (
    as_training_image,
    check_housing_rows,
    draw_contact_sheet,
    predict_classes,
    predict_values,
    prepare_images,
)
from tests.conftest import base_parameters
from tests.promotions import housing_promotion, image_promotion

FEATURES = ["MedInc", "HouseAge", "AveRooms", "AveBedrms", "Population", "AveOccup",
            "Latitude", "Longitude"]  # fmt: skip
HOUSING = housing_promotion(FEATURES)
SHEET = base_parameters()["predict"]["contact_sheet"]
IMAGES = image_promotion(["a", "b", "c", "d"], "regularization.x.seed_1")


def test_a_dark_garment_on_white_becomes_a_light_one_on_black():
    photo = np.full((100, 60, 4), 255, np.uint8)  # white, opaque, taller than wide
    photo[20:80, 10:50, :3] = 20  # a dark garment
    pixels, inverted = as_training_image(photo, light_background=127)
    image = pixels.reshape(28, 28)
    assert inverted and pixels.shape == (784,)
    assert image[14, 14] > 200 and image[0, 0] < 10  # light middle, dark corner (padding too)


def test_an_image_like_the_training_ones_is_kept_as_it_is():
    mnist_like = np.zeros((28, 28), np.uint8)
    mnist_like[4:24, 8:20] = 180
    pixels, inverted = as_training_image(mnist_like, light_background=127)
    assert not inverted
    np.testing.assert_allclose(pixels.reshape(28, 28), mnist_like, atol=1)


def test_transparency_is_laid_over_white():
    clear = np.zeros((10, 10, 4), np.uint8)  # fully transparent: white, then inverted: black
    pixels, inverted = as_training_image(clear, light_background=127)
    assert inverted and pixels.max() == 0


def fixed(probabilities: list[float]) -> keras.Model:
    """A model giving these probabilities to every input."""
    bias = np.log(np.asarray(probabilities, np.float32))
    dense = keras.layers.Dense(len(probabilities), activation="softmax",
                               kernel_initializer="zeros",
                               bias_initializer=keras.initializers.Constant(bias))  # fmt: skip
    return keras.Sequential([keras.Input((784,)), dense])


def test_each_image_gets_its_class_probability_and_top_three():
    garment = np.zeros((28, 28), np.uint8)
    garment[4:24, 8:20] = 180
    raw = {"names": ["x.png", "y.png"], "images": [garment, np.zeros((28, 28), np.uint8)]}
    images = prepare_images(raw, {"light_background": 127})
    table = predict_classes(fixed([0.1, 0.6, 0.2, 0.1]), images, IMAGES)
    columns = ["file", "class", "probability", "top3", "inverted", "warning"]
    assert table.columns.tolist() == columns
    assert table["warning"].tolist() == ["", "every pixel is 0: a blank image, nothing to see"]
    assert table["file"].tolist() == ["x.png", "y.png"] and (table["class"] == "b").all()
    assert table["probability"].iloc[0] == pytest.approx(0.6)
    assert table["top3"].iloc[0] == "b 0.600; c 0.200; a 0.100"
    sheet = draw_contact_sheet(images, table, SHEET)
    assert len(sheet.axes) == 8 and sheet.get_suptitle() == ""  # both shown, and no sample


def test_the_contact_sheet_of_10000_images_shows_a_sample_and_says_so():
    rng = np.random.default_rng(0)
    images = {"pixels": rng.integers(0, 256, (10000, 784)).astype(np.float32)}
    names = [f"t10k-images-idx3-ubyte.gz[{i}]" for i in range(10000)]  # as an IDX file's
    table = pd.DataFrame({"file": names, "class": "a", "probability": 0.5})
    sheet = draw_contact_sheet(images, table, SHEET)
    shown = [ax for ax in sheet.axes if ax.images]
    assert len(shown) == 64
    assert shown[0].get_title() == "…-idx3-ubyte.gz[0]\na 50%"  # the index stays in view
    assert shown[-1].get_title() == "…x3-ubyte.gz[9999]\na 50%"
    assert sheet.get_suptitle() == (
        "64 of 10000 scored images, evenly spaced (every 156th); the predictions table has them all"
    )
    with pytest.raises(ValueError, match="max_images must be 1 or more"):
        draw_contact_sheet(images, table, {"max_images": 0})


def test_no_images_no_rows():
    images = prepare_images({"names": [], "images": []}, {"light_background": 127})
    assert predict_classes(fixed([0.5, 0.5]), images, IMAGES).empty


def houses(**changes) -> pd.DataFrame:
    frame = pd.DataFrame([[8.3, 41, 6.9, 1.02, 322, 2.55, 37.88, -122.23]], columns=FEATURES)
    return frame.assign(**changes)


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (houses().drop(columns=["HouseAge"]), "missing column(s) HouseAge"),
        (houses(rooms=3), "unexpected column(s) rooms"),
        (houses(HouseAge="old"), "row 1, column 'HouseAge' is 'old'"),
        (houses(Latitude=None), "row 1, column 'Latitude' is empty"),
    ],
)
def test_bad_housing_rows_are_named(rows, message):
    with pytest.raises(ValueError, match="Housing CSV: ") as excinfo:
        check_housing_rows(rows, HOUSING)
    assert message in str(excinfo.value)


def test_housing_rows_in_the_models_order_and_their_prediction():
    shuffled = houses()[list(reversed(FEATURES))]
    rows = check_housing_rows(shuffled, HOUSING)
    assert rows.columns.tolist() == FEATURES and rows.dtypes.unique().tolist() == [np.float32]
    model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(1, kernel_initializer="ones")])
    predicted = predict_values(model, rows, HOUSING)
    expected = float(houses().to_numpy().sum())
    assert predicted["predicted_MedHouseVal"].iloc[0] == pytest.approx(expected, rel=1e-5)
    assert predicted["warning"].tolist() == [""]  # a model without its scaler: not checked
    assert check_housing_rows(pd.DataFrame(), HOUSING).columns.tolist() == FEATURES


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"Population": -5.0},
            "row 1, Population is -5, which no house can have (possible: 0 to inf)",
        ),
        (
            {"Latitude": 95.0},
            "row 1, Latitude is 95, which no house can have (possible: -90 to 90)",
        ),
    ],
)
def test_a_value_no_house_can_have_is_refused_not_scored(change, message):
    from tests.conftest import base_parameters

    possible = base_parameters()["housing"]["possible_values"]
    inputs = HOUSING.inputs.model_copy(update={"possible": possible})
    with pytest.raises(ValueError, match="Housing CSV: ") as excinfo:
        check_housing_rows(houses(**change), HOUSING.model_copy(update={"inputs": inputs}))
    assert message in str(excinfo.value)
    assert len(check_housing_rows(houses(), HOUSING.model_copy(update={"inputs": inputs}))) == 1
