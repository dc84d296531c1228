"""`kedro run` as users type it, on tiny data: outputs on disk, both CLI spellings, runners."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.conftest import VARIANTS

pytestmark = pytest.mark.slow


def test_default_run_writes_every_output(tiny_study):
    catalog = tiny_study.catalog()
    for variant in VARIANTS:
        metadata = catalog.load(f"regularization.{variant}.training_metadata")
        assert metadata["epochs_run"] == 2 and metadata["steps_per_epoch"] == 3  # 168 rows / 64
        model = catalog.load(f"regularization.{variant}.model")
        assert model.count_params() == metadata["parameter_count"]
        assert catalog.load(f"regularization.{variant}.test_metrics")["test_rows"] == 90
    assert list(catalog.load("regularization.report_table")["variant"]) == VARIANTS
    assert catalog.load("regularization.model_choice")["variant"] in VARIANTS
    assert "## Results on the test split (90 rows)" in catalog.load("regularization.report")
    assert catalog.load("housing.training_metadata")["train_rows"] == 44  # floor(56 * 0.8)
    assert "test MSE on 24 rows" in catalog.load("housing.report")
    reporting = tiny_study.root / "data" / "08_reporting"
    figures = [reporting / "regularization" / "test_metrics.png"]
    figures += [reporting / "regularization" / "learning_curves" / f"{v}.png" for v in VARIANTS]
    figures += [reporting / "regularization" / "validation_loss_vs_original" / "all.png"]
    figures += [reporting / "housing" / "learning_curve.png"]
    for figure in figures:
        assert figure.stat().st_size > 5000, figure  # a real PNG, not an empty file


def test_cli_pipelines_spelling(tiny_project):
    result = tiny_project.kedro("run", "--pipelines=data_ingestion,data_processing")
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tiny_project.root / "data/05_model_input/fashion_mnist/X_train.pkl").is_file()


def test_cli_deprecated_pipeline_spelling_still_works(tiny_project):
    """``--pipeline`` (one name) is deprecated in Kedro 1.x but our users still type it."""
    result = tiny_project.kedro("run", "--pipeline=housing")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Training housing (1 of 1)" in result.stdout + result.stderr


def test_invalid_parameters_fail_before_any_training(tiny_project):
    tiny_project.local_conf(
        "parameters_typo", {"regularization": {"variants": {"l2": {"hidden": {"l2": -0.1}}}}}
    )
    result = tiny_project.kedro("run", "--pipeline=regularization")
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "ParameterValidationError" in output and "'regularization.variants.l2'" in output
    assert "hidden.l2" in output and "greater than or equal to 0" in output
    assert "epoch 1/" not in output and "Training regularization" not in output


def test_parallel_runner_gives_the_sequential_report(tiny_study, tiny_project):
    """Variants train in worker processes, each seeded by its spec: the same report."""
    sequential = tiny_study.catalog().load("regularization.report_table")
    result = tiny_project.kedro("run", "--pipeline=regularization", "--runner=ParallelRunner")
    assert result.returncode == 0, result.stdout + result.stderr
    parallel = tiny_project.catalog().load("regularization.report_table")
    run_dependent = ["fit_seconds", "trained_at"]
    pd.testing.assert_frame_equal(
        parallel.drop(columns=run_dependent), sequential.drop(columns=run_dependent)
    )
