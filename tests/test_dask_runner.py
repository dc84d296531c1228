"""The Dask runner: same results as the sequential runner, on a local and a separate cluster;
faults (a killed worker) rerun or stop cleanly; bad clusters fail fast and say why."""

from __future__ import annotations

import copy
import functools
import importlib.util
import logging
import operator
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

pytest.importorskip("distributed", reason="the Dask runner needs the [dask] extra")
import dask
from kedro.io import DataCatalog, DatasetError
from kedro.pipeline import Pipeline, node
from kedro.runner import SequentialRunner

from from_data_to_model.pipelines.data_processing.nodes import scale_features, separate_target
from from_data_to_model.runners import DaskRunner
from from_data_to_model.runners.dask_runner import (
    SchedulerUnreachableError,
    WorkerSetupError,
)
from tests.conftest import (
    PROJECT_ROOT,
    TINY_PARAMETERS,
    assert_same_runs,
    one_seed,
    write_yaml,
)
from tests.dask_cluster import SeparateCluster
from tests.processes import wait_for

RUNNER = "--runner=from_data_to_model.runners.DaskRunner"
TRAIN_OVERFIT = "regularization.overfit.seed_42.train_model"
COMBINED = "regularization.combined.seed_42"
TRAIN_COMBINED = f"{COMBINED}.train_model"
BOTH = f"--namespaces={COMBINED},regularization.overfit.seed_42"
WORKER = r"tcp://127\.0\.0\.1:\d+( \(\S+\))?"  # a local worker's address (and name)


def in_memory_pipeline() -> tuple[Pipeline, DataCatalog]:
    """Two nodes whose data passes in memory only; the second's outputs are the run's."""
    pipeline = Pipeline([
        node(separate_target, ["frame", "params:target"], ["features", "target"]),
        node(scale_features, ["features", "features"], ["train", "test", "scaler"]),
    ])  # fmt: skip
    frame = pd.DataFrame({"x": np.arange(10.0), "z": np.arange(10.0) ** 2, "y": np.ones(10)})
    catalog = DataCatalog()
    catalog["frame"], catalog["params:target"] = frame, "y"
    return pipeline, catalog


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """`dask scheduler` and two `dask worker` processes (w1, w2), as users start them, kept
    for the runs of the module's tests as for a user's runs. A task whose worker dies reruns
    once (Dask's default allows 3). The last test kills both workers."""
    one_rerun = {"DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES": "1"}
    folder = tmp_path_factory.mktemp("cluster")
    with SeparateCluster(folder, workers=("w1", "w2"), env=one_rerun) as started:
        yield started


@pytest.fixture(scope="module")
def client(cluster):
    """A client of the module's cluster, for the runs of in-process pipelines."""
    from distributed import Client

    with Client(cluster.address) as connected:
        yield connected


def test_unreachable_scheduler_is_named_within_seconds():
    pipeline, catalog = in_memory_pipeline()
    started = time.monotonic()
    with pytest.raises(SchedulerUnreachableError, match="tcp://127.0.0.1:9 within 2 s"):
        DaskRunner(address="tcp://127.0.0.1:9", connect_timeout=2).run(pipeline, catalog)
    assert time.monotonic() - started < 30  # a clear error, not a hang


@pytest.mark.slow
def test_in_memory_data_travels_between_workers_and_back(client):
    pipeline, catalog = in_memory_pipeline()
    DaskRunner(client=client).run(pipeline, catalog)
    expected_pipeline, expected = in_memory_pipeline()
    SequentialRunner().run(expected_pipeline, expected)
    for name in ["train", "test"]:
        pd.testing.assert_frame_equal(catalog.load(name), expected.load(name))
    assert catalog.load("scaler").mean_.tolist() == expected.load("scaler").mean_.tolist()


@pytest.mark.slow
def test_a_local_cluster_is_started_and_its_workers_keep_glibc_memory_trimming(caplog):
    """Without a scheduler, the runner starts a local cluster and says so, with its
    dashboard. Dask's default MALLOC_TRIM_THRESHOLD_ makes fitting 1.4-1.5x slower: not set."""
    catalog = DataCatalog()
    read = functools.partial(os.environ.get, "MALLOC_TRIM_THRESHOLD_", "unset")
    with caplog.at_level(logging.INFO, logger="from_data_to_model"):
        DaskRunner(n_workers=1).run(Pipeline([node(read, None, "value")]), catalog)
    assert catalog.load("value") == "unset"
    assert "Started a local Dask cluster: 1 worker processes" in caplog.text
    assert "Dask dashboard: http://" in caplog.text


