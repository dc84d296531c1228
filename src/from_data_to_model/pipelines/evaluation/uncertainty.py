"""Seed-to-seed uncertainty: t-intervals, paired differences, what they allow us to say.

With a handful of seeds a t-interval is the honest choice: it widens with few runs, where
a bootstrap of 3 values can only reshuffle those 3 and claims more certainty than it has.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

# Run-table columns summarised per variant as mean, std and interval.
MEASURES = ["test_data_loss", "test_accuracy", "model_val_loss", "best_epoch"]
# The column variants are compared on, seed by seed: validation, never test.
COMPARED = "model_val_loss"


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


def paired_differences(runs: pd.DataFrame, baseline: str, column: str = COMPARED) -> pd.Series:
    """Per run: its ``column`` minus the baseline's on the same seed (NaN without one)."""
    reference = runs[runs["variant"] == baseline].set_index("seed")[column]
    return runs[column] - runs["seed"].map(reference)


def verdict(row: pd.Series, baseline: str) -> str:
    """One sentence on a variant's paired difference to the baseline."""
    seeds = int(row["seeds"])
    if row["variant"] == baseline:
        return "the baseline"
    if seeds < 2:
        return (
            f"one seed: validation loss {row['val_diff_mean']:+.4f} against {baseline}, "
            "no interval, so no claim beyond this single run"
        )
    figures = (
        f"validation loss {row['val_diff_mean']:+.4f}, 95 % interval "
        f"{row['val_diff_ci_low']:+.4f} to {row['val_diff_ci_high']:+.4f}, {seeds} seeds"
    )
    if row["val_diff_ci_high"] < 0:
        return f"better than the original ({baseline}) beyond seed noise ({figures})"
    if row["val_diff_ci_low"] > 0:
        return f"worse than the original ({baseline}) beyond seed noise ({figures})"
    return f"not distinguishable from the original ({baseline}) with {seeds} seeds ({figures})"


def aggregate_variants(runs: pd.DataFrame, evaluation: dict[str, Any]) -> pd.DataFrame:
    """One row per variant: each measure's mean, std and interval over the seeds, and the
    paired difference in validation loss to the baseline with its interval and verdict."""
    confidence, baseline = evaluation["confidence"], evaluation["baseline"]
    runs = runs.assign(val_diff=paired_differences(runs, baseline))
    rows = []
    for variant, group in runs.groupby("variant", sort=False):
        diagnoses = group["diagnosis"].value_counts()  # the most frequent first
        row = {
            "variant": variant,
            "seeds": len(group),
            "diagnosis": diagnoses.index[0],
            "diagnosis_seeds": int(diagnoses.iloc[0]),
        }
        for measure in [*MEASURES, "val_diff"]:
            row |= describe(group[measure], confidence, measure)
        first = group.iloc[0]
        for column in ["gap_at_best", "fit_seconds"]:
            row[f"{column}_mean"] = float(group[column].mean())
        for column in ["parameter_count", "hidden_units", "l1", "l2", "dropout_layers",
                       "epochs", "batch_size", "early_stopping", "test_rows"]:  # fmt: skip
            row[column] = first[column]
        rows.append(row)
    table = pd.DataFrame(rows)
    table["comparison"] = table.apply(verdict, axis=1, baseline=baseline)
    return table
