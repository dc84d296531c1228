"""The training node: spec → fitted Keras model, its history and metadata."""

from __future__ import annotations

import logging
import time
from datetime import datetime, timezone
from typing import Any

import keras
import numpy as np
import pandas as pd

from from_data_to_model.models import build_model, resolve_model_spec

logger = logging.getLogger(__name__)


class EpochLogger(keras.callbacks.Callback):
    """Log one line per epoch through Python logging (Keras' progress bar is off)."""

    def __init__(self, epochs: int):
        super().__init__()
        self.epochs = epochs

    def on_epoch_end(self, epoch: int, logs: dict[str, float] | None = None) -> None:
        logs = logs or {}
        order = ["loss", "val_loss"] + sorted(k for k in logs if k not in ("loss", "val_loss"))
        metrics = " - ".join(f"{name} {logs[name]:.4f}" for name in order if name in logs)
        logger.info("epoch %d/%d - %s", epoch + 1, self.epochs, metrics)


def as_float32(data: Any) -> np.ndarray:
    """A float32 array view of model input (no copy when it already is one)."""
    return np.asarray(data, dtype=np.float32)


def train_model(
    X_train: Any,
    y_train: Any,
    X_val: Any,
    y_val: Any,
    model_defaults: dict[str, Any],
    model_overrides: dict[str, Any] | None,
) -> tuple[keras.Model, pd.DataFrame, dict[str, Any]]:
    """Build the model the merged spec describes and fit it, validating on ``X_val``.

    Returns:
        The fitted model; its history (one row per epoch: loss, val_loss and every
        metric); metadata (epochs run, best epoch, fit time, parameter count, seed,
        Keras backend and version).
    """
    spec = resolve_model_spec(model_defaults, model_overrides)
    keras.utils.set_random_seed(spec["seed"])
    X_train, y_train = as_float32(X_train), as_float32(y_train)
    X_val, y_val = as_float32(X_val), as_float32(y_val)
    model = build_model(spec, input_dim=X_train.shape[1])
    callbacks: list[keras.callbacks.Callback] = [EpochLogger(spec["epochs"])]
    early = spec["early_stopping"]
    if early["enabled"]:
        callbacks.append(
            keras.callbacks.EarlyStopping(
                monitor=early["monitor"],
                patience=early["patience"],
                restore_best_weights=early["restore_best_weights"],
            )
        )
    start = time.perf_counter()
    fitted = model.fit(
        X_train,
        y_train,
        validation_data=(X_val, y_val),
        epochs=spec["epochs"],
        batch_size=spec["batch_size"],
        callbacks=callbacks,
        verbose=0,
    )
    fit_seconds = time.perf_counter() - start
    history = pd.DataFrame(fitted.history)
    history.insert(0, "epoch", np.arange(1, len(history) + 1))
    metadata = {
        "epochs_run": len(history),
        "epochs_planned": spec["epochs"],
        "best_epoch": int(history["val_loss"].idxmin()) + 1,
        "stopped_early": len(history) < spec["epochs"],
        "fit_seconds": round(fit_seconds, 3),
        "steps_per_epoch": int(np.ceil(len(X_train) / spec["batch_size"])),
        "train_rows": len(X_train),
        "parameter_count": int(model.count_params()),
        "seed": spec["seed"],
        "trained_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "keras_backend": keras.backend.backend(),
        "keras_version": keras.__version__,
        "spec": spec,
    }
    logger.info(
        "Trained %d epochs in %.1f s (best epoch %d, val_loss %.4f)",
        metadata["epochs_run"],
        fit_seconds,
        metadata["best_epoch"],
        history["val_loss"].min(),
    )
    return model, history, metadata
