"""Seed-to-seed uncertainty: intervals, differences, and when results count as tied.

One module for every rule the project applies to results over seeds, each with its use:

* **Intervals** (``t_interval``, ``describe``): the t-interval of the mean over the seeds.
  With a handful of seeds it is the honest choice: it widens with few runs, where a
  bootstrap of 3 values can only reshuffle those 3 and claims more certainty than it has.
* **Differences** (``difference_interval``, ``compare``): one function gives the interval
  of a difference between two sets of runs, paired (seed by seed) or Welch's (the two as
  independent samples), as ``evaluation.difference`` says. Every comparison uses it.
* **Comparisons with the baseline**: the variant minus the original, and its interval: a
  difference is resolved when the interval leaves out 0; ``seeds_needed`` says how many
  seeds would resolve one that is not yet.
* **The study's choice** (``interval_ties``): variants whose difference to the best has an
  interval that contains 0 are tied with it: the data cannot tell them apart. The choice
  then goes to the simplest of them.
* **The tuning's settled value** (``standard_error_ties``): a value ties the best when
  their difference is within one standard error of that difference (the one-standard-
  error rule, on the difference). A sweep has 2 seeds by default, where a 95 % interval
  (t from 4.3 to 12.7 with 2 seeds) would tie almost every point of a curve that clearly
  bends.

With a single seed neither interval nor standard error exists: both tie rules then count
results within a stated tolerance of the best as tied.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from from_data_to_model.evaluation_spec import Evaluation


def t_interval(values: Any, confidence: float) -> tuple[float, float]:
    """The ``confidence`` t-interval of the mean of ``values``; NaNs with fewer than two."""
    values = np.asarray(values, dtype=float)
    if len(values) < 2:
        return math.nan, math.nan
    half = stats.t.ppf((1 + confidence) / 2, len(values) - 1) * stats.sem(values)
    return float(values.mean() - half), float(values.mean() + half)


def describe(values: Any, confidence: float, prefix: str) -> dict[str, float]:
    """``<prefix>_mean``, ``_std`` (n - 1), ``_ci_low`` and ``_ci_high`` of ``values``."""
    values = np.asarray(values, dtype=float)
    low, high = t_interval(values, confidence)
    std = float(values.std(ddof=1)) if len(values) > 1 else math.nan
    return {
        f"{prefix}_mean": float(values.mean()),
        f"{prefix}_std": std,
        f"{prefix}_ci_low": low,
        f"{prefix}_ci_high": high,
    }


def spread(row: pd.Series, measure: str, digits: int = 4) -> str:
    """``0.3050 ± 0.0071``: a measure's mean and standard deviation (just the mean for one
    seed), from the ``describe`` columns of a row."""
    mean, std = row[f"{measure}_mean"], row[f"{measure}_std"]
    return f"{mean:.{digits}f}" if math.isnan(std) else f"{mean:.{digits}f} ± {std:.{digits}f}"


def interval(row: pd.Series, measure: str, digits: int = 4) -> str:
    """``[0.3340, 0.4290]``, or ``n/a`` for one seed, from the ``describe`` columns of a row."""
    low, high = row[f"{measure}_ci_low"], row[f"{measure}_ci_high"]
    return "n/a" if math.isnan(low) else f"[{low:.{digits}f}, {high:.{digits}f}]"


def difference_interval(a: Any, b: Any, confidence: float, paired: bool) -> dict[str, float]:
    """The ``confidence`` t-interval of ``mean(a) - mean(b)``.

    ``paired``: seed k of ``a`` minus seed k of ``b`` (the two in the same seed order),
    a t-interval with n - 1 degrees of freedom; else Welch's: the two samples as
    independent, with the Welch-Satterthwaite degrees of freedom.

    Returns:
        ``mean``, ``low``, ``high``, ``se`` (the difference's standard error) and ``df``;
        the last four NaN where a side has fewer than two values.
    """
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    mean = float(a.mean() - b.mean())
    if paired:
        differences = a - b
        n = len(differences)
        se = float(differences.std(ddof=1) / math.sqrt(n)) if n > 1 else math.nan
        df = float(n - 1)
    elif min(len(a), len(b)) < 2:
        se = df = math.nan
    else:
        va, vb = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)
        se = float(math.sqrt(va + vb))
        df = (
            float((va + vb) ** 2 / (va**2 / (len(a) - 1) + vb**2 / (len(b) - 1)))
            if se
            else math.inf
        )
    if math.isnan(se):
        return {"mean": mean, "low": math.nan, "high": math.nan, "se": se, "df": df}
    half = float(stats.t.ppf((1 + confidence) / 2, df) * se) if se else 0.0
    return {"mean": mean, "low": mean - half, "high": mean + half, "se": se, "df": df}


def seeds_needed(
    effect: float,
    spread: float,
    confidence: float,
    paired: bool,
    power: float = 0.8,
    most: int = 1000,
) -> int | None:
    """How many seeds resolve a difference of ``effect`` with this ``power``: the smallest n
    at which a two-sided t-test at ``1 - confidence`` rejects "no difference" with that
    probability (noncentral t), when seeds spread by ``spread``.

    ``paired``: ``spread`` is the standard deviation of the seed-by-seed differences, n
    pairs; else each variant's standard deviation over seeds, n seeds each (Welch with
    equal spreads: 2n - 2 degrees of freedom). None when even ``most`` seeds would not do,
    or when there is no effect.
    """
    if not effect or not spread or math.isnan(effect) or math.isnan(spread):
        return None
    for n in range(2, most + 1):
        scale, df = (
            (spread / math.sqrt(n), n - 1) if paired else (spread * math.sqrt(2 / n), 2 * n - 2)
        )
        critical = stats.t.ppf((1 + confidence) / 2, df)
        shift = abs(effect) / scale
        achieved = stats.nct.sf(critical, df, shift) + stats.nct.cdf(-critical, df, shift)
        if achieved >= power:
            return n
    return None


def seed_values(runs: pd.DataFrame, column: str, key: Any, measure: str) -> pd.Series:
    """One group's ``measure`` over its seeds (indexed by seed), from a table of runs."""
    return runs[runs[column] == key].set_index("seed")[measure].sort_index()