@pytest.mark.slow
def test_worker_without_the_project_package_is_named(tmp_path):
    from distributed import Client, LocalCluster

    blocker = tmp_path / "no_project_package.py"
    blocker.write_text(
        "import sys\n"
        "class Blocker:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] == 'from_data_to_model':\n"
        "            raise ModuleNotFoundError(f'No module named {name!r}', name=name)\n"
        "sys.meta_path.insert(0, Blocker())\n"
    )
    pipeline, catalog = in_memory_pipeline()
    with (
        LocalCluster(n_workers=1, dashboard_address=":0", preload=[str(blocker)]) as cluster,
        Client(cluster) as client,
    ):
        with pytest.raises(WorkerSetupError, match="cannot import the project package") as error:
            DaskRunner(client=client).run(pipeline, catalog)
    message = str(error.value)
    assert "1 Dask worker(s) cannot import the project package 'from_data_to_model'" in message
    assert "  tcp://127.0.0.1:" in message and "ModuleNotFoundError" in message
    assert "pip install" in message


@pytest.mark.slow
def test_worker_without_the_raw_data_says_so(empty_project, client):
    with pytest.raises(DatasetError) as error:  # as the sequential runner raises it
        empty_project.session_run(
            pipeline_names=["regularization"], runner=DaskRunner(client=client)
        )
    message = str(error.value)
    assert "Fashion-MNIST file(s) missing" in message
    assert "python -m from_data_to_model.download" in message
    (note,) = error.value.__notes__
    assert re.fullmatch(rf"Raised by node prepare_fashion_mnist\S* on Dask worker {WORKER}", note)


def persisted_pipeline(folder: Path) -> tuple[Pipeline, DataCatalog]:
    """The two nodes of ``in_memory_pipeline``, every output a file in ``folder``."""
    from kedro_datasets.pandas import CSVDataset
    from kedro_datasets.pickle import PickleDataset

    pipeline, catalog = in_memory_pipeline()
    for name in ["features", "target", "train", "test"]:
        catalog[name] = CSVDataset(filepath=str(folder / f"{name}.csv"))
    catalog["scaler"] = PickleDataset(filepath=str(folder / "scaler.pkl"))
    return pipeline, catalog


@pytest.mark.slow
@pytest.mark.parametrize("runner", ["sequential", "dask"])
def test_a_nodes_own_error_keeps_its_type(runner, client, tmp_path):
    """A DatasetError raised in a node is a DatasetError to the caller, as under Kedro's own
    runner; under Dask a note names the node and its worker."""
    from kedro_datasets.pandas import CSVDataset

    pipeline, catalog = in_memory_pipeline()
    catalog["frame"] = CSVDataset(filepath=str(tmp_path / "never_written.csv"))
    chosen = SequentialRunner() if runner == "sequential" else DaskRunner(client=client)
    with pytest.raises(DatasetError, match="never_written.csv") as error:
        chosen.run(pipeline, catalog)
    assert type(error.value) is DatasetError
    if runner == "dask":
        (note,) = error.value.__notes__
        assert re.fullmatch(rf"Raised by node separate_target\S* on Dask worker {WORKER}", note)


@pytest.mark.slow
@pytest.mark.parametrize("runner", ["sequential", "dask"])
def test_only_missing_outputs_says_what_it_skips(runner, client, tmp_path, caplog):
    """Kedro's lines about what runs and what is skipped reach the client's log, from
    Kedro's runner logger, as under its own runner; the skipped node does not run."""
    pipeline, catalog = persisted_pipeline(tmp_path)
    SequentialRunner().run(pipeline, catalog)
    (tmp_path / "scaler.pkl").unlink()
    written = (tmp_path / "features.csv").stat().st_mtime_ns
    chosen = SequentialRunner() if runner == "sequential" else DaskRunner(client=client)
    with caplog.at_level(logging.INFO, logger="kedro"):
        chosen.run(pipeline, catalog, only_missing_outputs=True)
    first, second = (n.name for n in pipeline.nodes)
    lines = {r.getMessage(): r.name for r in caplog.records if r.name.startswith("kedro.runner")}
    assert f"Skipping 1 nodes with existing outputs: {first}" in lines
    assert "Running 1 out of 2 nodes" in lines
    assert any(line.startswith("Using synchronous mode for loading and saving") for line in lines)
    assert (tmp_path / "scaler.pkl").exists()
    assert (tmp_path / "features.csv").stat().st_mtime_ns == written  # not run again
    if runner == "dask":
        assert f"Running node {second} on worker tcp://127" in caplog.text
        assert f"Running node {first} " not in caplog.text
        (tmp_path / "test.csv").unlink()
        with caplog.at_level(logging.INFO, logger="kedro"):
            chosen.run(pipeline, catalog, only_missing_outputs=True)
            chosen.run(pipeline, catalog, only_missing_outputs=True)
        assert "Skipping all 2 nodes (all persistent outputs exist)" in caplog.text


