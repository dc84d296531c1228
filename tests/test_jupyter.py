"""The README's notebook commands start a Jupyter server that answers."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.browser import free_port

pytestmark = pytest.mark.slow

BIN = Path(sys.executable).parent


def serves(command: list[str], project, log: Path) -> dict:
    """Start ``command`` in the project, return the server's /api answer, then stop it."""
    port = free_port()
    server = subprocess.Popen(
        [*command, "--no-browser", "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
         "--IdentityProvider.token=test", "--allow-root"],  # CI runs as root
        cwd=project.root, env=project.env, stdout=log.open("w"), stderr=subprocess.STDOUT,
        start_new_session=True,  # `kedro jupyter lab` starts jupyter-lab as a child: stop both
    )  # fmt: skip
    try:
        for _ in range(120):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api", timeout=2) as answer:
                    return json.loads(answer.read())
            except OSError:
                if server.poll() is not None:
                    break
                time.sleep(1)
        raise AssertionError(
            f"{command} did not serve within 2 minutes:\n{log.read_text()[-3000:]}"
        )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def test_jupyter_lab_on_the_results_notebook(empty_project, tmp_path):
    notebook = "notebooks/regularization_results.ipynb"
    assert "version" in serves(
        [str(BIN / "jupyter"), "lab", notebook], empty_project, tmp_path / "a.log"
    )


def test_kedro_jupyter_lab(empty_project, tmp_path):
    log = tmp_path / "kedro.log"
    assert "version" in serves([str(BIN / "kedro"), "jupyter", "lab"], empty_project, log)
    assert "kedro_from_data_to_model" in log.read_text()  # started with the project's kernel
