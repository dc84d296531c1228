"""``DaskRunner``: Kedro's own run loop, with a Dask cluster as its executor.

Like Kedro's ``ThreadRunner`` and ``ParallelRunner``, it gives ``AbstractRunner._run`` an
executor (``client.get_executor()``'s kind, ``NodeExecutor``) and lets Kedro's loop submit
each node once the nodes it needs are done, log what runs and completes, release datasets
after their last reader, and suggest how to resume. What it adds:

* **In-memory data crosses workers**: the run's ``MemoryDataset``s become ``ClusterDataset``s,
  held by the cluster under a key of the run (released as Kedro releases them); the
  pipeline's free outputs come back to the caller's catalog at the end.
* **The project on every worker**: configured there, the client's ``MLFLOW_*`` variables
  given, and a clear error where a worker lacks the package. A node runs on a worker with
  the project's own hooks (plugins' hooks run on the client), one node at a time.
* **Errors**: a node's own error keeps its type, with a note naming node and worker; a task
  that did not finish (its worker died after Dask's retries) is ``NodeFailedOnWorkerError``.
* **Progress** from the project's one progress hook, told on the client as models finish.
"""

from __future__ import annotations

import logging
import os
import threading
import uuid
from concurrent.futures import Executor, Future
from typing import Any

import dask
from distributed import Client, LocalCluster, get_client, get_worker
from kedro.framework.hooks import _create_hook_manager
from kedro.io import AbstractDataset, DataCatalog, MemoryDataset
from kedro.pipeline import Pipeline
from kedro.pipeline.node import Node
from kedro.runner import AbstractRunner
from kedro.runner.task import Task

from from_data_to_model.hooks import TrainingProgressHooks

logger = logging.getLogger(__name__)

# Keras keeps its random state per process: a worker with several threads runs one node at
# a time, so a model trains exactly as it would alone.
_ONE_NODE_AT_A_TIME = threading.Lock()
NODE_NOTE = "Raised by node "  # how a node's own error is noted on the worker


class SchedulerUnreachableError(ConnectionError):
    """No Dask scheduler answered at the configured address."""


class WorkerSetupError(RuntimeError):
    """A worker cannot run the project's nodes (its package is missing)."""


class NodeFailedOnWorkerError(RuntimeError):
    """A node's task did not finish: its worker died, or the cluster lost it. (An error the
    node itself raises reaches the caller as it is, with a note naming node and worker.)"""


class ClusterDataset(AbstractDataset[Any, Any]):
    """An in-memory dataset of a Dask run: its data published on the cluster under ``key``,
    so that the node that reads it may run on another worker than the one that wrote it."""

    def __init__(self, key: str) -> None:
        self._key = key

    def load(self) -> Any:
        try:
            return get_client().get_dataset(self._key).result()
        except KeyError:
            raise KeyError(f"{self._key}: no data has been saved yet") from None

    def save(self, data: Any) -> None:
        client = get_client()
        (future,) = client.scatter([data])  # one piece of data, whatever its type (a dict
        client.publish_dataset(future, name=self._key, override=True)  # would scatter apart)

    def _exists(self) -> bool:
        return self._key in get_client().list_datasets()

    def _release(self) -> None:
        if self._exists():
            get_client().unpublish_dataset(self._key)

    def _describe(self) -> dict[str, Any]:
        return {"key": self._key}


def _add_note(error: BaseException, note: str) -> None:
    """``error.add_note`` (Python 3.11+); on 3.10 the note is kept in ``__notes__`` too."""
    if hasattr(error, "add_note"):
        error.add_note(note)
    else:  # pragma: no cover - Python 3.10
        error.__notes__ = [*getattr(error, "__notes__", []), note]


def _where() -> str:
    worker = get_worker()
    return worker.address if worker.name == worker.address else f"{worker.address} ({worker.name})"


def execute_on_worker(task: Task) -> None:
    """Run one Kedro task on this worker with the project's own hooks; note a node's own
    error with the node and the worker."""
    from kedro.framework.project import settings

    manager = _create_hook_manager()
    for hooks in settings.HOOKS:
        manager.register(hooks)
    task.hook_manager, where = manager, _where()
    with _ONE_NODE_AT_A_TIME:
        logger.info("Running node %s on worker %s", task.node.name, where)
        try:
            task.execute()
        except Exception as error:  # reaches the client as it is (Dask pickles it), noted
            _add_note(error, f"{NODE_NOTE}{task.node.name} on Dask worker {where}")
            raise


class NodeExecutor(Executor):
    """Kedro's tasks as Dask tasks: the futures Kedro's loop waits on complete with the
    node, or with its error (``NodeFailedOnWorkerError`` for a task that did not finish)."""

    def __init__(self, client: Client, run_key: str, progress: TrainingProgressHooks | None):
        self._client, self._run_key, self._progress = client, run_key, progress
        self._running: list = []

    def submit(self, task: Task) -> Future:  # type: ignore[override]
        node, done = task.node, Future()
        task.hook_manager = None  # a worker makes its own: hook managers do not pickle
        future = self._client.submit(
            execute_on_worker, task, key=f"{node.name}-{self._run_key}", pure=False
        )
        self._running.append(future)

        def finished(future: Any) -> None:
            try:
                future.result()
            except Exception as error:
                done.set_exception(_node_error(node, error))
                return
            if self._progress is not None:
                self._progress.node_completed(node)
            done.set_result(node)

        future.add_done_callback(finished)
        return done

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self._client.cancel([f for f in self._running if not f.done()])


