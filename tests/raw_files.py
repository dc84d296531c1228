"""Writers of small raw files (IDX .gz, cal_housing.data) that tests build themselves."""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np

from from_data_to_model.datasets.idx_dataset import IMAGES_MAGIC, LABELS_MAGIC, SPLIT_FILES


def idx_bytes(array: np.ndarray, magic: int | None = None) -> bytes:
    """IDX encoding of a uint8 array (magic 2051/2049 derived from its rank unless given)."""
    if magic is None:
        magic = IMAGES_MAGIC if array.ndim == 3 else LABELS_MAGIC
    header = magic.to_bytes(4, "big") + b"".join(d.to_bytes(4, "big") for d in array.shape)
    return header + array.astype(np.uint8).tobytes()


def write_gz(path: Path, payload: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress(payload))
    return path


def write_fashion_mnist(folder: Path, n: int = 120, split: str = "train", seed: int = 0) -> None:
    """A tiny but valid Fashion-MNIST split: random 28×28 images, balanced labels 0–9."""
    rng = np.random.default_rng(seed)
    images = rng.integers(0, 256, size=(n, 28, 28), dtype=np.uint8)
    labels = (np.arange(n) % 10).astype(np.uint8)
    rng.shuffle(labels)
    images_name, labels_name = SPLIT_FILES[split]
    write_gz(folder / images_name, idx_bytes(images))
    write_gz(folder / labels_name, idx_bytes(labels))


def housing_rows(n: int = 60, seed: int = 0) -> np.ndarray:
    """Plausible raw StatLib rows (9 columns, households > 0)."""
    rng = np.random.default_rng(seed)
    households = rng.integers(50, 500, n)
    return np.column_stack(
        [
            rng.uniform(-124, -114, n),  # longitude
            rng.uniform(32, 42, n),  # latitude
            rng.integers(1, 52, n),  # housingMedianAge
            households * rng.uniform(3, 7, n),  # totalRooms
            households * rng.uniform(0.9, 1.2, n),  # totalBedrooms
            households * rng.uniform(2, 4, n),  # population
            households,
            rng.uniform(0.5, 15, n),  # medianIncome
            rng.uniform(15000, 500000, n),  # medianHouseValue
        ]
    )


def write_housing(path: Path, n: int = 60, seed: int = 0) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savetxt(path, housing_rows(n, seed), delimiter=",", fmt="%.6f")
    return path
