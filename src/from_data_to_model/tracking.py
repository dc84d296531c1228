"""Experiment tracking with MLflow, for the ``[mlflow]`` extra (kedro-mlflow).

kedro-mlflow makes each ``kedro run`` an MLflow run (``conf/base/mlflow.yml``) and logs the
parameters its nodes read. What else is logged is declared in the catalog, by an entry's
``metadata: {mlflow: ...}``:

* ``artifact``: the file (or folder) the catalog wrote, on the MLflow run of the node's
  namespace: a model's report on its model's run, the study's on the run of ``kedro run``;
* ``metrics``: a record's numbers (a validation summary, test metrics) on its model's run.

``ModelTrackingHooks`` logs those, and does what kedro-mlflow has no way to declare: one
child run per trained model (named after its namespace) with its resolved spec as
parameters, every per-epoch metric as a history and its Keras model; and each promoted
model, to serve (``serving.py``).

The run to log into is handed to other processes in environment variables, set while the
pipeline runs: MLflow's own ``MLFLOW_TRACKING_URI`` and ``MLFLOW_EXPERIMENT_ID``, and
``MLFLOW_PARENT_RUN_ID`` (not ``MLFLOW_RUN_ID``, which ending any run unsets).
``ParallelRunner``'s workers inherit them, and the Dask runner gives its workers the
client's ``MLFLOW_*`` variables. Registered by ``settings.py`` only when
kedro-mlflow is installed; mlflow is imported when a run starts.
"""

from __future__ import annotations

import logging
import os
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd
from kedro.framework.hooks import hook_impl
from kedro.pipeline import Pipeline
from kedro.pipeline.node import Node

from from_data_to_model.hooks import trained_models, training_nodes
from from_data_to_model.model_spec import flat_spec, spec_paths
from from_data_to_model.promotion import promoted_in
from from_data_to_model.study import RUN_FIELDS

logger = logging.getLogger(__name__)

MLFLOW_PARENT_RUN_ID = "mlflow.parentRunId"  # the tag that nests a run under another
TRAINING_METRICS = ("epochs_run", "model_epoch", "fit_seconds", "parameter_count")
ARTIFACT, METRICS = "artifact", "metrics"  # what a catalog entry's metadata.mlflow declares


class TrackingStoreError(RuntimeError):
    """The MLflow tracking store cannot be used: nothing was trained."""


@dataclass(frozen=True)
class TrackingTarget:
    """Where this ``kedro run``'s MLflow run lives: MLflow's own variables name it."""

    tracking_uri: str
    experiment_id: str
    parent_run_id: str

    VARIABLES = ("MLFLOW_TRACKING_URI", "MLFLOW_EXPERIMENT_ID", "MLFLOW_PARENT_RUN_ID")

    @classmethod
    def from_environment(cls) -> TrackingTarget | None:
        values = [os.environ.get(name) for name in cls.VARIABLES]
        return cls(*values) if all(values) else None

    def export(self) -> None:
        os.environ.update(zip(self.VARIABLES, (self.tracking_uri, self.experiment_id,
                                               self.parent_run_id), strict=True))  # fmt: skip

    @classmethod
    def withdraw(cls) -> None:
        for name in cls.VARIABLES:
            os.environ.pop(name, None)


def model_tags(metadata: dict[str, Any]) -> dict[str, str]:
    """A trained model's identity, from its training metadata, as run tags (those it has)."""
    return {key: str(metadata[key]) for key in RUN_FIELDS if metadata.get(key) is not None}


def numbers(record: dict[str, Any]) -> dict[str, float]:
    """The numeric fields of a summary or test metrics as MLflow metrics, but for the run's
    identity and its spec (tags and parameters already)."""
    skip = {*RUN_FIELDS, *spec_paths()}
    return {
        key: float(value)
        for key, value in record.items()
        if key not in skip and isinstance(value, int | float) and not isinstance(value, bool)
    }


