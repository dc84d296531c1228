"""Keras models in the catalog: saved atomically, and a clear error for a bad file."""

from __future__ import annotations

import os
from pathlib import Path

import keras
from kedro.io.core import get_filepath_str
from kedro_datasets.tensorflow import TensorFlowModelDataset

from .errors import ModelFileError


class KerasModelDataset(TensorFlowModelDataset):
    """``tensorflow.TensorFlowModelDataset`` for ``.keras`` files, made interrupt-safe.

    * On local disk, a model is written next to its final path and renamed into place,
      so a run killed mid-save never leaves a half-written file where a load (or
      Kedro's "latest version") would find it.
    * A file that is not a Keras model gives a ``ModelFileError`` that says so and
      how to get a good one, instead of Keras' message about a temporary file.
    """

    def save(self, data: keras.Model) -> None:
        if self._protocol != "file":
            super().save(data)
            return
        final = Path(get_filepath_str(self._get_save_path(), self._protocol))
        final.parent.mkdir(parents=True, exist_ok=True)
        partial = final.with_name(f".{final.stem}.partial.keras")
        keras.saving.save_model(data, partial, **self._save_args)
        os.replace(partial, final)

    def load(self) -> keras.Model:
        try:
            return super().load()
        except Exception as exc:  # noqa: BLE001 (any failure means the same to the user)
            path = get_filepath_str(self._get_load_path(), self._protocol)
            reason = str(exc).strip().splitlines()[-1]
            raise ModelFileError(
                f"{path} is not a loadable Keras model ({reason}). Retrain it (e.g. "
                "`kedro run --pipeline=regularization --namespaces=<variant>`) or load an "
                "earlier version with `catalog.load(name, version=...)`."
            ) from None
