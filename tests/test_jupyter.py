"""The notebook commands of docs/running.md start a Jupyter server that answers."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from tests.browser import answer, free_port, started

pytestmark = pytest.mark.slow

BIN = Path(sys.executable).parent


def serves(command: list[str], project, log: Path) -> dict:
    """Start ``command`` in the project, return the server's /api answer, then stop it."""
    port = free_port()
    with started(
        [*command, "--no-browser", "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
         "--IdentityProvider.token=test", "--allow-root"],  # CI runs as root
        project.root, project.env, log,
    ) as server:  # fmt: skip
        return json.loads(answer(f"http://127.0.0.1:{port}/api", server, log))


def test_jupyter_lab_on_the_results_notebook(empty_project, tmp_path):
    notebook = "notebooks/regularization_results.ipynb"
    assert "version" in serves(
        [str(BIN / "jupyter"), "lab", notebook], empty_project, tmp_path / "a.log"
    )


def test_kedro_jupyter_lab(empty_project, tmp_path):
    log = tmp_path / "kedro.log"
    assert "version" in serves([str(BIN / "kedro"), "jupyter", "lab"], empty_project, log)
    assert "kedro_from_data_to_model" in log.read_text()  # started with the project's kernel
