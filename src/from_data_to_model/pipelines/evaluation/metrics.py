"""Per-variant metrics: test figures from the model, learning-curve figures from its history."""

from __future__ import annotations

import logging
from typing import Any

import pandas as pd

from from_data_to_model.pipelines.training.nodes import as_float32, best_epoch

logger = logging.getLogger(__name__)


def evaluate_model(model: Any, X_test: Any, y_test: Any) -> dict[str, float]:
    """Loss and compiled metrics of a Keras ``model`` on the test split, prefixed ``test_``.

    ``test_loss`` is Keras' (with the L1/L2 penalty), ``test_data_loss`` the loss alone;
    ``test_rows`` says how many rows they were measured on.
    """
    from from_data_to_model.models import regularization_penalty  # Keras is loaded by now

    results = model.evaluate(
        as_float32(X_test), as_float32(y_test), batch_size=4096, verbose=0, return_dict=True
    )
    metrics = {f"test_{name}": float(value) for name, value in results.items()}
    metrics["test_data_loss"] = metrics["test_loss"] - regularization_penalty(model)
    logger.info("Test metrics: %s", ", ".join(f"{k} {v:.4f}" for k, v in metrics.items()))
    return {**metrics, "test_rows": len(X_test)}


def learning_curves(history: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Training and validation loss per epoch, measured alike.

    The data losses (inference mode, no penalty) where the history has them, else
    Keras' logged ``loss`` and ``val_loss``.
    """
    if "train_data_loss" in history and "val_data_loss" in history:
        return history["train_data_loss"], history["val_data_loss"]
    return history["loss"], history["val_loss"]


def effective_epoch(history: pd.DataFrame, metadata: dict[str, Any]) -> int:
    """The epoch whose weights the saved model holds (1-based).

    The last epoch, unless early stopping stopped the run and restored the best weights.
    """
    early = metadata["spec"]["early_stopping"]
    if early["enabled"] and early["restore_best_weights"] and metadata["stopped_early"]:
        return int(metadata["best_epoch"])
    return len(history)


def history_metrics(history: pd.DataFrame, metadata: dict[str, Any]) -> dict[str, Any]:
    """Learning-curve figures of one model, all from training and validation data.

    Losses are data losses (see ``learning_curves``); ``gap`` is validation loss minus
    training loss: the generalization gap. ``final_logged_train_loss`` is Keras' own.
    """
    loss, val_loss = learning_curves(history)
    best = best_epoch(val_loss) - 1
    used = effective_epoch(history, metadata) - 1
    final = len(history) - 1
    figures = {
        "epochs_run": len(history),
        "best_epoch": best + 1,
        "model_epoch": used + 1,
        "final_train_loss": float(loss.iat[final]),
        "model_train_loss": float(loss.iat[used]),
        "final_val_loss": float(val_loss.iat[final]),
        "best_val_loss": float(val_loss.iat[best]),
        "model_val_loss": float(val_loss.iat[used]),
        "gap_final": float(val_loss.iat[final] - loss.iat[final]),
        "gap_at_best": float(val_loss.iat[best] - loss.iat[best]),
        "final_logged_train_loss": float(history["loss"].iat[final]),
    }
    if "val_accuracy" in history:
        figures["model_val_accuracy"] = float(history["val_accuracy"].iat[used])
    return figures
