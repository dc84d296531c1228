"""The final check, after the choice: Fashion-MNIST's official 10000 test images.

Every variant (over its seeds, with intervals) beside the study's own test split; the
promoted model per class, its confusions and its most confident mistakes; published
single-figure results on the same images. Nothing here is upstream of the choice.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sklearn.metrics import confusion_matrix, log_loss, precision_recall_fscore_support

from from_data_to_model.evaluation_spec import Evaluation
from from_data_to_model.stats import describe

MEASURES = {"test_data_loss": "data loss", "test_accuracy": "accuracy"}


def compare_test_sets(
    runs: pd.DataFrame, official_runs: pd.DataFrame, evaluation: Evaluation
) -> pd.DataFrame:
    """Per variant: test data loss and accuracy on the study's own split and on the
    official test set, each as mean, std and interval over the seeds."""
    rows = []
    official = official_runs.set_index("namespace")
    for variant, group in runs.groupby("variant", sort=False):
        row: dict[str, Any] = {"variant": variant, "seeds": len(group)}
        for measure in MEASURES:
            row |= describe(group[measure], evaluation.confidence, f"own_{measure}")
            theirs = official.loc[group["namespace"], measure]
            row |= describe(theirs, evaluation.confidence, f"official_{measure}")
        rows.append(row)
    return pd.DataFrame(rows)


def check_promoted_model(
    model: Any, images: np.ndarray, labels: np.ndarray, class_names: list[str]
) -> tuple[dict[str, Any], pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The promoted model on the official test images (raw pixels, as it takes them).

    Returns:
        Its accuracy and data loss; precision, recall and F1 per class; the confusion
        matrix (true class by row, predicted by column); every image's prediction.
    """
    probabilities = model.predict(np.asarray(images, np.float32), batch_size=4096, verbose=0)
    truth, predicted = labels.argmax(axis=1), probabilities.argmax(axis=1)
    classes = list(range(len(class_names)))
    precision, recall, f1, support = precision_recall_fscore_support(
        truth, predicted, labels=classes, zero_division=0
    )
    per_class = pd.DataFrame(
        {
            "class": class_names,
            "precision": precision,
            "recall": recall,
            "f1": f1,
            "images": support,
        }
    )
    confusion = pd.DataFrame(
        confusion_matrix(truth, predicted, labels=classes), index=class_names, columns=class_names
    ).rename_axis(index="true", columns="predicted")
    predictions = pd.DataFrame(
        {"true": truth, "predicted": predicted, "probability": probabilities.max(axis=1)}
    )
    check = {
        "images": len(truth),
        "accuracy": float((truth == predicted).mean()),
        "data_loss": float(log_loss(truth, probabilities, labels=classes)),
    }
    return check, per_class, confusion.reset_index(), predictions


def most_confused(confusion: pd.DataFrame, top: int = 3) -> list[tuple[str, str, int]]:
    """The ``top`` (true, predicted, count) pairs the model mixes up most often."""
    matrix = confusion.set_index("true")
    pairs = [
        (true, predicted, int(matrix.loc[true, predicted]))
        for true in matrix.index
        for predicted in matrix.columns
        if true != predicted
    ]
    return sorted(pairs, key=lambda pair: -pair[2])[:top]
