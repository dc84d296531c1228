"""The study as users run it, with 3 and 10 seeds, each model alone (``training.batch_models
=off``) and models trained together (``auto``), side by side in one invocation.

    python benchmarks/many_seeds.py [--runs off:3 off:10 auto:10 auto:3] [--backend jax]
                                    [--save figures.json]

Each run is ``kedro run --pipeline=regularization --params regularization.seeds=N,
training.batch_models=MODE`` (data preparation, every model, the evaluation and report) in
a fresh copy of the project whose raw folder links to this one's, in a process of its own.
Printed per run: the wall; the GFLOP/s during training (matrix products counted by
``ceilings.dense_flops_per_row``: each epoch's steps, its validation pass and its
data-loss pass, over the epochs each model ran, divided by the seconds its training took,
the ``fit_seconds`` of the runs table); their share of the matmul ceiling; the peak
resident size. Then, for 10 seeds: each variant's mean validation loss trained together
beside alone, with alone's 95 % interval; and each run's verdict on each variant (better
or worse than the original, or not distinguishable) beside the settled table's
(``docs/statistics.md``), and its choice.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).parent))
from ceilings import dense_flops_per_row  # noqa: E402

KEDRO = Path(sys.executable).with_name("kedro")
# Runs a command; prints the peak resident size (KiB) of the largest process it waited for.
PEAK = (
    "import resource, subprocess, sys\n"
    "code = subprocess.run(sys.argv[1:]).returncode\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)\n"
    "sys.exit(code)\n"
)
SETTLED = re.compile(r"^\| (\w+) \| [^|]+ \| [^|]*\b(better|worse|not distinguishable) \|", re.M)
SETTLED_CHOICE = re.compile(r"10 seeds the choice is (\w+)")


def project_copy(folder: Path) -> Path:
    """Configuration, source and raw data (linked), as a fresh clone with its data fetched
    (the package itself is the one this environment has installed)."""
    root = folder / "project"
    shutil.copytree(ROOT / "conf" / "base", root / "conf" / "base")
    shutil.copy(ROOT / "conf" / "logging.yml", root / "conf" / "logging.yml")
    (root / "conf" / "local").mkdir()
    shutil.copy(ROOT / "pyproject.toml", root / "pyproject.toml")
    shutil.copytree(ROOT / "src", root / "src", ignore=shutil.ignore_patterns("__pycache__"))
    (root / "data").mkdir()
    (root / "data" / "01_raw").symlink_to(ROOT / "data" / "01_raw")
    return root


def newest(root: Path, name: str) -> Path:
    """The newest version of a versioned reporting output."""
    return sorted((root / "data" / "08_reporting" / "regularization" / name).glob(f"*/{name}"))[-1]


def study_flops(runs: pd.DataFrame, train_rows: int, val_rows: int) -> float:
    """The matrix products' FLOPs of training every model of a runs table."""
    total = 0.0
    for _, run in runs.iterrows():
        hidden = [int(u) for u in str(run["hidden.units"]).strip("[]").split(",")]
        forward, step = dense_flops_per_row([784, *hidden, 10])
        check = min(int(run["train_loss_rows"]), train_rows)
        total += run["epochs_run"] * (train_rows * step + (val_rows + check) * forward)
    return total


def read_outputs(root: Path) -> dict:
    """What a finished run of the study says: its models' training, and its verdicts."""
    runs = pd.read_csv(newest(root, "runs_table.csv"))
    validation = pd.read_csv(newest(root, "validation_table.csv")).set_index("variant")
    model_input = root / "data" / "05_model_input" / "fashion_mnist"
    rows = [len(pd.read_pickle(model_input / f"X_{split}.pkl")) for split in ("train", "val")]
    columns = ["model_val_loss_mean", "model_val_loss_ci_low", "model_val_loss_ci_high",
               "comparison"]  # fmt: skip
    return {
        "train_seconds": float(runs["fit_seconds"].sum()),
        "flops": study_flops(runs, *rows),
        "programs": runs.groupby("variant")["program_models"].max().to_dict(),
        "validation": validation[columns].to_dict("index"),
        "choice": json.loads(newest(root, "model_choice.json").read_text())["variant"],
    }


