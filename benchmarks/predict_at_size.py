"""Benchmark: ``kedro run --pipeline=predict`` at the sizes users score (after ``make study``).

One invocation, in this project (its promoted Fashion-MNIST model in ``data/06_models``):
for each ``--images`` count, it writes that many images as one IDX file (the official test
images, repeated to the count), runs ``kedro run --pipeline=predict`` on it in a fresh
process, and prints the wall time end to end, the peak resident memory of that process,
and both per image, with the ratios to the smallest count. Flat memory means the peak
grows with the images themselves (784 bytes each, and the predictions), not with a
figure of every image.

    python benchmarks/predict_at_size.py [--images 10000 100000]
"""

from __future__ import annotations

import argparse
import gzip
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from from_data_to_model.datasets.idx_dataset import IMAGES_MAGIC, SPLIT_FILES, read_idx  # noqa: E402
from tests.raw_files import idx_bytes  # noqa: E402

KEDRO = Path(sys.executable).with_name("kedro")


def run_predict(images: Path) -> tuple[float, float, int]:
    """Wall seconds, peak resident MiB of the kedro process, and its exit code."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    result = subprocess.run(
        [str(KEDRO), "run", "--pipeline=predict", "--namespaces=predict.fashion_mnist",
         "--params", f"predict_images={images}"],
        cwd=ROOT, capture_output=True, text=True,
        env={**os.environ, "KEDRO_DISABLE_TELEMETRY": "true"}, check=False,
    )  # fmt: skip
    wall = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if result.returncode:
        print(result.stdout[-3000:], result.stderr[-3000:])
    # ru_maxrss of children is the largest child so far: run the sizes smallest first
    return wall, max(peak, before) / 1024, result.returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, nargs="+", default=[10000, 100000])
    counts = sorted(parser.parse_args().images)
    official = read_idx(ROOT / "data/01_raw/fashion-mnist" / SPLIT_FILES["test"][0], IMAGES_MAGIC)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for count in counts:
            images = np.resize(official, (count, 28, 28))
            path = Path(tmp) / f"{count}.idx.gz"
            path.write_bytes(gzip.compress(idx_bytes(images), compresslevel=1))
            wall, peak, code = run_predict(path)
            rows.append((count, wall, peak, code))
            print(
                f"{count:>7} images: {wall:6.1f} s, peak {peak:7.0f} MiB, exit {code}", flush=True
            )
    first = rows[0]
    print("\nimages | wall | peak RSS | ms per image | wall / smallest | peak / smallest")
    for count, wall, peak, _ in rows:
        print(
            f"{count} | {wall:.1f} s | {peak:.0f} MiB | {wall / count * 1000:.2f} | "
            f"{wall / first[1]:.2f} | {peak / first[2]:.2f}"
        )
    return int(any(code for *_, code in rows))


if __name__ == "__main__":
    sys.exit(main())
