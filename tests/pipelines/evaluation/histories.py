"""Synthetic learning curves with a known reading."""

from __future__ import annotations

import numpy as np
import pandas as pd


def history(loss, val_loss) -> pd.DataFrame:
    n = len(loss)
    return pd.DataFrame(
        {
            "epoch": np.arange(1, n + 1),
            "loss": loss,
            "val_loss": val_loss,
            "accuracy": np.linspace(0.5, 0.9, n),
            "val_accuracy": np.linspace(0.5, 0.85, n),
        }
    )


def clear_overfit() -> pd.DataFrame:
    # training keeps falling; validation bottoms out at epoch 5 then climbs 30%
    return history(
        [0.60, 0.45, 0.35, 0.28, 0.22, 0.17, 0.13, 0.10, 0.08, 0.06],
        [0.50, 0.42, 0.38, 0.36, 0.35, 0.37, 0.39, 0.41, 0.43, 0.455],
    )


def clear_underfit() -> pd.DataFrame:
    # both losses high and close, still creeping down
    return history([1.2, 0.9, 0.75, 0.66, 0.61, 0.58], [1.1, 0.88, 0.76, 0.68, 0.63, 0.60])


def good_fit() -> pd.DataFrame:
    # training well below the under-fit threshold, validation flat at its minimum
    return history([0.60, 0.40, 0.30, 0.25, 0.22, 0.20], [0.50, 0.40, 0.35, 0.33, 0.32, 0.321])


def metadata(h: pd.DataFrame, *, early_stopping=False, restore=True, parameters=1000, seed=42):
    epochs_planned = len(h) + (3 if early_stopping else 0)
    return {
        "epochs_run": len(h),
        "best_epoch": int(h["val_loss"].idxmin()) + 1,
        "stopped_early": len(h) < epochs_planned,
        "fit_seconds": 1.5,
        "data_loss_seconds": 0.1,
        "parameter_count": parameters,
        "seed": seed,
        "keras_backend": "tensorflow",
        "keras_version": "3.x",
        "trained_at": "2026-01-01T00:00:00+00:00",
        "spec": {
            "hidden": {"units": [8], "l1": 0.0, "l2": 1e-8},
            "dropout": {"layers": 0},
            "epochs": epochs_planned,
            "batch_size": 32,
            "early_stopping": {"enabled": early_stopping, "restore_best_weights": restore},
        },
    }
