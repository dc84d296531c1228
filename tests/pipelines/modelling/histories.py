"""Synthetic learning curves with a known reading."""

from __future__ import annotations

import numpy as np
import pandas as pd

from from_data_to_model.model_spec import ModelSpec, ModelSpecChanges, resolve_spec
from from_data_to_model.study import REGULARIZATION, Run


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


def metadata(
    h: pd.DataFrame, *, model_epoch: int | None = None, variant="v", seed=42, parameters=1000
) -> dict:
    """Training metadata of a run that trained ``h`` (its model from the last epoch unless
    ``model_epoch`` says otherwise)."""
    return {
        **Run(REGULARIZATION, variant, seed).fields(seed),
        "epochs_run": len(h),
        "epochs_planned": len(h),
        "model_epoch": model_epoch or len(h),
        "stopped_early": False,
        "fit_seconds": 1.5,
        "data_loss_seconds": 0.1,
        "parameter_count": parameters,
        "keras_backend": "tensorflow",
        "backend_version": "2.x",
        "keras_version": "3.x",
        "trained_at": "2026-01-01T00:00:00+00:00",
        "processor": "Test CPU",
        "vector_extensions": "avx2",
        "cores": 2,
    }


def spec(**changes) -> dict:
    """A resolved spec (the study's defaults, 8 hidden units), as the spec dataset holds it."""
    from tests.conftest import base_parameters

    defaults = ModelSpec.model_validate(base_parameters()["regularization"]["defaults"])
    small = resolve_spec(defaults, ModelSpecChanges.model_validate({"hidden": {"units": [8]}}))
    return resolve_spec(small, ModelSpecChanges.model_validate(changes)).model_dump()
