"""Intervals, spreads and the two tie rules, on values with known answers."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from from_data_to_model.stats import (
    describe,
    interval,
    overlap_ties,
    paired_differences,
    spread,
    standard_error_ties,
    t_interval,
)

T_975_2DF = 4.302653  # t(0.975) with 2 degrees of freedom


def test_t_interval_of_three_values():
    low, high = t_interval([1.0, 2.0, 3.0], 0.95)
    half = T_975_2DF / math.sqrt(3)  # × s / √n, with s = 1
    assert (low, high) == pytest.approx((2 - half, 2 + half), rel=1e-6)


def test_one_value_has_no_interval():
    assert all(math.isnan(x) for x in t_interval([0.3], 0.95))


def test_describe_spread_and_interval_in_words():
    row = pd.Series(describe([0.30, 0.31], 0.95, "loss"))
    assert row["loss_mean"] == pytest.approx(0.305) and row["loss_std"] == pytest.approx(
        0.00707, rel=1e-3
    )
    assert spread(row, "loss") == "0.3050 ± 0.0071"
    assert interval(row, "loss") == "[0.2415, 0.3685]"  # 0.305 ± 12.706 × 0.005
    single = pd.Series(describe([0.3], 0.95, "loss"))
    assert spread(single, "loss") == "0.3000" and interval(single, "loss") == "n/a"


def test_paired_differences_match_seeds_not_rows():
    runs = pd.DataFrame({"variant": ["base", "base", "x", "x"], "seed": [1, 2, 2, 1],
                         "loss": [0.40, 0.50, 0.45, 0.30]})  # fmt: skip
    assert paired_differences(runs, "base", "loss").tolist() == pytest.approx([0, 0, -0.05, -0.1])


def curve(means, stds, seeds):
    return pd.DataFrame({"seeds": seeds, "loss_mean": means, "loss_std": stds})


def test_standard_error_ties_within_one_error_of_the_best():
    table = curve([0.30, 0.305, 0.32], [0.02, 0.01, 0.01], seeds=4)  # error of the best: 0.01
    tied, rule = standard_error_ties(table, "loss", tolerance=0.005)
    assert tied.tolist() == [True, True, False]
    assert rule == "within one standard error (0.0100, 4 seeds) of it"


def test_standard_error_ties_with_one_seed_use_the_tolerance():
    tied, rule = standard_error_ties(curve([0.30, 0.304, 0.306], [math.nan] * 3, 1), "loss", 0.005)
    assert (
        tied.tolist() == [True, True, False] and rule == "within 0.005 of it (one seed, no error)"
    )


def test_overlap_ties_and_their_one_seed_fallback():
    table = curve([0.33, 0.336, 0.40], [0.01] * 3, 3).assign(
        loss_ci_low=[0.32, 0.335, 0.39], loss_ci_high=[0.34, 0.337, 0.41]
    )
    tied, rule = overlap_ties(table, "loss", tolerance=0.005)
    assert tied.tolist() == [True, True, False] and rule == "95 % intervals over 3 seeds overlap"
    single = table.assign(loss_ci_low=math.nan, loss_ci_high=math.nan, seeds=1)
    tied, rule = overlap_ties(single, "loss", tolerance=0.01)
    assert tied.tolist() == [True, True, False] and rule == "one seed, so within 0.01 of each other"
