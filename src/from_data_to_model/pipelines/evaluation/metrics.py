"""Per-variant metrics: test figures from the model, learning-curve figures from its history."""

from __future__ import annotations

import logging
from typing import Any

import pandas as pd

from from_data_to_model.pipelines.training.nodes import as_float32, best_epoch

logger = logging.getLogger(__name__)


def evaluate_model(model: Any, X_test: Any, y_test: Any) -> dict[str, float]:
    """Loss and compiled metrics of a Keras ``model`` on the test split, prefixed ``test_``.

    ``test_rows`` says how many rows they were measured on.
    """
    results = model.evaluate(
        as_float32(X_test), as_float32(y_test), batch_size=4096, verbose=0, return_dict=True
    )
    metrics = {f"test_{name}": float(value) for name, value in results.items()}
    logger.info("Test metrics: %s", ", ".join(f"{k} {v:.4f}" for k, v in metrics.items()))
    return {**metrics, "test_rows": len(X_test)}


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

    ``gap`` is validation loss minus training loss: the generalization gap.
    """
    best = best_epoch(history) - 1
    used = effective_epoch(history, metadata) - 1
    final = len(history) - 1
    loss, val_loss = history["loss"], history["val_loss"]
    figures = {
        "epochs_run": len(history),
        "best_epoch": best + 1,
        "model_epoch": used + 1,
        "final_train_loss": float(loss.iat[final]),
        "final_val_loss": float(val_loss.iat[final]),
        "best_val_loss": float(val_loss.iat[best]),
        "model_val_loss": float(val_loss.iat[used]),
        "gap_final": float(val_loss.iat[final] - loss.iat[final]),
        "gap_at_best": float(val_loss.iat[best] - loss.iat[best]),
    }
    if "val_accuracy" in history:
        figures["model_val_accuracy"] = float(history["val_accuracy"].iat[used])
    return figures
