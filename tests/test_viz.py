"""kedro viz: the static build holds every variant's training node; the page draws the graph."""

from __future__ import annotations

import functools
import json
import shutil
import subprocess
import threading
import time
import urllib.request
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.conftest import VARIANTS, copy_project

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1400,900",
    "--virtual-time-budget=20000",
]


@pytest.fixture(scope="module")
def viz_build(tmp_path_factory):
    """``kedro viz build`` of a project whose local configuration adds a ninth variant."""
    project = copy_project(tmp_path_factory.mktemp("viz"))
    project.local_conf("parameters_extra", {"regularization": {"variants": {"extra": {"seed": 7}}}})
    result = project.kedro("viz", "build")
    assert result.returncode == 0, result.stdout + result.stderr
    return project.root / "build"


def test_build_holds_one_training_node_per_configured_variant(viz_build):
    data = json.loads((viz_build / "api" / "main").read_text())
    variants = [f"regularization.{v}" for v in [*VARIANTS, "extra"]]
    runs = [f"{v}.seed_{s}" for v in variants for s in (42, 43, 44)]
    tasks = [n for n in data["nodes"] if n["type"] == "task"]
    training = {
        n["full_name"]
        for n in tasks
        if "training" in n["tags"] and not n["full_name"].startswith("tuning.")
    }
    assert {f"{r}.train_model" for r in runs} | {"housing.train_model"} == training
    per_pipeline = json.loads((viz_build / "api" / "pipelines" / "regularization").read_text())
    regularization = {n["full_name"] for n in per_pipeline["nodes"] if n["type"] == "task"}
    assert {f"{r}.train_model" for r in runs} <= regularization
    assert {
        "prepare_fashion_mnist",
        "scale_fashion_mnist_features",
        "regularization.write_report",
    } <= regularization
    # grouped: the study, in it each variant, in each variant its seeds
    assert {"regularization", *variants, *runs} <= set(data["modular_pipelines"])
    study = data["modular_pipelines"]["regularization"]["children"]
    assert {"regularization.l2"} <= {c["id"] for c in study}
    assert not any(c["id"].startswith("regularization.l2.seed") for c in study)
    assert data["layers"] == [
        "raw",
        "intermediate",
        "model_input",
        "models",
        "model_output",
        "reporting",
    ]


@pytest.mark.skipif(
    CHROMIUM is None,
    reason="CHROMIUM ABSENT: install Debian's 'chromium' (.ci/run does) for the page check",
)
def test_built_page_renders_the_graph(viz_build, tmp_path):
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(viz_build))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        browse = [CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}"]
        dom = subprocess.run(
            [*browse, "--dump-dom", url], capture_output=True, text=True, timeout=120, check=True
        ).stdout
        screenshot = tmp_path / "viz.png"
        subprocess.run(
            [*browse, f"--screenshot={screenshot}", url],
            capture_output=True,
            timeout=120,
            check=True,
        )
    finally:
        server.shutdown()
    # collapsed at first: the study and housing namespaces
    assert dom.count('class="pipeline-node pipeline-node--modularPipeline"') >= 2
    assert 'class="pipeline-node pipeline-node--task"' in dom
    assert screenshot.stat().st_size > 20_000  # kept in the test's temp folder


def test_viz_run_serves_the_project(tmp_path):
    project = copy_project(tmp_path)
    port = free_port()
    server = subprocess.Popen(
        [
            str(project.kedro_path),
            "viz",
            "run",
            "--no-browser",
            "--host=127.0.0.1",
            f"--port={port}",
        ],
        cwd=project.root,
        env=project.env,
        stdout=(tmp_path / "viz.log").open("w"),
        stderr=subprocess.STDOUT,
    )
    try:
        data = None
        for _ in range(120):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/main", timeout=2) as r:
                    data = json.loads(r.read())
                break
            except OSError:
                time.sleep(1)
        log = (tmp_path / "viz.log").read_text()
        assert data is not None, f"kedro viz run did not answer within 2 minutes:\n{log[-3000:]}"
        names = {n.get("full_name") for n in data["nodes"]}
        assert "regularization.l2.seed_42.train_model" in names
    finally:
        server.terminate()
        server.wait(timeout=30)


def free_port() -> int:
    """A free port below 49151 (kedro viz refuses the ephemeral range)."""
    import socket

    for port in range(41410, 41510):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in 41410-41509")
