"""Intervals, spreads and the two tie rules, on values with known answers."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from from_data_to_model.stats import (
    choice_rule,
    compare,
    describe,
    difference_interval,
    interval,
    interval_ties,
    seeds_needed,
    spread,
    standard_error_ties,
    t_interval,
)
from tests.conftest import base_evaluation

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


def runs_of(groups: dict[str, list[float]], column: str, measure: str) -> pd.DataFrame:
    """Runs of groups over seeds 1, 2, 3, ...: ``column`` names the group."""
    return pd.DataFrame([{column: key, "seed": seed, measure: v}
                         for key, losses in groups.items()
                         for seed, v in enumerate(losses, start=1)])  # fmt: skip


def table_of(runs: pd.DataFrame, column: str, measure: str) -> pd.DataFrame:
    """One row per group: its seeds and the ``describe`` columns of ``measure``."""
    return pd.DataFrame([{column: key, "seeds": len(g), **describe(g[measure], 0.95, measure)}
                         for key, g in runs.groupby(column, sort=False)])  # fmt: skip


PAIRED = base_evaluation(difference="paired")


def test_compare_pairs_by_seed_and_measures_the_seeds_correlation():
    a, b = [0.40, 0.50, 0.45], [0.30, 0.42, 0.33]
    runs = runs_of({"a": a, "b": b}, "value", "loss")
    result = compare(runs.iloc[::-1], "value", "a", "b", "loss", PAIRED)  # row order: no matter
    assert result["mean"] == pytest.approx(0.1) and result["seeds"] == 3
    assert result["correlation"] == pytest.approx(np.corrcoef(a, b)[0, 1])
    assert result["spread"] == pytest.approx(np.std([0.10, 0.08, 0.12], ddof=1))


def test_standard_error_ties_within_one_error_of_the_difference():
    # 2 minus 1 by seed: +0.002, +0.010, -0.010: mean 0.0007, standard error 0.0058: tied;
    # 3 minus 1: +0.10 on every seed: not
    groups = {"1": [0.30, 0.32, 0.31], "2": [0.302, 0.33, 0.30], "3": [0.40, 0.42, 0.41]}
    runs = runs_of(groups, "value", "loss")
    tied, rule = standard_error_ties(table_of(runs, "value", "loss"), runs, "value", "loss",
                                     PAIRED, tolerance=0.005)  # fmt: skip
    assert tied.tolist() == [True, True, False]
    assert rule == "within one standard error (paired) of their difference to it"


def test_standard_error_ties_with_one_seed_use_the_tolerance():
    runs = runs_of({"1": [0.30], "2": [0.304], "3": [0.306]}, "value", "loss")
    tied, rule = standard_error_ties(table_of(runs, "value", "loss"), runs, "value", "loss",
                                     PAIRED, tolerance=0.005)  # fmt: skip
    assert tied.tolist() == [True, True, False]
    assert rule == "within 0.005 of it (one seed, no error)"


def test_interval_ties_and_their_one_seed_fallback():
    evaluation = base_evaluation(difference="welch", choice={"tie_tolerance": 0.01})
    groups = {"a": [0.32, 0.34, 0.33], "b": [0.335, 0.337, 0.336], "c": [0.40, 0.41, 0.39]}
    runs = runs_of(groups, "variant", "model_val_loss")
    table = table_of(runs, "variant", "model_val_loss")
    tied, rule = interval_ties(table, runs, "model_val_loss", evaluation)
    assert tied.tolist() == [True, True, False]  # b - a: +0.006 ± 0.024; c - a: +0.07 ± 0.03
    assert rule == (
        "the difference to the lowest has Welch's 95% t-interval (the seeds as independent "
        "samples) that contains 0"
    )
    assert rule.removeprefix("the difference to the lowest") in choice_rule(evaluation)
    single = table.assign(seeds=1)
    tied, rule = interval_ties(single, runs, "model_val_loss", evaluation)
    assert tied.tolist() == [True, True, False] and rule == "one seed, so within 0.01 of each other"


def test_a_fixed_difference_on_every_seed_is_known_exactly_when_paired():
    base = [0.30, 0.45, 0.38]
    better = [v - 0.02 for v in base]
    paired = difference_interval(better, base, 0.95, paired=True)
    assert paired["mean"] == pytest.approx(-0.02) and paired["se"] == pytest.approx(0, abs=1e-12)
    assert (paired["low"], paired["high"]) == pytest.approx((-0.02, -0.02))
    unpaired = difference_interval(better, base, 0.95, paired=False)
    assert unpaired["low"] < -0.15 and unpaired["high"] > 0.1  # the seeds' own spread: wide


def test_paired_interval_of_known_differences():
    differences = [1.0, 2.0, 3.0]  # mean 2, sd 1
    result = difference_interval([d + 5 for d in differences], [5, 5, 5], 0.95, paired=True)
    half = T_975_2DF / math.sqrt(3)
    assert (result["low"], result["high"], result["df"]) == pytest.approx((2 - half, 2 + half, 2))


def test_welch_interval_of_known_samples():
    a, b = [1.0, 2.0, 3.0], [0.0, 0.5, 1.0]  # variances 1 and 0.25, 3 each
    result = difference_interval(a, b, 0.95, paired=False)
    se = math.sqrt(1 / 3 + 0.25 / 3)
    df = (1 / 3 + 0.25 / 3) ** 2 / ((1 / 3) ** 2 / 2 + (0.25 / 3) ** 2 / 2)
    assert (result["mean"], result["se"], result["df"]) == pytest.approx((1.5, se, df))
    half = stats.t.ppf(0.975, df) * se
    assert (result["low"], result["high"]) == pytest.approx((1.5 - half, 1.5 + half))


def test_one_seed_has_no_difference_interval():
    result = difference_interval([0.3], [0.4], 0.95, paired=False)
    assert result["mean"] == pytest.approx(-0.1) and math.isnan(result["low"])
    assert math.isnan(difference_interval([0.3], [0.4], 0.95, paired=True)["high"])


@pytest.mark.parametrize(
    ("effect", "paired", "seeds"),
    [(1.0, True, 10), (1.0, False, 17), (0.5, True, 34), (0.5, False, 64)],
)
def test_seeds_needed_for_80_percent_power_match_the_textbook(effect, paired, seeds):
    """Cohen's d of 1 and 0.5 at a two-sided 5 %: 10 and 34 pairs, or 17 and 64 per group
    (as G*Power gives)."""
    assert seeds_needed(effect, 1.0, 0.95, paired) == seeds


def test_no_effect_no_estimate():
    assert seeds_needed(0.0, 1.0, 0.95, paired=True) is None
    assert seeds_needed(0.001, 1.0, 0.95, paired=True, most=50) is None


# The tie rules' conditions, one at a time: the verdict flips when only that condition does.
@pytest.mark.parametrize(("shift", "tied"), [(0.015, True), (0.05, False)])
def test_an_interval_tie_needs_an_interval_that_contains_0(shift, tied):
    """b is a shifted by ``shift``, its spread the same: ±0.0227 for Welch's interval."""
    evaluation = base_evaluation(difference="welch")
    a = [0.32, 0.34, 0.33]
    runs = runs_of({"a": a, "b": [v + shift for v in a]}, "variant", "model_val_loss")
    table = table_of(runs, "variant", "model_val_loss")
    assert interval_ties(table, runs, "model_val_loss", evaluation)[0].tolist() == [True, tied]


@pytest.mark.parametrize(("gap", "tied"), [(0.0049, True), (0.0051, False)])
def test_a_one_seed_tie_needs_a_gap_within_the_tolerance(gap, tied):
    evaluation = base_evaluation(choice={"tie_tolerance": 0.005})
    runs = runs_of({"a": [0.30], "b": [0.30 + gap]}, "variant", "model_val_loss")
    table = table_of(runs, "variant", "model_val_loss")
    assert interval_ties(table, runs, "model_val_loss", evaluation)[0].tolist() == [True, tied]


@pytest.mark.parametrize(("shift", "tied"), [(0.005, True), (0.02, False)])
def test_a_standard_error_tie_needs_a_difference_within_one_error(shift, tied):
    """b is a shifted by ``shift``: their Welch difference has a standard error of 0.0082."""
    a = [0.32, 0.34, 0.33]
    runs = runs_of({"a": a, "b": [v + shift for v in a]}, "value", "loss")
    table = table_of(runs, "value", "loss")
    verdict, _ = standard_error_ties(
        table, runs, "value", "loss", base_evaluation(difference="welch"), tolerance=0.005
    )
    assert verdict.tolist() == [True, tied]
