"""Fit-diagnosis rules on synthetic learning curves with a known reading."""

from __future__ import annotations

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
