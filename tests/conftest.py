"""Shared fixtures: the study's parameters, and temporary copies of the project."""

from __future__ import annotations

import atexit
import fcntl
import functools
import os
import shutil
import subprocess
import sys
import tempfile
from importlib.util import find_spec
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import yaml

from tests.cli import run_kedro

# The project's modules, Kedro's and pandas are imported where they are used: pytest-xdist's
# controlling process, which runs no test, loads this file too, before it starts the test
# processes (2-3 s of imports on 2 cores).
if TYPE_CHECKING:
    from from_data_to_model.evaluation_spec import Evaluation
    from from_data_to_model.study import StudyShape

PROJECT_ROOT = Path(__file__).resolve().parents[1]
RAW_DIR = PROJECT_ROOT / "data" / "01_raw"

os.environ.setdefault("KEDRO_DISABLE_TELEMETRY", "true")

# Two tuning families, two values each; learning_rate is a family no code knows of.
TINY_TUNING_FAMILIES = {
    "l2": {"variant": "overfit", "path": "hidden.l2", "values": [1.0e-6, 1.0e-2],
           "scale": "log", "prefer": "high", "original": 1.0e-8},
    "learning_rate": {"variant": "overfit", "path": "optimizer.learning_rate",
                      "values": [0.0005, 0.5], "scale": "log", "prefer": "low",
                      "original": 0.0005},
}  # fmt: skip

# Tiny, fast settings for any run of the study's pipelines in tests (soft-merged).
TINY_PARAMETERS: dict = {
    "ingestion": {"california_housing": {"rows": None}},
    "regularization": {
        "seeds": [42, 43],
        "defaults": {
            "hidden": {"units": [16]},
            "epochs": 2,
            "batch_size": 64,
            "train_loss_rows": 100,
        },
        "variants": {"underfit": {"epochs": 2, "batch_size": 64}},
    },
    "housing": {"overrides": {"epochs": 2, "batch_size": 16}},
    "final": {
        "members": 2,
        "tuned": {"changes": {"epochs": 3, "early_stopping": {"patience": 1}}},
        "bootstrap": {"resamples": 50},
    },
    # one seed (tests/pipelines/tuning tests two); the base families cut to one tiny value
    # each, and two of the tests' own
    "tuning": {
        "seeds": [1],
        "families": {
            **TINY_TUNING_FAMILIES,
            "hidden_units": {"values": [[4]]},
            "l1": {"values": [1.0e-6]},
            "dropout": {"values": [0.1]},
        },
    },
}  # fmt: skip


def project_parameters(env: str = "base", runtime_params: dict | None = None) -> dict:
    """The project's parameters as a run reads them: Kedro's config loader, the project's
    ``CONFIG_LOADER_ARGS``, ``conf/<env>`` over ``conf/base``, ``runtime_params`` (what
    ``--params`` gives) over both."""
    from kedro.config import OmegaConfigLoader

    from from_data_to_model import settings

    loader = OmegaConfigLoader(
        conf_source=str(PROJECT_ROOT / "conf"),
        env=env,
        runtime_params=runtime_params,
        **settings.CONFIG_LOADER_ARGS,
    )
    return loader["parameters"]


def base_parameters() -> dict:
    """``conf/base``'s parameters: the study as configured."""
    return project_parameters()


@functools.cache
def _variants() -> list[str]:
    """The study's variants, in configuration (and report) order, as Kedro's loader reads
    them."""
    return list(base_parameters()["regularization"]["variants"])


@functools.cache
def _requires_real_data() -> pytest.MarkDecorator:
    return pytest.mark.skipif(
        not real_files_present(),
        reason=(
            f"REAL DATA ABSENT: put the Fashion-MNIST .gz files and cal_housing.data under "
            f"{RAW_DIR} (`make raw-data` downloads them) to run the real-data checks"
        ),
    )


# Made on first use (see the imports): ``VARIANTS``, and ``requires_real_data`` (a mark).
_ON_FIRST_USE = {"VARIANTS": _variants, "requires_real_data": _requires_real_data}


def __getattr__(name: str):
    if name in _ON_FIRST_USE:
        return _ON_FIRST_USE[name]()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def base_evaluation(**changes) -> Evaluation:
    """``conf/base``'s evaluation parameters, typed as a run types them, with ``changes``."""
    from from_data_to_model.evaluation_spec import Evaluation

    return Evaluation.model_validate(base_parameters()["evaluation"] | changes)


def tiny_parameters() -> dict:
    """The base parameters with the tests' tiny training settings over them."""
    return project_parameters(runtime_params=TINY_PARAMETERS)


