"""MLflow tracking (the [mlflow] extra): each run an MLflow run, each model a child run."""

from __future__ import annotations

import json
import shutil
import sys
import textwrap
import urllib.request
from pathlib import Path

import numpy as np
import pytest

from tests.browser import answer, free_port, started
from tests.conftest import TINY_PARAMETERS, VARIANTS, copy_project, migrated_store
from tests.mlflow_store import children, kedro_runs, runs, store
from tests.raw_files import write_housing

pytest.importorskip(
    "kedro_mlflow",
    reason="MLFLOW EXTRA ABSENT: pip install -e '.[mlflow]' (make test does) to check tracking",
)
import mlflow  # noqa: E402  (after the skip: the extra brings it)
from kedro.pipeline import Pipeline, node  # noqa: E402

from from_data_to_model.study import Run  # noqa: E402
from from_data_to_model.tracking import (  # noqa: E402
    ModelTrackingHooks,
    TrackingStoreError,
    TrackingTarget,
    model_tags,
    numbers,
)

slow = pytest.mark.slow


@pytest.fixture(scope="module")
def housing_run(tmp_path_factory):
    """``kedro run --pipeline=housing`` in a tiny project, with the extra installed, and a
    store the run creates (no other test's starts without one)."""
    project = copy_project(tmp_path_factory.mktemp("tracked"))
    (project.root / "mlflow.db").unlink()
    write_housing(project.raw / "california-housing" / "cal_housing.data", n=80)
    project.local_conf("parameters", TINY_PARAMETERS)
    result = project.kedro("run", "--pipeline=housing")
    assert result.returncode == 0, result.stdout + result.stderr
    return project, result.stdout + result.stderr


@slow
def test_housing_run_holds_params_metric_history_and_model(housing_run):
    project, _ = housing_run
    client = store(project)
    (parent,) = kedro_runs(client)
    assert parent.data.tags["kedro_command"] == "kedro run --pipeline=housing"
    assert parent.info.status == "FINISHED"
    model_run = children(client, parent)["housing"]
    catalog = project.catalog()  # the run's outputs, latest versions
    spec = catalog.load("housing.spec")
    history = catalog.load("housing.training_history")
    # the resolved spec, as parameters
    assert model_run.data.params["epochs"] == str(spec["epochs"]) == "2"
    assert model_run.data.params["optimizer.name"] == spec["optimizer"]["name"] == "rmsprop"
    assert model_run.data.params["hidden.units"] == "16"
    assert model_run.data.tags["study"] == model_run.data.tags["variant"] == "housing"
    # every per-epoch metric, as a history
    for column in history.columns.drop("epoch"):
        logged = client.get_metric_history(model_run.info.run_id, column)
        assert [m.step for m in logged] == history["epoch"].tolist()
        np.testing.assert_allclose([m.value for m in logged], history[column])
    # the validation summary's and the test split's figures
    summary, tests = (
        catalog.load("housing.validation_summary"),
        catalog.load("housing.test_metrics"),
    )
    for name, value in (numbers(summary) | numbers(tests)).items():
        assert model_run.data.metrics[name] == pytest.approx(value)
    assert model_run.data.metrics["model_val_loss"] == summary["model_val_loss"]
    # the Keras model, which predicts as the catalog's copy does
    (logged_model,) = client.search_logged_models(
        experiment_ids=[parent.info.experiment_id],
        filter_string=f"source_run_id = '{model_run.info.run_id}'",
    )
    mlflow.set_tracking_uri(client.tracking_uri)
    tracked = mlflow.keras.load_model(f"models:/{logged_model.model_id}")
    saved, rows = catalog.load("housing.model"), catalog.load("housing_X_test").head(5)
    np.testing.assert_allclose(tracked.predict(rows), saved.predict(rows), rtol=1e-6)
    # the report and the figure, as artifacts of the model's run
    report = client.download_artifacts(model_run.info.run_id, "housing/report.md")
    assert open(report).read() == catalog.load("housing.report")
    assert {"housing/learning_curve.png", "housing/report.md"} <= {
        a.path for a in client.list_artifacts(model_run.info.run_id, "housing")
    }


