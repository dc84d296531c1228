"""A trained model's validation summary: figures from its training and validation data only.

Nothing here reads the test split: the model choice and the tuning read these summaries.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from from_data_to_model.evaluation_spec import Diagnosis
from from_data_to_model.model_spec import flat_spec

from .diagnosis import diagnose_fit
from .nodes import identity, learning_curves, lowest_epoch
from .records import RunInformation


def history_metrics(history: pd.DataFrame, model_epoch: int) -> dict[str, Any]:
    """Learning-curve figures of one model, all from training and validation data.

    Losses are data losses (see ``learning_curves``); ``best_epoch`` has the lowest
    validation data loss, ``model_epoch`` is the one whose weights the model holds; ``gap``
    is validation loss minus training loss: the generalization gap.
    ``final_logged_train_loss`` is Keras' own (a running mean, dropout on, penalty added).
    """
    loss, val_loss = learning_curves(history)
    best = lowest_epoch(val_loss) - 1
    used = model_epoch - 1
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


def learning_curve(history: pd.DataFrame, metadata: dict[str, Any]) -> pd.DataFrame:
    """The run's identity, then per epoch its training and validation loss (measured
    alike, see ``learning_curves``): the rows of a study's learning-curves table."""
    train, val = learning_curves(history)
    columns = {key: [value] * len(history) for key, value in identity(metadata).items()}
    return pd.DataFrame(
        columns | {"epoch": history["epoch"], "train_loss": train, "val_loss": val}
    ).reset_index(drop=True)


def summarise_validation(
    history: pd.DataFrame,
    metadata: dict[str, Any],
    spec: dict[str, Any],
    thresholds: Diagnosis,
) -> tuple[dict[str, Any], pd.DataFrame]:
    """Everything the study says of one model before it sees a test figure.

    Returns:
        The validation summary (the run's identity, learning-curve figures, the fit's
        diagnosis, run information, the spec's fields by path) and the learning curve.
    """
    figures = history_metrics(history, metadata["model_epoch"])
    diagnosis, reason = diagnose_fit(history, figures["model_epoch"], thresholds)
    spec_columns = {k: v for k, v in flat_spec(spec).items() if k != "seed"}  # seed: identity
    summary = {
        **identity(metadata),
        **figures,
        "diagnosis": diagnosis,
        "diagnosis_reason": reason,
        **RunInformation.model_validate(metadata).model_dump(),  # carried as it is
        **spec_columns,
    }
    return summary, learning_curve(history, metadata)
