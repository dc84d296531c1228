"""Benchmark: the Kedro study against the same training as a plain Keras script.

One invocation, on the real data in data/01_raw, measures for each Keras backend:

* (a) ``kedro run --pipeline=regularization`` in a fresh copy of the project (from the
  raw files: ingestion, processing, 8 trainings, evaluation, report, plots);
* (b) ``plain_keras_study.py``: the project's node functions called in a plain loop;
* the ratio (a)/(b), per-variant fit times, the study's training FLOPs, the achieved
  GFLOP/s and their ratio to a float32 matmul ceiling measured here (``ceilings.py``),
  the study's time at the rate of its training step written by hand in JAX, peak memory;
* with ``--runners``, (a) again with each (e.g. ``ParallelRunner``, ``ThreadRunner``):
  time, and whether its table of runs matches the sequential one;
* with ``--untracked`` (and the ``[mlflow]`` extra installed, which tracks (a)), (a) again
  with tracking disabled in ``conf/local/mlflow.yml``: what MLflow tracking costs.

    python benchmarks/study_benchmark.py [--backends tensorflow jax] [--runners ParallelRunner]
        [--repeat N] [--no-plain] [--untracked]

Every variant is trained once per configured seed, by (a) and (b) alike. Results: a
printed table, ``benchmarks/results/<timestamp>.json`` and each sequential run's report
(``<timestamp>-<backend>-report.md``), all git-ignored.
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
from ceilings import dense_flops_per_row  # this folder: run as a script
from kedro.config import OmegaConfigLoader

from from_data_to_model import settings
from from_data_to_model.pipelines.evaluation.tables import RUN_DEPENDENT
from from_data_to_model.study import StudyShape

ROOT = Path(__file__).resolve().parents[1]


BIN = Path(sys.executable).parent


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


def ceiling(what: str) -> float:
    """GFLOP/s of one ``benchmarks/ceilings.py`` measurement, in a fresh process."""
    env = dict(os.environ)
    if what == "numpy":  # these slow a current OpenBLAS down (see the env notes)
        env.pop("OPENBLAS_CORETYPE", None)
        env.pop("OPENBLAS_L2_SIZE", None)
    out = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "ceilings.py"), what], env=env,
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return float(out.stdout.strip().splitlines()[-1])


def training_flops(
    units: list[int], n_in: int, n_out: int, rows: dict[str, int], epochs: int
) -> float:
    """FLOPs of fitting a dense network (``ceilings.dense_flops_per_row`` per row).

    Each epoch: a training step per training row and a forward pass per validation
    row; then one forward pass over the test rows.
    """
    forward, step = dense_flops_per_row([n_in, *units, n_out])
    return epochs * (rows["train"] * step + rows["val"] * forward) + rows["test"] * forward


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


def latest(folder: Path) -> Path:
    """The latest version of a versioned dataset's file."""
    (path,) = sorted(folder.glob("*/*"))[-1:]
    return path


def kedro_results(project: Path, runs: list[str]) -> tuple[dict, pd.DataFrame]:
    """Each run's (by namespace) training metadata with its spec, and the runs table."""
    data = project / "data"

    def read(path: Path) -> dict:
        return json.loads(latest(path).read_text())

    metadata = {
        run: read(data / f"07_model_output/{run}/training_metadata.json")
        | {"spec": read(data / f"06_models/{run}/spec.json")}
        for run in runs
    }
    return metadata, pd.read_csv(latest(data / "08_reporting/regularization/runs_table.csv"))


def study_flops(metadata: dict) -> float:
    rows = {"train": 33600, "val": 8400, "test": 18000}
    return sum(
        training_flops(
            m["spec"]["hidden"]["units"], 784, m["spec"]["output"]["units"], rows, m["epochs_run"]
        )
        for m in metadata.values()
    )


def configured_runs() -> tuple[list[str], list[int]]:
    """The configured study's runs (namespaces) and seeds, as ``kedro run`` reads them."""
    loader = OmegaConfigLoader(str(ROOT / "conf"), env="base", **settings.CONFIG_LOADER_ARGS)
    study = StudyShape.from_parameters(loader["parameters"])
    return [run.namespace for run in study.runs()], list(study.seeds)