def entry(catalog: Any, name: str, entries: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The catalog entry of ``name``: its own, as the catalog was made (``entries``: Kedro
    forgets an entry's configuration once a hook replaces its dataset, as run isolation
    does), else the pattern's it matches."""
    return entries.get(name) or catalog.config_resolver.resolve_pattern(name) or {}


def declared(catalog: Any, name: str, entries: dict[str, dict[str, Any]]) -> str | None:
    """What the catalog entry of ``name`` says MLflow logs of it (``metadata.mlflow``)."""
    if catalog is None or name not in catalog:
        return None
    return (entry(catalog, name, entries).get("metadata") or {}).get("mlflow")


def saved_path(catalog: Any, name: str, version: str, entries: dict[str, dict[str, Any]]) -> Path:
    """The file or folder that ``name``'s save wrote in this run (version ``version``)."""
    config = entry(catalog, name, entries)
    path = Path(config.get("filepath") or config["path"])
    return path / version / path.name if config.get("versioned") else path


def _store_fault(error: BaseException) -> bool:
    """Whether an error, or one it was raised from, is the tracking store's: MLflow's,
    SQLAlchemy's (the SQL store's) or SQLite's own."""
    import sqlite3

    from mlflow.exceptions import MlflowException
    from sqlalchemy.exc import SQLAlchemyError

    while error is not None:
        if isinstance(error, MlflowException | SQLAlchemyError | sqlite3.Error):
            return True
        error = error.__cause__ or error.__context__
    return False


def _store_error(error: BaseException, uri: str) -> TrackingStoreError:
    return TrackingStoreError(
        f"MLflow cannot use the tracking store {uri!r}: {type(error).__name__}: "
        f"{str(error).strip().splitlines()[0]}\n"
        "Nothing was trained. Check server.mlflow_tracking_uri in conf/<env>/mlflow.yml "
        "(a SQLite store is sqlite:///<file>.db, in a folder this user can write, with no "
        "other process holding a lock on it), or run untracked: list the pipeline under "
        "tracking.disable_tracking.pipelines, or uninstall the [mlflow] extra."
    )


def _end_failed(run_id: str) -> None:
    """End the active MLflow run as failed. A store that takes no writes cannot record
    that: said in the log (the run is no longer active here either way)."""
    import mlflow

    try:
        mlflow.end_run("FAILED")
    except Exception as error:
        if not _store_fault(error):
            raise
        logger.warning("MLflow could not mark run %s as failed: %s", run_id, error)


class ModelTrackingHooks:
    """One MLflow child run per trained model, under kedro-mlflow's run of ``kedro run``;
    what the catalog declares, logged; promoted models, registered."""

    def __init__(self) -> None:
        self._runs: dict[str, str | None] = {}  # a model's namespace → its child run, here
        self._models: set[str] | None = None  # the run's models, in the process that runs it
        self._catalog: Any = None  # the running node's catalog, and the run's save version
        self._version: str | None = None
        self._entries: dict[str, dict[str, Any]] = {}  # the catalog's own entries, as made

    @hook_impl(wrapper=True)
    def after_context_created(self, context: Any):
        """Turn kedro-mlflow's store errors (bad URI, read-only database) into a clear stop."""
        try:
            return (yield)
        except Exception as error:
            if not _store_fault(error):
                raise
            server = context.config_loader.get("mlflow", {}).get("server", {})
            raise _store_error(error, server.get("mlflow_tracking_uri") or "default") from error

    @hook_impl
    def after_catalog_created(self, catalog: Any) -> None:
        """Keep the catalog's own entries before any hook replaces their datasets."""
        self._entries = dict(catalog.config_resolver.config)

    @hook_impl(wrapper=True)
    def before_pipeline_run(self, pipeline: Pipeline):
        """Hand kedro-mlflow's run (started inside) to the nodes; stop before training if the
        store fails. A run stopped here (by any hook's check) ends the MLflow run it started,
        as failed: kedro-mlflow ends it only after a node's error, and a run left active
        would take the next run's logging in this process (a notebook, a test)."""
        import mlflow

        TrackingTarget.withdraw()
        models = [model for n in training_nodes(pipeline) for model in trained_models(n)]
        self._runs, self._models = {}, set(models)
        before = mlflow.active_run()  # one the user started: kedro-mlflow logs to it, and keeps it
        try:
            result = yield
            run = mlflow.active_run()  # None: tracking is disabled for this pipeline
            if run is not None:
                # a write before any training: a store that takes no writes stops the run here
                mlflow.MlflowClient().set_tag(run.info.run_id, "models", str(len(models)))
                uri = mlflow.get_tracking_uri()
                TrackingTarget(uri, run.info.experiment_id, run.info.run_id).export()
        except Exception as error:
            if (run := mlflow.active_run()) is not None and (
                before is None or run.info.run_id != before.info.run_id
            ):
                _end_failed(run.info.run_id)
            if not _store_fault(error):
                raise
            raise _store_error(error, mlflow.get_tracking_uri()) from error
        return result

    @hook_impl
    def after_pipeline_run(self) -> None:
        TrackingTarget.withdraw()

    @hook_impl
    def on_pipeline_error(self) -> None:
        TrackingTarget.withdraw()

    @hook_impl
    def before_node_run(self, catalog: Any, run_id: str) -> None:
        """Keep where the node's outputs are declared and saved (the same for every node)."""
        self._catalog, self._version = catalog, run_id

    @hook_impl
    def after_node_run(self, node: Node, inputs: dict[str, Any], outputs: dict[str, Any]) -> None:
        """Log a trained model, the records the catalog declares metrics, and a promoted
        model, to serve."""
        self._tracked(node, self._log_node, node, inputs, outputs)

    @hook_impl
    def after_dataset_saved(self, dataset_name: str, node: Node) -> None:
        """Log the file of a dataset the catalog declares an artifact, once it is written."""
        if declared(self._catalog, dataset_name, self._entries) == ARTIFACT:
            self._tracked(node, self._log_artifact, node, dataset_name)

    def _tracked(self, node: Node, log, *args: Any) -> None:
        target = TrackingTarget.from_environment()
        if target is None:
            return
        try:
            import mlflow

            mlflow.set_tracking_uri(target.tracking_uri)
            log(mlflow.MlflowClient(), target, *args)
        except Exception as error:  # the run goes on: its catalog outputs are still saved
            logger.error(
                "MLflow did not record node %s: %s: %s. The node's outputs are saved by the "
                "catalog as usual; the MLflow run lacks them.",
                node.name, type(error).__name__, error,
            )  # fmt: skip

    def _log_node(
        self, client: Any, target: TrackingTarget, node: Node, inputs: dict[str, Any],
        outputs: dict[str, Any],
    ) -> None:  # fmt: skip
        for model in trained_models(node):
            self._runs[model] = self._log_model(client, target, model, outputs)
        for name, data in outputs.items():
            if declared(self._catalog, name, self._entries) == METRICS:
                self._log_metrics(client, target, _namespace(name), numbers(data))
        for promotion, model in promoted_in(inputs, outputs):
            from from_data_to_model.serving import log_served_model

            uri = log_served_model(target.parent_run_id, model, promotion)
            logger.info("MLflow: registered %s, to serve: mlflow models serve -m %s", uri, uri)

    def _log_artifact(self, client: Any, target: TrackingTarget, node: Node, name: str) -> None:
        """The file or folder ``name`` was saved to, under its namespace's folder, on the run
        of its namespace (a model's), else on the run of ``kedro run``."""
        path = saved_path(self._catalog, name, self._version, self._entries)
        run_id = self._model_run(client, target, _namespace(name)) or target.parent_run_id
        folder = name.rsplit(".", 1)[0].replace(".", "/")
        if path.is_dir():
            client.log_artifacts(run_id, str(path), f"{folder}/{path.name}")
        else:
            client.log_artifact(run_id, str(path), folder)

    def _log_metrics(
        self, client: Any, target: TrackingTarget, namespace: str, metrics: dict[str, float]
    ) -> None:
        """A model's summary or test figures, on its run; for a model trained in an earlier
        ``kedro run`` (``--tags=evaluation``), on this run, prefixed with its namespace."""
        run_id = self._model_run(client, target, namespace)
        if run_id is None:
            run_id = target.parent_run_id
            if namespace:
                metrics = {f"{namespace}.{k}": v for k, v in metrics.items()}
        client.log_batch(run_id, metrics=_metrics(metrics, int(time.time() * 1000)))

    def _model_run(self, client: Any, target: TrackingTarget, namespace: str) -> str | None:
        """The child run of the model trained in ``namespace`` in this ``kedro run``, if any:
        known here when this process trained it, else looked up once (a Dask worker that
        scores a model another one trained)."""
        if not namespace or (self._models is not None and namespace not in self._models):
            return None  # no model of this run: a study's or a family's namespace
        if namespace not in self._runs:
            found = client.search_runs(
                [target.experiment_id],
                f"tags.{MLFLOW_PARENT_RUN_ID} = '{target.parent_run_id}' "
                f"and tags.namespace = '{namespace}'",
            )
            self._runs[namespace] = found[0].info.run_id if found else None
        return self._runs[namespace]

    def _log_model(
        self, client: Any, target: TrackingTarget, namespace: str, outputs: dict[str, Any]
    ) -> str:
        """A child run of the model trained in ``namespace`` (its training node's
        ``outputs``), timed as the training was: spec as parameters, per-epoch metrics,
        Keras model."""
        import mlflow
        from mlflow.entities import Param

        started = time.monotonic()
        named = {
            name.removeprefix(f"{namespace}."): data
            for name, data in outputs.items()
            if _namespace(name) == namespace
        }
        metadata, history, model, spec = (
            named["training_metadata"], named["training_history"], named["model@keras"],
            named["spec"],
        )  # fmt: skip
        trained = datetime.fromisoformat(metadata["trained_at"]).timestamp()
        end_ms, fit_ms = int(trained * 1000), int(metadata["fit_seconds"] * 1000)
        tags = model_tags(metadata) | {
            MLFLOW_PARENT_RUN_ID: target.parent_run_id,
            **{k: str(metadata[k]) for k in ("keras_backend", "keras_version") if k in metadata},
        }
        run_id = client.create_run(
            target.experiment_id, start_time=end_ms - fit_ms, tags=tags, run_name=namespace
        ).info.run_id
        summary = {k: float(metadata[k]) for k in TRAINING_METRICS}
        client.log_batch(
            run_id,
            metrics=_history_metrics(history, end_ms - fit_ms, end_ms) + _metrics(summary, end_ms),
            params=[Param(k, str(v)) for k, v in flat_spec(spec).items()],
        )
        with mlflow.start_run(run_id=run_id, nested=True):
            mlflow.keras.log_model(
                model,
                name="model",
                signature=_signature(model),
                pip_requirements=_requirements(metadata),
            )
        client.set_terminated(run_id, end_time=end_ms)
        logger.info(
            "MLflow: logged %s as run %s (%.1f s)",
            namespace, run_id, time.monotonic() - started,
        )  # fmt: skip
        return run_id


def _namespace(dataset: str) -> str:
    """The namespace a dataset is in (``regularization.l2.seed_43.spec`` →
    ``regularization.l2.seed_43``; none: "")."""
    return dataset.rpartition(".")[0]


def _metrics(values: dict[str, float], timestamp_ms: int, step: int = 0) -> list:
    from mlflow.entities import Metric

    return [Metric(key, value, timestamp_ms, step) for key, value in values.items()]


def _history_metrics(history: pd.DataFrame, start_ms: int, end_ms: int) -> list:
    """Every column of a training history, one value per epoch (step = epoch), stamped
    across the training's time."""
    epochs = len(history)
    return [
        metric
        for row in history.to_dict("records")
        for metric in _metrics(
            {k: float(v) for k, v in row.items() if k != "epoch"},
            timestamp_ms=start_ms + (end_ms - start_ms) * int(row["epoch"]) // epochs,
            step=int(row["epoch"]),
        )
    ]


def _signature(model: Any):
    """Float32 rows in, one row of outputs each out (Keras' own input and output widths)."""
    import numpy as np
    from mlflow.models import ModelSignature
    from mlflow.types import Schema, TensorSpec

    def rows(width: int) -> Schema:
        return Schema([TensorSpec(np.dtype(np.float32), (-1, width))])

    return ModelSignature(rows(model.input_shape[-1]), rows(model.output_shape[-1]))


def _requirements(metadata: dict[str, Any]) -> list[str]:
    """The model's pip requirements, given: MLflow would otherwise infer them, slowly."""
    from importlib.metadata import PackageNotFoundError, version

    packages = ["keras", metadata.get("keras_backend", "tensorflow")]
    try:
        return [f"{p}=={version(p)}" for p in packages]
    except PackageNotFoundError:
        return packages
