"""Fashion-MNIST's IDX ``.gz`` files as a Kedro dataset of numpy arrays."""

from __future__ import annotations

import gzip
import math
import zlib
from pathlib import Path
from typing import Any

import fsspec
import numpy as np
from kedro.io import AbstractDataset, DatasetError

from .errors import RawDataError, RawDataMissingError
from .previews import ImagePreview, image_grid

SPLIT_FILES = {
    "train": ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"),
    "test": ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"),
}

# sha256 of the *decompressed* IDX bytes: gzip headers differ between honest copies.
IDX_SHA256 = {
    "train-images-idx3-ubyte.gz": "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",  # noqa: E501
    "train-labels-idx1-ubyte.gz": "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",  # noqa: E501
    "t10k-images-idx3-ubyte.gz": "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",  # noqa: E501
    "t10k-labels-idx1-ubyte.gz": "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",  # noqa: E501
}

IMAGES_MAGIC = 2051  # unsigned bytes, 3 dimensions
LABELS_MAGIC = 2049  # unsigned bytes, 1 dimension


def read_idx(
    path: str | Path, expected_magic: int, fs: fsspec.AbstractFileSystem | None = None
) -> np.ndarray:
    """Read one gzipped IDX file of unsigned bytes (local, or on ``fs``) into an array of
    its stated shape.

    Raises:
        RawDataError: not gzip, truncated, wrong magic number, or a size that does
            not match the dimensions in the header.
    """
    try:
        with (fs or fsspec.filesystem("file")).open(str(path), "rb") as packed:
            raw = gzip.GzipFile(fileobj=packed).read()
    except (OSError, EOFError, zlib.error) as exc:
        raise RawDataError(f"{path}: not a readable gzip file ({exc}). Replace it.") from None
    return parse_idx(raw, expected_magic, path)


def parse_idx(raw: bytes, expected_magic: int, path: str | Path) -> np.ndarray:
    """The array an IDX file's (decompressed) bytes hold; ``path`` names it in errors.

    Raises:
        RawDataError: wrong magic number, or a size that does not match the dimensions in
            the header.
    """
    if len(raw) < 4:
        raise RawDataError(f"{path}: {len(raw)} bytes, too short for an IDX header.")
    magic = int.from_bytes(raw[:4], "big")
    if magic != expected_magic:
        raise RawDataError(
            f"{path}: IDX magic number {magic}, expected {expected_magic} "
            f"({'images' if expected_magic == IMAGES_MAGIC else 'labels'} file). "
            "Is it the right file?"
        )
    ndim = raw[3]
    header_size = 4 + 4 * ndim
    if len(raw) < header_size:
        raise RawDataError(f"{path}: truncated IDX header.")
    shape = tuple(int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim))
    expected_size = header_size + math.prod(shape)
    if len(raw) != expected_size:
        raise RawDataError(
            f"{path}: {len(raw) - header_size} data bytes, the header's dimensions {shape} "
            f"need {expected_size - header_size}. The file is truncated or corrupt: replace it."
        )
    return np.frombuffer(raw, dtype=np.uint8, offset=header_size).reshape(shape)


class FashionMnistDataset(AbstractDataset[None, dict[str, np.ndarray]]):
    """One split of Fashion-MNIST: ``{"images": (n, 28, 28) uint8, "labels": (n,) uint8}``.

    Reads the IDX ``.gz`` files from ``path`` (a folder, or an fsspec URL of one);
    missing files give one ``RawDataMissingError`` that names them and how to get them.

    Example catalog entry::

        fashion_mnist_raw_train:
          type: from_data_to_model.datasets.FashionMnistDataset
          path: data/01_raw/fashion-mnist
          split: train
    """

    def __init__(
        self,
        *,
        path: str,
        split: str = "train",
        num_classes: int = 10,
        credentials: dict[str, Any] | None = None,
        fs_args: dict[str, Any] | None = None,
        metadata: dict[str, Any] | None = None,
    ) -> None:
        if split not in SPLIT_FILES:
            raise DatasetError(f"split must be one of {sorted(SPLIT_FILES)}, got {split!r}.")
        self._fs, folder = fsspec.core.url_to_fs(path, **(credentials or {}), **(fs_args or {}))
        self._path = path.rstrip("/")  # as written, for messages
        self._folder = folder.rstrip("/")
        self._split = split
        self._num_classes = num_classes
        self.metadata = metadata

    def _describe(self) -> dict[str, Any]:
        return {"path": self._path, "split": self._split}

    def _missing(self) -> list[str]:
        files = SPLIT_FILES[self._split]
        return [name for name in files if not self._fs.isfile(f"{self._folder}/{name}")]

    def _exists(self) -> bool:
        return not self._missing()

    def save(self, data: Any) -> None:
        raise DatasetError("FashionMnistDataset is read-only: raw data is never overwritten.")

    def load(self) -> dict[str, np.ndarray]:
        missing = self._missing()
        if missing:
            raise RawDataMissingError(
                f"Fashion-MNIST file(s) missing: {', '.join(missing)}. Put them in "
                f"'{self._path}/': `python -m from_data_to_model.download` fetches them (needs "
                "internet); offline, copy them from Debian's package 'dataset-fashion-mnist' "
                "(/usr/share/datasets/fashion-mnist/) or any copy of the official files."
            )
        images_file, labels_file = (f"{self._folder}/{name}" for name in SPLIT_FILES[self._split])
        images = read_idx(images_file, IMAGES_MAGIC, self._fs)
        labels = read_idx(labels_file, LABELS_MAGIC, self._fs)
        if images.ndim != 3 or labels.ndim != 1:
            raise RawDataError(
                f"{images_file}, {labels_file}: expected 3-D images and 1-D labels, "
                f"got shapes {images.shape} and {labels.shape}."
            )
        if len(images) != len(labels):
            raise RawDataError(
                f"{images_file} holds {len(images)} images but {labels_file} holds "
                f"{len(labels)} labels: the two files are not a pair."
            )
        if labels.size and labels.max() >= self._num_classes:
            raise RawDataError(
                f"{labels_file}: label {int(labels.max())} outside 0..{self._num_classes - 1}."
            )
        return {"images": images, "labels": labels}

    def preview(self, images: int = 20) -> ImagePreview:
        """The split's first ``images`` images, labelled (``kedro viz --include-previews``)."""
        data = self.load()
        return image_grid(data["images"][:images], data["labels"][:images])
