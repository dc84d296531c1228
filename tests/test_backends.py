"""Keras backends: JAX trains, saves and reloads through the catalog without TensorFlow."""

from __future__ import annotations

import importlib.util
import json
import textwrap

import pytest

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        importlib.util.find_spec("jax") is None,
        reason="JAX ABSENT: install the [jax] extra (make test does) to check the JAX backend",
    ),
]

# Runs the study's l2 variant (train, save, reload, evaluate) where TensorFlow cannot be
# imported, as on a machine that has only JAX.
WITHOUT_TENSORFLOW = textwrap.dedent(
    """
    import sys

    class NoTensorFlow:
        def find_spec(self, name, path=None, target=None):
            if name == "tensorflow" or name.startswith("tensorflow."):
                raise ModuleNotFoundError(f"No module named {name!r} (blocked by the test)")

    sys.meta_path.insert(0, NoTensorFlow())
    from pathlib import Path
    from kedro.framework.session import KedroSession
    from kedro.framework.startup import bootstrap_project

    bootstrap_project(Path.cwd())
    with KedroSession.create() as session:
        session.run(pipeline_names=["regularization"], namespaces=["regularization.l2"])
    assert not any(m.split(".")[0] == "tensorflow" for m in sys.modules)
    """
)


def test_jax_backend_runs_without_tensorflow(tiny_project):
    tiny_project.session_run(pipeline_names=["data_ingestion", "data_processing"])
    result = tiny_project.python("-c", WITHOUT_TENSORFLOW, env={"KERAS_BACKEND": "jax"})
    assert result.returncode == 0, result.stdout + result.stderr
    outputs = tiny_project.root / "data" / "07_model_output" / "regularization.l2.seed_42"
    (metadata,) = outputs.glob("training_metadata.json/*/training_metadata.json")
    assert json.loads(metadata.read_text())["keras_backend"] == "jax"
    (metrics,) = outputs.glob("test_metrics.json/*/test_metrics.json")  # the model reloaded
    assert json.loads(metrics.read_text())["test_loss"] > 0
