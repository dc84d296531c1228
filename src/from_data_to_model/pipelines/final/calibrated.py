"""The refit ensemble's temperature, fitted on validation only, and the final model promoted:
one Keras model with the scaler, the members and the temperature inside."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from from_data_to_model.calibration import (
    fit_temperature,
    labels_of,
    reliability_bins,
    scores,
    temperature_scaled,
)
from from_data_to_model.pipelines.evaluation.promotion import FASHION_MNIST, image_inputs
from from_data_to_model.promotion import Outputs, Promotion

from .spec import Final


def reliability_rows(
    before: np.ndarray, after: np.ndarray, labels: np.ndarray, bins: int, data: str
) -> pd.DataFrame:
    """The reliability diagram's bins of one set of images, before and after scaling."""
    tables = [
        reliability_bins(probabilities, labels, bins).assign(data=data, calibration=name)
        for name, probabilities in (("before", before), ("after", after))
    ]
    table = pd.concat(tables, ignore_index=True)
    return table[["data", "calibration", *table.columns[:-2]]]


def calibrate(
    X_val: Any, y_val: Any, final: Final, *members: Any
) -> tuple[dict[str, Any], pd.DataFrame]:
    """The temperature that minimizes the refit ensemble's NLL on validation, and its
    figures before and after there (fitted on these rows: in-sample after).

    Returns:
        ``{"temperature", "validation": {"before", "after"}}`` and the validation bins of
        the reliability diagram, before and after.
    """
    from from_data_to_model.ensemble import predict_probabilities

    labels, X_val = labels_of(y_val), np.asarray(X_val, np.float32)
    ensemble = np.mean([predict_probabilities(m, X_val) for m in members], axis=0)
    temperature = fit_temperature(ensemble, labels)
    after = temperature_scaled(ensemble, temperature)
    record = {
        "temperature": temperature,
        "fitted_on": f"the validation split ({len(labels)} images), which no member trained on",
        "validation": {
            "before": scores(ensemble, labels, final.bins),
            "after": scores(after, labels, final.bins),
        },
    }
    return record, reliability_rows(ensemble, after, labels, final.bins, "validation")


def promote_final(
    choice: dict[str, Any],
    design: dict[str, Any],
    study_choice: dict[str, Any],
    calibration: dict[str, Any],
    class_names: list[str],
    rules: dict[str, Any],
    *metadata: dict[str, Any],
) -> Promotion:
    """The promotion record of the final model: which design, which members (``metadata``:
    the refit members' training metadata), trained on what, with which temperature; the
    checks its answers carry (``rules``: ``predict.images``)."""
    winner = choice["winner"]
    variant = design["variant"] if winner == "tuned" else study_choice["variant"]
    rows = metadata[0]["train_rows"]
    return Promotion(
        kind="classifier",
        served=FASHION_MNIST,
        study="final",
        variant=f"{winner} ({variant})",
        seed=None,
        members=[m["namespace"] for m in metadata],
        namespace="final.refit",
        model_val_loss=float(calibration["validation"]["after"]["nll"]),
        trained_at=max(m["trained_at"] for m in metadata),
        promoted_at=pd.Timestamp.now(tz="UTC").isoformat(timespec="seconds"),
        reason=(
            f"the final stage's winner on validation: {choice['reason']}; its "
            f"{len(metadata)} members refit on {rows} rows, temperature "
            f"{calibration['temperature']:.3f} fitted on validation"
        ),
        temperature=float(calibration["temperature"]),
        trained_on=f"{rows} rows",
        inputs=image_inputs(rules),
        outputs=Outputs(classes=list(class_names), gives="class probabilities, in this order"),
    )


def bundle_final(promotion: Promotion, scaler: Any, *members: Any) -> Any:
    """The final model: raw pixels → scaler → members → mean → temperature."""
    from from_data_to_model.ensemble import bundle_ensemble

    return bundle_ensemble(members, scaler, promotion.temperature or 1.0)