def kedro_run(
    backend: str,
    runner: str,
    workdir: Path,
    env: dict[str, str],
    runs: list[str],
    untracked: bool = False,
) -> tuple[dict, dict, pd.DataFrame, Path]:
    """``kedro run --pipeline=regularization --runner=RUNNER`` in a fresh project copy
    (``untracked``: with MLflow tracking disabled for it in ``conf/local/mlflow.yml``)."""
    label = f"{runner}-untracked" if untracked else runner
    name = f"{backend}-{label}-{len(list(workdir.glob(f'{backend}-{label}-*.log')))}"
    project = fresh_project(workdir / name)
    if untracked:
        (project / "conf/local/mlflow.yml").write_text(
            yaml.safe_dump({"tracking": {"disable_tracking": {"pipelines": ["regularization"]}}})
        )
    print(f"[{backend}] kedro run --pipeline=regularization --runner={label} ...", flush=True)
    seconds, peak = run_measured(
        [str(BIN / "kedro"), "run", "--pipeline=regularization", f"--runner={runner}"],
        project, env, workdir / f"{name}.log",
    )  # fmt: skip
    metadata, report = kedro_results(project, runs)
    timing = {
        "seconds": seconds,
        "peak_gib": peak,
        "fit_seconds": {v: m["fit_seconds"] for v, m in metadata.items()},
        "data_loss_seconds": {v: m["data_loss_seconds"] for v, m in metadata.items()},
    }
    return timing, metadata, report, project


def compare_reports(report: pd.DataFrame, other: pd.DataFrame) -> dict:
    """Whether two runs' tables of runs agree, apart from timings and timestamps."""
    ours, theirs = report.drop(columns=RUN_DEPENDENT), other.drop(columns=RUN_DEPENDENT)
    differing = [c for c in ours.columns if not ours[c].equals(theirs[c])]
    numeric = [c for c in differing if pd.api.types.is_numeric_dtype(ours[c])]
    return {
        "same_report": not differing,
        "differing_columns": differing,
        "max_numeric_difference": max(
            (float((ours[c] - theirs[c]).abs().max()) for c in numeric), default=0.0
        ),
        "max_test_loss_difference": float((other["test_loss"] - report["test_loss"]).abs().max()),
    }


def benchmark_backend(  # noqa: PLR0913
    backend: str,
    workdir: Path,
    concurrent: list[str],
    repeat: int,
    plain_too: bool,
    out: Path,
    untracked: bool = False,
) -> dict:
    env = {
        **os.environ,
        "KERAS_BACKEND": backend,
        "KEDRO_DISABLE_TELEMETRY": "true",
        "COLUMNS": "160",
    }
    runs, seeds = configured_runs()
    result: dict = {"backend": backend, "seeds": seeds}

    # (a) and (b) alternate, `repeat` times each; the fastest of each counts (the least
    # disturbed by whatever else the machine did), and every time is kept.
    kedro_runs, plain_runs = [], []
    for attempt in range(repeat):
        timing, metadata, report, project = kedro_run(
            backend, "SequentialRunner", workdir, env, runs
        )
        kedro_runs.append(timing)
        shutil.copy(latest(project / "data/08_reporting/regularization/report.md"),
                    out.with_name(f"{out.name}-{backend}-report.md"))  # fmt: skip
        if not plain_too:
            continue
        print(f"[{backend}] plain Keras script ...", flush=True)
        plain_json = workdir / f"{backend}-plain-{attempt}.json"
        seconds, peak = run_measured(
            [sys.executable, str(ROOT / "benchmarks" / "plain_keras_study.py"), str(project), str(plain_json)],
            ROOT, env, workdir / f"{backend}-plain-{attempt}.log",
        )  # fmt: skip
        plain = json.loads(plain_json.read_text())
        plain_runs.append({"seconds": seconds, "peak_gib": peak,
                           "fit_seconds": {v: r["fit_seconds"] for v, r in plain["variants"].items()}})  # fmt: skip
    result["kedro"] = min(kedro_runs, key=lambda run: run["seconds"])
    result["kedro"]["all_seconds"] = [round(run["seconds"], 1) for run in kedro_runs]
    result["flops"] = study_flops(metadata)
    result["kedro_test_loss"] = dict(zip(report["namespace"], report["test_loss"], strict=True))
    if plain_too:
        result["plain"] = min(plain_runs, key=lambda run: run["seconds"])
        result["plain"]["all_seconds"] = [round(run["seconds"], 1) for run in plain_runs]
        result["plain_test_loss"] = {v: r["test_loss"] for v, r in plain["variants"].items()}

    result["concurrent"] = {}
    for runner in concurrent:
        timing, _, other, _ = kedro_run(backend, runner, workdir, env, runs)
        result["concurrent"][runner] = {**timing, **compare_reports(report, other)}
    if untracked:
        timing, _, other, _ = kedro_run(backend, "SequentialRunner", workdir, env, runs, True)
        result["untracked"] = {**timing, **compare_reports(report, other)}
    return result


