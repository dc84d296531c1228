"""Fit-diagnosis rules on synthetic learning curves with a known reading."""

from __future__ import annotations

import pandas as pd
import pytest

from from_data_to_model.pipelines.modelling.diagnosis import (
    GOOD_FIT,
    OVERFIT,
    UNDERFIT,
    diagnose_fit,
)
from tests.conftest import base_evaluation
from tests.pipelines.modelling.histories import clear_overfit, clear_underfit, good_fit

THRESHOLDS = base_evaluation().diagnosis


@pytest.mark.parametrize(
    ("curve", "expected"),
    [
        (clear_overfit, (OVERFIT, "validation loss rose 30% from its minimum 0.350 (epoch 5) to "
                         "0.455 while training loss fell from 0.220 to 0.060")),
        (clear_underfit, (UNDERFIT, "training loss is still 0.580 (threshold 0.33) and "
                          "validation loss 0.600 is close to it (gap +0.020, 3% of it)")),
        (good_fit, (GOOD_FIT, "validation loss 0.321 is 0% above its minimum 0.320 "
                    "(over-fitting needs more than 5%); training loss 0.200 with gap +0.121 "
                    "does not meet the under-fitting rule")),
    ],
)  # fmt: skip
def test_rules_read_clear_cases(curve, expected):
    h = curve()
    assert diagnose_fit(h, len(h), THRESHOLDS) == expected


def test_model_restored_at_best_epoch_is_not_overfit():
    h = clear_overfit().iloc[:8]
    assert diagnose_fit(h, 5, THRESHOLDS)[0] == GOOD_FIT


def test_thresholds_come_from_parameters():
    lenient = THRESHOLDS.model_copy(update={"overfit_min_val_rise": 0.5})
    assert diagnose_fit(clear_overfit(), 10, lenient)[0] != OVERFIT
    strict = THRESHOLDS.model_copy(
        update={"underfit_min_train_loss": 0.1, "underfit_max_relative_gap": 0.5}
    )
    assert diagnose_fit(good_fit(), 6, strict)[0] == UNDERFIT


def curve(train: list[float], val: list[float]) -> pd.DataFrame:
    return pd.DataFrame({"epoch": range(1, len(val) + 1), "loss": train, "val_loss": val})


# Each rule's conditions, one at a time: the verdict flips when only that condition does.
FALLING = [0.30, 0.20, 0.10]


@pytest.mark.parametrize(
    ("train", "val", "expected"),
    [
        (FALLING, [0.40, 0.30, 0.33], OVERFIT),  # rose 10 % (> 5 %) while training fell
        (FALLING, [0.40, 0.30, 0.31], GOOD_FIT),  # rose 3.3 %: the rise condition fails
        ([0.30, 0.20, 0.25], [0.40, 0.30, 0.33], GOOD_FIT),  # training rose: the other fails
    ],
)
def test_over_fitting_needs_both_a_rise_and_a_falling_training_loss(train, val, expected):
    assert diagnose_fit(curve(train, val), 3, THRESHOLDS)[0] == expected


@pytest.mark.parametrize(
    ("train", "val", "expected"),
    [
        ([0.50, 0.45, 0.40], [0.50, 0.45, 0.42], UNDERFIT),  # 0.40 ≥ 0.33, gap 5 % ≤ 15 %
        ([0.30, 0.25, 0.20], [0.30, 0.25, 0.21], GOOD_FIT),  # training loss below 0.33
        ([0.50, 0.45, 0.40], [0.60, 0.55, 0.50], GOOD_FIT),  # gap 20 % of val (> 15 %)
    ],
)
def test_under_fitting_needs_both_a_high_training_loss_and_a_small_gap(train, val, expected):
    assert diagnose_fit(curve(train, val), 3, THRESHOLDS)[0] == expected
