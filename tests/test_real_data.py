"""Checks on the real public files; skipped, with the reason shown, when they are absent."""

from __future__ import annotations

import io
import shutil
import tarfile

import numpy as np
import pandas as pd
import pytest

from from_data_to_model.datasets import CaliforniaHousingDataset, FashionMnistDataset
from tests.conftest import RAW_DIR, requires_real_data

pytestmark = [requires_real_data, pytest.mark.real_data]


def test_raw_fashion_mnist_facts():
    data = FashionMnistDataset(path=str(RAW_DIR / "fashion-mnist"), mirror=None).load()
    assert data["images"].shape == (60000, 28, 28)
    assert np.bincount(data["labels"]).tolist() == [6000] * 10
    assert data["labels"][:10].tolist() == [9, 0, 0, 3, 0, 2, 7, 2, 5, 5]
    assert data["images"].mean() / 255 == pytest.approx(0.2860, abs=1e-4)


def test_housing_frame_identical_to_scikit_learn(tmp_path, monkeypatch):
    """Our derivation equals fetch_california_housing(as_frame=True), run on the same file."""
    from sklearn.datasets import _california_housing, fetch_california_housing

    from from_data_to_model.pipelines.data_ingestion.nodes import derive_housing_frame

    raw_file = RAW_DIR / "california-housing" / "cal_housing.data"

    def fetch_remote_from_local_file(remote, dirname=None, **kwargs):
        archive = tmp_path / "cal_housing.tgz"
        with tarfile.open(archive, "w:gz") as tar:
            data = raw_file.read_bytes()
            info = tarfile.TarInfo("CaliforniaHousing/cal_housing.data")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        target = tmp_path / "home" / remote.filename
        shutil.copy(archive, target)
        return str(target)

    monkeypatch.setattr(_california_housing, "_fetch_remote", fetch_remote_from_local_file)
    expected = fetch_california_housing(data_home=tmp_path / "home", as_frame=True).frame
    ours = derive_housing_frame(CaliforniaHousingDataset(filepath=str(raw_file)).load())
    pd.testing.assert_frame_equal(ours, expected)


@pytest.mark.slow
def test_model_inputs_from_real_data(real_project):
    real_project.session_run(pipeline_names=["data_ingestion", "data_processing"])
    catalog = real_project.catalog()
    shapes = {
        name: catalog.load(name).shape
        for name in ["fashion_mnist_X_train", "fashion_mnist_X_val", "fashion_mnist_X_test"]
    }
    assert shapes == {
        "fashion_mnist_X_train": (33600, 784),
        "fashion_mnist_X_val": (8400, 784),
        "fashion_mnist_X_test": (18000, 784),
    }
    assert catalog.load("housing_X_train").shape == (14448, 8)
    assert catalog.load("housing_X_test").shape == (6192, 8)
    housing = catalog.load("california_housing")
    assert housing.iloc[0].to_numpy() == pytest.approx(
        [8.3252, 41, 6.984127, 1.023810, 322, 2.555556, 37.88, -122.23, 4.526], abs=1e-6
    )
    assert catalog.load("fashion_mnist_labels")[0].argmax() == 9
