"""Helpers for checks of served pages: headless Chromium, servers started and stopped, a
static site served locally, a free port."""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import signal
import socket
import subprocess
import threading
import time
import urllib.request
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1400,900",
    "--virtual-time-budget=20000",
]


@contextlib.contextmanager
def serve(folder):
    """A static build served on a free local port; yields its URL."""
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()


def browser(tmp_path) -> list[str]:
    """Headless Chromium with a profile of its own."""
    return [CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}"]


def dump_dom(tmp_path, url: str) -> str:
    """The page at ``url`` as headless Chromium renders it."""
    return subprocess.run(
        [*browser(tmp_path), "--dump-dom", url],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout


@contextlib.contextmanager
def started(command: list[str], cwd, env: dict[str, str], log: Path):
    """``command`` running in a process group of its own (servers such as ``kedro jupyter
    lab`` or ``mlflow ui`` start children), output to ``log``; the group stopped at exit."""
    process = subprocess.Popen(
        command,
        cwd=cwd,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        yield process
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def answer(url: str, server: subprocess.Popen, log: Path, seconds: int = 120) -> bytes:
    """The first answer at ``url``, asked five times a second while ``server`` runs."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.read()
        except OSError:
            if server.poll() is not None:
                break
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer within {seconds} s:\n{log.read_text()[-3000:]}")


def free_port() -> int:
    """A free port below 49151 (kedro viz refuses the ephemeral range), from a range of
    this test process's own: two processes checking one range at once could both be told
    the same port is free, and the second server would fail to bind it."""
    worker = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
    first = 41410 + 100 * worker
    for port in range(first, first + 100):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in 41410-41509")
