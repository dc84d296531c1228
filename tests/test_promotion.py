"""The promoted model: the chosen variant's best seed on validation, behind its scaler."""

from __future__ import annotations

import keras
import numpy as np
import pandas as pd
import pytest
from pydantic import ValidationError
from sklearn.preprocessing import StandardScaler

from from_data_to_model.promotion import (
    Promotion,
    best_seed,
    bundle_model,
    promote_chosen,
    promoted_in,
)
from tests.promotions import housing_promotion, image_promotion


def runs() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "variant": ["a", "a", "a", "b"],
            "seed": [42, 43, 44, 42],
            "model_val_loss": [0.35, 0.33, 0.34, 0.20],
        }  # fmt: skip
    )


def test_the_best_seed_is_chosen_on_validation_and_said_why():
    best, reason = best_seed(runs(), "a")
    assert best["seed"] == 43
    assert reason == (
        "of a's 3 seeds, 43 has the lowest validation loss (0.3300; 44: 0.3400, 42: 0.3500): "
        "chosen on validation, like the variant"
    )
    assert best_seed(runs(), "b")[1] == "b was trained once (seed 42)"


def test_the_bundle_scores_raw_inputs_as_the_model_scores_scaled_ones():
    rng = np.random.default_rng(0)
    raw = rng.uniform(0, 255, (50, 6)).astype(np.float32)
    raw[:, 2] = 7.0  # a constant feature: scikit-learn scales it by 1
    scaler = StandardScaler().fit(raw)
    keras.utils.set_random_seed(1)
    model = keras.Sequential([keras.Input((6,)), keras.layers.Dense(3, activation="softmax")])
    bundled = bundle_model(model, scaler)
    expected = model.predict(scaler.transform(raw).astype(np.float32), verbose=0)
    np.testing.assert_allclose(bundled.predict(raw, verbose=0), expected, rtol=1e-5, atol=1e-6)
    assert [layer.name for layer in bundled.layers][:2] == ["raw", "standardize"]


def test_a_record_says_its_kind_and_each_kind_needs_its_outputs():
    classifier = image_promotion(["a", "b"])
    assert classifier.kind == "classifier" and classifier.is_classifier
    assert housing_promotion().kind == "regressor"
    record = classifier.model_dump()
    with pytest.raises(ValidationError, match="a classifier's outputs name its classes"):
        Promotion.model_validate(record | {"outputs": {"gives": "probabilities"}})
    with pytest.raises(ValidationError, match="a regressor's outputs name its target"):
        Promotion.model_validate(record | {"kind": "regressor"})
    with pytest.raises(ValidationError, match="kind"):
        Promotion.model_validate(record | {"kind": "ranker"})


def test_promotion_loads_the_chosen_model_only():
    loaded = []

    def loader(namespace):
        return lambda: (
            loaded.append(namespace) or keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
        )

    scaler = StandardScaler().fit(np.arange(12, dtype=np.float32).reshape(4, 3))
    candidates = {ns: loader(ns) for ns in ("r.a.seed_1", "r.a.seed_2", "r.b.seed_1")}
    bundled = promote_chosen(image_promotion(["x", "y"], "r.a.seed_2"), scaler, **candidates)
    assert loaded == ["r.a.seed_2"]
    assert bundled.input_shape == (None, 3)


def test_the_promotions_a_node_made_are_found_with_their_models():
    promotion, model = housing_promotion(), object()
    record, promoted = {"housing_promotion": promotion}, {"housing_promoted_model": model}
    assert promoted_in({}, record | promoted) == [(promotion, model)]  # housing's one node
    assert promoted_in(record, promoted) == [(promotion, model)]  # the study's second node
    assert promoted_in(record | promoted, {"predictions": 1}) == []  # predict reads them
    assert promoted_in({}, record) == []  # its model is made elsewhere
    assert promoted_in({}, promoted | {"x": {"kind": "regressor"}}) == []  # no record
