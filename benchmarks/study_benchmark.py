"""Benchmark: the Kedro study against the same training as a plain Keras script.

One invocation, on the real data in data/01_raw, measures for each Keras backend:

* (a) ``kedro run --pipeline=regularization`` in a fresh copy of the project (from the
  raw files: ingestion, processing, 8 trainings, evaluation, report, plots);
* (b) ``plain_keras_study.py``: the project's node functions called in a plain loop;
* the ratio (a)/(b), per-variant fit times, the study's training FLOPs, the achieved
  GFLOP/s and their ratio to a float32 matmul ceiling measured here, peak memory;
* optionally (a) again with ``--runner=ThreadRunner``, and whether its report matches.

    python benchmarks/study_benchmark.py [--backends tensorflow jax] [--thread-runner]

Results: a printed table and ``benchmarks/results/<timestamp>.json`` (git-ignored).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


BIN = Path(sys.executable).parent
CEILING_SNIPPET = """
import os, sys, time
backend = sys.argv[1]
n = 4096
def best_rate(run, repeat=5):
    best = 0.0
    for _ in range(repeat):
        start = time.perf_counter(); run(); seconds = time.perf_counter() - start
        best = max(best, 2 * n**3 / seconds / 1e9)
    return best
if backend == "numpy":
    import numpy as np
    a = np.random.default_rng(0).standard_normal((n, n), dtype=np.float32); b = a.copy()
    print(best_rate(lambda: a @ b))
elif backend == "tensorflow":
    import tensorflow as tf
    a = tf.random.normal((n, n)); b = tf.random.normal((n, n))
    print(best_rate(lambda: tf.linalg.matmul(a, b).numpy()))
else:
    import jax, jax.numpy as jnp
    a = jax.random.normal(jax.random.key(0), (n, n), jnp.float32); b = a + 1
    f = jax.jit(jnp.matmul); f(a, b).block_until_ready()
    print(best_rate(lambda: f(a, b).block_until_ready()))
"""


def run_measured(cmd: list[str], cwd: Path, env: dict[str, str], log: Path) -> tuple[float, float]:
    """Run a command; return (wall seconds, peak RSS in GiB of the process tree's largest)."""
    with log.open("w") as out:
        start = time.perf_counter()
        process = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(cmd)} failed; see {log}")
    return seconds, usage.ru_maxrss / 2**20


def matmul_ceiling(backend: str) -> float:
    env = dict(os.environ)
    if backend == "numpy":  # these slow a current OpenBLAS down (see the env notes)
        env.pop("OPENBLAS_CORETYPE", None)
        env.pop("OPENBLAS_L2_SIZE", None)
    out = subprocess.run(
        [sys.executable, "-c", CEILING_SNIPPET, backend], env=env, capture_output=True, text=True,
        check=True,
    )  # fmt: skip
    return float(out.stdout.strip().splitlines()[-1])


def training_flops(
    units: list[int], n_in: int, n_out: int, rows: dict[str, int], epochs: int
) -> float:
    """Multiply-add FLOPs of fitting a dense network (biases and activations ignored).

    Per training row: forward 2·W, weight gradients 2·W, input gradients 2·W except for
    the first layer (no gradient is needed for the data); per validation row: forward
    2·W each epoch; one forward pass over the test rows at the end.
    """
    dims = [n_in, *units, n_out]
    weights = [a * b for a, b in zip(dims[:-1], dims[1:], strict=True)]
    forward = 2 * sum(weights)
    backward = 2 * sum(weights) + 2 * sum(weights[1:])
    per_epoch = rows["train"] * (forward + backward) + rows["val"] * forward
    return epochs * per_epoch + rows["test"] * forward


def fresh_project(workdir: Path) -> Path:
    project = workdir / "project"
    project.mkdir(parents=True)
    for item in ("conf", "src", "pyproject.toml"):
        source = ROOT / item
        if source.is_dir():
            shutil.copytree(
                source, project / item, ignore=shutil.ignore_patterns("__pycache__", "local")
            )
        else:
            shutil.copy(source, project / item)
    (project / "conf" / "local").mkdir()
    raw = project / "data" / "01_raw"
    raw.mkdir(parents=True)
    for folder in ("fashion-mnist", "california-housing"):
        (raw / folder).symlink_to(ROOT / "data" / "01_raw" / folder)
    return project


def kedro_results(project: Path, variants: list[str]) -> tuple[dict, pd.DataFrame]:
    metadata = {}
    for variant in variants:
        (path,) = sorted(
            (project / f"data/07_model_output/{variant}/training_metadata.json").glob("*/*")
        )[-1:]
        metadata[variant] = json.loads(path.read_text())
    (report,) = sorted((project / "data/08_reporting/report_table.csv").glob("*/*"))[-1:]
    return metadata, pd.read_csv(report)


def study_flops(metadata: dict) -> float:
    rows = {"train": 33600, "val": 8400, "test": 18000}
    return sum(
        training_flops(
            m["spec"]["hidden"]["units"], 784, m["spec"]["output"]["units"], rows, m["epochs_run"]
        )
        for m in metadata.values()
    )


