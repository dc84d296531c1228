"""Run isolation: a run sees the data it writes as its own, even beside another run.

``RunIsolationHooks`` is the one place that decides how a run sees the datasets it touches:

* **Its own versions.** A versioned dataset loads its newest version, so a run that
  overlaps another in one project would read the other's newer model, metrics or report.
  Every versioned dataset of the run (under whichever name: a model read back through
  ``{namespace}.model@loader`` too) loads the version this run saved where there is one,
  else the newest (``datasets.RunOutputDataset``). Kedro alone only warns "Save version
  ... did not match load version".
* **Remade aggregates.** With ``--only-missing-outputs`` Kedro skips a node whose outputs
  exist: right for a trained model, wrong for a report. The outputs of nodes tagged
  ``aggregate`` (the study's tables, choice, promoted model, report, figures; the tuning's
  curves) count as missing, so that ``kedro run --params regularization.seeds=5
  --only-missing-outputs`` after a 3-seed run trains the 2 new seeds, then compares all 5.
* **Shared unversioned data.** The intermediate data and the model inputs are rewritten in
  place: two runs that make them from the same parameters write the same bytes; from
  other parameters one run's model inputs would replace the other's under it. Each run is
  recorded in ``.kedro_runs/`` with a fingerprint of the parameters that shape that data
  (the ``params:`` inputs of the nodes that make it, and of those it is made from, read
  off the project's pipelines), and a run that would share such data with a live run of
  other parameters stops before any node, naming it: detected and said, not made safe (a
  copy of the model inputs per run would cost some 220 MB).
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

from from_data_to_model.study import AGGREGATE_TAG

logger = logging.getLogger(__name__)


class ConcurrentRunError(RuntimeError):
    """Another live run of this project shapes the same unversioned data otherwise."""


def _config(catalog: Any, name: str) -> dict[str, Any]:
    return (catalog.config_resolver.resolve_pattern(name) or {}) if name in catalog else {}


def persisted_unversioned(catalog: Any, names: set[str]) -> set[str]:
    """Those of ``names`` that the catalog keeps in files it rewrites in place."""
    return {
        name
        for name in names
        if (config := _config(catalog, name))
        and not config.get("versioned")
        and "MemoryDataset" not in config["type"]
    }


def shared_data(project: Pipeline, catalog: Any) -> set[str]:
    """The data nodes read from files rewritten in place (a figure is for people: no node
    reads it back)."""
    return persisted_unversioned(catalog, project.all_outputs() & project.all_inputs())


def shaping_parameters(project: Pipeline, catalog: Any) -> list[str]:
    """The parameters that data is made from: the ``params:`` inputs of every node upstream
    of it."""
    kept = shared_data(project, catalog)
    makers = project.to_outputs(*kept).nodes if kept else []
    return sorted({name for n in makers for name in n.inputs if name.startswith("params:")})


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class RunIsolationHooks:
    """Each run reads its own versions, remakes aggregates when asked, and stops rather
    than share unversioned data with a live run of other parameters."""

    def __init__(self) -> None:
        self._record: Path | None = None

    @hook_impl
    def before_pipeline_run(
        self, run_params: dict[str, Any], pipeline: Pipeline, catalog: Any
    ) -> None:
        """Check the shared data first (nothing is wrapped for a run that stops), then wrap."""
        self._check_shared_data(run_params, pipeline, catalog)
        self._see_own_outputs(run_params, pipeline, catalog)

    @staticmethod
    def _see_own_outputs(run_params: dict[str, Any], pipeline: Pipeline, catalog: Any) -> None:
        """Wrap the run's versioned datasets, and its aggregates to be remade."""
        from kedro.io import AbstractDataset

        from from_data_to_model.datasets.run_output import RunOutputDataset

        version, remake = run_params["run_id"], bool(run_params.get("only_missing_outputs"))
        remade = {o for n in pipeline.nodes if AGGREGATE_TAG in n.tags for o in n.outputs}
        for name in sorted(pipeline.datasets()):
            config = _config(catalog, name)
            if not config:  # in memory: nothing on disk to prefer or skip
                continue
            own = (
                AbstractDataset.from_config(name, config, version, version)
                if config.get("versioned")
                else None
            )
            if own is not None or (remake and name in remade):
                catalog[name] = RunOutputDataset(catalog.get(name), own, remake and name in remade)

    @staticmethod
    def _folder() -> Path:
        return (find_kedro_project(Path.cwd()) or Path.cwd()) / ".kedro_runs"

    def _check_shared_data(
        self, run_params: dict[str, Any], pipeline: Pipeline, catalog: Any
    ) -> None:
        """Record this run; stop it if a live run uses the same data from other parameters."""
        from kedro.framework.project import pipelines

        # the nodes that make shared data are the default pipeline's (tuning and predict only
        # read it); plus this run's own, for a pipeline the registry does not hold
        project = pipelines.get("__default__", Pipeline([])) + pipeline
        shared, shaping = shared_data(project, catalog), shaping_parameters(project, catalog)
        mine = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "started": time.strftime("%Y-%m-%d %H:%M:%S"),
            "command": " ".join(run_params.get("pipeline_names") or ["__default__"]),
            "data_parameters": self._fingerprint(catalog, shaping),
            "writes": sorted(shared & pipeline.all_outputs()),
            "reads": sorted(shared & pipeline.inputs()),
        }
        folder = self._folder()
        for other in self._live_runs(folder, mine["host"]):
            both = (set(mine["writes"]) & set(other["writes"] + other["reads"])) | (
                set(mine["reads"]) & set(other["writes"])
            )
            if both and other["data_parameters"] != mine["data_parameters"]:
                raise ConcurrentRunError(
                    f"Another run of this project (pid {other['pid']}, pipelines "
                    f"{other['command']}, started {other['started']}) makes "
                    f"{', '.join(sorted(both))} from other parameters "
                    f"({', '.join(p.removeprefix('params:') for p in shaping)}), and those "
                    "datasets are rewritten in place: this run would read its data, or "
                    "replace them under it. Nothing was run. Wait for it to end, or run in "
                    "another copy of the project (or --env with another data_root)."
                )
        folder.mkdir(exist_ok=True)
        self._record = folder / f"{run_params['run_id']}.json"
        self._record.write_text(json.dumps(mine))

    @staticmethod
    def _fingerprint(catalog: Any, parameters: list[str]) -> str:
        def plain(value: Any) -> Any:
            return value.model_dump(mode="json") if hasattr(value, "model_dump") else value

        values = {name: plain(catalog.load(name)) for name in parameters if name in catalog}
        text = json.dumps(values, sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()[:16]

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