def assert_models_tracked(project, models_trained: int) -> None:
    """With the [mlflow] extra: the workers logged a child run per model, with its history
    and test metrics, under the client's MLflow run."""
    if importlib.util.find_spec("kedro_mlflow") is None:
        return
    from tests.mlflow_store import children, kedro_runs, store

    client = store(project)
    parent = kedro_runs(client)[0]  # the run on the cluster: the newest
    models = children(client, parent)
    assert len(models) == models_trained
    for child in models.values():
        assert {"test_loss", "val_data_loss"} <= set(child.data.metrics)
        assert len(client.get_metric_history(child.info.run_id, "val_loss")) == 2  # epochs


def use_shared_storage(project, shared: Path) -> None:
    """Give the project copy this project's conf/cluster environment, its storage URL
    pointed at ``shared`` (a file:// URL: a folder every machine mounts), with the tiny
    parameters; move the raw files there."""
    cluster_conf = project.root / "conf" / "cluster"
    shutil.copytree(PROJECT_ROOT / "conf" / "cluster", cluster_conf)
    settings = yaml.safe_load((cluster_conf / "globals.yml").read_text())
    assert "://" in settings["data_root"]  # the example is an fsspec URL
    write_yaml(cluster_conf / "globals.yml", {**settings, "data_root": shared.as_uri()})
    write_yaml(cluster_conf / "parameters.yml", one_seed())
    shared.mkdir(parents=True)
    shutil.move(project.raw, shared / "01_raw")


@pytest.mark.slow
def test_separate_cluster_runs_housing_and_regularization(
    cluster, tiny_study, tiny_project, tmp_path
):
    """The catalog on shared storage; the run finds the scheduler in a Dask config file
    (`scheduler-address`). Every model is the sequential run's (of seed 42), logged by its
    worker under the client's MLflow run, and counted by the client's progress line."""
    shared = tmp_path / "shared" / "data"
    use_shared_storage(tiny_project, shared)
    (tmp_path / "dask.yaml").write_text(f"scheduler-address: {cluster.address}\n")
    result = tiny_project.kedro(
        "run", "--pipelines=housing,regularization", "--env=cluster", RUNNER,
        env={"DASK_CONFIG": str(tmp_path)}, process=True,
    )  # fmt: skip
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert f"Connected to the Dask scheduler at {cluster.address}" in output
    workers = set(re.findall(r"Running node \S+ on worker tcp://\S+ \((w\d)\)", output))
    assert workers == {"w1", "w2"}  # nodes ran on both
    assert "epoch 2/2 - loss" in output  # the workers' per-epoch lines, here
    assert (shared / "08_reporting" / "regularization" / "report.md").is_dir()  # versioned
    assert not (tiny_project.root / "data" / "08_reporting" / "regularization").exists()
    with tiny_project.session(env="cluster") as session:
        dask = session.load_context().catalog
    sequential = tiny_study.catalog()
    assert_same_runs(
        dask.load("regularization.runs_table"), sequential.load("regularization.runs_table")
    )
    assert dask.load("housing.test_metrics") == sequential.load("housing.test_metrics")
    report = dask.load("regularization.report")  # of one seed (conf/cluster's parameters)
    assert "One seed per variant: no interval can be given" in report
    assert "- seeds: 42" in report
    models = 1 + len(dask.load("regularization.runs_table"))  # housing's, the study's
    assert f"Progress: 1 of {models} models trained" in output
    assert f"Progress: {models} of {models} models trained" in output
    assert_models_tracked(tiny_project, models)


def chain() -> tuple[Pipeline, DataCatalog]:
    """Three nodes in a row, their data in memory: x and y are released after their reader."""
    pipeline = Pipeline([
        node(operator.add, ["frame", "params:one"], "x", name="add_one"),
        node(operator.mul, ["x", "params:two"], "y", name="double"),
        node(sum, "y", "z", name="total"),
    ])  # fmt: skip
    catalog = DataCatalog()
    catalog["frame"], catalog["params:one"], catalog["params:two"] = np.arange(4.0), 1.0, 2.0
    return pipeline, catalog