def study_of(parameters: dict) -> StudyShape:
    from from_data_to_model.study import StudyShape

    return StudyShape.from_parameters(parameters)


def one_seed(parameters: dict = TINY_PARAMETERS) -> dict:
    """These parameters with seed 42 alone: half the training, the same run for seed 42."""
    return {**parameters, "regularization": {**parameters["regularization"], "seeds": [42]}}


def assert_same_runs(runs, reference) -> None:
    """Each run of a runs table is the reference table's run of that namespace (the same
    variant and seed), figure for figure: another runner trained the very same models."""
    import pandas as pd

    from from_data_to_model.pipelines.evaluation.tables import RUN_DEPENDENT

    expected = reference.set_index("namespace").loc[runs["namespace"]].reset_index()
    columns = [c for c in runs.columns if c not in RUN_DEPENDENT]
    pd.testing.assert_frame_equal(runs[columns], expected[columns])


def write_yaml(path: Path, content: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(content, sort_keys=False))


class Project:
    """A temporary copy of this Kedro project (conf + pyproject; the package is installed)."""

    kedro_path = Path(sys.executable).with_name("kedro")

    def __init__(self, root: Path):
        self.root = root
        self.raw = root / "data" / "01_raw"

    def local_conf(self, name: str, content: dict) -> None:
        write_yaml(self.root / "conf" / "local" / f"{name}.yml", content)

    def session(self, **kwargs):
        from kedro.framework.session import KedroSession
        from kedro.framework.startup import bootstrap_project

        bootstrap_project(self.root)
        return KedroSession.create(project_path=self.root, **kwargs)

    def session_run(self, runtime_params: dict | None = None, **kwargs):
        """``kedro run`` in this process (pipelines are built from this copy's conf);
        ``runtime_params`` are what ``--params`` gives."""
        cwd = Path.cwd()
        os.chdir(self.root)
        try:
            with self.session(runtime_params=runtime_params) as session:
                return session.run(**kwargs)
        finally:
            os.chdir(cwd)

    def catalog(self):
        with self.session() as session:
            return session.load_context().catalog

    @property
    def env(self) -> dict[str, str]:
        return {**os.environ, "KEDRO_DISABLE_TELEMETRY": "true", "COLUMNS": "200"}

    def kedro(
        self,
        *args: str,
        env: dict[str, str] | None = None,
        process: bool = False,
        timeout: int = 600,
    ) -> subprocess.CompletedProcess:
        """Run the ``kedro`` CLI in the project, as a user would (``env``: extra variables):
        through Kedro's CLI in this process (``tests/cli.py``), or with ``process``, as a
        command of its own."""
        if process:
            return self.run([str(self.kedro_path), *args], timeout=timeout, env=env)
        return run_kedro(self.root, list(args), {"COLUMNS": "200", **(env or {})})

    def python(
        self, *args: str, timeout: int = 600, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess:
        """Run this interpreter in the project (``-c CODE``, ``-m MODULE``, ...)."""
        return self.run([sys.executable, *args], timeout=timeout, env=env)

    def run(
        self, command: list[str], timeout: int, env: dict[str, str] | None, merged: bool = False
    ) -> subprocess.CompletedProcess:
        """Run ``command`` in the project, this environment under ``env``; with ``merged``,
        its stderr into its stdout, in the order written."""
        return subprocess.run(  # the caller checks the return code
            command,
            check=False,
            cwd=self.root,
            env={**self.env, **(env or {})},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT if merged else subprocess.PIPE,
            text=True,
            timeout=timeout,
        )


@functools.cache
def migrated_store() -> Path | None:
    """An empty MLflow store (the [mlflow] extra's SQLite file), migrated once per test
    session: project copies start with it instead of migrating a new one, 1.5 s each."""
    if find_spec("mlflow") is None:
        return None
    import mlflow

    folder = Path(tempfile.mkdtemp(prefix="mlflow-store-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    mlflow.MlflowClient(f"sqlite:///{folder / 'mlflow.db'}").search_experiments()
    return folder / "mlflow.db"


def copy_project(tmp_path: Path) -> Project:
    """A copy of the project (conf, src, notebooks, pyproject) with a migrated MLflow store."""
    root = tmp_path / "project"
    root.mkdir()
    shutil.copytree(PROJECT_ROOT / "conf" / "base", root / "conf" / "base")
    shutil.copy(PROJECT_ROOT / "conf" / "logging.yml", root / "conf" / "logging.yml")
    (root / "conf" / "local").mkdir()
    shutil.copy(PROJECT_ROOT / "pyproject.toml", root / "pyproject.toml")
    shutil.copytree(
        PROJECT_ROOT / "src",
        root / "src",
        ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"),
    )
    for notebook in (PROJECT_ROOT / "notebooks").glob("*.ipynb"):
        (root / "notebooks").mkdir(exist_ok=True)
        shutil.copy(notebook, root / "notebooks" / notebook.name)
    if store := migrated_store():
        shutil.copy(store, root / "mlflow.db")
    return Project(root)


@pytest.fixture
def empty_project(tmp_path) -> Project:
    """A project copy with no raw files."""
    return copy_project(tmp_path)


def write_tiny_raw_files(raw: Path) -> None:
    """Tiny raw files: 300 training and 60 official test images, 80 houses."""
    from tests.raw_files import write_fashion_mnist, write_housing

    write_fashion_mnist(raw / "fashion-mnist", n=300)
    write_fashion_mnist(raw / "fashion-mnist", n=60, split="test", seed=1)
    write_housing(raw / "california-housing" / "cal_housing.data", n=80)


@pytest.fixture
def tiny_project(empty_project) -> Project:
    """A project copy with tiny raw files and tiny training settings."""
    project = empty_project
    write_tiny_raw_files(project.raw)
    project.local_conf("parameters", TINY_PARAMETERS)
    return project


def real_files_present() -> bool:
    from from_data_to_model.datasets.idx_dataset import SPLIT_FILES

    return (
        all((RAW_DIR / "fashion-mnist" / f).is_file() for f in SPLIT_FILES["train"])
        and (RAW_DIR / "california-housing" / "cal_housing.data").is_file()
    )


@pytest.fixture
def real_project(tmp_path) -> Project:
    """A project copy whose raw folder links to the real files in data/01_raw."""
    project = copy_project(tmp_path)
    project.raw.mkdir(parents=True)
    for folder in ("fashion-mnist", "california-housing"):
        (project.raw / folder).symlink_to(RAW_DIR / folder)
    return project


def uses_tiny_study(item: pytest.Item) -> bool:
    return "tiny_study" in getattr(item, "fixturenames", ())


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The test files in three groups, each file whole, its tests in their order: those
    with slow tests, then those that use the shared tiny study (a test process that
    reaches them waits for the study only if the first test process has not made it by
    then: see ``_tiny_study_first``), then those of fast tests only. pytest-xdist holds
    a test process's last test until it is told that no work is left, so each process's
    last test runs at the very end: a short one (a server's start, say, is not)."""
    study = {item.path for item in items if uses_tiny_study(item)}
    slow = {item.path for item in items if item.get_closest_marker("slow")}

    def group(item: pytest.Item) -> int:
        return 1 if item.path in study else 0 if item.path in slow else 2

    items.sort(key=group)  # stable: the files of a group stay in their order


@pytest.fixture(scope="session", autouse=True)
def _tiny_study_first(request) -> None:
    """With several test processes, the first makes the tiny study before its first test,
    if any test of the session uses it, while the others run the tests that do not."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker == "gw0" and any(uses_tiny_study(item) for item in request.session.items):
        request.getfixturevalue("tiny_study")


@pytest.fixture
def tiny_study_copy(tiny_study, tmp_path) -> Project:
    """A copy of the shared tiny study, with its trained models and store, to run more on."""
    shutil.copytree(tiny_study.root, tmp_path / "project", symlinks=True)
    return Project(tmp_path / "project")


@pytest.fixture(scope="session")
def tiny_study(tmp_path_factory) -> Project:
    """A tiny project after a run of every pipeline: the data, the tuning, then ``kedro
    run`` (the study, housing and the final stage, which uses the tuning's settled values),
    then its official test images scored by ``predict`` (shared: treat as read-only).

    Made once per test session: with several test processes (pytest-xdist), the first to
    ask makes it while the others wait for it, under a file lock.
    """
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # the folder every test process's own one is in
    folder, done = shared / "tiny_study", shared / "tiny_study.done"
    with (shared / "tiny_study.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)  # a process's failed attempt
            folder.mkdir()
            project = copy_project(folder)
            write_tiny_raw_files(project.raw)
            project.local_conf("parameters", TINY_PARAMETERS)
            project.session_run(pipeline_names=["data_ingestion", "data_processing"])
            project.session_run(pipeline_names=["tuning"])
            project.session_run()
            official = project.raw / "fashion-mnist" / "t10k-images-idx3-ubyte.gz"
            project.session_run({"predict_images": str(official)}, pipeline_names=["predict"])
            done.touch()
    return Project(folder / "project")
