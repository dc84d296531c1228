"""The Keras backend is selectable: JAX trains, saves and reloads through the catalog."""

from __future__ import annotations

import importlib.util
import json

import pytest

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        importlib.util.find_spec("jax") is None,
        reason="JAX ABSENT: install the [jax] extra (make test does) to check the JAX backend",
    ),
]


def test_jax_backend_through_the_catalog(tiny_project):
    tiny_project.session_run(pipeline_names=["data_ingestion", "data_processing"])
    result = tiny_project.kedro(
        "run", "--pipeline=regularization", "--namespaces=l2", env={"KERAS_BACKEND": "jax"}
    )
    assert result.returncode == 0, result.stdout + result.stderr
    outputs = tiny_project.root / "data" / "07_model_output" / "l2"
    (metadata,) = outputs.glob("training_metadata.json/*/training_metadata.json")
    assert json.loads(metadata.read_text())["keras_backend"] == "jax"
    (metrics,) = outputs.glob("test_metrics.json/*/test_metrics.json")  # the model reloaded
    assert json.loads(metrics.read_text())["test_loss"] > 0
