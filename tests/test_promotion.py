"""The promoted model: the chosen variant's best seed on validation, behind its scaler."""

from __future__ import annotations

import keras
import numpy as np
import pandas as pd
from sklearn.preprocessing import StandardScaler

from from_data_to_model.promotion import best_seed, bundle_model


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
