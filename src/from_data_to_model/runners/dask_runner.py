"""``DaskRunner``: a pipeline's nodes as tasks on a Dask cluster, on Kedro 1.x's public API.

Each node is one Dask task, submitted once the nodes it needs are done, so independent
trainings run side by side. Persisted datasets are loaded and saved by the worker through
the node's own catalog entries (shared storage for workers on other machines); in-memory
outputs travel as the task's result, by Dask, from worker to worker.

Kedro API used: ``AbstractRunner``, ``Task``, ``DataCatalog``/``MemoryDataset``,
``configure_project`` and ``kedro.framework.hooks``' exported ``_create_hook_manager``.
"""

from __future__ import annotations

import logging
import os
import threading
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import dask
from distributed import Client, LocalCluster, as_completed, get_worker
from kedro.framework.hooks import _create_hook_manager
from kedro.io import DataCatalog, MemoryDataset
from kedro.pipeline import Pipeline
from kedro.pipeline.node import Node
from kedro.runner import AbstractRunner
from kedro.runner.task import Task
from pluggy import PluginManager

from from_data_to_model.hooks import training_nodes
from from_data_to_model.progress import ModelProgress

logger = logging.getLogger(__name__)

# Keras keeps its random state per process: a worker with several threads runs one node at
# a time, so a model trains exactly as it would alone.
_ONE_NODE_AT_A_TIME = threading.Lock()


class SchedulerUnreachableError(ConnectionError):
    """No Dask scheduler answered at the configured address."""


class WorkerSetupError(RuntimeError):
    """A worker cannot run the project's nodes (its package is missing)."""


class NodeFailedOnWorkerError(RuntimeError):
    """A node's task did not finish: its worker died, or the cluster lost it. (An error the
    node itself raises reaches the caller as it is, with a note naming node and worker.)"""


# How a node's own error is noted on the worker, and told apart from the cluster's errors.
NODE_NOTE = "Raised by node "


def _add_note(error: BaseException, note: str) -> None:
    """``error.add_note`` (Python 3.11+); on 3.10 the note is kept in ``__notes__`` too."""
    if hasattr(error, "add_note"):
        error.add_note(note)
    else:  # pragma: no cover - Python 3.10
        error.__notes__ = [*getattr(error, "__notes__", []), note]


def _raised_by_node(error: BaseException) -> bool:
    """Whether the error is the node's own (noted by ``run_node``), not the cluster's."""
    return any(note.startswith(NODE_NOTE) for note in getattr(error, "__notes__", ()))


@dataclass(frozen=True)
class WorkerSetup:
    """What a worker needs to run the project's nodes as ``kedro run`` would."""

    package_name: str
    logger_levels: dict[str, int] = field(default_factory=dict)
    # the project's hooks as the client's run set them up (e.g. where MLflow logs)
    hooks: tuple = ()


@dataclass(frozen=True)
class NodeResult:
    """A finished node: where it ran, and its in-memory outputs."""

    worker: str
    outputs: dict[str, Any]


def _hook_manager(setup: WorkerSetup) -> PluginManager:
    """A node's hook manager: the project's own hooks, in the state the client's run gave
    them (plugins' hooks run on the client)."""
    _configure_project(setup.package_name)()  # a worker that joined after the run started
    manager = _create_hook_manager()
    for hooks in setup.hooks:
        manager.register(hooks)
    return manager


def _forward_only(logger_levels: dict[str, int]) -> None:
    """Log at the client's levels, and only through Dask's forwarding (no double lines)."""
    for name, level in logger_levels.items():
        forwarded = logging.getLogger(name)
        forwarded.setLevel(level)
        forwarded.propagate = False
        forwarded.disabled = False


def run_node(
    node: Node,
    catalog: DataCatalog,
    setup: WorkerSetup,
    run_id: str | None,
    is_async: bool,
    *upstream: NodeResult,
) -> NodeResult:
    """Run one node on this worker, its hooks included; return its in-memory outputs.

    ``catalog`` holds the node's own datasets; ``upstream`` the results of the nodes it
    depends on, whose in-memory outputs become its inputs.
    """
    worker = get_worker()
    where = worker.address if worker.name == worker.address else f"{worker.address} ({worker.name})"
    hook_manager = _hook_manager(setup)
    _forward_only(setup.logger_levels)
    with _ONE_NODE_AT_A_TIME:
        logger.info("Running node %s on worker %s", node.name, where)
        for result in upstream:
            for name, data in result.outputs.items():
                if name in node.inputs:
                    catalog.get(name).save(data)
        try:
            Task(node, catalog, is_async, hook_manager=hook_manager, run_id=run_id).execute()
        except Exception as error:  # reaches the client as it is (Dask pickles it), noted
            _add_note(error, f"{NODE_NOTE}{node.name} on Dask worker {where}")
            raise
        outputs = {
            name: catalog.get(name).load()
            for name in node.outputs
            if isinstance(catalog.get(name), MemoryDataset)
        }
        return NodeResult(worker=where, outputs=outputs)


