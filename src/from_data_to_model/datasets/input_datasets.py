"""Data to score: images from a folder of image files or an IDX file, and a CSV of rows.

Where nothing is at the configured place, each loads empty and says so in a warning: a
``predict`` run scores what it was given (images, houses, or both), and names what it did
not find. What is there but cannot be read stops the load, naming the file.
"""

from __future__ import annotations

import gzip
import logging
from pathlib import PurePosixPath
from typing import Any

import fsspec
import numpy as np
import pandas as pd
from kedro.io import AbstractDataset
from kedro_datasets.pandas import CSVDataset

from .errors import InputDataError, RawDataError
from .idx_dataset import IMAGES_MAGIC, parse_idx

logger = logging.getLogger(__name__)


class ImageInputDataset(AbstractDataset[None, dict[str, Any]]):
    """``{"names": [...], "images": [...]}``: the images at ``path``, decoded, in name order.

    ``path`` is a folder of image files (PNG, JPEG, or any format Pillow reads; any size
    and colour mode: each comes as an (h, w, 4) RGBA array) or an IDX images file,
    gzipped or not, like Fashion-MNIST's (each image an (h, w) grayscale array, named
    ``<file>[<index>]``). Every file of the folder must be an image: one that is not, or
    is truncated, stops the load with its name. Read-only: scoring writes elsewhere.
    """

    def __init__(
        self,
        *,
        path: str,
        credentials: dict[str, Any] | None = None,
        fs_args: dict[str, Any] | None = None,
        metadata: dict[str, Any] | None = None,
    ) -> None:
        self._fs, self._local = fsspec.core.url_to_fs(
            path, **(credentials or {}), **(fs_args or {})
        )
        self._path = path
        self.metadata = metadata

    def _describe(self) -> dict[str, Any]:
        return {"path": self._path}

    def _exists(self) -> bool:
        return self._fs.exists(self._local)

    def save(self, data: None) -> None:
        raise InputDataError("ImageInputDataset is read-only: it holds the images to score.")

    def load(self) -> dict[str, Any]:
        if not self._fs.exists(self._local):
            logger.warning(
                "No images to score at '%s': none scored. Put image files (PNG, JPEG) in "
                "that folder, or pass --params predict_images=<folder or IDX file>.",
                self._path,
            )
            return {"names": [], "images": []}
        if self._fs.isdir(self._local):
            return self._load_folder()
        return self._load_idx()

    def _load_folder(self) -> dict[str, Any]:
        files = sorted(
            f for f in self._fs.ls(self._local, detail=False)
            if not PurePosixPath(f).name.startswith(".") and self._fs.isfile(f)
        )  # fmt: skip
        if not files:
            raise InputDataError(
                f"The folder '{self._path}' holds no file to score: put PNG or JPEG images in it."
            )
        names, images = [], []
        for file in files:
            names.append(PurePosixPath(file).name)
            images.append(self._decode(file))
        return {"names": names, "images": images}

    def _decode(self, file: str) -> np.ndarray:
        from PIL import Image, UnidentifiedImageError

        name = PurePosixPath(file).name
        try:
            with self._fs.open(file, "rb") as stream, Image.open(stream) as image:
                image.load()  # decodes now: a truncated file fails here, named
                return np.asarray(image.convert("RGBA"))
        except UnidentifiedImageError:
            raise InputDataError(
                f"'{name}' in '{self._path}' is not an image Pillow can read (PNG, JPEG, ...): "
                "remove it from the folder, or replace it."
            ) from None
        except (OSError, SyntaxError) as error:
            raise InputDataError(
                f"'{name}' in '{self._path}' is a damaged image ({error}): replace it."
            ) from None

    def _load_idx(self) -> dict[str, Any]:
        name = PurePosixPath(self._local).name
        with self._fs.open(self._local, "rb") as stream:
            raw = stream.read()
        if raw[:2] == b"\x1f\x8b":
            try:
                raw = gzip.decompress(raw)
            except (OSError, EOFError) as error:
                message = f"'{self._path}': not a readable gzip file ({error})."
                raise InputDataError(message) from None
        try:
            images = parse_idx(raw, IMAGES_MAGIC, self._path)
        except RawDataError as error:
            raise InputDataError(
                f"'{self._path}' is neither a folder of images nor an IDX images file: {error}"
            ) from None
        return {"names": [f"{name}[{i}]" for i in range(len(images))], "images": list(images)}


class RowsInputDataset(CSVDataset):
    """A CSV of rows to score (kedro-datasets' ``pandas.CSVDataset``, read-only); where no
    file is, an empty table, with a warning that names the place."""

    def load(self) -> pd.DataFrame:
        if not self._exists():
            logger.warning(
                "No rows to score at '%s': none scored. Put a CSV there, or pass "
                "--params predict_housing=<file>.",
                self._filepath,
            )
            return pd.DataFrame()
        return super().load()

    def save(self, data: pd.DataFrame) -> None:
        raise InputDataError("RowsInputDataset is read-only: it holds the rows to score.")