def run_study(mode: str, seeds: int, backend: str) -> dict:
    """One run of the study in a fresh copy: its wall, peak and outputs (``read_outputs``)."""
    with tempfile.TemporaryDirectory(prefix="many-seeds-") as folder:
        root = project_copy(Path(folder))
        params = f"regularization.seeds={seeds},training.batch_models={mode}"
        command = [str(KEDRO), "run", "--pipeline=regularization", "--params", params]
        env = os.environ | {"KERAS_BACKEND": backend, "KEDRO_DISABLE_TELEMETRY": "true"}
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", PEAK, *command], cwd=root, env=env, capture_output=True,
            text=True, check=False,
        )  # fmt: skip
        wall = time.perf_counter() - start
        if done.returncode:
            raise SystemExit(f"{mode}:{seeds} failed:\n{done.stderr[-3000:]}")
        peak = int(done.stderr.strip().splitlines()[-1]) / 2**20
        return {"wall": wall, "peak_gib": peak, **read_outputs(root)}


def verdict(comparison: str) -> str:
    for word in ("better", "worse", "not distinguishable", "the baseline"):
        if comparison.startswith(word) or f" {word} " in f" {comparison} ":
            return word
    return comparison


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", nargs="+", default=["off:3", "off:10", "auto:10", "auto:3"])
    parser.add_argument("--backend", default="jax")
    parser.add_argument("--save", type=Path, help="a JSON file each run's figures go to")
    args = parser.parse_args()
    ceiling = float(subprocess.run(
        [sys.executable, str(Path(__file__).parent / "ceilings.py"), args.backend],
        capture_output=True, text=True, check=True,
    ).stdout.strip().splitlines()[-1])  # fmt: skip
    results = {}
    for spec in args.runs:
        mode, seeds = spec.split(":")
        print(f"running {args.backend} {mode} {seeds} seeds ...", file=sys.stderr, flush=True)
        results[mode, int(seeds)] = result = run_study(mode, int(seeds), args.backend)
        print(f"  {result['wall']:.0f} s, {result['flops'] / result['train_seconds'] / 1e9:.1f} "
              f"GFLOP/s, {result['peak_gib']:.2f} GiB", file=sys.stderr, flush=True)  # fmt: skip
        if args.save:  # what an interrupted invocation has measured so far
            figures = {f"{m}:{s}": r for (m, s), r in results.items()}
            args.save.write_text(json.dumps(figures, indent=1, default=float))
    print(f"{args.backend} matmul ceiling: {ceiling:.1f} GFLOP/s")
    base = ("off", 3) if ("off", 3) in results else next(iter(results))
    first = results[base]["wall"]
    print(
        f"| seeds | batch_models | wall | × {base[1]} seeds {base[0]} | training | GFLOP/s "
        "| of ceiling | peak |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for (mode, seeds), r in results.items():
        rate = r["flops"] / r["train_seconds"] / 1e9
        print(f"| {seeds} | {mode} | {r['wall']:.0f} s | {r['wall'] / first:.2f} "
              f"| {r['train_seconds']:.0f} s | {rate:.1f} | {rate / ceiling:.0%} "
              f"| {r['peak_gib']:.2f} GiB |")  # fmt: skip
    statistics = (ROOT / "docs" / "statistics.md").read_text()
    settled = dict(SETTLED.findall(statistics))
    settled_choice = SETTLED_CHOICE.search(statistics).group(1)
    for seeds in sorted({s for _, s in results}):
        ran = {mode: results[mode, seeds] for mode in ("off", "auto") if (mode, seeds) in results}
        print(f"\n{seeds} seeds: mean validation loss, and the verdict against the original")
        print(f"| variant | {' | '.join(ran)} | settled (docs) |")
        print(f"| --- |{' --- |' * len(ran)} --- |")
        variants = next(iter(ran.values()))["validation"]
        for variant in variants:
            cells = []
            for mode, r in ran.items():
                row = r["validation"][variant]
                inside = ""
                if mode == "auto" and "off" in ran:
                    off = ran["off"]["validation"][variant]
                    low, high = off["model_val_loss_ci_low"], off["model_val_loss_ci_high"]
                    inside = " (in off's interval)" if low <= row["model_val_loss_mean"] <= high \
                        else " (OUTSIDE off's interval)"  # fmt: skip
                interval = (
                    f" [{row['model_val_loss_ci_low']:.4f}, {row['model_val_loss_ci_high']:.4f}]"
                )
                cells.append(f"{row['model_val_loss_mean']:.4f}{interval if mode == 'off' else ''}"
                             f"{inside}, {verdict(row['comparison'])}")  # fmt: skip
            print(f"| {variant} | {' | '.join(cells)} | {settled.get(variant, 'the baseline')} |")
        choices = ", ".join(f"{mode} {r['choice']}" for mode, r in ran.items())
        print(f"choice: {choices}; settled: {settled_choice}")


if __name__ == "__main__":
    main()
