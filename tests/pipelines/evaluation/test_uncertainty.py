"""Intervals and paired differences on synthetic results with known answers."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from from_data_to_model.pipelines.evaluation.uncertainty import (
    aggregate_variants,
    paired_differences,
    t_interval,
    verdict,
)

EVALUATION = {"confidence": 0.95, "baseline": "base"}


def test_t_interval_of_three_values():
    low, high = t_interval([1.0, 2.0, 3.0], 0.95)
    half = 4.302653 / math.sqrt(3)  # t(0.975, 2 df) × s / √n, with s = 1
    assert (low, high) == pytest.approx((2 - half, 2 + half), rel=1e-6)


def test_one_value_has_no_interval():
    assert all(math.isnan(x) for x in t_interval([0.3], 0.95))


def runs(rows):
    columns = ["variant", "seed", "model_val_loss", "test_data_loss", "test_accuracy",
               "best_epoch", "diagnosis", "gap_at_best", "fit_seconds"]  # fmt: skip
    table = pd.DataFrame(rows, columns=columns)
    for column in ["parameter_count", "hidden_units", "l1", "l2", "dropout_layers", "epochs",
                   "batch_size", "early_stopping", "test_rows"]:  # fmt: skip
        table[column] = 1
    return table


def test_differences_pair_runs_by_seed_not_by_row_order():
    table = runs(
        [
            ["base", 1, 0.40, 0, 0, 1, "good fit", 0, 0],
            ["base", 2, 0.50, 0, 0, 1, "good fit", 0, 0],
            ["x", 2, 0.45, 0, 0, 1, "good fit", 0, 0],  # seed 2 listed first
            ["x", 1, 0.30, 0, 0, 1, "good fit", 0, 0],
        ]
    )
    assert paired_differences(table, "base").tolist() == pytest.approx([0, 0, -0.05, -0.10])


def test_paired_comparison_sees_what_unpaired_intervals_miss():
    """Seeds move both variants together: x is better on every seed, by 0.01 ± 0.001."""
    base = [0.30, 0.40, 0.50]
    rows = [["base", s, v, 0.3, 0.9, 10, "good fit", 0.1, 1] for s, v in enumerate(base)]
    rows += [["x", s, v - d, 0.3, 0.9, 10, "good fit", 0.1, 1]
             for s, (v, d) in enumerate(zip(base, (0.009, 0.010, 0.011), strict=True))]  # fmt: skip
    table = aggregate_variants(runs(rows), EVALUATION).set_index("variant")
    x = table.loc["x"]
    assert x["val_diff_mean"] == pytest.approx(-0.010)
    assert x["val_diff_ci_high"] < 0  # beyond seed noise, paired
    assert x["model_val_loss_ci_low"] < table.loc["base", "model_val_loss_mean"]  # unpaired overlap
    assert x["comparison"].startswith("better than the original (base) beyond seed noise")
    assert table.loc["base", "comparison"] == "the baseline"


@pytest.mark.parametrize(
    ("differences", "expected"),
    [
        ((0.02, 0.03, 0.025), "worse than the original (base) beyond seed noise"),
        ((-0.02, 0.03, 0.0), "not distinguishable from the original (base) with 3 seeds"),
    ],
)
def test_verdicts(differences, expected):
    rows = [["base", s, 0.4, 0.3, 0.9, 10, "good fit", 0.1, 1] for s in (1, 2, 3)]
    rows += [["x", s, 0.4 + d, 0.3, 0.9, 10, "good fit", 0.1, 1]
             for s, d in zip((1, 2, 3), differences, strict=True)]  # fmt: skip
    table = aggregate_variants(runs(rows), EVALUATION).set_index("variant")
    assert table.loc["x", "comparison"].startswith(expected)


def test_single_seed_gives_no_interval_and_says_so():
    rows = [["base", 7, 0.40, 0.3, 0.9, 10, "over-fitting", 0.1, 1],
            ["x", 7, 0.35, 0.3, 0.9, 10, "good fit", 0.1, 1]]  # fmt: skip
    table = aggregate_variants(runs(rows), EVALUATION).set_index("variant")
    assert math.isnan(table.loc["x", "test_data_loss_ci_low"])
    assert math.isnan(table.loc["x", "val_diff_std"])
    assert "no interval, so no claim beyond this single run" in table.loc["x", "comparison"]


def test_most_frequent_diagnosis_and_its_count():
    diagnoses = ("good fit", "over-fitting", "over-fitting")
    rows = [["base", s, 0.4, 0.3, 0.9, 10, d, 0.1, 1] for s, d in enumerate(diagnoses)]
    row = aggregate_variants(runs(rows), EVALUATION).iloc[0]
    assert (row["diagnosis"], row["diagnosis_seeds"], row["seeds"]) == ("over-fitting", 2, 3)


def test_verdict_needs_the_variant_and_seed_count():
    row = pd.Series({"variant": "x", "seeds": 1, "val_diff_mean": -0.01})
    assert verdict(row, "base").startswith("one seed")
