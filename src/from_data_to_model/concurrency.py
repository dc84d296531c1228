"""Runs that overlap in one project keep their own results.

* **Versioned results** (models, histories, metrics, tables, reports): every run saves its
  own version, and ``hooks.RunOutputsHooks`` makes it read back the version it saved, not
  a newer one another run wrote meanwhile (``datasets.RunOutputDataset``).
* **Unversioned data** (the intermediate data and the model inputs, rewritten in place):
  two runs that make them from the same parameters write the same bytes; from other
  parameters (another split), one run's model inputs would replace the other's under it.
  ``SharedDataHooks`` records each run in ``.kedro_runs/`` and stops a run before any node
  when a live run of this project reads or writes the same unversioned data from other
  parameters, naming it: detected and said, not made safe (each run its own copy of the
  model inputs would cost some 220 MB a run).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import socket
import time
from pathlib import Path
from typing import Any

from kedro.framework.hooks import hook_impl
from kedro.pipeline import Pipeline
from kedro.utils import find_kedro_project

logger = logging.getLogger(__name__)

# The parameters that shape the unversioned data: who may share it with whom.
DATA_PARAMETERS = ("params:ingestion", "params:processing")


class ConcurrentRunError(RuntimeError):
    """Another live run of this project shapes the same unversioned data otherwise."""


def _persisted_unversioned(catalog: Any, names: set[str]) -> set[str]:
    persisted = set()
    for name in names:
        config = catalog.config_resolver.resolve_pattern(name)
        if config and not config.get("versioned") and "MemoryDataset" not in config["type"]:
            persisted.add(name)
    return persisted


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class SharedDataHooks:
    """Stop a run that would share unversioned data with a live run of other parameters."""

    def __init__(self) -> None:
        self._record: Path | None = None

    @staticmethod
    def _folder() -> Path:
        return (find_kedro_project(Path.cwd()) or Path.cwd()) / ".kedro_runs"

    @hook_impl
    def before_pipeline_run(
        self, run_params: dict[str, Any], pipeline: Pipeline, catalog: Any
    ) -> None:
        """Record this run; stop it if a live run uses the same data from other parameters."""
        written = {o for node in pipeline.nodes for o in node.outputs}
        read = set(pipeline.inputs())
        mine = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "started": time.strftime("%Y-%m-%d %H:%M:%S"),
            "command": " ".join(run_params.get("pipeline_names") or ["__default__"]),
            "data_parameters": self._fingerprint(catalog),
            "writes": sorted(_persisted_unversioned(catalog, written)),
            "reads": sorted(_persisted_unversioned(catalog, read)),
        }
        folder = self._folder()
        for other in self._live_runs(folder, mine["host"]):
            shared = (set(mine["writes"]) & set(other["writes"] + other["reads"])) | (
                set(mine["reads"]) & set(other["writes"])
            )
            if shared and other["data_parameters"] != mine["data_parameters"]:
                raise ConcurrentRunError(
                    f"Another run of this project (pid {other['pid']}, pipelines "
                    f"{other['command']}, started {other['started']}) makes "
                    f"{', '.join(sorted(shared))} from other ingestion or processing "
                    "parameters, and those datasets are rewritten in place: this run would "
                    "read its data, or replace them under it. Nothing was run. Wait for it to "
                    "end, or run in another copy of the project (or --env with another "
                    "data_root)."
                )
        folder.mkdir(exist_ok=True)
        self._record = folder / f"{run_params['run_id']}.json"
        self._record.write_text(json.dumps(mine))

    @staticmethod
    def _fingerprint(catalog: Any) -> str:
        parameters = {name: catalog.load(name) for name in DATA_PARAMETERS if name in catalog}
        return hashlib.sha256(json.dumps(parameters, sort_keys=True).encode()).hexdigest()[:16]

    @staticmethod
    def _live_runs(folder: Path, host: str) -> list[dict[str, Any]]:
        runs = []
        for record in folder.glob("*.json") if folder.is_dir() else []:
            try:
                run = json.loads(record.read_text())
            except (OSError, ValueError):
                continue
            if run["host"] != host or run["pid"] == os.getpid():
                continue
            if _alive(run["pid"]):
                runs.append(run)
            else:
                record.unlink(missing_ok=True)  # a run that ended without saying so
        return runs

    def _forget(self) -> None:
        if self._record is not None:
            self._record.unlink(missing_ok=True)
            self._record = None

    @hook_impl
    def after_pipeline_run(self) -> None:
        """The run has ended: others may now use its data as they like."""
        self._forget()

    @hook_impl
    def on_pipeline_error(self) -> None:
        """The run has ended: others may now use its data as they like."""
        self._forget()
