"""Waiting on a process the tests started."""

from __future__ import annotations

import subprocess
import time


def wait_for(process: subprocess.Popen, log_path, text: str, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if text in log_path.read_text():
            return
        if process.poll() is not None:
            raise AssertionError(f"run ended before {text!r}:\n{log_path.read_text()[-3000:]}")
        time.sleep(0.2)
    raise AssertionError(f"{text!r} not seen within {timeout} s")
