"""The housing hold-out: Keras' validation_split rule, made explicit."""

from __future__ import annotations

import keras
import numpy as np
import pandas as pd
import pytest

from from_data_to_model.pipelines.housing.nodes import hold_out_validation


def frames(n):
    x = pd.DataFrame({"a": np.arange(n, dtype=float), "b": np.arange(n, dtype=float) * 2})
    return x, pd.DataFrame({"y": np.arange(n, dtype=float)})


def test_last_fraction_validates_without_shuffling():
    x, y = frames(14448)
    x_fit, x_val, y_fit, y_val = hold_out_validation(x, y, 0.2)
    assert len(x_fit) == 11558 and len(x_val) == 2890  # 12 steps of 1000 per epoch
    assert x_fit["a"].iloc[-1] + 1 == x_val["a"].iloc[0]
    assert y_val["y"].tolist() == x_val["a"].tolist()


def test_same_rows_as_keras_validation_split():
    """A model that cannot learn (learning rate 0) scores Keras' validation rows as ours."""
    x, y = frames(103)
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.0), loss="mse")
    logged = model.fit(x, y, validation_split=0.2, epochs=1, verbose=0).history["val_loss"][0]
    _, x_val, _, y_val = hold_out_validation(x, y, 0.2)
    assert logged == pytest.approx(model.evaluate(x_val, y_val, verbose=0), rel=1e-6)
    shifted = model.evaluate(x.iloc[-len(x_val) - 1 : -1], y.iloc[-len(x_val) - 1 : -1], verbose=0)
    assert logged != pytest.approx(shifted, rel=1e-6)  # the comparison can tell rows apart


@pytest.mark.parametrize("fraction", [0, 1, 1.5, -0.2])
def test_invalid_fraction(fraction):
    with pytest.raises(ValueError, match="validation_split"):
        hold_out_validation(*frames(10), fraction)


def test_too_few_rows():
    with pytest.raises(ValueError, match="Cannot hold out"):
        hold_out_validation(*frames(1), 0.2)
