"""Housing-specific nodes: the validation rows Keras would hold out, the report, the figure,
the promoted model."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
from matplotlib.figure import Figure

from from_data_to_model.figures import plot_learning_curve, seed_curves
from from_data_to_model.promotion import (
    Inputs,
    Outputs,
    Promotion,
    bundle_model,
    promotion_record,
)


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


def write_housing_report(summary: dict[str, Any], test_metrics: dict[str, Any]) -> str:
    """The housing model's Markdown report: its validation and test MSE, its fit."""
    return (
        "# California housing: report\n\n"
        f"Validation MSE after {summary['epochs_run']} epochs: {summary['final_val_loss']:.4f} "
        f"(lowest {summary['best_val_loss']:.4f}, epoch {summary['best_epoch']}); "
        f"test MSE on {test_metrics['test_rows']} rows: {test_metrics['test_loss']:.4f}.\n\n"
        f"Fit: {summary['diagnosis']}: {summary['diagnosis_reason']}.\n"
    )


def plot_housing_learning_curve(curve: pd.DataFrame) -> Figure:
    """The housing model's training vs validation MSE."""
    return plot_learning_curve(
        seed_curves(curve), "California housing: training vs validation MSE", ylabel="MSE"
    )


def promote_housing_model(
    summary: dict[str, Any],
    model: Any,
    scaler: Any,
    possible: dict[str, list[float | None]],
    warn_beyond_sd: float,
) -> tuple[Promotion, Any]:
    """The housing model behind its scaler (raw features in, MedHouseVal out), and what it
    is: the values it refuses (``possible``) and the distance it warns beyond."""
    features = [str(name) for name in scaler.feature_names_in_]
    inputs = Inputs(
        width=len(features),
        features=features,
        layout="one row per house, these columns, raw values",
        possible={name: tuple(bounds) for name, bounds in possible.items()},
        warn_beyond_sd=warn_beyond_sd,
    )
    outputs = Outputs(target="MedHouseVal", unit="$100,000", gives="the predicted value")
    promotion = promotion_record(
        "housing", summary, "the housing model is trained once", inputs, outputs
    )
    return promotion, bundle_model(model, scaler)
