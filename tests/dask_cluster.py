"""A Dask cluster as users start one: `dask scheduler` and `dask worker` processes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

DASK = Path(sys.executable).with_name("dask")


class SeparateCluster:
    """A scheduler and named single-threaded workers on 127.0.0.1, each its own process.

    Workers run without a nanny, so killing one kills the process that runs its tasks.
    """

    def __init__(self, folder: Path, workers: tuple[str, ...], env: dict[str, str] | None = None):
        self.folder = folder
        self.scheduler_file = folder / "scheduler.json"
        self.env = {**os.environ, **(env or {})}
        self.workers: dict[str, subprocess.Popen] = {}
        self.scheduler = None
        try:
            self._start_all(workers)
        except BaseException:
            self.close()
            raise

    def _start_all(self, workers: tuple[str, ...]) -> None:
        self.scheduler_file.unlink(missing_ok=True)
        self.scheduler = self._start(
            "scheduler", "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
            "--scheduler-file", str(self.scheduler_file),
        )  # fmt: skip
        self._wait_for(self.scheduler_file.exists, "the scheduler file")
        for name in workers:
            self._start_worker(name)
        self._wait_for(lambda: self._worker_count() == len(workers), "the workers")

    def _start_worker(self, name: str) -> None:
        self.workers[name] = self._start(
            name, "worker", "--scheduler-file", str(self.scheduler_file), "--name", name,
            "--nthreads", "1", "--no-nanny", "--no-dashboard", "--host", "127.0.0.1",
        )  # fmt: skip

    def add_worker(self, name: str) -> None:
        """Start one more worker, and wait until the scheduler has it."""
        alive = sum(process.poll() is None for process in self.workers.values())
        self._start_worker(name)
        self._wait_for(lambda: self._worker_count() == alive + 1, f"worker {name}")

    @property
    def address(self) -> str:
        import json

        return json.loads(self.scheduler_file.read_text())["address"]

    def _start(self, log_name: str, *args: str) -> subprocess.Popen:
        log = (self.folder / f"{log_name}.log").open("w")
        # workers start away from any project: nothing may depend on their folder
        return subprocess.Popen(
            [str(DASK), *args], cwd=self.folder, env=self.env, stdout=log, stderr=subprocess.STDOUT
        )

    def _worker_count(self) -> int:
        from distributed import Client

        with Client(scheduler_file=str(self.scheduler_file), timeout=10) as client:
            return len(client.scheduler_info()["workers"])

    def _wait_for(self, ready, what: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if ready():
                    return
            except OSError:
                pass
            time.sleep(0.2)
        logs = "\n".join(p.read_text()[-2000:] for p in self.folder.glob("*.log"))
        raise AssertionError(f"{what} not ready within {timeout} s:\n{logs}")

    def kill_worker(self, name: str) -> None:
        self.workers[name].send_signal(signal.SIGKILL)
        self.workers[name].wait(timeout=30)

    def close(self) -> None:
        for process in [*self.workers.values(), self.scheduler]:
            if process is None:
                continue
            process.kill()
            process.wait(timeout=30)

    def __enter__(self) -> SeparateCluster:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