def _node_error(node: Node, error: Exception) -> Exception:
    """The node's own error as it is, or one that names the node whose worker died."""
    if any(note.startswith(NODE_NOTE) for note in getattr(error, "__notes__", ())):
        return error
    failure = NodeFailedOnWorkerError(
        f"Node {node.name} did not finish: {type(error).__name__}: {error}. A task whose "
        f"worker dies is rerun on another, up to the scheduler's "
        f"'distributed.scheduler.allowed-failures' times. Its outputs were not saved; "
        f"rerun with --only-missing-outputs to resume."
    )
    failure.__cause__ = error
    return failure


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


def _worker_setup(package_name: str, mlflow: dict[str, str]):
    """A setup, pickled by value (a worker may lack this package), that configures the
    project on a worker with the client's ``MLFLOW_*`` variables (and none it lacks); it
    says what the worker lacks instead (the package, or Kedro).

    Configuring a project (re)applies Kedro's logging, which drops handlers: done before
    Dask's log forwarding adds its own, it cannot drop them.
    """

    def setup() -> str | None:
        import importlib
        import os

        for name in [n for n in os.environ if n.startswith("MLFLOW_")]:
            del os.environ[name]
        os.environ.update(mlflow)
        try:
            importlib.import_module(package_name)  # configure_project imports lazily
            from kedro.framework.project import PACKAGE_NAME, configure_project

            if PACKAGE_NAME != package_name:
                configure_project(package_name)
        except ImportError as error:
            return f"{type(error).__name__}: {error}"
        return None

    return setup


def _forward_only(logger_levels: dict[str, int]) -> None:
    """Log at the client's levels, and only through Dask's forwarding (no double lines)."""
    for name, level in logger_levels.items():
        forwarded = logging.getLogger(name)
        forwarded.setLevel(level)
        forwarded.propagate = False
        forwarded.disabled = False


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
        self._executor: NodeExecutor | None = None

    @property
    def _logger(self) -> logging.Logger:
        """Kedro's run-level lines go to Kedro's runner logger, as under its own runners."""
        return logging.getLogger(AbstractRunner.__module__)

    def _get_executor(self, max_workers: int) -> Executor:
        return self._executor

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
    def _set_up_workers(client: Client, package_name: str) -> None:
        """Configure the project on every worker; fail before any node runs where one lacks
        the project's package; show the workers' log lines here, at this process's levels."""
        if not client.scheduler_info()["workers"]:
            client.wait_for_workers(1, timeout=60)
        mlflow = {k: v for k, v in os.environ.items() if k.startswith("MLFLOW_")}
        problems = client.run(_worker_setup(package_name, mlflow))
        missing = {worker: problem for worker, problem in problems.items() if problem}
        if missing:
            lines = "\n".join(f"  {worker}: {problem}" for worker, problem in missing.items())
            raise WorkerSetupError(
                f"{len(missing)} Dask worker(s) cannot import the project package "
                f"'{package_name}':\n{lines}\nInstall the project where those workers run "
                f"(`pip install from-data-to-model[dask]`, or its wheel from `kedro package`)."
            )
        levels = {}
        for name in ("kedro", package_name):
            client.forward_logging(name)
            levels[name] = logging.getLogger(name).getEffectiveLevel()
        client.run(_forward_only, levels)

    def _run(
        self,
        pipeline: Pipeline,
        catalog: DataCatalog,
        hook_manager: Any = None,
        run_id: str | None = None,
    ) -> None:
        """Kedro's loop, on the cluster."""
        from kedro.framework.project import PACKAGE_NAME

        if not self._is_async:  # the line Kedro's own runners write
            self._logger.info(
                "Using synchronous mode for loading and saving data. Use the --async flag "
                "for potential performance gains. https://docs.kedro.org/en/stable/build/"
                "run_a_pipeline/#load-and-save-asynchronously"
            )
        client, cluster = self._connect(pipeline)
        run_key = uuid.uuid4().hex[:8]
        in_memory = [  # what nodes write in memory (an input given in memory stays as it is)
            name for name in sorted(pipeline.all_outputs())
            if type(catalog.get(name)) is MemoryDataset
        ]  # fmt: skip
        try:
            if client.dashboard_link and "dashboard" in client.scheduler_info()["services"]:
                logger.info("Dask dashboard: %s", client.dashboard_link)
            self._set_up_workers(client, PACKAGE_NAME or __name__.split(".")[0])
            plugins = hook_manager.get_plugins() or ()  # Kedro's null manager has none
            progress = next((p for p in plugins if isinstance(p, TrainingProgressHooks)), None)
            self._executor = NodeExecutor(client, run_key, progress)
            with client.as_current():  # the cluster data's client here, whichever is default
                for name in in_memory:
                    catalog[name] = ClusterDataset(f"{run_key}-{name}")
                try:
                    super()._run(pipeline, catalog, hook_manager, run_id)
                finally:
                    self._bring_back(catalog, in_memory, pipeline.outputs())
        finally:
            self._executor = None
            if cluster is not None:
                client.close()
                cluster.close()

    @staticmethod
    def _bring_back(catalog: DataCatalog, in_memory: list[str], outputs: set[str]) -> None:
        """The run's in-memory data back in memory here: its free outputs with their data
        (the caller's to load), the rest released, as Kedro's runners leave them."""
        for name in in_memory:
            cluster_data, catalog[name] = catalog.get(name), MemoryDataset()
            if name in outputs and cluster_data.exists():
                catalog.save(name, cluster_data.load())
            cluster_data.release()
