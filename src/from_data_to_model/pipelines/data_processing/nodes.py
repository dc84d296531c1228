"""Nodes that split and scale data exactly as the study does."""

from __future__ import annotations

import logging
from typing import Any, TypeVar

import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

logger = logging.getLogger(__name__)

Table = TypeVar("Table", np.ndarray, pd.DataFrame)


def separate_target(frame: pd.DataFrame, target: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split a frame into its feature columns and a one-column target frame."""
    return frame.drop(columns=[target]), frame[[target]]


def split_data(
    features: Table, target: Table, split: dict[str, Any]
) -> tuple[Table, Table, Table, Table]:
    """``train_test_split`` with the test size and random state from parameters.

    Returns:
        ``(features_train, features_test, target_train, target_test)``.

    Raises:
        ValueError: too few rows to give both sides of the split at least one row.
    """
    n_test = int(np.ceil(split["test_size"] * len(features)))
    if len(features) < 2 or n_test < 1 or n_test >= len(features):
        raise ValueError(
            f"Cannot split {len(features)} rows with test_size={split['test_size']}: "
            "each side needs at least one row. Is the input data complete?"
        )
    parts = train_test_split(
        features, target, test_size=split["test_size"], random_state=split["random_state"]
    )
    logger.info("Split %d rows into %d and %d", len(features), len(parts[0]), len(parts[1]))
    return tuple(parts)


def scale_features(train: Table, test: Table) -> tuple[Table, Table, StandardScaler]:
    """Fit a ``StandardScaler`` on the training rows only and apply it to both sides.

    Output is float32 (what Keras trains on), as arrays or as frames like the input.
    """
    scaler = StandardScaler()
    if isinstance(train, pd.DataFrame):
        scaler.set_output(transform="pandas")
    scaler.fit(train.astype(np.float32))
    return standardize(train, scaler), standardize(test, scaler), scaler


def standardize(features: Table, scaler: StandardScaler) -> Table:
    """Features scaled by a scaler fitted elsewhere (on the training rows), as float32."""
    return scaler.transform(features.astype(np.float32))
