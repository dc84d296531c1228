"""The model choice reads validation figures only."""

from __future__ import annotations

import pandas as pd

from from_data_to_model.pipelines.evaluation.choice import VALIDATION_COLUMNS, choose_model

RULE = {"tie_tolerance": 0.005}


def table(rows):
    return pd.DataFrame(
        rows,
        columns=[
            "variant",
            "model_val_loss",
            "gap_at_best",
            "parameter_count",
            "diagnosis",
            "test_loss",
            "test_accuracy",
        ],
    )


def test_validation_decides_even_when_test_disagrees():
    report = table(
        [
            ["a", 0.30, 0.05, 1000, "good fit", 0.40, 0.80],  # best on validation, worst on test
            ["b", 0.35, 0.05, 1000, "good fit", 0.20, 0.95],  # best on test
        ]
    )
    choice = choose_model(report, RULE)
    assert choice["variant"] == "a"
    assert "0.3000" in choice["reason"] and "0.40" not in choice["reason"]


def test_test_columns_are_never_read():
    report = table(
        [
            ["a", 0.30, 0.05, 1000, "good fit", 0.40, 0.80],
            ["b", 0.35, 0.05, 10, "good fit", 0.2, 0.9],
        ]
    )
    without_test = report[VALIDATION_COLUMNS]
    assert choose_model(without_test, RULE) == choose_model(report, RULE)
    assert not any(c.startswith("test_") for c in VALIDATION_COLUMNS)


def test_tie_goes_to_the_smaller_model():
    report = table(
        [
            ["big", 0.330, 0.10, 1_000_000, "good fit", 0.3, 0.9],
            ["small", 0.333, 0.10, 100_000, "good fit", 0.3, 0.9],
            ["far", 0.400, 0.01, 10, "good fit", 0.3, 0.9],
        ]
    )
    choice = choose_model(report, RULE)
    assert choice["variant"] == "small" and choice["tied_with"] == ["big"]
    assert "fewest parameters" in choice["reason"] and "100,000 parameters" in choice["reason"]


def test_equal_size_tie_goes_to_smaller_gap():
    report = table(
        [["x", 0.330, 0.20, 500, "good fit", 0, 0], ["y", 0.332, 0.05, 500, "good fit", 0, 0]]
    )
    assert choose_model(report, RULE)["variant"] == "y"