def compare(
    runs: pd.DataFrame, column: str, a: Any, b: Any, measure: str, evaluation: Evaluation
) -> dict[str, float]:
    """Group ``a`` minus group ``b`` on ``measure`` (``column`` names the groups), by the
    configured interval (``evaluation.difference``: ``paired``, seeds matched, or
    ``welch``).

    Returns:
        ``difference_interval``'s figures, and the seeds' ``correlation`` between the two
        (Pearson, over the seeds both have; NaN below 3), the ``spread`` that
        ``seeds_needed`` takes, and the ``seeds`` each has.
    """
    x, y = seed_values(runs, column, a, measure), seed_values(runs, column, b, measure)
    common = x.index.intersection(y.index)
    paired = evaluation.paired
    if paired:
        x, y = x.loc[common], y.loc[common]
    result = difference_interval(x, y, evaluation.confidence, paired)
    both = x.loc[common], y.loc[common]
    correlation = float(np.corrcoef(*both)[0, 1]) if len(common) >= 3 else math.nan
    if paired:
        spread_ = float((x - y).std(ddof=1)) if len(x) > 1 else math.nan
    else:
        spread_ = (
            math.sqrt((x.var(ddof=1) + y.var(ddof=1)) / 2) if min(len(x), len(y)) > 1 else math.nan
        )
    return result | {"correlation": correlation, "spread": spread_, "seeds": min(len(x), len(y))}


def method(evaluation: Evaluation) -> str:
    """The configured difference interval, in words."""
    if evaluation.paired:
        return f"a paired {evaluation.confidence:.0%} t-interval (seed k against seed k)"
    return f"Welch's {evaluation.confidence:.0%} t-interval (the seeds as independent samples)"


def choice_rule(evaluation: Evaluation) -> str:
    """The study's tie rule, in words (the report says it beside the parameters)."""
    return (
        f"tied when the difference to the lowest validation loss has {method(evaluation)} "
        f"that contains 0 (one seed: within {evaluation.choice.tie_tolerance})"
    )


def interval_ties(
    table: pd.DataFrame, runs: pd.DataFrame, measure: str, evaluation: Evaluation
) -> tuple[pd.Series, str]:
    """The study's choice rule: variants (``table`` rows) whose difference to the variant
    with the lowest mean ``measure`` has an interval that contains 0; with one seed (no
    interval), those within ``evaluation.choice.tie_tolerance`` of it.

    Returns:
        Which rows are tied with the best (the best included), and the rule in words.
    """
    best = table.loc[table[f"{measure}_mean"].idxmin()]
    if int(best["seeds"]) < 2:
        tolerance = evaluation.choice.tie_tolerance
        tied = table[f"{measure}_mean"] <= best[f"{measure}_mean"] + tolerance
        return tied, f"one seed, so within {tolerance} of each other"
    lows = table["variant"].map(
        lambda v: compare(runs, "variant", v, best["variant"], measure, evaluation)["low"]
    )
    tied = (lows <= 0) | (table["variant"] == best["variant"])
    return tied, f"the difference to the lowest has {method(evaluation)} that contains 0"


def standard_error_ties(
    table: pd.DataFrame,
    runs: pd.DataFrame,
    column: str,
    measure: str,
    evaluation: Evaluation,
    tolerance: float,
) -> tuple[pd.Series, str]:
    """The tuning's rule: groups (``table[column]``) whose difference to the one with the
    lowest mean ``measure`` is within one standard error of that difference; with one seed,
    within ``tolerance``.

    Returns:
        Which rows are tied with the best (the best included), and the rule in words.
    """
    best = table.loc[table[f"{measure}_mean"].idxmin()]
    if int(best["seeds"]) < 2:
        tied = table[f"{measure}_mean"] <= best[f"{measure}_mean"] + tolerance
        return tied, f"within {tolerance} of it (one seed, no error)"

    def within(key: Any) -> bool:
        difference = compare(runs, column, key, best[column], measure, evaluation)
        return key == best[column] or difference["mean"] <= difference["se"]

    kind = "paired" if evaluation.paired else "Welch"
    rule = f"within one standard error ({kind}) of their difference to it"
    return table[column].map(within), rule