def _start_local_cluster(n_workers: int) -> LocalCluster:
    """Single-threaded worker processes here, set up for training.

    * Dask's own lines (cluster start, cancels) are kept to warnings, unless Dask's
      configuration says otherwise.
    * Without Dask's default MALLOC_TRIM_THRESHOLD_=65536, with which glibc hands memory
      back so eagerly that fitting a model takes 1.4-1.5 times as long (measured on JAX; a
      user's own value stays). A nanny also sets it in its own process, where later
      workers inherit it: a value left by a cluster started earlier here goes as well.
    """
    if dask.config.get("logging.distributed", None) is None:
        os.environ.setdefault("DASK_LOGGING__DISTRIBUTED", "warning")  # the worker processes
        logging.getLogger("distributed").setLevel(logging.WARNING)
    settings = {}
    trim, dask_default = "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_", 65536
    if dask.config.get(trim, None) == dask_default:
        settings[trim] = None
        if os.environ.get("MALLOC_TRIM_THRESHOLD_") == str(dask_default):
            del os.environ["MALLOC_TRIM_THRESHOLD_"]
    with dask.config.set(settings):
        return LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True)


def _configure_project(package_name: str):
    """A setup, pickled by value, that configures the project on a worker; it says what a
    worker lacks instead (the package, or Kedro).

    Configuring a project (re)applies Kedro's logging, which drops handlers: done before
    Dask's log forwarding adds its own, it cannot drop them.
    """

    def setup() -> str | None:
        import importlib

        try:
            importlib.import_module(package_name)  # configure_project imports lazily
            from kedro.framework.project import PACKAGE_NAME, configure_project

            if PACKAGE_NAME != package_name:
                configure_project(package_name)
        except ImportError as error:
            return f"{type(error).__name__}: {error}"
        return None

    return setup


