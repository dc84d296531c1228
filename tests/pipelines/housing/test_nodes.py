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
    from keras.src.trainers.data_adapters.array_slicing import train_validation_split

    x, y = frames(103)
    (kx, ky), (kvx, kvy) = train_validation_split(
        (x.to_numpy(), y.to_numpy()), validation_split=0.2
    )
    x_fit, x_val, _, _ = hold_out_validation(x, y, 0.2)
    np.testing.assert_array_equal(x_fit.to_numpy(), kx)
    np.testing.assert_array_equal(x_val.to_numpy(), kvx)
    assert keras.__version__.startswith("3")


@pytest.mark.parametrize("fraction", [0, 1, 1.5, -0.2])
def test_invalid_fraction(fraction):
    with pytest.raises(ValueError, match="validation_split"):
        hold_out_validation(*frames(10), fraction)


def test_too_few_rows():
    with pytest.raises(ValueError, match="Cannot hold out"):
        hold_out_validation(*frames(1), 0.2)
