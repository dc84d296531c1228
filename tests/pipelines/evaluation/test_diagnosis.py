"""Fit-diagnosis rules on synthetic learning curves with a known reading."""

from __future__ import annotations

import pytest
import yaml

from from_data_to_model.pipelines.evaluation.diagnosis import (
    GOOD_FIT,
    OVERFIT,
    UNDERFIT,
    diagnose_fit,
)
from tests.conftest import PROJECT_ROOT
from tests.pipelines.evaluation.histories import clear_overfit, clear_underfit, good_fit

THRESHOLDS = yaml.safe_load((PROJECT_ROOT / "conf/base/parameters_evaluation.yml").read_text())[
    "evaluation"
]["diagnosis"]


@pytest.mark.parametrize(
    ("curve", "expected"),
    [(clear_overfit, OVERFIT), (clear_underfit, UNDERFIT), (good_fit, GOOD_FIT)],
)
def test_rules_read_clear_cases(curve, expected):
    h = curve()
    diagnosis, reason = diagnose_fit(h, len(h), THRESHOLDS)
    assert diagnosis == expected
    assert reason  # a sentence with the numbers behind it


def test_overfit_reason_quotes_the_numbers():
    _, reason = diagnose_fit(clear_overfit(), 10, THRESHOLDS)
    assert "rose 30%" in reason and "0.350 (epoch 5)" in reason and "0.455" in reason


def test_model_restored_at_best_epoch_is_not_overfit():
    h = clear_overfit().iloc[:8]
    assert diagnose_fit(h, 5, THRESHOLDS)[0] != OVERFIT


def test_thresholds_come_from_parameters():
    lenient = {**THRESHOLDS, "overfit_min_val_rise": 0.5}
    assert diagnose_fit(clear_overfit(), 10, lenient)[0] != OVERFIT
    strict = {**THRESHOLDS, "underfit_min_train_loss": 0.1, "underfit_max_relative_gap": 0.5}
    assert diagnose_fit(good_fit(), 6, strict)[0] == UNDERFIT
