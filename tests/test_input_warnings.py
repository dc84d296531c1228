"""A client's usual mistakes with images get a warning beside the prediction: each check's
verdict flips when only its own condition changes."""

from __future__ import annotations

import gzip

import numpy as np
import pytest

from from_data_to_model.input_warnings import house_warnings, image_warnings, training_spread
from from_data_to_model.promotion import Inputs
from tests.conftest import RAW_DIR, requires_real_data

RULES = Inputs(width=784, range=(0, 255), layout="28×28", light_background=127,
               layout_min_images=20)  # fmt: skip
UNCHECKED = Inputs(width=784, range=(0, 255), layout="28×28")  # a record from before


def garments(n: int, seed: int) -> np.ndarray:
    """Light trapezoids on black, narrow at the top: a shape with an up and a side."""
    rng = np.random.default_rng(seed)
    images = np.zeros((n, 28, 28), np.float32)
    for image in images:
        top, bottom = rng.integers(2, 5), rng.integers(23, 27)
        for row in range(top, bottom):
            half = 2 + (row - top) * rng.uniform(0.3, 0.45)
            image[row, int(14 - half) : int(14 + half)] = rng.uniform(120, 250)
    return np.clip(images + rng.normal(0, 8, images.shape), 0, 255).reshape(n, -1)


TRAINING = garments(400, seed=0)
SPREAD = (TRAINING.mean(axis=0), np.maximum(TRAINING.std(axis=0), 1.0))


def reordered(pixels: np.ndarray, how: str) -> np.ndarray:
    squares = pixels.reshape(-1, 28, 28)
    turned = squares.transpose(0, 2, 1) if how == "transposed" else squares[:, ::-1]
    return turned.reshape(len(pixels), -1)


def test_images_like_the_training_ones_get_no_warning():
    assert image_warnings(garments(50, seed=1), RULES, SPREAD) == [""] * 50


def test_pixels_scaled_to_0_1_are_named_and_raw_ones_are_not():
    image = garments(1, seed=1)
    (warning,) = image_warnings(image / 255, RULES, SPREAD)
    assert "the pixels look scaled to 0-1; send raw values 0-255" in warning
    assert image_warnings(image, RULES, SPREAD) == [""]
    assert image_warnings(np.full((1, 784), 1.0), RULES, SPREAD)[0].startswith("every pixel is 1")


def test_a_light_background_is_named_where_the_record_has_the_threshold():
    inverted = 255 - garments(1, seed=1)
    (warning,) = image_warnings(inverted, RULES, SPREAD)
    assert "a light background (its border averages" in warning and "send 255 - value" in warning
    assert image_warnings(inverted, UNCHECKED, SPREAD) == [""]  # no threshold: not checked
    gray = np.full((1, 784), 120.0)  # a border just below the threshold
    gray[0, 300] = 200
    assert image_warnings(gray, RULES, SPREAD) == [""]
    assert "light background" in image_warnings(gray + 10, RULES, SPREAD)[0]


def test_a_blank_image_is_named():
    assert image_warnings(np.zeros((1, 784)), RULES, SPREAD) == [
        "every pixel is 0: a blank image, nothing to see"
    ]


@pytest.mark.parametrize(
    ("how", "named"),
    [("transposed", "read column by column (transposed)"),
     ("upside down", "read bottom row first (upside down)")],
)  # fmt: skip
def test_a_batch_in_another_layout_is_named_from_the_minimum_size_on(how, named):
    sent = reordered(garments(20, seed=2), how)
    warnings = image_warnings(sent, RULES, SPREAD)
    assert (
        warnings
        == [
            f"these 20 images fit the training ones better {named}: send each image's 28 rows top "
            "to bottom, each row left to right"
        ]
        * 20
    )
    assert image_warnings(sent[:19], RULES, SPREAD) == [""] * 19  # too few to tell
    assert image_warnings(sent, RULES, None) == [""] * 20  # a model without its spread
    unchecked = RULES.model_copy(update={"layout_min_images": None})
    assert image_warnings(sent, unchecked, SPREAD) == [""] * 20


def test_the_layout_is_judged_on_the_images_without_another_warning():
    sent = reordered(garments(20, seed=2), "transposed")
    sent[0] /= 255  # one scaled image: 19 plain ones, too few to tell
    warnings = image_warnings(sent, RULES, SPREAD)
    assert "scaled to 0-1" in warnings[0] and warnings[1:] == [""] * 19


