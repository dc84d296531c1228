"""Seed-to-seed uncertainty: intervals, differences, and when results count as tied.

One module for every rule the project applies to results over seeds, each with its use:

* **Intervals** (``t_interval``, ``describe``): the t-interval of the mean over the seeds.
  With a handful of seeds it is the honest choice: it widens with few runs, where a
  bootstrap of 3 values can only reshuffle those 3 and claims more certainty than it has.
* **Comparisons with the baseline** (``paired_differences``): seed k of a variant minus
  seed k of the baseline, and the t-interval of those differences.
* **The study's choice** (``overlap_ties``): variants whose intervals overlap the best
  one's are tied. Overlap is a strict test of a difference (two intervals can overlap
  while their difference is resolved), so it counts more variants as tied: the choice then
  goes to the simplest of them, which is the conservative side for picking a model.
* **The tuning's settled value** (``standard_error_ties``): the one-standard-error rule.
  A sweep has 2 seeds by default: their t-intervals (t = 12.7) would span almost the
  whole curve, while one standard error of the best value still separates the points of
  a curve that clearly bends.

With a single seed neither interval nor standard error exists: both tie rules then count
results within a stated tolerance of the best as tied.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats


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


def paired_differences(runs: pd.DataFrame, baseline: str, column: str) -> pd.Series:
    """Per run: its ``column`` minus the baseline's on the same seed (NaN without one)."""
    reference = runs[runs["variant"] == baseline].set_index("seed")[column]
    return runs[column] - runs["seed"].map(reference)


def overlap_ties(table: pd.DataFrame, measure: str, tolerance: float) -> tuple[pd.Series, str]:
    """The study's choice rule: rows whose interval of ``measure`` overlaps the interval of
    the row with the lowest mean; with one seed (no interval), rows within ``tolerance``
    of that mean.

    Returns:
        Which rows are tied with the best (the best included), and the rule in words.
    """
    best = table.loc[table[f"{measure}_mean"].idxmin()]
    if math.isnan(best[f"{measure}_ci_high"]):
        tied = table[f"{measure}_mean"] <= best[f"{measure}_mean"] + tolerance
        return tied, f"one seed, so within {tolerance} of each other"
    tied = table[f"{measure}_ci_low"] <= best[f"{measure}_ci_high"]
    return tied, f"95 % intervals over {int(best['seeds'])} seeds overlap"


def standard_error_ties(
    table: pd.DataFrame, measure: str, tolerance: float
) -> tuple[pd.Series, str]:
    """The tuning's rule: rows whose mean ``measure`` is within one standard error (over the
    seeds, of the best row) of the lowest mean; with one seed, within ``tolerance``.

    Returns:
        Which rows are tied with the best (the best included), and the rule in words.
    """
    best = table.loc[table[f"{measure}_mean"].idxmin()]
    seeds = int(best["seeds"])
    if seeds < 2:
        margin, rule = tolerance, f"within {tolerance} of it (one seed, no error)"
    else:
        margin = best[f"{measure}_std"] / math.sqrt(seeds)
        rule = f"within one standard error ({margin:.4f}, {seeds} seeds) of it"
    return table[f"{measure}_mean"] <= best[f"{measure}_mean"] + margin, rule
