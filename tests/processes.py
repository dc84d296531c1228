"""Processes the tests start: waiting on one, and letting Ctrl-C reach it."""

from __future__ import annotations

import contextlib
import signal
import subprocess
import time
from pathlib import Path

# Python code that makes ``tensorflow`` unimportable in the process it starts, as on a
# machine that has only JAX (a ``python -c`` program's first lines).
NO_TENSORFLOW = """
import sys

class NoTensorFlow:
    def find_spec(self, name, path=None, target=None):
        if name == "tensorflow" or name.startswith("tensorflow."):
            raise ModuleNotFoundError(f"No module named {name!r} (blocked by the test)")

sys.meta_path.insert(0, NoTensorFlow())
"""


def wait_for(
    process: subprocess.Popen, log_path, text: str, timeout: float = 300, times: int = 1
) -> None:
    """Wait until ``text`` is in the process's log ``times`` times (an error if it ends)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if log_path.read_text().count(text) >= times:
            return
        if process.poll() is not None:
            raise AssertionError(f"run ended before {text!r}:\n{log_path.read_text()[-3000:]}")
        time.sleep(0.2)
    raise AssertionError(f"{text!r} not seen {times} time(s) within {timeout} s")


def pause(process: subprocess.Popen, timeout: float = 30) -> None:
    """Stop the process (SIGSTOP) and wait until it is stopped: it runs nothing more until
    SIGCONT (Linux: its state in /proc)."""
    process.send_signal(signal.SIGSTOP)
    stat = Path(f"/proc/{process.pid}/stat")
    deadline = time.monotonic() + timeout
    while stat.read_text().rsplit(")", 1)[1].split()[0] != "T":
        if time.monotonic() > deadline:
            raise AssertionError(f"process {process.pid} not stopped within {timeout} s")
        time.sleep(0.01)


@contextlib.contextmanager
def ctrl_c_reaches_children():
    """Let children started here turn SIGINT into KeyboardInterrupt, as in a terminal.

    A suite started in the background by a non-interactive shell has SIGINT ignored,
    and an ignored signal stays ignored in children; a handled one is reset to the
    default at exec, and Python maps the default to KeyboardInterrupt. A blocked signal
    stays blocked in children too: it is unblocked here.
    """
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    blocked = signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGINT])
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        signal.signal(signal.SIGINT, previous)


def ctrl_c(process: subprocess.Popen, timeout: float = 120, again: float = 15) -> int:
    """Send SIGINT (Ctrl-C), again every ``again`` s while the process runs, as a user
    presses it again: Python can lose one (a KeyboardInterrupt raised while a finalizer
    runs is only printed). Wait for the process to end; its exit code. If it does not
    end, say how it holds signals (Linux: /proc)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        process.send_signal(signal.SIGINT)
        try:
            return process.wait(timeout=min(again, max(deadline - time.monotonic(), 0.1)))
        except subprocess.TimeoutExpired:
            continue
    status = Path(f"/proc/{process.pid}/status").read_text().splitlines()
    held = [line for line in status if line.startswith(("State", "SigPnd", "ShdPnd", "Sig"))]
    raise AssertionError(f"Ctrl-C did not end it within {timeout} s: {held}")


def stopped_with_ctrl_c(
    command: list[str], cwd: Path, env: dict[str, str], log: Path, *seen: str, then: float = 0
) -> int:
    """Run ``command`` (its output into ``log``) until each of ``seen`` is in its log, in
    turn, and ``then`` seconds more; press Ctrl-C as in a terminal; its exit code."""
    with log.open("w") as out, ctrl_c_reaches_children():
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            for text in seen:
                wait_for(process, log, text)
            time.sleep(then)
            return ctrl_c(process)
        finally:
            process.kill()
