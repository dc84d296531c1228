"""Housing-specific nodes."""

from __future__ import annotations

import math

import pandas as pd


def hold_out_validation(
    X_train: pd.DataFrame, y_train: pd.DataFrame, validation_split: float
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Keras' ``validation_split``, made explicit: the last fraction of rows validates.

    Same rule as ``model.fit(validation_split=...)``: rows are not shuffled and the
    first ``floor(n * (1 - validation_split))`` rows train.

    Returns:
        ``(X_fit, X_val, y_fit, y_val)``.
    """
    if not 0 < validation_split < 1:
        raise ValueError(f"validation_split must be in (0, 1), got {validation_split!r}")
    split_at = math.floor(len(X_train) * (1.0 - validation_split))
    if split_at < 1 or split_at >= len(X_train):
        raise ValueError(
            f"Cannot hold out {validation_split:.0%} of {len(X_train)} rows: "
            "both sides need at least one row."
        )
    return (
        X_train.iloc[:split_at],
        X_train.iloc[split_at:],
        y_train.iloc[:split_at],
        y_train.iloc[split_at:],
    )
