"""The model choice reads validation figures only, and counts overlapping intervals as ties."""

from __future__ import annotations

import pandas as pd

from from_data_to_model.pipelines.evaluation.choice import VALIDATION_COLUMNS, choose_model

RULE = {"tie_tolerance": 0.005}


def table(rows, seeds=3):
    """Rows: variant, mean, interval low, interval high, gap, parameters, test loss."""
    frame = pd.DataFrame(
        rows,
        columns=["variant", "model_val_loss_mean", "model_val_loss_ci_low",
                 "model_val_loss_ci_high", "gap_at_best_mean", "parameter_count",
                 "test_data_loss_mean"],
    )  # fmt: skip
    return frame.assign(seeds=seeds, diagnosis="good fit", diagnosis_seeds=seeds)


def test_validation_decides_even_when_test_disagrees():
    report = table(
        [
            ["a", 0.30, 0.29, 0.31, 0.05, 1000, 0.40],  # best on validation, worst on test
            ["b", 0.35, 0.34, 0.36, 0.05, 10, 0.20],  # best on test, smaller
        ]
    )
    choice = choose_model(report, RULE)
    assert choice["variant"] == "a" and choice["tied_with"] == []
    assert "0.3000" in choice["reason"] and "0.40" not in choice["reason"]


def test_test_columns_are_never_read():
    report = table([["a", 0.30, 0.29, 0.31, 0.05, 1000, 0.4], ["b", 0.35, 0.3, 0.4, 0.05, 10, 0.2]])
    assert choose_model(report[VALIDATION_COLUMNS], RULE) == choose_model(report, RULE)
    assert not any(c.startswith("test_") for c in VALIDATION_COLUMNS)


def test_overlapping_intervals_tie_and_the_smaller_model_wins():
    report = table(
        [
            ["big", 0.330, 0.320, 0.340, 0.10, 1_000_000, 0.3],
            ["small", 0.336, 0.335, 0.337, 0.10, 100_000, 0.3],  # inside big's interval
            ["far", 0.400, 0.390, 0.410, 0.01, 10, 0.3],
        ]
    )
    choice = choose_model(report, RULE)
    assert choice["variant"] == "small" and choice["tied_with"] == ["big"]
    assert "95 % intervals over 3 seeds overlap" in choice["reason"]
    assert "cannot be told from the lowest, big's (0.3300)" in choice["reason"]


def test_one_seed_falls_back_to_the_tie_tolerance():
    nan = float("nan")
    report = table(
        [["x", 0.330, nan, nan, 0.20, 500, 0], ["y", 0.332, nan, nan, 0.05, 500, 0],
         ["z", 0.340, nan, nan, 0.01, 5, 0]],
        seeds=1,
    )  # fmt: skip
    choice = choose_model(report, RULE)
    assert choice["variant"] == "y"  # tied with x on size, smaller gap; z is 0.01 away
    assert "one seed, so within 0.005 of each other" in choice["reason"]