def print_table(results: dict) -> None:
    ceilings = results["ceilings_gflops"]
    best_ceiling = max(ceilings[k] for k in ("numpy", "tensorflow", "jax") if k in ceilings)
    print(f"\nfloat32 ceilings, GFLOP/s (4096² matmul; the study's step by hand): {ceilings}")
    for r in results["backends"]:
        fit = sum(r["kedro"]["fit_seconds"].values())
        floor = r["flops"] / (best_ceiling * 1e9)
        print(f"\n== backend {r['backend']}, seeds {r['seeds']} ==")
        rows = [
            ("study training FLOPs", f"{r['flops'] / 1e12:8.2f} TFLOP   (floor {floor:.1f} s at {best_ceiling:.0f} GFLOP/s)"),
            ("kedro run (a)", f"{r['kedro']['seconds']:8.1f} s      peak {r['kedro']['peak_gib']:.2f} GiB  (all runs: {r['kedro']['all_seconds']})"),
            ("kedro run / FLOP floor", f"{r['kedro']['seconds'] / floor:8.2f}"),
            ("achieved in fit", f"{r['flops'] / fit / 1e9:8.1f} GFLOP/s = {r['flops'] / fit / 1e9 / best_ceiling:.0%} of ceiling"),
            ("data losses' share of fit", f"{sum(r['kedro']['data_loss_seconds'].values()) / fit:8.1%}"),
        ]  # fmt: skip
        if "plain" in r:
            overhead = (r["kedro"]["seconds"] - fit) - (
                r["plain"]["seconds"] - sum(r["plain"]["fit_seconds"].values())
            )
            rows += [
                ("plain Keras script (b)", f"{r['plain']['seconds']:8.1f} s      peak {r['plain']['peak_gib']:.2f} GiB"),
                ("ratio (a)/(b)", f"{r['kedro']['seconds'] / r['plain']['seconds']:8.3f}   (all runs: (a) {r['kedro']['all_seconds']}, (b) {r['plain']['all_seconds']})"),
                ("Kedro's own time", f"{overhead:8.1f} s      = {overhead / r['plain']['seconds']:.1%} of (b): outside fit, (a) minus (b)"),
            ]  # fmt: skip
        if "jax_train_step" in ceilings:
            by_hand = r["flops"] / (ceilings["jax_train_step"] * 1e9)
            rows.append(("study at hand-written step", f"{by_hand:8.1f} s      = {by_hand / floor:.2f} × floor, fit only"))  # fmt: skip
        for runner, c in r["concurrent"].items():
            rows.append((runner, f"{c['seconds']:8.1f} s      {r['kedro']['seconds'] / c['seconds']:.2f}× sequential; peak process {c['peak_gib']:.2f} GiB; "
                         f"same report: {c['same_report']} (differing: {c['differing_columns']}, max |Δ| {c['max_numeric_difference']:.2g})"))  # fmt: skip
        if "untracked" in r:
            u = r["untracked"]
            cost = r["kedro"]["seconds"] - u["seconds"]
            rows.append(("(a) untracked", f"{u['seconds']:8.1f} s      tracking costs {cost:.1f} s = {cost / u['seconds']:.1%} of it; same report: {u['same_report']}"))  # fmt: skip
        for label, value in rows:
            print(f"{label:30} {value}")
        plain = r.get("plain", {"fit_seconds": {}})["fit_seconds"]
        plain_loss = r.get("plain_test_loss", {})
        print(f"{'run':40} {'kedro fit s':>11} {'plain fit s':>11} {'kedro test loss':>16} {'plain test loss':>16}")  # fmt: skip
        for v, s in r["kedro"]["fit_seconds"].items():
            print(f"{v:40} {s:11.1f} {plain.get(v, float('nan')):11.1f} {r['kedro_test_loss'][v]:16.4f} {plain_loss.get(v, float('nan')):16.4f}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backends", nargs="+", default=["tensorflow", "jax"])
    parser.add_argument(
        "--runners",
        nargs="*",
        default=[],
        help="also time these runners (ParallelRunner, ThreadRunner) and compare their runs",
    )
    parser.add_argument(
        "--repeat", type=int, default=2, help="runs of (a) and of (b), alternating (default 2)"
    )
    parser.add_argument("--no-plain", action="store_true", help="skip the plain script (b)")
    parser.add_argument(
        "--untracked", action="store_true", help="also time (a) with MLflow tracking disabled"
    )
    args = parser.parse_args()
    if not (ROOT / "data/01_raw/fashion-mnist/train-images-idx3-ubyte.gz").is_file():
        raise SystemExit(
            "Put the raw Fashion-MNIST files in data/01_raw/fashion-mnist/ first (see README)."
        )
    measured = ["numpy", *args.backends] + (["jax_train_step"] if "jax" in args.backends else [])
    results = {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "cpu_count": os.cpu_count(),
        "ceilings_gflops": {what: round(ceiling(what), 1) for what in measured},
        "backends": [],
    }
    out = ROOT / "benchmarks" / "results" / results["date"].replace(":", "-")
    out.parent.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="study-benchmark-") as tmp:
        for backend in args.backends:
            results["backends"].append(
                benchmark_backend(
                    backend,
                    Path(tmp),
                    args.runners,
                    args.repeat,
                    not args.no_plain,
                    out,
                    args.untracked,
                )
            )
    path = out.with_suffix(".json")
    path.write_text(json.dumps(results, indent=2))
    print_table(results)
    print(f"\nresults: {path}")


if __name__ == "__main__":
    main()
