"""Keras backends: JAX trains, saves and reloads through the catalog without TensorFlow."""

from __future__ import annotations

import importlib.util
import json
import sys
import textwrap

import pytest

from tests.processes import NO_TENSORFLOW, stopped_with_ctrl_c

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        importlib.util.find_spec("jax") is None,
        reason="JAX ABSENT: install the [jax] extra (make test does) to check the JAX backend",
    ),
]

# Runs the study's l2 variant (train, save, reload, evaluate) where TensorFlow cannot be
# imported, as on a machine that has only JAX: one session per [parameters, only missing
# outputs] pair given, each session's output after a line of its own (RUN).
RUN = "=== a session starts ==="
WITHOUT_TENSORFLOW = NO_TENSORFLOW + textwrap.dedent(
    f"""
    import json
    from pathlib import Path
    from kedro.framework.session import KedroSession
    from kedro.framework.startup import bootstrap_project

    bootstrap_project(Path.cwd())
    for params, only_missing in json.loads(sys.argv[1]):
        print({RUN!r}, flush=True)
        with KedroSession.create(runtime_params=params) as session:
            session.run(pipeline_names=["regularization"], namespaces=["regularization.l2"],
                        only_missing_outputs=only_missing)
    assert not any(m.split(".")[0] == "tensorflow" for m in sys.modules)
    """
)


def saved(folder, name: str) -> list[dict]:
    """Each version of a versioned JSON output in ``folder``, oldest first."""
    return [json.loads(path.read_text()) for path in sorted(folder.glob(f"{name}/*/{name}"))]


def on_jax(project) -> dict[str, str]:
    """The environment of a JAX run: the runs of a test share compiled programs through
    JAX's persistent cache (the same programs, compiled once)."""
    return {
        "KERAS_BACKEND": "jax",
        "JAX_COMPILATION_CACHE_DIR": str(project.root / "jax_cache"),
        "JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS": "0",
        "JAX_PERSISTENT_CACHE_MIN_ENTRY_SIZE_BYTES": "0",
    }


def sessions_logs(output: str, sessions: int) -> list[str]:
    """Each session's log, whitespace made single spaces (rich wraps long lines)."""
    logs = [" ".join(log.split()) for log in output.split(RUN)[1:]]
    assert len(logs) == sessions, output[-3000:]
    return logs


def jax_sessions(*sessions: tuple[dict, bool]) -> list[str]:
    """The command that runs the l2 variant's part of the study on JAX where TensorFlow
    cannot be imported, in one process, a session for each (parameters, only missing
    outputs) in turn."""
    return [sys.executable, "-c", WITHOUT_TENSORFLOW, json.dumps(sessions)]


def jax_runs(project, *sessions: tuple[dict, bool]) -> list[str]:
    """``jax_sessions`` run to their end; each session's log."""
    result = project.run(jax_sessions(*sessions), timeout=600, env=on_jax(project), merged=True)
    assert result.returncode == 0, result.stdout
    return sessions_logs(result.stdout, len(sessions))


def kept_models(project) -> dict[str, list[str]]:
    """Each saved model of l2, by seed: its versions."""
    models = project.root / "data" / "06_models"
    return {p.name: sorted(v.name for v in p.iterdir()) for p in models.glob("*.l2.seed_*.keras")}


def test_jax_backend_runs_without_tensorflow_and_trains_a_variants_seeds_as_one_program(
    tiny_project,
):
    """The variant's two seeds train together (``training.batch_models: auto``), each with
    its own node, outputs, MLflow run and progress; ``off`` trains each alone, to the same
    numbers. Seeds added later, and a batch interrupted, train only what is missing,
    together."""
    tiny_project.session_run(pipeline_names=["data_ingestion", "data_processing"])
    outputs = tiny_project.root / "data" / "07_model_output"
    modes = ("auto", "off")
    # One process: auto, then off, then two seeds more, their batch stopped (Ctrl-C) while
    # it trains (the seeds' epochs made long)
    sessions = [({"training": {"batch_models": mode}}, False) for mode in modes]
    slow = {"regularization": {"seeds": 4, "variants": {"l2": {"epochs": 100000}}}}
    log = tiny_project.root / "sessions.log"
    stopped = stopped_with_ctrl_c(
        jax_sessions(*sessions, (slow, True)), tiny_project.root,
        {**tiny_project.env, **on_jax(tiny_project)}, log,
        "regularization.l2.seed_44, regularization.l2.seed_45", then=2,  # in its epochs
    )  # fmt: skip
    assert stopped != 0
    *logs, _ = sessions_logs(log.read_text(), 3)

    figures = {}
    for run, (mode, log) in enumerate(zip(modes, logs, strict=True)):
        figures[mode] = {}
        for seed in (42, 43):
            model = outputs / f"regularization.l2.seed_{seed}"
            metadata = saved(model, "training_metadata.json")[run]
            assert metadata["keras_backend"] == "jax"
            assert metadata["program_models"] == (2 if mode == "auto" else 1)
            metrics = saved(model, "test_metrics.json")[run]  # the model reloaded
            assert metrics["test_loss"] > 0
            figures[mode][seed] = (metrics["test_loss"], metrics["test_accuracy"])
        together = (
            "Training 2 models as one program: regularization.l2.seed_42, regularization.l2.seed_43"
        )
        assert (together in log) == (mode == "auto"), log[-3000:]
        assert ("Finished regularization.l2.seed_43" in log) == (mode == "auto")
        assert "Training regularization.l2.seed_43 (2 of 2)" in log
        assert "Progress: 2 of 2 models trained" in log
    for seed in (42, 43):
        assert figures["auto"][seed] == pytest.approx(figures["off"][seed], rel=1e-4), seed
    if importlib.util.find_spec("kedro_mlflow") is not None:  # the [mlflow] extra's store
        from tests import mlflow_store

        client = mlflow_store.store(tiny_project)
        trained = [r for r in mlflow_store.kedro_runs(client) if r.data.tags.get("models") != "0"]
        logged = [set(mlflow_store.children(client, parent)) for parent in trained]
        # newest first: the stopped run (no model finished), then off's and auto's, each with
        # a child run per model
        assert logged == [set(), *[{"regularization.l2.seed_42", "regularization.l2.seed_43"}] * 2]
        assert [r.data.tags["models"] for r in trained[1:]] == ["2", "2"]

    # The stopped batch saved nothing: 42 and 43 kept (auto's and off's versions), 44 and 45
    # not half-written
    kept = kept_models(tiny_project)
    assert {name: len(versions) for name, versions in kept.items()} == {
        "regularization.l2.seed_42.keras": 2,
        "regularization.l2.seed_43.keras": 2,
    }
    # Resumed: the two missing seeds train, together; the others are not trained again.
    (log,) = jax_runs(tiny_project, ({"regularization": {"seeds": 4}}, True))
    assert (
        "Training 2 models as one program: regularization.l2.seed_44, "
        "regularization.l2.seed_45" in log
    )
    assert "Training regularization.l2.seed_42" not in log
    assert "Progress: 2 of 2 models trained" in log
    after = kept_models(tiny_project)
    assert {k: v for k, v in after.items() if k in kept} == kept
    assert sorted(after) == [f"regularization.l2.seed_{s}.keras" for s in (42, 43, 44, 45)]
