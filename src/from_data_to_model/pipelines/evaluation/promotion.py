"""After the choice: the chosen variant's best seed, promoted with its preprocessing."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from from_data_to_model.promotion import Inputs, Outputs, Promotion, best_seed, promotion_record

FASHION_MNIST = "fashion_mnist"  # what the final model is served as (pipelines/final)
STUDY_SERVED = "fashion_mnist_study"  # what the study's own promoted model is served as


def image_inputs(rules: Mapping[str, Any]) -> Inputs:
    """What a promoted image model takes, with the checks its answers carry (``rules``:
    ``predict.images``, the same that ``predict`` prepares images by)."""
    return Inputs(
        width=784,
        range=(0, 255),
        layout="28×28 grayscale pixels, row by row: a light garment on a dark background",
        light_background=rules["light_background"],
        layout_min_images=rules["layout_min_images"],
    )


def select_promoted_run(
    choice: dict[str, Any],
    validation_runs: pd.DataFrame,
    class_names: list[str],
    rules: dict[str, Any],
) -> Promotion:
    """The chosen variant's seed with the lowest validation loss, as a promotion record."""
    run, reason = best_seed(validation_runs, choice["variant"])
    outputs = Outputs(classes=list(class_names), gives="class probabilities, in this order")
    return promotion_record(STUDY_SERVED, run, reason, image_inputs(rules), outputs)