@slow
def test_re_evaluating_saved_models_logs_their_test_metrics_by_namespace(housing_run):
    """`--tags=evaluation` trains nothing: the test metrics go on the run, by namespace."""
    project, _ = housing_run
    result = project.kedro("run", "--pipeline=housing", "--tags=evaluation")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "MLflow did not record" not in result.stdout + result.stderr
    client = store(project)
    latest_run = runs(client)[0]  # newest first
    assert latest_run.data.tags["kedro_command"] == "kedro run --pipeline=housing --tag=evaluation"
    assert "housing.test_loss" in latest_run.data.metrics
    assert "housing.model_val_loss" in latest_run.data.metrics
    assert not children(client, latest_run)


@slow
def test_run_progress_is_shown_and_logged(housing_run):
    project, output = housing_run
    assert "Progress: 1 of 1 models trained" in output
    log = (project.root / "info.log").read_text()
    assert "Progress: 1 of 1 models trained" in log
    assert "epoch 2/2 - " in log  # beside the per-epoch lines


@slow
def test_study_run_has_a_child_run_per_model_and_the_report(tiny_study):
    client = store(tiny_study)
    parents = {r.info.run_name: r for r in kedro_runs(client)}
    study = parents["__default__"]  # kedro run: every pipeline
    seeds = [42, 43]
    expected = {f"regularization.{v}.seed_{s}" for v in VARIANTS for s in seeds} | {"housing"}
    expected |= {f"final.{part}.seed_{s}" for part in ("tuned", "refit") for s in seeds}
    models = children(client, study)  # the default pipeline's sweep points, and the rest:
    assert {ns for ns in models if not ns.startswith("tuning.")} == expected
    assert study.data.tags["models"] == str(len(models))
    l2 = models["regularization.l2.seed_43"]
    assert l2.data.tags["variant"] == "l2" and l2.data.tags["seed"] == "43"
    assert l2.data.params["seed"] == "43"
    assert float(l2.data.params["hidden.l2"]) > 0
    assert "test_accuracy" in l2.data.metrics and "val_data_loss" in l2.data.metrics
    artifacts = {a.path for a in client.list_artifacts(study.info.run_id, "regularization")}
    tables = ["validation", "runs", "report", "learning_curves", "official_test", "per_class",
              "confusion", "official_predictions"]  # fmt: skip
    plots = ["test_metrics", "confusion_matrix", "confident_mistakes"]
    assert artifacts == {
        "regularization/report.md",
        "regularization/model_choice.json",
        "regularization/official_check.json",
        *(f"regularization/{table}_table.csv" for table in tables),
        *(f"regularization/{plot}.png" for plot in plots),
        "regularization/learning_curves",
        "regularization/validation_loss_vs_original",
    }
    final = {a.path for a in client.list_artifacts(study.info.run_id, "final")}
    assert {f"final/{name}" for name in ("report.md", "choice.json", "calibration.json",
            "tuned_design.json", "candidates_table.csv", "official_table.csv",
            "reliability.png")} <= final  # fmt: skip
    # the promoted models, registered to be served: the champion is the promoted run
    for served in ("fashion_mnist", "fashion_mnist_study", "housing"):
        champion = client.get_model_version_by_alias(f"from_data_to_model.{served}", "champion")
        assert champion.run_id == study.info.run_id
        expected = tiny_study.catalog().load(f"{served}_promotion")
        assert champion.tags["namespace"] == expected.namespace
        assert champion.tags.get("seed") == (None if expected.seed is None else str(expected.seed))
    final = client.get_model_version_by_alias("from_data_to_model.fashion_mnist", "champion")
    assert final.tags["members"] == "final.refit.seed_42, final.refit.seed_43"
    curves = client.list_artifacts(study.info.run_id, "regularization/learning_curves")
    assert {f"regularization/learning_curves/{v}.png" for v in VARIANTS} == {a.path for a in curves}
    # a sweep: one child per value and seed, the swept field among its parameters
    tuning = parents["tuning"]
    points = children(client, tuning)
    trained = {p.name for p in (tiny_study.root / "data" / "06_models").glob("tuning.*.keras")}
    assert {f"{ns}.keras" for ns in points} == trained
    point = next(r for ns, r in points.items() if ns.startswith("tuning.learning_rate."))
    assert float(point.data.params["optimizer.learning_rate"]) in (0.0005, 0.5)
    assert "test_accuracy" not in point.data.metrics  # tuning never touches the test split


def read_only(path: Path) -> str:
    """The URI of the SQLite store at ``path``, opened to read only."""
    return f"sqlite:///file:{path}?mode=ro&uri=true"