@pytest.mark.slow
def test_in_memory_data_is_released_as_under_the_sequential_runner(client):
    """After their last reader, x and y are released (here and on the cluster); the free
    output z is the caller's, as Kedro's own runner leaves them."""
    results = {}
    for name, runner in (("sequential", SequentialRunner()),
                         ("dask", DaskRunner(client=client))):  # fmt: skip
        pipeline, catalog = chain()
        runner.run(pipeline, catalog)
        results[name] = {ds: catalog.get(ds).exists() for ds in ("x", "y", "z")}
        assert catalog.load("z") == 20.0  # (0+1 + 1+1 + 2+1 + 3+1) × 2
    assert results["dask"] == results["sequential"] == {"x": False, "y": False, "z": True}
    assert not client.list_datasets()  # nothing left on the cluster


def training_worker(log: Path, times: int = 1) -> str:
    """The name of the worker that started overfit's training (the ``times``-th time)."""
    return re.findall(rf"{TRAIN_OVERFIT} on worker \S+ \((w\d)\)", log.read_text())[times - 1]


@pytest.mark.slow
def test_a_killed_workers_training_reruns_then_stops_the_run_naming_the_node_and_resumes(
    cluster, tiny_project
):
    """The worker training overfit is killed mid-epochs: the training reruns on the other
    worker. That one killed too (one rerun allowed), the run stops naming the node;
    combined, finished before, is kept, and nothing is half-written. A resume on a new
    worker trains only overfit."""
    parameters = copy.deepcopy(TINY_PARAMETERS)
    parameters["regularization"]["seeds"] = [42]  # one overfit model, long enough to kill
    parameters["regularization"]["variants"]["overfit"] = {"epochs": 50}
    tiny_project.local_conf("parameters", parameters)
    tiny_project.session_run(pipeline_names=["data_ingestion", "data_processing"])
    log, models = tiny_project.root / "run.log", tiny_project.root / "data" / "06_models"
    command = [str(tiny_project.kedro_path), "run", "--pipeline=training", RUNNER, BOTH]
    with log.open("w") as out:
        run = subprocess.Popen(
            command, cwd=tiny_project.root, stdout=out, stderr=subprocess.STDOUT,
            env={**tiny_project.env, "DASK_SCHEDULER_ADDRESS": cluster.address},
        )  # fmt: skip
        try:
            wait_for(run, log, "epoch 3/50")  # overfit's; combined's are fewer
            wait_for(run, log, f"Completed node: {TRAIN_COMBINED}")
            first = training_worker(log)
            cluster.kill_worker(first)
            wait_for(run, log, f"Running node {TRAIN_OVERFIT} on worker", times=2)
            rerun = training_worker(log, times=2)
            assert rerun == ({"w1", "w2"} - {first}).pop()  # on the other worker
            wait_for(run, log, "epoch 3/50", times=2)
            cluster.kill_worker(rerun)
            run.wait(timeout=300)
        finally:
            run.kill()
    output = log.read_text()
    assert run.returncode != 0
    # the node named is one the dead worker held: the training, or a task Dask had queued
    # on that worker behind it (its worker-saturation lets it queue one)
    stopped = re.search(r"Node (\S+) did not finish: KilledWorker", output)
    assert stopped, output[-5000:]
    assert not re.search(rf"Completed node: {re.escape(stopped[1])}\s", output)
    assert "--only-missing-outputs" in output
    assert not list(models.glob("regularization.overfit.seed_42.keras/*/*"))
    assert not [p for p in models.rglob("*") if "partial" in p.name]  # nothing half-written

    cluster.add_worker("w3")
    # here, in this process: the scheduler named by Dask's configuration, as a config file
    # would name it (the environment variable is read when Dask is imported)
    with dask.config.set({"scheduler-address": cluster.address}):
        resumed = tiny_project.kedro(
            "run", "--pipeline=training", RUNNER, BOTH, "--only-missing-outputs"
        )
    output = resumed.stdout + resumed.stderr
    assert resumed.returncode == 0, output
    assert f"Skipping 1 nodes with existing outputs: {TRAIN_COMBINED}" in output  # kept
    assert f"Running node {TRAIN_OVERFIT} on worker tcp://127.0.0.1:" in output
    metadata = tiny_project.catalog().load("regularization.overfit.seed_42.training_metadata")
    assert metadata["epochs_run"] == 50
