"""The training node: spec → fitted Keras model, its history and metadata."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

import numpy as np
import pandas as pd

from from_data_to_model.model_spec import ModelSpec, ModelSpecChanges, nested, resolve_spec

logger = logging.getLogger(__name__)

# A replicate's namespace and run key read "<variant>.seed_<seed>".
SEED_SEPARATOR = ".seed_"


def as_float32(data: Any) -> np.ndarray:
    """A float32 array view of model input (no copy when it already is one)."""
    return np.asarray(data, dtype=np.float32)


def best_epoch(losses: pd.Series) -> int:
    """The (1-based) epoch with the lowest loss (the first, on a tie)."""
    return int(losses.to_numpy().argmin()) + 1


def history_frame(history: dict[str, list[float]]) -> pd.DataFrame:
    """Keras' ``history.history`` as one row per epoch, numbered from 1."""
    frame = pd.DataFrame(history)
    frame.insert(0, "epoch", np.arange(1, len(frame) + 1))
    return frame


def training_metadata(
    spec: ModelSpec, history: pd.DataFrame, train_rows: int, seconds: dict[str, float]
) -> dict[str, Any]:
    """What a trained model's history does not say: when, how long, with what."""
    return {
        "epochs_run": len(history),
        "epochs_planned": spec.epochs,
        "best_epoch": best_epoch(history["val_loss"]),  # what early stopping restores by default
        "stopped_early": len(history) < spec.epochs,
        **{name: round(value, 3) for name, value in seconds.items()},
        "steps_per_epoch": -(-train_rows // spec.batch_size),
        "train_rows": train_rows,
        "seed": spec.seed,
        "trained_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "spec": spec.model_dump(),
    }


def train_model(
    X_train: Any,
    y_train: Any,
    X_val: Any,
    y_val: Any,
    defaults: ModelSpec,
    changes: ModelSpecChanges | None,
) -> tuple[Any, pd.DataFrame, dict[str, Any]]:
    """Fit the model that ``defaults`` with ``changes`` describe, validating on ``X_val``.

    Returns:
        The fitted Keras model; its history (one row per epoch: Keras' loss and
        val_loss and every metric, plus the data losses ``train_data_loss``, measured
        in inference mode, and ``val_data_loss``); metadata (epochs run, best epoch,
        fit time, parameter count, seed, Keras backend and version, the resolved spec).
    """
    from from_data_to_model import models  # Keras loads when a model trains, not before

    spec = resolve_spec(defaults, changes)
    X_train = as_float32(X_train)
    model, history, seconds = models.fit_model(
        spec, X_train, as_float32(y_train), as_float32(X_val), as_float32(y_val)
    )
    history = history_frame(history)
    metadata = training_metadata(spec, history, len(X_train), seconds)
    metadata |= {"parameter_count": int(model.count_params()), **models.runtime()}
    logger.info(
        "Trained %d epochs in %.1f s (best epoch %d, val_loss %.4f)",
        len(history),
        seconds["fit_seconds"],
        metadata["best_epoch"],
        history["val_loss"].min(),
    )
    return model, history, metadata


@dataclass(frozen=True)
class Replicate:
    """One of the study's seeds: ``train_model`` with the spec's seed replaced, and, for a
    point of a sweep, one field set (``path``, e.g. ``hidden.l1``, to ``value``).

    Seeds and sweep grids shape the pipeline (one training node each), so each node
    carries its own; a bound method keeps the node picklable for ParallelRunner and its
    parameters typed for Kedro's validation.
    """

    seed: int
    path: str | None = None
    value: Any = None

    def train_model(
        self,
        X_train: Any,
        y_train: Any,
        X_val: Any,
        y_val: Any,
        defaults: ModelSpec,
        changes: ModelSpecChanges | None,
    ) -> tuple[Any, pd.DataFrame, dict[str, Any]]:
        """``train_model`` with this replicate's seed (and setting) merged over the changes."""
        own = {"seed": self.seed} | (nested(self.path, self.value) if self.path else {})
        spec = resolve_spec(resolve_spec(defaults, changes), ModelSpecChanges.model_validate(own))
        return train_model(X_train, y_train, X_val, y_val, spec, None)
