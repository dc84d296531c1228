"""The model choice, made on validation data only."""

from __future__ import annotations

from typing import Any

import pandas as pd

# The only report columns the choice may read: never a test figure.
VALIDATION_COLUMNS = ["variant", "model_val_loss", "gap_at_best", "parameter_count", "diagnosis"]


def choose_model(report: pd.DataFrame, rule: dict[str, Any]) -> dict[str, Any]:
    """Pick the variant whose saved model has the lowest validation loss.

    Variants within ``rule["tie_tolerance"]`` of that loss count as tied; among them
    the one with the fewest parameters wins (then the smaller generalization gap).
    Only ``VALIDATION_COLUMNS`` are read, so a test figure cannot sway the choice.

    Returns:
        ``{"variant", "reason", "tied_with", "model_val_loss"}``.
    """
    candidates = report[VALIDATION_COLUMNS]
    lowest = candidates["model_val_loss"].min()
    tied = candidates[candidates["model_val_loss"] <= lowest + rule["tie_tolerance"]]
    ranked = tied.sort_values(["parameter_count", "gap_at_best", "model_val_loss"])
    chosen = ranked.iloc[0]
    others = ranked.iloc[1:]
    reason = (
        f"its saved model has the lowest validation loss ({chosen['model_val_loss']:.4f})"
        if chosen["model_val_loss"] == lowest
        else f"its validation loss {chosen['model_val_loss']:.4f} is within "
        f"{rule['tie_tolerance']} of the lowest ({lowest:.4f})"
    )
    if len(others):
        described = ", ".join(
            f"{row['variant']} ({_describe(row)})" for _, row in others.iterrows()
        )
        reason += (
            f"; tied within {rule['tie_tolerance']}: {described}; a tie goes to the fewest "
            f"parameters, then the smaller generalization gap at the best epoch, and "
            f"{chosen['variant']} has {_describe(chosen)}"
        )
    reason += f"; its learning curve reads as a {chosen['diagnosis']}."
    return {
        "variant": str(chosen["variant"]),
        "reason": reason,
        "tied_with": [str(v) for v in others["variant"]],
        "model_val_loss": float(chosen["model_val_loss"]),
    }


def _describe(row: pd.Series) -> str:
    return (
        f"validation loss {row['model_val_loss']:.4f}, "
        f"{int(row['parameter_count']):,} parameters, gap {row['gap_at_best']:+.3f}"
    )
