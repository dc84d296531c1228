"""Benchmark: the served champion under load (the ``[mlflow]`` extra, after ``make study``).

One invocation, in this project (its promoted model registered as
``from_data_to_model.fashion_mnist@champion`` in ``mlflow.db``):

1. ``kedro run --pipeline=predict`` scores the first ``--images`` official test images
   (an IDX file): the answers every served request is checked against;
2. for each ``--server-workers`` value, ``mlflow models serve`` starts on 127.0.0.1 and
   ``--clients`` concurrent clients (one keep-alive connection each) send ``--requests``
   requests in all, each a batch of ``--batch`` of those images; every ``--malformed-every``-th
   request is malformed instead (wrong shape, a pixel out of range, not JSON, no inputs),
   in turn;
3. it prints, per server: requests per second, p50 and p99 latency of the well-formed and
   the malformed requests, and the errors: a well-formed request answered otherwise than
   ``predict`` did (or not with 200), a malformed one answered without a 4xx and a message,
   a request that failed or timed out.

It stops by itself: a fixed number of requests, each with a ``--timeout``, and the server
stopped at the end. Exit code 1 when any request went wrong. Results also go to
``benchmarks/results/<timestamp>-serving.json`` (git-ignored).

    python benchmarks/serving_load.py [--clients 8] [--requests 400] [--batch 8]
        [--malformed-every 10] [--server-workers 1 2]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pandas as pd
from kedro.framework.session import KedroSession
from kedro.framework.startup import bootstrap_project

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SERVED = "models:/from_data_to_model.fashion_mnist@champion"
# The malformed requests, in turn: a body, and what it breaks.
MALFORMED = [
    (json.dumps({"inputs": [[0, 1, 2]]}).encode(), "wrong shape"),
    (json.dumps({"inputs": [[300] * 784]}).encode(), "pixel out of range"),
    (b'{"inputs": [[0, 1', "not JSON"),
    (json.dumps({"rows": [[0] * 784]}).encode(), "no inputs"),
]


@dataclass
class Outcome:
    """One request: what was sent, how long it took, whether the answer was right."""

    malformed: bool
    seconds: float
    status: int
    problem: str = ""  # empty when the answer is the expected one
    kind: str = ""  # what a malformed request breaks
    message: str = ""  # and the message it was answered with


def official_images(n: int) -> np.ndarray:
    """The first ``n`` official test images (n, 28, 28), through the project's catalog."""
    bootstrap_project(ROOT)
    with KedroSession.create(project_path=ROOT) as session:
        raw = session.load_context().catalog.load("fashion_mnist_raw_official_test")
    return raw["images"][:n]


def predicted_by_the_pipeline(images: np.ndarray, folder: Path) -> pd.DataFrame:
    """``kedro run --pipeline=predict`` on the images (written as an IDX file): its table."""
    idx = folder / "images.idx"
    idx.write_bytes(struct.pack(">IIII", 2051, *images.shape) + images.tobytes())
    subprocess.run(
        [str(BIN / "kedro"), "run", "--pipeline=predict", "--namespaces=predict.fashion_mnist",
         "--params", f"predict_images={idx}"],
        cwd=ROOT, check=True, capture_output=True,
    )  # fmt: skip
    bootstrap_project(ROOT)
    with KedroSession.create(project_path=ROOT) as session:
        return session.load_context().catalog.load("predict.fashion_mnist.predictions")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(workers: int, log: Path) -> tuple[subprocess.Popen, int]:
    """``mlflow models serve`` of the champion on 127.0.0.1, answering ``/ping``."""
    port = free_port()
    env = {**os.environ, "PATH": f"{BIN}:{os.environ['PATH']}",
           "MLFLOW_TRACKING_URI": f"sqlite:///{ROOT / 'mlflow.db'}"}  # fmt: skip
    server = subprocess.Popen(
        ["mlflow", "models", "serve", "-m", SERVED, "--env-manager", "local",
         "-h", "127.0.0.1", "-p", str(port), "--workers", str(workers)],
        cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"mlflow models serve ended: {log.read_text()[-2000:]}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/ping")
            if connection.getresponse().status == 200:
                return server, port
        except OSError:
            time.sleep(0.5)
    stop(server)
    raise SystemExit(f"mlflow models serve did not answer within 180 s: see {log}")


def stop(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=30)


def check(request: int, batch: int, status: int, body: bytes, expected: pd.DataFrame) -> str:
    """What is wrong with a well-formed request's answer ("" when nothing)."""
    if status != 200:
        return f"status {status}: {body[:200]!r}"
    answers = json.loads(body)["predictions"]
    rows = expected.iloc[request_rows(request, batch, len(expected))]
    if [a["class"] for a in answers] != rows["class"].tolist():
        return "another class than predict's"
    if [a["top3"] for a in answers] != rows["top3"].tolist():
        return "another top three than predict's"
    if not np.allclose([a["probability"] for a in answers], rows["probability"], rtol=1e-5):
        return "another probability than predict's"
    return ""


def request_rows(request: int, batch: int, images: int) -> list[int]:
    """The images request number ``request`` sends."""
    first = (request * batch) % images
    return [(first + i) % images for i in range(batch)]