def read_only_store(project) -> str:
    """An existing store this run may read, not write."""
    mlflow.MlflowClient(f"sqlite:///{project.root / 'ro.db'}").search_experiments()
    return read_only(project.root / "ro.db")


@slow
@pytest.mark.parametrize("fault", ["read-only database", "unknown scheme"])
def test_an_unusable_store_stops_the_run_before_training(tiny_project, fault):
    uri = {
        "read-only database": lambda: read_only_store(tiny_project),
        "unknown scheme": lambda: f"nosuchstore://{tiny_project.root}/mlflow",
    }[fault]()
    tiny_project.local_conf("mlflow", {"server": {"mlflow_tracking_uri": uri}})
    result = tiny_project.kedro("run", "--pipeline=housing")
    output = " ".join((result.stdout + result.stderr).split())
    assert result.returncode != 0
    assert f"TrackingStoreError: MLflow cannot use the tracking store '{uri}'" in output
    assert "Nothing was trained" in output
    assert not (tiny_project.root / "data" / "06_models").exists()


# Hides the [mlflow] extra from this process, as if it were not installed: no module and no
# distribution (so no kedro plugin) named mlflow* or kedro-mlflow; then runs `kedro`.
WITHOUT_MLFLOW = textwrap.dedent(
    """
    import sys
    from importlib.machinery import PathFinder

    HIDDEN = ("mlflow", "kedro_mlflow", "kedro-mlflow")

    class Hide(PathFinder):
        @classmethod
        def find_spec(cls, name, path=None, target=None):
            if name.split(".")[0] in HIDDEN:
                return None
            return super().find_spec(name, path, target)

        @classmethod
        def find_distributions(cls, *args, **kwargs):
            for dist in super().find_distributions(*args, **kwargs):
                if not (dist.metadata["Name"] or "").lower().startswith(HIDDEN):
                    yield dist

    sys.meta_path[sys.meta_path.index(PathFinder)] = Hide
    from kedro.framework.cli import main

    sys.argv = ["kedro", *sys.argv[1:]]
    try:
        main()
    finally:
        assert not any(m.split(".")[0] in HIDDEN for m in sys.modules), "mlflow was imported"
    """
)


@slow
def test_without_the_extra_nothing_changes_and_nothing_warns(tiny_project):
    (tiny_project.root / "mlflow.db").unlink()
    result = tiny_project.python("-c", WITHOUT_MLFLOW, "run", "--pipeline=housing")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "mlflow" not in output.lower()
    assert not (tiny_project.root / "mlflow.db").exists()
    assert (tiny_project.root / "data" / "08_reporting" / "housing" / "report.md").is_dir()


def test_model_tags_and_metrics_name_what_was_trained():
    assert model_tags(Run("regularization", "l2", 43).fields(43)) == {
        "study": "regularization",
        "variant": "l2",
        "seed": "43",
        "namespace": "regularization.l2.seed_43",
    }
    point = Run("tuning", "overfit", 1, "l1", "hidden.l1", 1e-5).fields(1)
    assert model_tags(point)["family"] == "l1" and model_tags(point)["value"] == "1e-05"
    summary = {**point, "best_epoch": 3, "model_val_loss": 0.3, "diagnosis": "good fit",
               "hidden.l1": 1e-5, "early_stopping.enabled": True}  # fmt: skip
    assert numbers(summary) == {"best_epoch": 3.0, "model_val_loss": 0.3}


def test_a_session_tracks_to_its_own_projects_store_from_any_folder(empty_project):
    """A session made for a project from another working folder (a notebook's, a test's)
    reads and writes the store in that project, not one in the working folder."""
    with empty_project.session() as session:
        config = session.load_context().config_loader["mlflow"]
    root = empty_project.root.as_posix()
    assert config["server"]["mlflow_tracking_uri"] == f"sqlite:///{root}/mlflow.db"


def test_a_store_that_fails_mid_run_costs_the_log_not_the_outputs(caplog, monkeypatch):
    """After the start, a failing store is said in the log; the node's outputs go on to the
    catalog (the hook does not raise)."""
    for name in TrackingTarget.VARIABLES:
        monkeypatch.delenv(name, raising=False)
    TrackingTarget("nosuchstore://gone", "1", "0" * 32).export()
    train = node(lambda: None, None, "model", name="train_model", tags=["training"])
    try:
        ModelTrackingHooks().after_node_run(train, inputs={}, outputs={"model": object()})
    finally:
        TrackingTarget.withdraw()
    assert "MLflow did not record node train_model" in caplog.text
    assert "outputs are saved by the catalog" in caplog.text