def test_the_spread_is_the_promoted_models_standardization():
    import keras
    from sklearn.preprocessing import StandardScaler

    from from_data_to_model.promotion import bundle_model

    network = keras.Sequential([keras.Input((784,)), keras.layers.Dense(2)])
    scaler = StandardScaler().fit(TRAINING)
    mean, std = training_spread(bundle_model(network, scaler))
    np.testing.assert_allclose(mean, scaler.mean_, rtol=1e-5)
    np.testing.assert_allclose(std, scaler.scale_, rtol=1e-5)
    assert training_spread(network) is None  # no standardize layer


def idx_images(split: str) -> np.ndarray:
    with gzip.open(RAW_DIR / "fashion-mnist" / f"{split}-images-idx3-ubyte.gz") as file:
        return np.frombuffer(file.read(), np.uint8, offset=16).reshape(-1, 784).astype(np.float32)


@requires_real_data
def test_on_the_real_images_each_mistake_is_named_and_none_is_invented():
    train, official = idx_images("train"), idx_images("t10k")
    spread = (train.mean(axis=0), np.maximum(train.std(axis=0), 1.0))
    sent = official[:1000]
    assert image_warnings(sent, RULES, spread) == [""] * 1000
    batches = [image_warnings(batch, RULES, spread) for batch in official.reshape(-1, 20, 784)]
    assert sum(w != "" for batch in batches for w in batch) == 0  # 500 batches of 20
    for how in ("transposed", "upside down"):
        for batch in official.reshape(-1, 20, 784):  # every batch of 20, read another way
            assert all(how in w for w in image_warnings(reordered(batch, how), RULES, spread))
    assert all("scaled to 0-1" in w for w in image_warnings(sent / 255, RULES, spread))
    assert all("light background" in w for w in image_warnings(255 - sent, RULES, spread))


HOUSES = Inputs(width=2, layout="houses", features=["MedInc", "HouseAge"], warn_beyond_sd=150)
HOUSE_SPREAD = (np.array([3.87, 28.6]), np.array([1.9, 12.6]))


def test_a_house_value_in_other_units_is_named_and_one_in_range_is_not():
    in_dollars = np.array([[83252.0, 41.0], [8.3, 41.0]])
    warnings = house_warnings(in_dollars, HOUSES, HOUSE_SPREAD)
    assert warnings[0].startswith("MedInc is 83252, 43815 standard deviations from the")
    assert "check its units" in warnings[0] and warnings[1] == ""
    edge = 3.87 + 1.9 * np.array([[149.0, 0.0], [151.0, 0.0]])  # either side of the threshold
    assert [w != "" for w in house_warnings(edge, HOUSES, HOUSE_SPREAD)] == [False, True]
    unchecked = HOUSES.model_copy(update={"warn_beyond_sd": None})
    assert house_warnings(in_dollars, unchecked, HOUSE_SPREAD) == ["", ""]
    assert house_warnings(in_dollars, HOUSES, None) == ["", ""]


@requires_real_data
def test_no_real_house_is_warned_of_and_incomes_in_dollars_are():
    import pandas as pd

    from from_data_to_model.pipelines.data_ingestion.nodes import derive_housing_frame
    from tests.conftest import base_parameters

    columns = ["longitude", "latitude", "housingMedianAge", "totalRooms", "totalBedrooms",
               "population", "households", "medianIncome", "medianHouseValue"]  # fmt: skip
    raw = pd.read_csv(RAW_DIR / "california-housing" / "cal_housing.data", names=columns)
    houses = derive_housing_frame(raw).drop(columns="MedHouseVal")
    inputs = Inputs(width=8, layout="houses", features=houses.columns.tolist(),
                    warn_beyond_sd=base_parameters()["housing"]["warn_beyond_sd"])  # fmt: skip
    values = houses.to_numpy()
    spread = (values.mean(axis=0), values.std(axis=0))
    assert set(house_warnings(values, inputs, spread)) == {""}  # all 20640
    in_dollars = values.copy()
    in_dollars[:, 0] *= 10000
    assert all(w.startswith("MedInc is ") for w in house_warnings(in_dollars, inputs, spread))
