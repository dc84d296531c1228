"""The official test set, last and once: the final model beside the study's chosen single
model and the published figures. Nothing made here flows back into any choice."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from from_data_to_model.calibration import bootstrap_intervals, labels_of, temperature_scaled
from from_data_to_model.evaluation_spec import Evaluation

from .calibrated import reliability_rows
from .spec import Final


def score_official(
    final_model: Any,
    study_model: Any,
    images: Any,
    y_official: Any,
    calibration: dict[str, Any],
    final: Final,
    evaluation: Evaluation,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Accuracy, NLL and ECE on the official images, each with its bootstrap interval.

    Both promoted models take raw pixels. The final model's probabilities before
    calibration are recovered from its calibrated ones (softmax(T log p) undoes the
    temperature ``T``), so the one file is scored once.

    Returns:
        The official table (the final model, calibrated and not; the study's chosen single
        model; then each published result, accuracy only) and the official bins of the
        reliability diagram, before and after.
    """
    from from_data_to_model.ensemble import predict_probabilities

    pixels, labels = np.asarray(images, np.float32), labels_of(y_official)
    after = predict_probabilities(final_model, pixels)
    before = temperature_scaled(after, 1.0 / calibration["temperature"])
    single = predict_probabilities(study_model, pixels)
    boot = final.bootstrap

    def row(name: str, probabilities: np.ndarray) -> dict[str, Any]:
        figures = bootstrap_intervals(
            probabilities, labels, final.bins, boot.resamples, evaluation.confidence, boot.seed
        )
        return {"model": name, "source": "this run", **figures, "images": len(labels)}

    rows = [
        row("final model (calibrated)", after),
        row("final model before temperature scaling", before),
        row("the study's chosen single model", single),
    ]
    rows += [
        {"model": p.name, "source": "published", "accuracy": p.accuracy}
        for p in evaluation.published
    ]
    return pd.DataFrame(rows), reliability_rows(before, after, labels, final.bins, "official test")
