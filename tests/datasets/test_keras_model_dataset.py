"""Keras models through the catalog: versioned, atomic saves, a clear error for bad files."""

from __future__ import annotations

import fsspec.implementations.local
import keras
import numpy as np
import pytest
from kedro.io import Version

from from_data_to_model.datasets import KerasModelDataset, ModelFileError, ModelMissingError


def tiny_model(seed: int) -> keras.Model:
    keras.utils.set_random_seed(seed)
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, activation="softmax")])
    model.compile(loss="categorical_crossentropy")
    return model


def versioned(path, save=None, load=None):
    return KerasModelDataset(filepath=str(path), version=Version(load, save))


def test_versions_are_kept_and_latest_loads(tmp_path):
    path = tmp_path / "l2.keras"
    first, second = tiny_model(1), tiny_model(2)
    versioned(path, save="2026-01-01T00.00.00.000Z").save(first)
    versioned(path, save="2026-01-02T00.00.00.000Z").save(second)
    assert len(list(path.iterdir())) == 2  # nothing overwritten
    loaded = versioned(path).load()
    np.testing.assert_array_equal(loaded.get_weights()[0], second.get_weights()[0])
    older = versioned(path, load="2026-01-01T00.00.00.000Z").load()
    np.testing.assert_array_equal(older.get_weights()[0], first.get_weights()[0])
    assert not list(path.rglob("*.partial.keras"))


def test_interrupted_save_leaves_the_previous_version_latest(tmp_path, monkeypatch):
    path = tmp_path / "l2.keras"
    good = tiny_model(1)
    versioned(path, save="2026-01-01T00.00.00.000Z").save(good)

    def killed(*args):
        raise KeyboardInterrupt  # Ctrl-C between writing and renaming

    monkeypatch.setattr(fsspec.implementations.local.LocalFileSystem, "mv", killed)
    with pytest.raises(KeyboardInterrupt):
        versioned(path, save="2026-01-02T00.00.00.000Z").save(tiny_model(2))
    monkeypatch.undo()
    assert [p.name for p in path.rglob(".*.keras")] == [".l2.partial.keras"]  # never a version
    loaded = versioned(path).load()
    np.testing.assert_array_equal(loaded.get_weights()[0], good.get_weights()[0])


def test_not_a_keras_file_gives_clear_error(tmp_path):
    version_dir = tmp_path / "l2.keras" / "2026-01-01T00.00.00.000Z"
    version_dir.mkdir(parents=True)
    (version_dir / "l2.keras").write_text("not a model")
    with pytest.raises(ModelFileError, match="is not a loadable Keras model") as excinfo:
        versioned(tmp_path / "l2.keras").load()
    assert "2026-01-01T00.00.00.000Z/l2.keras" in str(excinfo.value)
    assert "--namespaces=regularization.<variant>" in str(excinfo.value)


def test_no_model_saved_yet_says_what_to_run(tmp_path):
    dataset = KerasModelDataset(
        filepath=str(tmp_path / "promoted.keras"), version=Version(None, None),
        missing="No fashion_mnist model has been promoted yet: run the study first.",
    )  # fmt: skip
    with pytest.raises(ModelMissingError, match="No fashion_mnist model has been promoted yet"):
        dataset.load()
