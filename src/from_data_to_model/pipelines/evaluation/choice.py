"""The model choice, made from the validation table: no test figure is upstream of it."""

from __future__ import annotations

from typing import Any

import pandas as pd

from from_data_to_model.evaluation_spec import Evaluation
from from_data_to_model.stats import interval_ties


def _describe(row: pd.Series) -> str:
    return (
        f"validation loss {row['model_val_loss_mean']:.4f}, "
        f"{int(row['parameter_count']):,} parameters, gap {row['gap_at_best_mean']:+.3f}"
    )


def choose_model(
    validation: pd.DataFrame, runs: pd.DataFrame, evaluation: Evaluation
) -> dict[str, Any]:
    """Pick the variant with the lowest mean validation loss, ties counted honestly.

    Variants tied with the best by the study's rule (``stats.interval_ties``: their
    difference to the best has an interval that contains 0; with one seed, within the
    tie tolerance) are candidates; among them the one with the fewest parameters wins,
    then the smaller generalization gap. ``validation`` and ``runs`` are the validation
    table and the validation summaries: no test figure.

    Returns:
        ``{"variant", "reason", "tied_with", "model_val_loss"}``.
    """
    best = validation.loc[validation["model_val_loss_mean"].idxmin()]
    tied, tie_rule = interval_ties(validation, runs, "model_val_loss", evaluation)
    ranked = validation[tied].sort_values(
        ["parameter_count", "gap_at_best_mean", "model_val_loss_mean"]
    )
    chosen, others = ranked.iloc[0], ranked.iloc[1:]
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
        f"({chosen['diagnosis_seeds']} of {int(best['seeds'])} seeds)."
    )
    return {
        "variant": str(chosen["variant"]),
        "reason": reason,
        "tied_with": [str(v) for v in others["variant"]],
        "model_val_loss": float(chosen["model_val_loss_mean"]),
    }
