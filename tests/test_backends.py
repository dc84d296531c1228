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
    params = {"training": {"batch_models": sys.argv[1]}}
    with KedroSession.create(runtime_params=params) as session:
        session.run(pipeline_names=["regularization"], namespaces=["regularization.l2"])
    assert not any(m.split(".")[0] == "tensorflow" for m in sys.modules)
    """
)


def newest(folder, name: str) -> dict:
    """The newest version of a versioned JSON output in ``folder``."""
    return json.loads(sorted(folder.glob(f"{name}/*/{name}"))[-1].read_text())


def test_jax_backend_runs_without_tensorflow_and_trains_a_variants_seeds_as_one_program(
    tiny_project,
):
    """One node trains the variant's two seeds together (``training.batch_models: auto``),
    each with its own outputs, MLflow run and progress; ``off`` trains each alone, to the
    same numbers."""
    tiny_project.session_run(pipeline_names=["data_ingestion", "data_processing"])
    outputs = tiny_project.root / "data" / "07_model_output"
    figures = {}
    for mode in ("auto", "off"):
        result = tiny_project.python("-c", WITHOUT_TENSORFLOW, mode, env={"KERAS_BACKEND": "jax"})
        assert result.returncode == 0, result.stdout + result.stderr
        figures[mode] = {}
        for seed in (42, 43):
            model = outputs / f"regularization.l2.seed_{seed}"
            metadata = newest(model, "training_metadata.json")
            assert metadata["keras_backend"] == "jax"
            assert metadata["program_models"] == (2 if mode == "auto" else 1)
            metrics = newest(model, "test_metrics.json")  # the model reloaded
            assert metrics["test_loss"] > 0
            figures[mode][seed] = (metrics["test_loss"], metrics["test_accuracy"])
        log = " ".join((result.stdout + result.stderr).split())
        if mode == "auto":
            assert "Training 2 models of regularization.l2 (1-2 of 2)" in log, log[-3000:]
            assert "Finished regularization.l2.seed_43" in log
        assert "Progress: 2 of 2 models trained" in log
    for seed in (42, 43):
        assert figures["auto"][seed] == pytest.approx(figures["off"][seed], rel=1e-4), seed
    if importlib.util.find_spec("kedro_mlflow") is None:
        return  # without the [mlflow] extra, no store to read
    from tests import mlflow_store

    client = mlflow_store.store(tiny_project)
    trained = [r for r in mlflow_store.kedro_runs(client) if r.data.tags.get("models") != "0"]
    assert [r.data.tags["models"] for r in trained] == ["2", "2"]
    for parent in trained:  # each run: a child run per model
        assert set(mlflow_store.children(client, parent)) == {
            "regularization.l2.seed_42", "regularization.l2.seed_43"
        }
