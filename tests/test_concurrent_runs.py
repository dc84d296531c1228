"""Two `kedro run`s overlapping in one project: each keeps, and reads, its own results; a
run that would share model inputs made from other parameters is stopped."""

from __future__ import annotations

import importlib.util
import json
import signal
import subprocess
import sys

import numpy as np
import pytest

from tests.processes import pause, wait_for

pytestmark = pytest.mark.slow


def versions(project, catalog, dataset: str) -> dict[str, object]:
    """Every saved version of a dataset, by version (the run that saved it)."""
    folder = project.root / catalog.config_resolver.resolve_pattern(dataset)["filepath"]
    return {v.name: catalog.load(dataset, version=v.name) for v in sorted(folder.iterdir())}


def test_overlapping_runs_each_read_back_their_own_model(tiny_project):
    """Run A trains 20 epochs and is paused in the middle of them; run B trains 2 epochs
    and ends, with a newer version, before A goes on: A's evaluation must still score A's
    model."""
    project = tiny_project
    log = project.root / "slow.log"
    with log.open("w") as out:
        slow = subprocess.Popen(
            [str(project.kedro_path), "run", "--pipeline=housing",
             "--params", "housing.overrides.epochs=20"],
            cwd=project.root, env=project.env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            wait_for(slow, log, "epoch 3/20")
            pause(slow)  # A waits, mid-training, while B runs whole
            try:
                paused = log.read_text()
                assert "epoch 20/20" not in paused, "run A ended its training before the pause"
                quick = project.kedro(
                    "run", "--pipeline=housing", "--params", "housing.overrides.epochs=2"
                )
                assert log.read_text() == paused, "run A went on while paused"
            finally:
                slow.send_signal(signal.SIGCONT)
            assert slow.wait(timeout=300) == 0, log.read_text()[-3000:]
        finally:
            slow.kill()
    assert quick.returncode == 0, quick.stdout + quick.stderr

    catalog = project.catalog()  # made after both runs: every version is on disk
    metadata = versions(project, catalog, "housing.training_metadata")
    assert sorted(m["epochs_run"] for m in metadata.values()) == [2, 20]
    tests, summaries, reports, models = (
        versions(project, catalog, f"housing.{name}")
        for name in ("test_metrics", "validation_summary", "report", "model")
    )
    x_test, y_test = catalog.load("housing_X_test"), catalog.load("housing_y_test")
    for run, meta in metadata.items():  # each run's outputs, saved under its own version
        epochs = meta["epochs_run"]
        assert summaries[run]["epochs_run"] == epochs
        assert f"Validation MSE after {epochs} epochs" in reports[run]
        own = float(np.mean((models[run].predict(x_test, verbose=0) - y_test.to_numpy()) ** 2))
        assert tests[run]["test_loss"] == pytest.approx(own, rel=1e-5)  # its own model's
    if importlib.util.find_spec("kedro_mlflow"):
        from tests.mlflow_store import children, kedro_runs, store

        client = store(project)
        logged = {}
        for parent in kedro_runs(client):
            child = children(client, parent)["housing"]
            logged[int(child.data.metrics["epochs_run"])] = child.data.metrics["test_loss"]
        by_epochs = {m["epochs_run"]: tests[run]["test_loss"] for run, m in metadata.items()}
        assert logged == pytest.approx(by_epochs, rel=1e-6)


def test_a_run_that_would_share_model_inputs_made_otherwise_is_stopped(tiny_project):
    """A live run (here a stand-in process, recorded as a run of `housing` with other split
    parameters) makes the housing model inputs: a second housing run stops before any node."""
    holder = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    try:
        record = {
            "pid": holder.pid, "host": __import__("socket").gethostname(),
            "started": "2026-01-01 00:00:00", "command": "housing",
            "data_parameters": "another split", "reads": [],
            "writes": ["housing_X_train", "housing_X_test", "housing_y_train", "housing_y_test"],
        }  # fmt: skip
        (tiny_project.root / ".kedro_runs").mkdir()
        (tiny_project.root / ".kedro_runs" / "other.json").write_text(json.dumps(record))
        result = tiny_project.kedro("run", "--pipeline=housing")
    finally:
        holder.kill()
    output = " ".join((result.stdout + result.stderr).split())
    assert result.returncode != 0
    assert (
        f"ConcurrentRunError: Another run of this project (pid {holder.pid}, pipelines housing"
        in output
    )
    assert "housing_X_test, housing_X_train, housing_y_test, housing_y_train" in output
    assert "Nothing was run" in output
    assert not (tiny_project.root / "data" / "06_models").exists()
    if importlib.util.find_spec("kedro_mlflow"):  # the MLflow run it started: ended, failed
        import mlflow

        from tests.mlflow_store import kedro_runs, store

        assert mlflow.active_run() is None  # the next run in this process starts its own
        (stopped,) = kedro_runs(store(tiny_project))
        assert stopped.info.status == "FAILED"
