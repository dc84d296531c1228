"""Keras models in the catalog as ``.keras`` files, through ``keras.saving`` alone.

Kedro-datasets' ``tensorflow.TensorFlowModelDataset`` imports TensorFlow, which a JAX
machine may not have; Keras' own format needs no backend in particular.
"""

from __future__ import annotations

import tempfile
from pathlib import Path, PurePosixPath
from typing import Any

import fsspec
from kedro.io.core import (
    AbstractVersionedDataset,
    Version,
    VersionNotFoundError,
    get_filepath_str,
    get_protocol_and_path,
)

from .errors import ModelFileError, ModelMissingError
from .previews import TablePreview


class KerasModelDataset(AbstractVersionedDataset[Any, Any]):
    """A Keras model saved to, and loaded from, one ``.keras`` file (local or fsspec URL).

    * A model is written next to its final path and then moved into place, so a run
      killed mid-save never leaves a half-written file where a load (or Kedro's
      "latest version") would find it.
    * A file that is not a Keras model gives a ``ModelFileError`` that says so and how
      to get a good one.

    Example catalog entry::

        "{namespace}.model":
          type: from_data_to_model.datasets.KerasModelDataset
          filepath: data/06_models/{namespace}.keras
          versioned: true
    """

    def __init__(  # noqa: PLR0913
        self,
        *,
        filepath: str,
        load_args: dict[str, Any] | None = None,
        save_args: dict[str, Any] | None = None,
        version: Version | None = None,
        credentials: dict[str, Any] | None = None,
        fs_args: dict[str, Any] | None = None,
        metadata: dict[str, Any] | None = None,
        missing: str | None = None,
        deferred: bool = False,
    ) -> None:
        """``missing``: what a load says when no model was saved yet (what to run).
        ``deferred``: a load gives a function that loads the model when called, so that a
        node handed many models (the promotion's candidates) loads only the one it uses."""
        protocol, path = get_protocol_and_path(filepath, version)
        self._missing = missing
        self._deferred = deferred
        self._protocol = protocol
        self._fs = fsspec.filesystem(protocol, **(credentials or {}), **(fs_args or {}))
        self._load_args = load_args or {}
        self._save_args = save_args or {}
        self.metadata = metadata
        super().__init__(
            filepath=PurePosixPath(path),
            version=version,
            exists_function=self._fs.exists,
            glob_function=self._fs.glob,
        )

    def _describe(self) -> dict[str, Any]:
        return {"filepath": self._filepath, "protocol": self._protocol, "version": self._version}

    def load(self) -> Any:
        if self._deferred:
            return self._load_model
        return self._load_model()

    def _load_model(self) -> Any:
        import keras

        import from_data_to_model.ensemble  # noqa: F401 (registers the final model's layer)

        try:
            load_path = self._get_load_path()
        except VersionNotFoundError:
            if self._missing is None:
                raise
            raise ModelMissingError(self._missing) from None
        path = get_filepath_str(load_path, self._protocol)
        with tempfile.TemporaryDirectory() as tmp:
            local = Path(tmp) / "model.keras"
            self._fs.get(path, str(local))
            try:
                return keras.saving.load_model(local, **self._load_args)
            except Exception as exc:  # noqa: BLE001 (any failure means the same to the user)
                reason = str(exc).strip().splitlines()[-1]
                raise ModelFileError(
                    f"{path} is not a loadable Keras model ({reason}). Retrain it (e.g. "
                    "`kedro run --pipeline=regularization --namespaces=regularization.<variant>`)"
                    " or load an earlier version with `catalog.load(name, version=...)`."
                ) from None

    def check_file(self) -> None:
        """Raise what a load would, for a missing or damaged file, without loading it: the
        file must be a whole ``.keras`` archive (a zip holding the model's config).

        Raises:
            ModelMissingError: nothing saved yet (with ``missing``'s message).
            ModelFileError: a file that is no Keras archive (truncated, another format).
        """
        import zipfile

        message = self._missing or f"No model saved at {self._filepath} yet."
        try:
            path = get_filepath_str(self._get_load_path(), self._protocol)
        except VersionNotFoundError:
            raise ModelMissingError(message) from None
        if not self._fs.exists(path):
            raise ModelMissingError(message)
        with self._fs.open(path, "rb") as file:
            try:
                with zipfile.ZipFile(file) as archive:
                    whole = "config.json" in archive.namelist() and archive.testzip() is None
            except (zipfile.BadZipFile, OSError):
                whole = False
        if not whole:
            raise ModelFileError(
                f"{path} is damaged: not a whole Keras model archive. Train it again, or "
                "load an earlier version with `catalog.load(name, version=...)`."
            )

    def save(self, data: Any) -> None:
        import keras

        path = get_filepath_str(self._get_save_path(), self._protocol)
        self._fs.makedirs(str(PurePosixPath(path).parent), exist_ok=True)
        partial = f"{PurePosixPath(path).parent}/.{PurePosixPath(path).stem}.partial.keras"
        with tempfile.TemporaryDirectory() as tmp:
            local = Path(tmp) / "model.keras"
            keras.saving.save_model(data, local, **self._save_args)
            self._fs.put(str(local), partial)
        self._fs.mv(partial, path)

    def _exists(self) -> bool:
        return self._fs.exists(get_filepath_str(self._get_load_path(), self._protocol))

    def preview(self) -> TablePreview:
        """The model's layers: name, kind, output shape and parameter count (kedro viz)."""
        import pandas as pd

        layers = pd.DataFrame(
            [
                {
                    "layer": layer.name,
                    "kind": type(layer).__name__,
                    "output shape": str(layer.output.shape),
                    "parameters": layer.count_params(),
                }
                for layer in self._load_model().layers
            ]
        )
        return TablePreview(layers.to_dict(orient="split"))