def benchmark_backend(backend: str, workdir: Path, thread_runner: bool) -> dict:
    env = {
        **os.environ,
        "KERAS_BACKEND": backend,
        "KEDRO_DISABLE_TELEMETRY": "true",
        "COLUMNS": "160",
    }
    study = yaml.safe_load((ROOT / "conf/base/parameters_regularization.yml").read_text())
    variants = list(study["regularization"]["variants"])
    result: dict = {"backend": backend}

    project = fresh_project(workdir / f"{backend}-sequential")
    print(f"[{backend}] kedro run --pipeline=regularization ...", flush=True)
    seconds, peak = run_measured(
        [str(BIN / "kedro"), "run", "--pipeline=regularization"],
        project,
        env,
        workdir / f"{backend}-kedro.log",
    )
    metadata, report = kedro_results(project, variants)
    result["kedro"] = {
        "seconds": seconds,
        "peak_gib": peak,
        "fit_seconds": {v: m["fit_seconds"] for v, m in metadata.items()},
    }
    result["flops"] = study_flops(metadata)

    print(f"[{backend}] plain Keras script ...", flush=True)
    plain_json = workdir / f"{backend}-plain.json"
    seconds, peak = run_measured(
        [sys.executable, str(ROOT / "benchmarks" / "plain_keras_study.py"), str(project), str(plain_json)],
        ROOT, env, workdir / f"{backend}-plain.log",
    )  # fmt: skip
    plain = json.loads(plain_json.read_text())
    result["plain"] = {"seconds": seconds, "peak_gib": peak,
                       "fit_seconds": {v: r["fit_seconds"] for v, r in plain["variants"].items()}}  # fmt: skip
    result["plain_test_loss"] = {v: r["test_loss"] for v, r in plain["variants"].items()}
    result["kedro_test_loss"] = dict(zip(report["variant"], report["test_loss"], strict=True))

    if thread_runner:
        threaded = fresh_project(workdir / f"{backend}-threads")
        print(f"[{backend}] kedro run --runner=ThreadRunner ...", flush=True)
        seconds, peak = run_measured(
            [str(BIN / "kedro"), "run", "--pipeline=regularization", "--runner=ThreadRunner"],
            threaded, env, workdir / f"{backend}-threads.log",
        )  # fmt: skip
        _, threaded_report = kedro_results(threaded, variants)
        same_rows = list(threaded_report["variant"]) == list(report["variant"])
        result["thread_runner"] = {
            "seconds": seconds,
            "peak_gib": peak,
            "same_variants_and_columns": same_rows
            and list(threaded_report.columns) == list(report.columns),
            "max_test_loss_difference": float(
                (threaded_report["test_loss"] - report["test_loss"]).abs().max()
            ),
        }
    return result


def print_table(results: dict) -> None:
    ceiling = results["matmul_ceiling_gflops"]
    print(f"\nmatmul ceiling (float32, 4096²): {ceiling}")
    for r in results["backends"]:
        best_ceiling = max(ceiling.values())
        fit = sum(r["kedro"]["fit_seconds"].values())
        floor = r["flops"] / (best_ceiling * 1e9)
        print(f"\n== backend {r['backend']} ==")
        print(
            f"study training FLOPs           {r['flops'] / 1e12:8.2f} TFLOP   (floor {floor:6.1f} s at {best_ceiling:.0f} GFLOP/s)"
        )
        print(
            f"kedro run (a)                  {r['kedro']['seconds']:8.1f} s      peak {r['kedro']['peak_gib']:.2f} GiB"
        )
        print(
            f"plain Keras script (b)         {r['plain']['seconds']:8.1f} s      peak {r['plain']['peak_gib']:.2f} GiB"
        )
        print(
            f"ratio (a)/(b)                  {r['kedro']['seconds'] / r['plain']['seconds']:8.3f}"
        )
        print(f"kedro run / FLOP floor         {r['kedro']['seconds'] / floor:8.2f}")
        print(
            f"achieved in fit                {r['flops'] / fit / 1e9:8.1f} GFLOP/s = {r['flops'] / fit / 1e9 / best_ceiling:.0%} of ceiling"
        )
        if "thread_runner" in r:
            t = r["thread_runner"]
            print(
                f"ThreadRunner                   {t['seconds']:8.1f} s      (sequential/threads {r['kedro']['seconds'] / t['seconds']:.2f}; "
                f"same report rows: {t['same_variants_and_columns']}, max |Δ test loss| {t['max_test_loss_difference']:.4f})"
            )
        print(
            f"{'variant':16} {'kedro fit s':>11} {'plain fit s':>11} {'kedro test loss':>16} {'plain test loss':>16}"
        )
        for v, s in r["kedro"]["fit_seconds"].items():
            print(f"{v:16} {s:11.1f} {r['plain']['fit_seconds'][v]:11.1f} {r['kedro_test_loss'][v]:16.4f} {r['plain_test_loss'][v]:16.4f}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backends", nargs="+", default=["tensorflow", "jax"])
    parser.add_argument(
        "--thread-runner", action="store_true", help="also time --runner=ThreadRunner"
    )
    args = parser.parse_args()
    if not (ROOT / "data/01_raw/fashion-mnist/train-images-idx3-ubyte.gz").is_file():
        raise SystemExit(
            "Put the raw Fashion-MNIST files in data/01_raw/fashion-mnist/ first (see README)."
        )
    results = {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "cpu_count": os.cpu_count(),
        "matmul_ceiling_gflops": {
            b: round(matmul_ceiling(b), 1) for b in ["numpy", *args.backends]
        },
        "backends": [],
    }
    with tempfile.TemporaryDirectory(prefix="study-benchmark-") as tmp:
        for backend in args.backends:
            results["backends"].append(benchmark_backend(backend, Path(tmp), args.thread_runner))
    out = ROOT / "benchmarks" / "results"
    out.mkdir(exist_ok=True)
    path = out / f"{results['date'].replace(':', '-')}.json"
    path.write_text(json.dumps(results, indent=2))
    print_table(results)
    print(f"\nresults: {path}")


if __name__ == "__main__":
    main()
