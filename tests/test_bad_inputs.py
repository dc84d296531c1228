"""Rows of docs/bad_inputs.md not covered elsewhere, and the table's own honesty."""

from __future__ import annotations

import re

import pytest

from tests.conftest import PROJECT_ROOT
from tests.raw_files import write_housing

pytestmark = pytest.mark.slow


def test_every_row_names_an_existing_test():
    table = (PROJECT_ROOT / "docs" / "bad_inputs.md").read_text()
    references = re.findall(r"`(tests/[\w/]+\.py)::(\w+)`", table)
    assert len(references) >= 16
    for path, name in references:
        assert re.search(rf"^def {name}\(", (PROJECT_ROOT / path).read_text(), re.M), (path, name)


def test_too_few_rows_for_the_split(tiny_project):
    write_housing(tiny_project.raw / "california-housing" / "cal_housing.data", n=1)
    assert tiny_project.root.joinpath("conf/local/parameters.yml").read_text().count("rows: null")
    result = tiny_project.kedro("run", "--pipeline=housing")
    assert result.returncode != 0
    assert "Cannot split 1 rows with test_size=0.3" in result.stdout + result.stderr


def test_unknown_pipeline(tiny_project):
    result = tiny_project.kedro("run", "--pipeline=nope")
    assert result.returncode != 0
    output = " ".join((result.stdout + result.stderr).split())
    assert "Failed to find the pipeline named 'nope'" in output


def test_missing_raw_files_say_how_to_get_them(empty_project):
    result = empty_project.kedro("run", "--pipeline=regularization")
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "RawDataMissingError" in output and "python -m from_data_to_model.download" in output


def test_model_file_that_is_not_keras(tiny_project):
    tiny_project.session_run(pipeline_names=["data_ingestion", "data_processing"])
    run = "regularization.l2.seed_42"
    version = tiny_project.root / f"data/06_models/{run}.keras/2026-01-01T00.00.00.000Z"
    version.mkdir(parents=True)
    (version / f"{run}.keras").write_text("not a model")
    result = tiny_project.kedro(
        "run", "--pipeline=regularization", f"--namespaces={run}", "--tags=evaluation"
    )
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "ModelFileError" in output and "is not a loadable Keras model" in output
