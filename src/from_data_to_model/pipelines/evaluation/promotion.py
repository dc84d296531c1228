"""After the choice: the chosen variant's best seed, promoted with its preprocessing."""

from __future__ import annotations

from typing import Any

import pandas as pd

from from_data_to_model.promotion import Inputs, Outputs, Promotion, best_seed, promotion_record

FASHION_MNIST = "fashion_mnist"  # what the final model is served as (pipelines/final)
STUDY_SERVED = "fashion_mnist_study"  # what the study's own promoted model is served as
IMAGE_INPUTS = Inputs(
    width=784,
    range=(0, 255),
    layout="28×28 grayscale pixels, row by row: a light garment on a dark background",
)


def select_promoted_run(
    choice: dict[str, Any], validation_runs: pd.DataFrame, class_names: list[str]
) -> Promotion:
    """The chosen variant's seed with the lowest validation loss, as a promotion record."""
    run, reason = best_seed(validation_runs, choice["variant"])
    outputs = Outputs(classes=list(class_names), gives="class probabilities, in this order")
    return promotion_record(STUDY_SERVED, run, reason, IMAGE_INPUTS, outputs)
