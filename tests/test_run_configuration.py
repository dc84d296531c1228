"""The pipelines' shape follows the run's configuration: --params, --env, KEDRO_ENV,
--conf-source, and a packaged project run from a folder with no conf/."""

from __future__ import annotations

import copy
import shutil
import subprocess
import sys

import pytest

from tests.conftest import TINY_PARAMETERS, copy_project, write_tiny_raw_files, write_yaml
from tests.raw_files import write_fashion_mnist, write_housing

pytestmark = pytest.mark.slow

EXTRA = {"regularization": {"variants": {"extra": {"hidden": {"units": [3]}}}}}


@pytest.fixture(scope="module")
def prepared(tmp_path_factory):
    """A tiny project whose model inputs exist, so that one variant can train at once
    (shared by the module's tests: each adds its own configuration, and trains anew)."""
    project = copy_project(tmp_path_factory.mktemp("configured"))
    write_tiny_raw_files(project.raw)
    project.local_conf("parameters", TINY_PARAMETERS)
    project.session_run(pipeline_names=["data_ingestion", "data_processing"])
    return project


def trains_extra(project, *args: str, env: dict | None = None) -> None:
    """The extra variant's model of seed 42 trains (alone: one model is enough to show
    that the run's pipelines hold the variant), as the extra variant specifies."""
    result = project.kedro(
        "run", "--pipeline=training", "--namespaces=regularization.extra.seed_42", *args, env=env
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "Training regularization.extra.seed_42 (1 of 1)" in output
    spec = project.catalog().load("regularization.extra.seed_42.spec")
    assert spec["hidden"]["units"] == [3]


def test_params_add_a_variant(prepared):
    trains_extra(prepared, "--params", "regularization.variants.extra.hidden.units=[3]")


def add_extra_env(project) -> None:
    """conf/extra_env: the tiny parameters (it replaces conf/local) and the extra variant."""
    parameters = copy.deepcopy(TINY_PARAMETERS)
    parameters["regularization"]["variants"] |= EXTRA["regularization"]["variants"]
    write_yaml(project.root / "conf" / "extra_env" / "parameters.yml", parameters)


def test_env_adds_a_variant(prepared):
    add_extra_env(prepared)
    trains_extra(prepared, "--env=extra_env")


def test_kedro_env_variable_adds_a_variant(prepared):
    add_extra_env(prepared)
    trains_extra(prepared, env={"KEDRO_ENV": "extra_env"})


def test_conf_source_shapes_the_pipelines(prepared, tmp_path):
    conf = tmp_path / "other_conf"
    shutil.copytree(prepared.root / "conf", conf)
    write_yaml(conf / "local" / "parameters_extra.yml", EXTRA)
    trains_extra(prepared, f"--conf-source={conf}")


def test_without_the_variant_the_namespace_is_unknown(prepared):
    result = prepared.kedro("run", "--pipeline=training", "--namespaces=regularization.extra")
    assert result.returncode != 0
    assert "regularization.extra" in result.stdout + result.stderr


def test_packaged_project_runs_from_a_folder_without_conf(tiny_project, tmp_path):
    built = tiny_project.kedro("package", timeout=900)
    assert built.returncode == 0, built.stdout + built.stderr
    dist = tiny_project.root / "dist"
    (wheel,) = dist.glob("from_data_to_model-*.whl")
    site = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", site, wheel],
        check=True,
    )
    run_dir = tmp_path / "deployed"
    write_fashion_mnist(run_dir / "data" / "01_raw" / "fashion-mnist", n=30)
    write_fashion_mnist(run_dir / "data" / "01_raw" / "fashion-mnist", n=10, split="test")
    write_housing(run_dir / "data" / "01_raw" / "california-housing" / "cal_housing.data", n=30)
    assert TINY_PARAMETERS["ingestion"] == {"california_housing": {"rows": None}}
    result = subprocess.run(
        [sys.executable, "-m", "from_data_to_model",
         f"--conf-source={dist / 'conf-from_data_to_model.tar.gz'}",
         "--pipeline=data_ingestion", "--params", "ingestion.california_housing.rows=null"],
        cwd=run_dir, env={**tiny_project.env, "PYTHONPATH": str(site)},
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert not (run_dir / "conf").exists()
    assert (run_dir / "data/02_intermediate/california_housing.parquet").is_file()
    assert (
        str(site)
        in subprocess.run(
            [sys.executable, "-c", "import from_data_to_model; print(from_data_to_model.__file__)"],
            cwd=run_dir,
            env={**tiny_project.env, "PYTHONPATH": str(site)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )  # fmt: skip  (the wheel's copy ran, not the source tree's)


def test_a_second_session_in_one_process_runs_its_own_study(tiny_project):
    """Kedro builds the pipelines once per process: each context hands its study to the
    registry, which rebuilds them when they were built for another; a run whose pipelines
    were built for another study than its parameters give stops before any node."""
    import os

    from kedro.framework.project import pipelines
    from kedro.io import DataCatalog

    from from_data_to_model.context import StudyCheckHooks, StudyMismatchError

    cwd = os.getcwd()
    os.chdir(tiny_project.root)
    try:
        two = tiny_project.session()
        two.load_context()
        assert len(pipelines["training"].nodes) == 8 * 2  # TINY_PARAMETERS' two seeds
        one = tiny_project.session(runtime_params={"regularization": {"seeds": [42]}})
        catalog = one.load_context().catalog
        assert len(pipelines["training"].nodes) == 8  # rebuilt for the newer session
        two.run(pipeline_names=["data_ingestion"])  # its run makes its context again:
        assert len(pipelines["training"].nodes) == 8 * 2  # its own study's pipelines
        with pytest.raises(StudyMismatchError, match="built for another study .* seeds 42, 43"):
            StudyCheckHooks().before_pipeline_run(catalog)  # one's parameters, two's pipelines
        StudyCheckHooks().before_pipeline_run(DataCatalog())  # no study: nothing to check
    finally:
        os.chdir(cwd)
    assert not (tiny_project.root / "data" / "06_models").exists()