@pytest.fixture
def local_store(tmp_path) -> Path:
    """This process's MLflow pointed at a store of its own (migrated: copied), as at a
    ``kedro run``'s start; after the test, no run left active and the default store back.
    Its runs start in the store's default experiment: another test of the process may
    have set the active one."""
    path = tmp_path / "mlflow.db"
    shutil.copy(migrated_store(), path)
    mlflow.set_tracking_uri(f"sqlite:///{path}")
    yield path
    while mlflow.active_run():
        mlflow.end_run()
    mlflow.set_tracking_uri("")


def started_inside_the_hook():
    """``ModelTrackingHooks.before_pipeline_run`` up to its ``yield``, where the hooks
    inside it run: kedro-mlflow's starts a run."""
    wrapper = ModelTrackingHooks().before_pipeline_run(Pipeline([]))
    next(wrapper)
    return wrapper


@slow  # writes to an MLflow store
@pytest.mark.parametrize("started_before", [False, True])
def test_a_run_stopped_before_its_first_node_ends_the_mlflow_run_it_started(
    local_store, started_before
):
    """A hook's check stops the run inside ``before_pipeline_run``: the MLflow run started
    there (kedro-mlflow's) ends, failed; a run the user started before is left to them."""
    user = mlflow.start_run(experiment_id="0") if started_before else None
    wrapper = started_inside_the_hook()
    inside = user or mlflow.start_run(experiment_id="0")  # kedro-mlflow reuses the user's
    with pytest.raises(RuntimeError, match="another live run"):
        wrapper.throw(RuntimeError("another live run"))
    active = mlflow.active_run()
    if started_before:
        assert active is not None and active.info.run_id == user.info.run_id
    else:
        assert active is None
        assert mlflow.get_run(inside.info.run_id).info.status == "FAILED"


@slow  # writes to an MLflow store
def test_a_store_that_stops_taking_writes_stops_the_run_before_training(local_store, caplog):
    """The store took kedro-mlflow's start, then takes no writes (the first is the hook's,
    before any node): the run stops with the store named, and its MLflow run is not left
    active, though the store cannot record that it failed."""
    wrapper = started_inside_the_hook()
    inside = mlflow.start_run(experiment_id="0")
    mlflow.set_tracking_uri(read_only(local_store))
    with pytest.raises(TrackingStoreError, match="cannot use the tracking store") as error:
        wrapper.send(None)
    assert f"'{read_only(local_store)}'" in str(error.value)
    assert "Nothing was trained" in str(error.value)
    assert mlflow.active_run() is None
    assert f"MLflow could not mark run {inside.info.run_id} as failed" in caplog.text


@slow
def test_kedro_mlflow_ui_lists_the_runs(tiny_study, tmp_path):
    """`kedro mlflow ui` serves the study's store: the runs are listed, by the API the UI's
    page reads them through (its ``ajax-api``; the page itself is MLflow's)."""
    port = free_port()
    env = {**tiny_study.env, "PATH": f"{Path(sys.executable).parent}:{tiny_study.env['PATH']}"}
    env["MLFLOW_WORKERS"] = "1"  # the server's processes (4 by default): one answers a page
    command = ["mlflow", "ui", "--host=127.0.0.1", f"--port={port}"]
    url, log = f"http://127.0.0.1:{port}", tmp_path / "ui.log"
    experiment = store(tiny_study).get_experiment_by_name("from_data_to_model")
    search = {"experiment_ids": [experiment.experiment_id], "max_results": 1000}
    with started([str(tiny_study.kedro_path), *command], tiny_study.root, env, log) as server:
        answer(f"{url}/health", server, log)
        request = urllib.request.Request(
            f"{url}/ajax-api/2.0/mlflow/runs/search", data=json.dumps(search).encode(),
            headers={"Content-Type": "application/json"},
        )  # fmt: skip
        with urllib.request.urlopen(request, timeout=30) as response:
            listed = json.loads(response.read())["runs"]
    names = {run["info"]["run_name"] for run in listed}
    assert {"__default__", "tuning"} <= names  # each kedro run, by its pipeline
