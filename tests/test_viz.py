"""kedro viz: the static build holds every variant's training node; the page draws the graph;
with --include-previews, the datasets show a sample of their contents."""

from __future__ import annotations

import base64
import json
import re
import shutil

import pytest

from tests.browser import CHROMIUM, answer, dump_dom, free_port, serve, started
from tests.conftest import VARIANTS, Project, copy_project, study_of, tiny_parameters

pytestmark = pytest.mark.slow


def test_build_holds_one_training_node_per_configured_variant(build):
    folder, _ = build
    data = json.loads((folder / "api" / "main").read_text())
    study = study_of(tiny_parameters())  # the built project's, but for the extra variant
    variants = [f"regularization.{v}" for v in [*VARIANTS, "extra"]]
    runs = [f"{v}.seed_{s}" for v in variants for s in study.seeds]
    tasks = [n for n in data["nodes"] if n["type"] == "task"]
    training = {
        n["full_name"]
        for n in tasks
        if "training" in n["tags"] and not n["full_name"].startswith("tuning.")
    }
    final = {f"final.tuned.seed_{s}.train_model" for s in study.final_seeds}
    final |= {f"final.refit.seed_{s}.refit_model" for s in study.final_seeds}
    assert {f"{r}.train_model" for r in runs} | {"housing.train_model"} | final == training
    per_pipeline = json.loads((folder / "api" / "pipelines" / "regularization").read_text())
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
    predict = json.loads((folder / "api" / "pipelines" / "predict").read_text())
    assert {"predict.fashion_mnist.predict_classes", "predict.housing.predict_values"} <= {
        n["full_name"] for n in predict["nodes"] if n["type"] == "task"
    }
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
def test_built_page_renders_the_graph(build, tmp_path):
    with serve(build[0]) as url:
        dom = dump_dom(tmp_path, url)
    # collapsed at first: the study and housing namespaces
    assert dom.count('class="pipeline-node pipeline-node--modularPipeline"') >= 2
    assert 'class="pipeline-node pipeline-node--task"' in dom


@pytest.fixture(scope="module")
def build(tiny_study, tmp_path_factory):
    """``kedro viz build --include-previews`` of a tiny project after a run of every
    pipeline, whose local configuration adds a ninth variant (not trained: its outputs
    alone have no preview); and the ids of its nodes by name."""
    root = tmp_path_factory.mktemp("viz") / "project"
    shutil.copytree(tiny_study.root, root, ignore=shutil.ignore_patterns("build"))
    project = Project(root)
    project.local_conf("parameters_extra", {"regularization": {"variants": {"extra": {"seed": 7}}}})
    result = project.kedro("viz", "build", "--include-previews", process=True)  # it forks
    assert result.returncode == 0, result.stdout + result.stderr
    output = " ".join((result.stdout + result.stderr).split())
    missing = re.findall(r"'(\S+)' could not be previewed", output)
    assert missing and all(m.startswith("regularization.extra.") for m in missing), missing
    folder = root / "build"
    ids = {n.get("full_name") or n["name"]: n["id"] for n in read(folder / "api" / "main")["nodes"]}
    return folder, ids


def read(path):
    return json.loads(path.read_text())


def preview(folder, ids, name: str) -> tuple[str, object]:
    details = read(folder / "api" / "nodes" / ids[name])
    return details["preview_type"], details["preview"]


def test_previews_show_tables_json_figures_and_our_datasets(build, tiny_study):
    folder, ids = build
    chosen = tiny_study.catalog().load("regularization.model_choice")
    kind, table = preview(folder, ids, "regularization.report_table")
    assert kind == "TablePreview"
    assert [row[0] for row in table["data"]] == VARIANTS  # every variant, in study order
    kind, choice = preview(folder, ids, "regularization.model_choice")
    assert kind == "JSONPreview" and json.loads(choice) == chosen
    kind, image = preview(folder, ids, "regularization.test_metrics_plot")
    assert kind == "ImagePreview" and base64.b64decode(image).startswith(PNG)
    kind, images = preview(folder, ids, "fashion_mnist_raw_train")  # ours: a grid of images
    assert kind == "ImagePreview" and base64.b64decode(images).startswith(PNG)
    # ours: a model's layers (a study model is transcoded, @keras and @loader: kedro-viz
    # previews a transcoded dataset under neither name)
    kind, layers = preview(folder, ids, "fashion_mnist_promoted_model")
    assert kind == "TablePreview"
    assert [row[0] for row in layers["data"]][:2] == ["raw", "standardize"]  # scaler inside
    assert sum(row[3] for row in layers["data"]) > 0


PNG = b"\x89PNG\r\n\x1a\n"


@pytest.mark.skipif(CHROMIUM is None, reason="CHROMIUM ABSENT: install Debian's 'chromium'")
def test_built_page_shows_a_dataset_preview(build, tmp_path):
    folder, ids = build
    selected = ids["regularization.report_table"]
    with serve(folder) as url:
        dom = dump_dom(tmp_path, f"{url}?pid=__default__&sid={selected}")
    assert "pipeline-metadata__preview" in dom
    assert "preview-table" in dom and "early_stopping" in dom


def test_viz_run_serves_the_project(tmp_path):
    project = copy_project(tmp_path)
    port = free_port()
    log = tmp_path / "viz.log"
    command = ["viz", "run", "--no-browser", "--host=127.0.0.1", f"--port={port}"]
    with started([str(project.kedro_path), *command], project.root, project.env, log) as server:
        data = json.loads(answer(f"http://127.0.0.1:{port}/api/main", server, log))
    names = {n.get("full_name") for n in data["nodes"]}
    assert "regularization.l2.seed_42.train_model" in names
