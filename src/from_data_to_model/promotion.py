"""The promoted model: one Keras model that scores raw data, preprocessing included.

A study's choice names a variant; the promoted model is that variant's seed with the
lowest validation loss (validation only, like the choice), behind the standardization its
training data had: a ``Normalization`` layer holding the fitted ``StandardScaler``'s mean
and scale. So one ``.keras`` file takes raw inputs (Fashion-MNIST's 784 pixels, 0-255, row
by row; housing's eight features) and needs nothing else to score them.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import numpy as np
import pandas as pd


def promotion_record(
    run: pd.Series, reason: str, inputs: dict[str, Any], outputs: dict[str, Any]
) -> dict[str, Any]:
    """What a promoted model is: which run, variant and seed it came from, its validation
    loss, why it was promoted, and what it takes and gives."""
    return {
        "study": run["study"],
        "variant": run["variant"],
        "seed": int(run["seed"]),
        "namespace": run["namespace"],
        "model_val_loss": float(run["model_val_loss"]),
        "trained_at": run["trained_at"],
        "promoted_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "reason": reason,
        "inputs": inputs,
        "outputs": outputs,
    }


def best_seed(runs: pd.DataFrame, variant: str) -> tuple[pd.Series, str]:
    """The variant's run with the lowest validation loss, and why, in words."""
    own = runs[runs["variant"] == variant].sort_values(["model_val_loss", "seed"])
    best = own.iloc[0]
    if len(own) == 1:
        return best, f"{variant} was trained once (seed {best['seed']})"
    others = ", ".join(f"{r.seed}: {r.model_val_loss:.4f}" for r in own.iloc[1:].itertuples())
    return best, (
        f"of {variant}'s {len(own)} seeds, {best['seed']} has the lowest validation loss "
        f"({best['model_val_loss']:.4f}; {others}): chosen on validation, like the variant"
    )


def bundle_model(model: Any, scaler: Any) -> Any:
    """Raw inputs → the scaler's standardization → ``model``: one Keras model.

    The ``Normalization`` layer computes ``(x - mean) / scale`` with the scaler's own mean
    and scale (scikit-learn sets the scale of a constant feature to 1), in float32.
    """
    import keras

    raw = keras.Input(shape=(len(scaler.mean_),), name="raw")
    standardized = keras.layers.Normalization(
        mean=scaler.mean_, variance=np.square(scaler.scale_), name="standardize"
    )(raw)
    return keras.Model(raw, model(standardized), name="promoted")
