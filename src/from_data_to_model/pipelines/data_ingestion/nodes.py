"""Nodes turning raw files into validated intermediate data."""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

logger = logging.getLogger(__name__)

HOUSING_TARGET = "MedHouseVal"


def prepare_fashion_mnist(
    raw: dict[str, np.ndarray], num_classes: int
) -> tuple[np.ndarray, np.ndarray]:
    """Flatten the images to rows of pixels and one-hot encode the labels.

    Args:
        raw: ``{"images": (n, h, w) uint8, "labels": (n,) uint8}`` from the IDX dataset.
        num_classes: width of the one-hot encoding.

    Returns:
        ``(n, h*w)`` uint8 images and ``(n, num_classes)`` float32 one-hot labels.
    """
    images, labels = raw["images"], raw["labels"]
    flat = images.reshape(len(images), -1)
    one_hot = np.eye(num_classes, dtype=np.float32)[labels]
    counts = np.bincount(labels, minlength=num_classes)
    logger.info("Fashion-MNIST: %d images of %d pixels; per class %s", *flat.shape, counts.tolist())
    return flat, one_hot


def validate_housing_table(raw: pd.DataFrame, expected_rows: int | None) -> pd.DataFrame:
    """Check StatLib's raw housing table and return it as numbers.

    The catalog reads the headerless file with its nine column names; this node checks
    that every cell is a number and that the row count is the expected one.

    Raises:
        ValueError: naming the first offending line and column, or the row count.
    """
    if not isinstance(raw.index, pd.RangeIndex):  # a line had more fields than names
        raise ValueError(
            f"California housing file: more than {raw.shape[1]} columns "
            f"(expected {', '.join(raw.columns)})."
        )
    numbers = raw.apply(pd.to_numeric, errors="coerce")
    bad = numbers.isna().to_numpy()
    if bad.any():
        row, col = next(zip(*bad.nonzero(), strict=True))
        raise ValueError(
            f"California housing file: a missing or non-numeric cell at line {row + 1}, "
            f"column {raw.columns[col]!r} ({raw.iat[row, col]!r}). Replace the file with "
            "the original StatLib copy."
        )
    if expected_rows is not None and len(raw) != expected_rows:
        raise ValueError(f"California housing file: {len(raw)} rows, expected {expected_rows}.")
    return numbers.astype(float)


def derive_housing_frame(raw: pd.DataFrame) -> pd.DataFrame:
    """Derive scikit-learn's California-housing frame from StatLib's raw columns.

    Same arithmetic as ``fetch_california_housing(as_frame=True)``: per-household
    averages, and the target in units of $100,000.
    """
    households = raw["households"]
    return pd.DataFrame(
        {
            "MedInc": raw["medianIncome"],
            "HouseAge": raw["housingMedianAge"],
            "AveRooms": raw["totalRooms"] / households,
            "AveBedrms": raw["totalBedrooms"] / households,
            "Population": raw["population"],
            "AveOccup": raw["population"] / households,
            "Latitude": raw["latitude"],
            "Longitude": raw["longitude"],
            HOUSING_TARGET: raw["medianHouseValue"] / 100000.0,
        }
    )
