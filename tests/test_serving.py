"""The promoted model served by MLflow (the [mlflow] extra): registered with the alias
champion, served by `mlflow models serve`, it answers as `kedro run --pipeline=predict`."""

from __future__ import annotations

import gzip
import json
import sys
import urllib.error
import urllib.request
from pathlib import Path

import numpy as np
import pytest

from tests.browser import answer, free_port, started
from tests.predicting import official_images, predict
from tests.raw_files import idx_bytes

pytest.importorskip(
    "kedro_mlflow",
    reason="MLFLOW EXTRA ABSENT: pip install -e '.[mlflow]' (make test does) to check serving",
)
pytestmark = pytest.mark.slow

SERVED = "from_data_to_model.fashion_mnist"


def post(url: str, body: dict) -> tuple[int, dict]:
    request = urllib.request.Request(
        f"{url}/invocations", json.dumps(body).encode(), {"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_the_served_champion_answers_as_the_predict_pipeline(tiny_study_copy, tmp_path):
    project = tiny_study_copy
    images = official_images(project, 5)
    (tmp_path / "images.idx.gz").write_bytes(gzip.compress(idx_bytes(images)))
    returncode, output = predict(
        project, "fashion_mnist", predict_images=tmp_path / "images.idx.gz"
    )
    assert returncode == 0, output
    catalog = project.catalog()
    predicted = catalog.load("predict.fashion_mnist.predictions")
    promotion = catalog.load("fashion_mnist_promotion")

    from tests.mlflow_store import store

    version = store(project).get_model_version_by_alias(SERVED, "champion")
    assert version.tags["namespace"] == promotion.namespace  # the promoted run, logged

    port, log = free_port(), tmp_path / "serve.log"
    env = {
        **project.env,
        "PATH": f"{Path(sys.executable).parent}:{project.env['PATH']}",
        "MLFLOW_TRACKING_URI": f"sqlite:///{project.root / 'mlflow.db'}",
    }
    command = ["mlflow", "models", "serve", "-m", f"models:/{SERVED}@champion",
               "--env-manager", "local", "-h", "127.0.0.1", "-p", str(port)]  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    with started(command, project.root, env, log) as server:
        answer(f"{url}/ping", server, log)
        status, body = post(url, {"inputs": images.reshape(5, -1).tolist()})
        scaled = post(url, {"inputs": (images.reshape(5, -1) / 255).tolist()})
        wrong_shape = post(url, {"inputs": [[0, 1, 2]]})
        out_of_range = post(url, {"inputs": [[300] * 784]})
    assert status == 200, body
    answers = body["predictions"]
    assert [a["class"] for a in answers] == predicted["class"].tolist()
    assert [a["top3"] for a in answers] == predicted["top3"].tolist()
    np.testing.assert_allclose([a["probability"] for a in answers], predicted["probability"],
                               rtol=1e-5)  # fmt: skip
    assert [a["warning"] for a in answers] == predicted["warning"].tolist() == [""] * 5
    assert scaled[0] == 200  # a usual mistake: answered, with a warning on every row
    assert all("the pixels look scaled to 0-1" in a["warning"] for a in scaled[1]["predictions"])
    assert wrong_shape[0] == 400
    assert (
        "Shape of input (1, 3) does not match expected shape (-1, 784)" in wrong_shape[1]["message"]
    )
    assert out_of_range[0] == 400
    assert "Pixel values must lie in [0, 255]; got 300 to 300" in out_of_range[1]["message"]
