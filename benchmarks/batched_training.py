"""The study's models trained one after another (``models.fit_model``) and as batches of
same-shaped models (``batched.fit_models``), side by side in one invocation, on JAX.

    python benchmarks/batched_training.py [--seeds 3 10] [--epochs N] [--variants ...]

Each (mode, seed count) runs in its own process, so that its peak resident size is its
own; so does the matmul ceiling (``ceilings.py jax``). Printed per row: the training wall
(fits only: no Kedro, no test scoring), the GFLOP/s achieved (matrix products counted by
``ceilings.dense_flops_per_row``: each epoch's steps, its validation pass and its data-loss
pass, over the epochs each model ran), their share of the ceiling, and the peak resident
size. Then each variant's mean validation data loss (at the epoch its weights hold),
batched beside sequential, with the sequential seeds' 95 % t-interval.

``--epochs N`` caps every model's epochs (a quick throughput figure; the study's own
epochs otherwise). Needs the study's processed data (``kedro run --pipelines=
data_ingestion,data_processing``).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).parent))
from ceilings import dense_flops_per_row  # noqa: E402

from from_data_to_model.stats import t_interval  # noqa: E402


def study_specs(seeds: int, epochs: int | None, variants: list[str] | None) -> list:
    """The study's resolved specs with ``seeds`` seeds (a count, as
    ``--params regularization.seeds=N`` gives), as its training nodes resolve them."""
    from kedro.config import OmegaConfigLoader

    from from_data_to_model import settings
    from from_data_to_model.model_spec import ModelSpec, ModelSpecChanges, resolve_spec
    from from_data_to_model.study import StudyShape

    loader = OmegaConfigLoader(str(ROOT / "conf"), env="base", **settings.CONFIG_LOADER_ARGS)
    parameters = loader["parameters"]
    parameters["regularization"]["seeds"] = seeds
    study = parameters["regularization"]
    defaults = ModelSpec.model_validate(study["defaults"])
    specs = []
    for run in StudyShape.from_parameters(parameters).runs():
        if variants and run.variant not in variants:
            continue
        changes = ModelSpecChanges.model_validate(study["variants"][run.variant])
        spec = resolve_spec(
            resolve_spec(defaults, changes), ModelSpecChanges.model_validate(run.changes())
        )
        capped = min(spec.epochs, epochs or spec.epochs)
        specs.append((run.variant, spec.model_copy(update={"epochs": capped})))
    return specs


def load_data() -> dict[str, np.ndarray]:
    from kedro.framework.session import KedroSession
    from kedro.framework.startup import bootstrap_project

    bootstrap_project(ROOT)
    with KedroSession.create(project_path=ROOT) as session:
        catalog = session.load_context().catalog
        return {
            name: np.asarray(catalog.load(f"fashion_mnist_{name}"), np.float32)
            for name in ("X_train", "y_train", "X_val", "y_val")
        }


def flops(spec, history: dict[str, list[float]], rows: int, val_rows: int) -> float:
    forward, step = dense_flops_per_row([784, *spec.hidden.units, spec.output.units])
    per_epoch = rows * step + (val_rows + min(spec.train_loss_rows, rows)) * forward
    return len(history["loss"]) * per_epoch


def worker(mode: str, seeds: int, epochs: int | None, variants: list[str] | None) -> dict:
    """Train the study's models in this process; what the parent prints."""
    from from_data_to_model import batched, models

    data, specs = load_data(), study_specs(seeds, epochs, variants)
    start = time.perf_counter()
    plain = [spec for _, spec in specs]
    if mode == "sequential":
        fits = [models.fit_model(spec, *data.values()) for spec in plain]
    else:
        fits = batched.fit_groups(plain, *data.values())
    wall = time.perf_counter() - start
    rows, val_rows = len(data["X_train"]), len(data["X_val"])
    return {
        "wall": wall,
        "flops": sum(
            flops(s, h, rows, val_rows) for (_, s), (_, h, _) in zip(specs, fits, strict=True)
        ),
        "peak_gib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20,
        "losses": [
            [variant, h["val_data_loss"][fit["model_epoch"] - 1]]
            for (variant, _), (_, h, fit) in zip(specs, fits, strict=True)
        ],
    }


def run(*arguments: str) -> str:
    env = os.environ | {"KERAS_BACKEND": "jax", "KEDRO_DISABLE_TELEMETRY": "true"}
    done = subprocess.run(
        [sys.executable, *arguments], capture_output=True, text=True, env=env, check=False
    )
    if done.returncode:
        raise SystemExit(f"{' '.join(arguments)} failed:\n{done.stderr[-3000:]}")
    return done.stdout.strip().splitlines()[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[3, 10])
    parser.add_argument("--epochs", type=int, default=None)
    parser.add_argument("--variants", nargs="+", default=None)
    parser.add_argument("--worker", choices=["sequential", "batched"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.seeds[0], args.epochs, args.variants)))
        return
    ceiling = float(run(str(Path(__file__).parent / "ceilings.py"), "jax"))
    options = [f"--epochs={args.epochs}"] if args.epochs else []
    options += ["--variants", *args.variants] if args.variants else []
    results = {}
    for seeds in args.seeds:
        for mode in ("sequential", "batched"):
            print(f"training {seeds} seeds, {mode} ...", file=sys.stderr, flush=True)
            line = run(__file__, "--worker", mode, "--seeds", str(seeds), *options)
            results[seeds, mode] = json.loads(line)
    epochs = args.epochs or "the study's"
    print(f"JAX matmul ceiling: {ceiling:.1f} GFLOP/s; epochs: {epochs}")
    first = results[args.seeds[0], "sequential"]["wall"]
    print("| seeds | mode | wall | × first sequential | GFLOP/s | of ceiling | peak |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for (seeds, mode), result in results.items():
        rate = result["flops"] / result["wall"] / 1e9
        print(f"| {seeds} | {mode} | {result['wall']:.1f} s | {result['wall'] / first:.2f} "
              f"| {rate:.1f} | {rate / ceiling:.0%} | {result['peak_gib']:.2f} GiB |")  # fmt: skip
    for seeds in args.seeds:
        print(f"\n{seeds} seeds: mean validation data loss per variant")
        print("| variant | sequential [95 % t] | batched | inside |")
        print("| --- | --- | --- | --- |")
        sequential, batched = (
            _by_variant(results[seeds, mode]["losses"]) for mode in ("sequential", "batched")
        )
        for variant, losses in sequential.items():
            mean, other = np.mean(losses), np.mean(batched[variant])
            low, high = t_interval(losses, 0.95)
            print(f"| {variant} | {mean:.4f} [{low:.4f}, {high:.4f}] | {other:.4f} "
                  f"| {'yes' if low <= other <= high else 'NO'} |")  # fmt: skip


def _by_variant(losses: list[list]) -> dict[str, list[float]]:
    grouped: dict[str, list[float]] = {}
    for variant, loss in losses:
        grouped.setdefault(variant, []).append(loss)
    return grouped


if __name__ == "__main__":
    main()
