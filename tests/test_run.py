"""`kedro run` end to end on tiny data, both CLI spellings, and the offline error."""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd
import pytest

from tests.conftest import VARIANTS

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


def test_regularization_trains_every_variant_and_saves_outputs(tiny_project):
    tiny_project.session_run(pipeline_names=["regularization"])
    catalog = tiny_project.catalog()
    x_test, y_test = catalog.load("fashion_mnist_X_test"), catalog.load("fashion_mnist_y_test")
    variants = VARIANTS
    for variant in variants:
        model = catalog.load(f"{variant}.model")
        loss, accuracy = model.evaluate(x_test, y_test, verbose=0)
        assert np.isfinite(loss) and 0 <= accuracy <= 1
        history = catalog.load(f"{variant}.training_history")
        assert {"epoch", "loss", "val_loss", "accuracy", "val_accuracy"} <= set(history.columns)
        metadata = catalog.load(f"{variant}.training_metadata")
        assert metadata["epochs_run"] == len(history) <= 2
        assert metadata["steps_per_epoch"] == 3  # ceil(168 rows / batch 64)
        assert catalog.load(f"{variant}.test_metrics")["test_loss"] == pytest.approx(loss, rel=1e-5)
    report = catalog.load("report_table")
    assert list(report["variant"]) == variants
    choice = catalog.load("model_choice")
    assert choice["variant"] in variants
    text = catalog.load("report")
    assert f"**{choice['variant']}**, chosen on the validation split only" in text
    reporting = tiny_project.root / "data" / "08_reporting"
    figures = [reporting / "test_metrics.png"]
    figures += [reporting / "learning_curves" / f"{v}.png" for v in variants]
    figures += [
        reporting / "validation_loss_vs_original" / f"{v}.png" for v in variants if v != "overfit"
    ]
    figures += [reporting / "validation_loss_vs_original" / "all.png"]
    for figure in figures:
        assert figure.stat().st_size > 5000, figure  # a real PNG, not an empty file


def test_housing_pipeline_trains(tiny_project):
    tiny_project.session_run(pipeline_names=["housing"])
    catalog = tiny_project.catalog()
    metadata = catalog.load("housing.training_metadata")
    assert metadata["train_rows"] == 44  # floor(56 * 0.8): Keras' validation_split rule
    assert metadata["epochs_run"] == 2 and metadata["spec"]["loss"] == "mse"
    assert catalog.load("housing.test_metrics")["test_loss"] > 0
    assert (
        tiny_project.root / "data/08_reporting/housing_learning_curve.png"
    ).stat().st_size > 5000


def test_default_pipeline_report_includes_housing(tiny_project):
    tiny_project.session_run()
    text = tiny_project.catalog().load("report")
    assert "## California housing (part 1)" in text and "test MSE" in text


def test_yaml_only_ninth_variant_trains(tiny_project):
    """Adding a variant is a configuration change: no code touched."""
    tiny_project.local_conf(
        "parameters_extra_variant",
        {"regularization": {"variants": {"l1_l2": {"hidden": {"l1": 1.0e-8, "l2": 1.0e-8}}}}},
    )
    tiny_project.session_run(pipeline_names=["data_ingestion", "data_processing"])
    result = tiny_project.kedro("run", "--pipeline=regularization", "--namespaces=l1_l2")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Training variant l1_l2 (1 of 1)" in result.stdout + result.stderr
    model = tiny_project.catalog().load("l1_l2.model")
    assert model.layers[0].kernel_regularizer.get_config() == pytest.approx(
        {"l1": 1e-8, "l2": 1e-8}
    )
    assert not (tiny_project.root / "data/06_models/overfit.keras").exists()


def test_invalid_parameters_fail_before_any_training(tiny_project):
    tiny_project.local_conf(
        "parameters_typo", {"regularization": {"variants": {"l2": {"hidden": {"l2": -0.1}}}}}
    )
    result = tiny_project.kedro("run", "--pipeline=regularization")
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "variant 'l2': field 'hidden.l2' must be a number >= 0" in output
    assert "epoch 1/" not in output and "Training variant" not in output


def test_parallel_runner_gives_the_sequential_report(tiny_project):
    """Variants train in spawned worker processes, each seeded by its spec: same report."""
    tiny_project.session_run(pipeline_names=["regularization"])
    sequential = tiny_project.catalog().load("report_table")
    result = tiny_project.kedro("run", "--pipeline=regularization", "--runner=ParallelRunner")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ParallelRunner: workers are spawned" in result.stdout + result.stderr
    parallel = tiny_project.catalog().load("report_table")  # the latest version
    assert (parallel["trained_at"] >= sequential["trained_at"]).all()
    run_dependent = ["fit_seconds", "trained_at"]
    pd.testing.assert_frame_equal(
        parallel.drop(columns=run_dependent), sequential.drop(columns=run_dependent)
    )


def test_thread_runner_warns_that_results_will_differ(tiny_project):
    from kedro.runner import ThreadRunner

    hooks_logger = logging.getLogger("from_data_to_model.hooks")
    records: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = records.append
    hooks_logger.addHandler(handler)
    try:
        tiny_project.session_run(pipeline_names=["regularization"], runner=ThreadRunner())
    finally:
        hooks_logger.removeHandler(handler)
    warnings = [r.getMessage() for r in records if r.levelno == logging.WARNING]
    assert any("use --runner=ParallelRunner" in message for message in warnings)
    assert len(tiny_project.catalog().load("report_table")) == len(VARIANTS)
