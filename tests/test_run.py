"""`kedro run` end to end on tiny data, both CLI spellings, and the offline error."""

from __future__ import annotations

import numpy as np
import pytest

pytestmark = pytest.mark.slow


def test_data_pipelines_write_model_inputs(tiny_project):
    tiny_project.session_run(pipeline_names=["data_ingestion", "data_processing"])
    catalog = tiny_project.catalog()
    x_train = catalog.load("fashion_mnist_X_train")
    x_val, x_test = catalog.load("fashion_mnist_X_val"), catalog.load("fashion_mnist_X_test")
    assert x_train.shape == (168, 784) and x_val.shape == (42, 784) and x_test.shape == (90, 784)
    assert x_train.dtype == np.float32
    assert catalog.load("fashion_mnist_y_train").shape == (168, 10)
    assert catalog.load("housing_X_train").shape == (56, 8)
    assert catalog.load("housing_y_test").shape == (24, 1)
    scaler = catalog.load("fashion_mnist_scaler")
    assert scaler.mean_.shape == (784,) and scaler.n_samples_seen_ == 168 + 42


def test_cli_pipelines_spelling(tiny_project):
    result = tiny_project.kedro("run", "--pipelines=data_ingestion,data_processing")
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tiny_project.root / "data/05_model_input/fashion_mnist/X_train.pkl").is_file()


def test_cli_deprecated_pipeline_spelling_still_works(tiny_project):
    """``--pipeline`` (one name) is deprecated in Kedro 1.x but our users still type it."""
    for name in ("data_ingestion", "data_processing"):
        result = tiny_project.kedro("run", f"--pipeline={name}")
        assert result.returncode == 0, result.stdout + result.stderr
    assert (tiny_project.root / "data/05_model_input/housing/X_train.parquet").is_file()


def test_offline_without_raw_files_gives_actionable_error(offline_project):
    result = offline_project.kedro("run", "--pipelines=data_ingestion,data_processing")
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "RawDataMissingError" in output
    assert "Put them in" in output or "put 'cal_housing.data' in" in output
    assert "Downloading" in output and "failed" in output
