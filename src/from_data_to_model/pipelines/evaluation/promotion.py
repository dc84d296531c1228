"""After the choice: the chosen variant's best seed, promoted with its preprocessing."""

from __future__ import annotations

from typing import Any

import pandas as pd

from from_data_to_model.promotion import best_seed, bundle_model, promotion_record

IMAGE_INPUTS = {
    "shape": [784],
    "range": [0, 255],
    "layout": "28×28 grayscale pixels, row by row: a light garment on a dark background",
}


def select_promoted_run(
    choice: dict[str, Any], validation_runs: pd.DataFrame, class_names: list[str]
) -> dict[str, Any]:
    """The chosen variant's seed with the lowest validation loss, as a promotion record."""
    run, reason = best_seed(validation_runs, choice["variant"])
    outputs = {"classes": list(class_names), "gives": "class probabilities, in this order"}
    return promotion_record(run, reason, IMAGE_INPUTS, outputs)


def promote_model(promotion: dict[str, Any], scaler: Any, **models: Any) -> Any:
    """The promoted run's model behind its scaler: raw pixels in, probabilities out.

    ``models`` are the study's, by namespace; only the promoted one is used.
    """
    return bundle_model(models[promotion["namespace"]], scaler)
