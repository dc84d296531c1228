"""Calibration figures on predictions whose answers are known."""

from __future__ import annotations

import numpy as np
import pytest

from from_data_to_model.calibration import (
    bootstrap_intervals,
    expected_calibration_error,
    fit_temperature,
    labels_of,
    negative_log_likelihood,
    paired_bootstrap_difference,
    reliability_bins,
    temperature_scaled,
)


def calibrated_predictions(n: int = 20000, classes: int = 10, seed: int = 0):
    """Probabilities that are calibrated by construction: each label is drawn from them."""
    rng = np.random.default_rng(seed)
    logits = rng.normal(scale=3.0, size=(n, classes))
    probabilities = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    labels = np.array([rng.choice(classes, p=p) for p in probabilities])
    return probabilities, labels


def test_calibrated_predictions_have_a_small_ece_and_overconfident_ones_a_large_one():
    probabilities, labels = calibrated_predictions()
    assert expected_calibration_error(probabilities, labels, 15) < 0.015
    sharpened = temperature_scaled(probabilities, 0.5)  # overconfident
    assert expected_calibration_error(sharpened, labels, 15) > 0.05


def test_ece_by_hand():
    # two rows at confidence 0.9 (one right), one at 0.6 (right): two of the 15 bins
    probabilities = np.array([[0.9, 0.1], [0.9, 0.1], [0.6, 0.4]])
    labels = np.array([0, 1, 0])
    expected = (2 / 3) * abs(0.5 - 0.9) + (1 / 3) * abs(1.0 - 0.6)
    assert expected_calibration_error(probabilities, labels, 15) == pytest.approx(expected)
    bins = reliability_bins(probabilities, labels, 15)
    assert bins["rows"].sum() == 3 and len(bins) == 15


def test_temperature_scaling_recovers_the_temperature_that_spoilt_calibration():
    probabilities, labels = calibrated_predictions()
    spoilt = temperature_scaled(probabilities, 0.5)  # softmax(2 log p)
    temperature = fit_temperature(spoilt, labels)
    assert temperature == pytest.approx(2.0, rel=0.05)
    fixed = temperature_scaled(spoilt, temperature)
    assert negative_log_likelihood(fixed, labels) < negative_log_likelihood(spoilt, labels)
    # scaling keeps every prediction's class, and 1 / T undoes T
    assert (fixed.argmax(axis=1) == spoilt.argmax(axis=1)).all()
    np.testing.assert_allclose(temperature_scaled(fixed, 1 / temperature), spoilt, atol=1e-6)


def test_bootstrap_interval_holds_the_figure_and_narrows_with_more_rows():
    probabilities, labels = calibrated_predictions(4000)
    small = bootstrap_intervals(probabilities[:400], labels[:400], 15, 200, 0.95, seed=1)
    large = bootstrap_intervals(probabilities, labels, 15, 200, 0.95, seed=1)
    for figures in (small, large):
        for name in ("accuracy", "nll", "ece"):
            assert figures[f"{name}_low"] <= figures[name] <= figures[f"{name}_high"]
    width = {k: f["accuracy_high"] - f["accuracy_low"] for k, f in (("s", small), ("l", large))}
    assert width["l"] < width["s"]


def test_paired_difference_tells_a_better_model_from_a_worse_one():
    probabilities, labels = calibrated_predictions(4000)
    worse = temperature_scaled(probabilities, 0.4)
    difference = paired_bootstrap_difference(probabilities, [worse], labels, 200, 0.95, seed=0)
    assert difference["high"] < 0  # the calibrated one's loss is lower, and it is resolved
    same = paired_bootstrap_difference(probabilities, [probabilities], labels, 50, 0.95, seed=0)
    assert same == {"difference": 0.0, "low": 0.0, "high": 0.0}


def test_labels_from_one_hot_rows_or_indices():
    assert labels_of(np.eye(3)[[2, 0]]).tolist() == [2, 0]
    assert labels_of(np.array([1, 2])).tolist() == [1, 2]