class DaskRunner(AbstractRunner):
    """Run a pipeline's nodes as tasks on a Dask cluster.

    The scheduler is the one Dask's configuration names (``DASK_SCHEDULER_ADDRESS``, or
    ``scheduler-address`` in a Dask config file), or ``address``; with none, a
    ``LocalCluster`` of ``n_workers`` single-threaded worker processes starts here.

    ``kedro run --runner=from_data_to_model.runners.DaskRunner``
    (``--runner-params=n_workers=4`` sizes the local cluster).
    """

    def __init__(
        self,
        address: str | None = None,
        n_workers: int | None = None,
        connect_timeout: float = 10,
        client: Client | None = None,
        is_async: bool = False,
    ):
        super().__init__(is_async=is_async)
        self._address = address
        self._n_workers = self._validate_max_workers(n_workers)
        self._connect_timeout = connect_timeout
        self._client = client

    @property
    def _logger(self) -> logging.Logger:
        """Kedro's run-level lines (what runs, what ``--only-missing-outputs`` skips) go to
        Kedro's runner logger, as under its own runners: the client's Kedro log has them."""
        return logging.getLogger(AbstractRunner.__module__)

    def _get_executor(self, max_workers: int) -> None:
        """Dask schedules the tasks: no executor of Kedro's."""
        return None

    def _connect(self, pipeline: Pipeline) -> tuple[Client, LocalCluster | None]:
        """A client of the configured scheduler, or of a new local cluster."""
        if self._client is not None:
            return self._client, None
        address = self._address or dask.config.get("scheduler-address", None)
        if address:
            try:
                client = Client(address, timeout=self._connect_timeout)
            except (OSError, TimeoutError) as error:
                raise SchedulerUnreachableError(
                    f"No Dask scheduler answered at {address} within {self._connect_timeout:g} s "
                    f"(from DASK_SCHEDULER_ADDRESS, Dask's 'scheduler-address' setting or the "
                    f"runner's address). Start one there (`dask scheduler`), or unset it to "
                    f"run on a local cluster. ({error})"
                ) from error
            logger.info("Connected to the Dask scheduler at %s", address)
            return client, None
        n_workers = min(self._n_workers, len(pipeline.nodes) - len(pipeline.grouped_nodes) + 1)
        cluster = _start_local_cluster(n_workers)
        logger.info("Started a local Dask cluster: %d worker processes", n_workers)
        return Client(cluster), cluster

    @staticmethod
    def _check_workers(client: Client, package_name: str) -> None:
        """Configure the project on every worker; fail before any node runs where one lacks
        the project's package."""
        workers = client.scheduler_info()["workers"]
        if not workers:
            client.wait_for_workers(1, timeout=60)
        problems = client.run(_configure_project(package_name))
        missing = {worker: problem for worker, problem in problems.items() if problem}
        if missing:
            lines = "\n".join(f"  {worker}: {problem}" for worker, problem in missing.items())
            raise WorkerSetupError(
                f"{len(missing)} Dask worker(s) cannot import the project package "
                f"'{package_name}':\n{lines}\nInstall the project where those workers run "
                f"(`pip install from-data-to-model[dask]`, or its wheel from `kedro package`)."
            )

    def _run(
        self,
        pipeline: Pipeline,
        catalog: DataCatalog,
        hook_manager: Any = None,
        run_id: str | None = None,
    ) -> None:
        """Submit every node as a task after the tasks it depends on; wait for them all."""
        from kedro.framework.project import PACKAGE_NAME, settings

        package_name = PACKAGE_NAME or __name__.split(".")[0]
        client, cluster = self._connect(pipeline)
        try:
            if client.dashboard_link and "dashboard" in client.scheduler_info()["services"]:
                logger.info("Dask dashboard: %s", client.dashboard_link)
            self._check_workers(client, package_name)
            levels = self._forward_logging(client, package_name)
            setup = WorkerSetup(package_name, levels, tuple(settings.HOOKS))
            self._submit_and_wait(client, pipeline, catalog, setup, run_id)
        finally:
            if cluster is not None:
                client.close()
                cluster.close()

    @staticmethod
    def _forward_logging(client: Client, package_name: str) -> dict[str, int]:
        """Show the workers' log lines here, at this process's levels."""
        levels = {}
        for name in ("kedro", package_name):
            client.forward_logging(name)
            levels[name] = logging.getLogger(name).getEffectiveLevel()
        return levels

    def _submit_and_wait(
        self,
        client: Client,
        pipeline: Pipeline,
        catalog: DataCatalog,
        setup: WorkerSetup,
        run_id: str | None,
    ) -> None:
        """Submit each node once the nodes it depends on are done; wait for them all.

        A node's task receives only the results of the nodes whose in-memory outputs it
        reads: a worker that dies after finishing others' nodes costs no rerun of them.
        """
        in_memory = {
            name
            for node in pipeline.nodes
            for name in node.outputs
            if isinstance(catalog.get(name), MemoryDataset)
        }
        dependencies, free_outputs = pipeline.node_dependencies, pipeline.outputs()
        feeds = {  # the upstream nodes whose in-memory outputs each node reads
            node: [n for n in dependencies[node] if in_memory & set(node.inputs) & set(n.outputs)]
            for node in pipeline.nodes
        }
        readers = Counter(upstream for node in pipeline.nodes for upstream in feeds[node])
        run_key = uuid.uuid4().hex[:8]
        training = set(training_nodes(pipeline))
        progress = ModelProgress(len(training))
        todo, done, results, running, nodes_of = set(pipeline.nodes), set(), {}, as_completed(), {}

        def submit(node: Node) -> None:
            node_catalog = DataCatalog(
                datasets={name: catalog.get(name) for name in (*node.inputs, *node.outputs)}
            )
            future = client.submit(
                run_node, node, node_catalog, setup, run_id, self._is_async,
                *(results[upstream] for upstream in feeds[node]),
                key=f"{node.name}-{run_key}", pure=False,
            )  # fmt: skip
            nodes_of[future.key] = node
            running.add(future)

        try:
            while todo or not running.is_empty():
                ready = [n for n in pipeline.nodes if n in todo and dependencies[n] <= done]
                for node in ready:
                    todo.discard(node)
                    submit(node)
                future = next(running)
                node = nodes_of[future.key]
                try:
                    result: NodeResult = future.result()
                except Exception as error:
                    self._suggest_resume_scenario(pipeline, done, catalog)
                    failure = self._node_error(node, error)
                    if failure is error:
                        raise
                    raise failure from error
                if readers[node]:
                    results[node] = future  # Dask keeps the data while a reader may need it
                for upstream in feeds[node]:
                    readers[upstream] -= 1
                    if not readers[upstream]:
                        del results[upstream]  # ... and drops it after the last
                for name in free_outputs & set(result.outputs):
                    catalog.save(name, result.outputs[name])
                done.add(node)
                logger.info(
                    "Completed node %s on worker %s (%d of %d)",
                    node.name, result.worker, len(done), len(pipeline.nodes),
                )  # fmt: skip
                if node in training:
                    logger.info(progress.model_done())
        except BaseException:
            client.cancel(list(running.futures))
            raise

    @staticmethod
    def _node_error(node: Node, error: Exception) -> Exception:
        """The node's own error as it is, or one that names the node whose worker died."""
        if _raised_by_node(error):
            return error
        return NodeFailedOnWorkerError(
            f"Node {node.name} did not finish: {type(error).__name__}: {error}. A task whose "
            f"worker dies is rerun on another, up to the scheduler's "
            f"'distributed.scheduler.allowed-failures' times. Its outputs were not saved; "
            f"rerun with --only-missing-outputs to resume."
        )