def client(
    port: int, requests: list[int], args: argparse.Namespace, pixels: np.ndarray,
    expected: pd.DataFrame,
) -> list[Outcome]:  # fmt: skip
    """One client: its requests in turn, on one keep-alive connection (renewed after a
    failure)."""
    outcomes, connection = [], None
    for request in requests:
        malformed = request % args.malformed_every == args.malformed_every - 1
        if malformed:
            body, kind = MALFORMED[(request // args.malformed_every) % len(MALFORMED)]
        else:
            rows = pixels[request_rows(request, args.batch, len(pixels))]
            body = json.dumps({"inputs": rows.tolist()}).encode()
        started = time.perf_counter()
        try:
            connection = connection or http.client.HTTPConnection(
                "127.0.0.1", port, timeout=args.timeout
            )
            connection.request("POST", "/invocations", body, {"Content-Type": "application/json"})
            response = connection.getresponse()
            status, answer = response.status, response.read()
        except (OSError, http.client.HTTPException) as error:
            outcomes.append(Outcome(malformed, time.perf_counter() - started, 0, repr(error)))
            connection = None
            continue
        seconds = time.perf_counter() - started
        if malformed:
            message = json.loads(answer).get("message", "") if answer.startswith(b"{") else ""
            good = 400 <= status < 500 and message
            problem = "" if good else f"status {status} without a message: {answer[:200]!r}"
            outcomes.append(Outcome(True, seconds, status, problem, kind, message))
        else:
            problem = check(request, args.batch, status, answer, expected)
            outcomes.append(Outcome(False, seconds, status, problem))
    return outcomes


def load(port: int, args: argparse.Namespace, pixels: np.ndarray, expected: pd.DataFrame):
    """All requests from ``args.clients`` clients at once: their outcomes and the wall time."""
    shares = [list(range(c, args.requests, args.clients)) for c in range(args.clients)]
    client(port, [0], args, pixels, expected)  # warm-up, not counted
    started = time.perf_counter()
    with ThreadPoolExecutor(args.clients) as pool:
        results = pool.map(lambda share: client(port, share, args, pixels, expected), shares)
        outcomes = [outcome for share in results for outcome in share]
    return outcomes, time.perf_counter() - started


def one_line(message: str, length: int = 160) -> str:
    return " ".join(message.split())[:length]


def summary(outcomes: list[Outcome], seconds: float) -> dict[str, object]:
    """Requests per second, latency percentiles (ms), errors."""

    def percentiles(kind: list[Outcome]) -> tuple[float, float]:
        times = [o.seconds * 1000 for o in kind] or [float("nan")]
        return float(np.percentile(times, 50)), float(np.percentile(times, 99))

    good = [o for o in outcomes if not o.malformed]
    bad = [o for o in outcomes if o.malformed]
    problems = [o.problem for o in outcomes if o.problem]
    return {
        "requests": len(outcomes), "seconds": seconds,
        "requests_per_second": len(outcomes) / seconds,
        "well_formed": len(good), "well_formed_p50_ms": percentiles(good)[0],
        "well_formed_p99_ms": percentiles(good)[1], "right_answers": sum(not o.problem for o in good),
        "malformed": len(bad), "malformed_p50_ms": percentiles(bad)[0],
        "malformed_p99_ms": percentiles(bad)[1],
        "malformed_4xx_with_message": sum(not o.problem for o in bad),
        "answers_to_malformed": {o.kind: f"{o.status}: {one_line(o.message)}" for o in bad},
        "errors": len(problems), "first_errors": problems[:5],
    }  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--batch", type=int, default=8, help="images per request")
    parser.add_argument("--images", type=int, default=64, help="distinct official test images")
    parser.add_argument("--malformed-every", type=int, default=10)
    parser.add_argument("--server-workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--timeout", type=float, default=60, help="seconds per request")
    args = parser.parse_args()

    images = official_images(args.images)
    with tempfile.TemporaryDirectory() as folder:
        expected = predicted_by_the_pipeline(images, Path(folder))
        pixels = images.reshape(len(images), -1)
        results = {}
        for workers in args.server_workers:
            server, port = start_server(workers, Path(folder) / f"serve-{workers}.log")
            try:
                results[workers] = summary(*load(port, args, pixels, expected))
            finally:
                stop(server)

    print(f"\n{args.requests} requests of {args.batch} images from {args.clients} clients, "
          f"every {args.malformed_every}th malformed, {os.cpu_count()} cores:\n")  # fmt: skip
    print(
        "| `--workers` | req/s | p50 / p99 ms (well-formed) | p50 / p99 ms (malformed) "
        "| right answers | malformed → 4xx + message | errors |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for workers, r in results.items():
        print(
            f"| {workers} | {r['requests_per_second']:.1f} | {r['well_formed_p50_ms']:.0f} / "
            f"{r['well_formed_p99_ms']:.0f} | {r['malformed_p50_ms']:.0f} / "
            f"{r['malformed_p99_ms']:.0f} | {r['right_answers']} of {r['well_formed']} | "
            f"{r['malformed_4xx_with_message']} of {r['malformed']} | {r['errors']} |"
        )
        for problem in r["first_errors"]:
            print(f"  error: {problem}")
    for kind, answer in next(iter(results.values()))["answers_to_malformed"].items():
        print(f"- {kind}: {answer}")
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S")
    out = ROOT / "benchmarks" / "results" / f"{stamp}-serving.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"arguments": vars(args), "servers": results}, indent=2))
    return 1 if any(r["errors"] for r in results.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
