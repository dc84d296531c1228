"""`kedro run` as users type it, on tiny data: outputs on disk, both CLI spellings, runners."""

from __future__ import annotations

import copy
import importlib.util

import matplotlib.image
import pandas as pd
import pytest

from tests.conftest import TINY_PARAMETERS, VARIANTS, assert_same_runs

pytestmark = pytest.mark.slow

SEEDS = TINY_PARAMETERS["regularization"]["seeds"]


def test_default_run_writes_every_output(tiny_study):
    catalog = tiny_study.catalog()
    for variant, seed in [(v, s) for v in VARIANTS for s in SEEDS]:
        run = f"regularization.{variant}.seed_{seed}"
        metadata = catalog.load(f"{run}.training_metadata")
        assert metadata["epochs_run"] == 2 and metadata["steps_per_epoch"] == 3  # 168 rows / 64
        assert metadata["seed"] == seed
        model = catalog.load(f"{run}.model")
        assert model.count_params() == metadata["parameter_count"]
        assert catalog.load(f"{run}.test_metrics")["test_rows"] == 90
    runs = catalog.load("regularization.runs_table")
    pairs = list(zip(runs["variant"], runs["seed"], strict=True))
    assert pairs == [(v, s) for v in VARIANTS for s in SEEDS]
    report = catalog.load("regularization.report_table")
    assert list(report["variant"]) == VARIANTS and (report["seeds"] == len(SEEDS)).all()
    choice = catalog.load("regularization.model_choice")
    validation = catalog.load("regularization.validation_table").set_index("variant")
    expected = validation.loc[choice["variant"], "model_val_loss_mean"]  # JSON and CSV digits
    assert choice["model_val_loss"] == pytest.approx(expected, rel=1e-12)
    assert "## Results on the test split (90 rows)" in catalog.load("regularization.report")
    assert catalog.load("housing.training_metadata")["train_rows"] == 44  # floor(56 * 0.8)
    assert "test MSE on 24 rows" in catalog.load("housing.report")
    assert catalog.load("fashion_mnist_study_promotion").variant == choice["variant"]
    # the model in use is the final stage's: an ensemble of 2 refit members, calibrated
    promotion = catalog.load("fashion_mnist_promotion")
    assert promotion.study == "final" and promotion.members == [
        f"final.refit.seed_{s}" for s in SEEDS
    ]
    model = catalog.load("fashion_mnist_promoted_model")
    assert model.input_shape == (None, 784)
    assert model.get_layer("temperature").temperature == promotion.temperature
    assert "## The official test set" in catalog.load("final.report")
    assert catalog.load("regularization.official_check")["images"] == 60
    assert catalog.load("housing_promoted_model").input_shape == (None, 8)
    reporting = tiny_study.root / "data" / "08_reporting"
    figures = {reporting / "regularization" / "test_metrics.png": (400, 1100)}
    for variant in VARIANTS:
        figures[reporting / "regularization" / "learning_curves" / f"{variant}.png"] = (400, 600)
    figures[reporting / "regularization" / "validation_loss_vs_original" / "all.png"] = (500, 800)
    figures[reporting / "housing" / "learning_curve.png"] = (400, 600)
    figures[reporting / "regularization" / "confusion_matrix.png"] = (700, 800)
    for figure, size in figures.items():  # figsize × 100 dpi
        assert matplotlib.image.imread(figure).shape[:2] == size, figure


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


def test_bad_seeds_fail_before_any_training(tiny_project):
    parameters = copy.deepcopy(TINY_PARAMETERS)
    parameters["regularization"]["seeds"] = [1, 1]
    tiny_project.local_conf("parameters", parameters)
    result = tiny_project.kedro("run", "--pipeline=regularization")
    output = result.stdout + result.stderr
    assert result.returncode != 0 and "Parameter 'regularization.seeds'" in output
    assert "[1] repeated" in output and "epoch 1/" not in output


def test_parallel_runner_gives_the_sequential_models(tiny_study, tiny_project):
    """Two models train side by side in worker processes, each seeded by its spec: each is
    number for number the sequential run's (of seed 42: its seeds are independent runs),
    and the forked workers log each model's MLflow run."""
    trained = ["regularization.dropout.seed_42", "regularization.l2.seed_42"]
    tiny_project.session_run(pipeline_names=["data_ingestion", "data_processing"])
    result = tiny_project.kedro(
        "run", "--pipeline=regularization", "--runner=ParallelRunner",
        f"--namespaces={','.join(trained)}", process=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    parallel, sequential = tiny_project.catalog(), tiny_study.catalog()
    summaries = [
        pd.DataFrame([catalog.load(f"{run}.validation_summary") for run in trained])
        for catalog in (parallel, sequential)
    ]  # the runs table's rows of these models
    assert_same_runs(*summaries)
    for run in trained:
        pd.testing.assert_frame_equal(
            parallel.load(f"{run}.training_history"), sequential.load(f"{run}.training_history")
        )
        assert parallel.load(f"{run}.test_metrics") == sequential.load(f"{run}.test_metrics")
    if importlib.util.find_spec("kedro_mlflow"):  # the [mlflow] extra: forked workers log too
        from tests.mlflow_store import children, kedro_runs, store

        client = store(tiny_project)
        models = children(client, kedro_runs(client)[0])  # the parallel run's: the newest
        assert sorted(models) == trained
        assert all("test_accuracy" in m.data.metrics for m in models.values())
