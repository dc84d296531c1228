"""Training and testing one model: its resolved spec → the fitted model, history, metadata;
the model on the test split → its test metrics."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

import numpy as np
import pandas as pd

from from_data_to_model.machine import machine_information
from from_data_to_model.model_spec import ModelSpec, ModelSpecChanges, resolve_spec
from from_data_to_model.study import RUN_FIELDS, Run, TrainingPlan

from .records import RunInformation

logger = logging.getLogger(__name__)


def as_float32(data: Any) -> np.ndarray:
    """A float32 array view of model input (no copy when it already is one)."""
    return np.asarray(data, dtype=np.float32)


def lowest_epoch(losses: pd.Series) -> int:
    """The (1-based) epoch with the lowest loss (the first, on a tie)."""
    return int(losses.to_numpy().argmin()) + 1


def learning_curves(history: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Training and validation loss per epoch, measured alike.

    The data losses (inference mode, no penalty) where the history has them, else
    Keras' logged ``loss`` and ``val_loss``.
    """
    if "train_data_loss" in history and "val_data_loss" in history:
        return history["train_data_loss"], history["val_data_loss"]
    return history["loss"], history["val_loss"]


def history_frame(history: dict[str, list[float]]) -> pd.DataFrame:
    """Keras' ``history.history`` as one row per epoch, numbered from 1."""
    frame = pd.DataFrame(history)
    frame.insert(0, "epoch", np.arange(1, len(frame) + 1))
    return frame


def training_metadata(
    spec: ModelSpec, history: pd.DataFrame, train_rows: int, fit: dict[str, float]
) -> dict[str, Any]:
    """What a trained model's history does not say: which weights, when, how long."""
    return {
        "epochs_run": len(history),
        "epochs_planned": spec.epochs,
        "model_epoch": int(fit["model_epoch"]),
        "stopped_early": len(history) < spec.epochs,
        **{name: round(fit[name], 3) for name in ("fit_seconds", "data_loss_seconds")},
        "steps_per_epoch": -(-train_rows // spec.batch_size),
        "train_rows": train_rows,
        "trained_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }


@dataclass(frozen=True)
class Training:
    """The training node of one run: its identity travels with the node (a bound method
    keeps the node picklable for other processes, and its parameters typed for Kedro)."""

    run: Run

    def resolved(self, defaults: ModelSpec, changes: ModelSpecChanges | None) -> ModelSpec:
        """The run's spec: ``defaults`` with the variant's ``changes`` and the run's own
        (seed, sweep point)."""
        spec = resolve_spec(defaults, changes)
        if own := self.run.changes():
            spec = resolve_spec(spec, ModelSpecChanges.model_validate(own))
        return spec

    def train_model(
        self,
        X_train: Any,
        y_train: Any,
        X_val: Any,
        y_val: Any,
        defaults: ModelSpec,
        changes: ModelSpecChanges | None,
        training: TrainingPlan | None = None,
    ) -> tuple[Any, dict[str, Any], pd.DataFrame, dict[str, Any]]:
        """Fit the model that ``defaults`` with the variant's ``changes`` and this run's
        (seed, sweep point) describe, validating on ``X_val``: alone, or where ``training``
        is this run's group (``together.TrainingGroup``), as one program with the group's
        other models of its shape (or taken from the program another node ran).

        Returns:
            The fitted Keras model; the resolved spec; the history (one row per epoch:
            Keras' loss and val_loss and every metric, plus the data losses
            ``train_data_loss``, measured in inference mode, and ``val_data_loss``); the
            metadata (the run's identity, epochs, fit time, parameter count, backend).
        """
        from from_data_to_model import models  # Keras loads when a model trains, not before
        from from_data_to_model.together import TrainingGroup

        spec = self.resolved(defaults, changes)
        data = [as_float32(a) for a in (X_train, y_train, X_val, y_val)]
        if isinstance(training, TrainingGroup):
            resolve = lambda run: Training(run).resolved(defaults, changes)  # noqa: E731
            (model, history, fit), together = training.fit(self.run, resolve, data)
        else:
            (model, history, fit), together = models.fit_model(spec, *data), 1
        return self.outputs(spec, model, history, fit, len(data[0]), together)

    def outputs(
        self, spec: ModelSpec, model: Any, history: dict[str, list[float]],
        fit: dict[str, float], train_rows: int, program_models: int = 1,
    ) -> tuple[Any, dict[str, Any], pd.DataFrame, dict[str, Any]]:  # fmt: skip
        """The training node's outputs for a fitted model (``train_model``'s returns), of
        ``program_models`` trained as one program."""
        from from_data_to_model import models

        history = history_frame(history)
        metadata = self.run.fields(spec.seed) | training_metadata(spec, history, train_rows, fit)
        metadata |= {"parameter_count": int(model.count_params()), **models.runtime()}
        metadata |= {"program_models": program_models}
        metadata |= machine_information()  # the same seeds give other digits elsewhere
        RunInformation.model_validate(metadata)  # every field the summary carries is here
        logger.info(
            "Trained %s: %d epochs in %.1f s (model epoch %d, val_loss %.4f)",
            self.run.namespace, len(history), fit["fit_seconds"], metadata["model_epoch"],
            history["val_loss"].iat[metadata["model_epoch"] - 1],
        )  # fmt: skip
        return model, spec.model_dump(), history, metadata


# What a training node writes for each model, in its namespace, in this order.
TRAINING_OUTPUTS = ("model@keras", "spec", "training_history", "training_metadata")


def identity(metadata: dict[str, Any]) -> dict[str, Any]:
    """The run's identity fields, from its training metadata."""
    return {key: metadata[key] for key in RUN_FIELDS}


def evaluate_model(
    model: Any, metadata: dict[str, Any], X_test: Any, y_test: Any
) -> dict[str, Any]:
    """Loss and compiled metrics of a Keras ``model`` on the test split, prefixed ``test_``.

    ``test_loss`` is Keras' (with the L1/L2 penalty), ``test_data_loss`` the loss alone;
    ``test_rows`` says how many rows they were measured on. The run's identity comes first.
    """
    from from_data_to_model.models import regularization_penalty  # Keras is loaded by now

    results = model.evaluate(
        as_float32(X_test), as_float32(y_test), batch_size=4096, verbose=0, return_dict=True
    )
    metrics = {f"test_{name}": float(value) for name, value in results.items()}
    metrics["test_data_loss"] = metrics["test_loss"] - regularization_penalty(model)
    logger.info("Test metrics: %s", ", ".join(f"{k} {v:.4f}" for k, v in metrics.items()))
    return {**identity(metadata), **metrics, "test_rows": len(X_test)}
