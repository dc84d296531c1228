"""The model choice, made on validation data only and aware of seed noise."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

# The only report columns the choice may read: never a test figure.
VALIDATION_COLUMNS = [
    "variant", "seeds", "model_val_loss_mean", "model_val_loss_ci_low", "model_val_loss_ci_high",
    "gap_at_best_mean", "parameter_count", "diagnosis", "diagnosis_seeds",
]  # fmt: skip


def _tied(candidates: pd.DataFrame, best: pd.Series, rule: dict[str, Any]) -> pd.Series:
    """Variants the data cannot tell from the best: overlapping intervals, or, with one
    seed (no interval), a validation loss within the tie tolerance."""
    if math.isnan(best["model_val_loss_ci_high"]):
        return (
            candidates["model_val_loss_mean"] <= best["model_val_loss_mean"] + rule["tie_tolerance"]
        )
    return candidates["model_val_loss_ci_low"] <= best["model_val_loss_ci_high"]


def _describe(row: pd.Series) -> str:
    return (
        f"validation loss {row['model_val_loss_mean']:.4f}, "
        f"{int(row['parameter_count']):,} parameters, gap {row['gap_at_best_mean']:+.3f}"
    )


def choose_model(report: pd.DataFrame, rule: dict[str, Any]) -> dict[str, Any]:
    """Pick the variant with the lowest mean validation loss, ties counted honestly.

    Variants whose validation-loss interval overlaps the best one's are tied (with a
    single seed, those within ``rule["tie_tolerance"]``); among them the one with the
    fewest parameters wins, then the smaller generalization gap. Only
    ``VALIDATION_COLUMNS`` are read, so a test figure cannot sway the choice.

    Returns:
        ``{"variant", "reason", "tied_with", "model_val_loss"}``.
    """
    candidates = report[VALIDATION_COLUMNS]
    best = candidates.loc[candidates["model_val_loss_mean"].idxmin()]
    tied = candidates[_tied(candidates, best, rule)]
    ranked = tied.sort_values(["parameter_count", "gap_at_best_mean", "model_val_loss_mean"])
    chosen, others = ranked.iloc[0], ranked.iloc[1:]
    seeds = int(best["seeds"])
    tie_rule = (
        f"95 % intervals over {seeds} seeds overlap"
        if seeds > 1
        else f"one seed, so within {rule['tie_tolerance']} of each other"
    )
    reason = (
        f"its validation loss is the lowest ({chosen['model_val_loss_mean']:.4f})"
        if chosen["variant"] == best["variant"]
        else f"its validation loss ({chosen['model_val_loss_mean']:.4f}) cannot be told "
        f"from the lowest, {best['variant']}'s ({best['model_val_loss_mean']:.4f})"
    )
    if len(others):
        described = ", ".join(f"{r['variant']} ({_describe(r)})" for _, r in others.iterrows())
        reason += (
            f"; tied ({tie_rule}): {described}; a tie goes to the fewest parameters, then "
            f"the smaller generalization gap, and {chosen['variant']} has {_describe(chosen)}"
        )
    reason += (
        f"; its learning curves read as {chosen['diagnosis']} "
        f"({chosen['diagnosis_seeds']} of {seeds} seeds)."
    )
    return {
        "variant": str(chosen["variant"]),
        "reason": reason,
        "tied_with": [str(v) for v in others["variant"]],
        "model_val_loss": float(chosen["model_val_loss_mean"]),
    }
