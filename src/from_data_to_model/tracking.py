"""Experiment tracking with MLflow, for the ``[mlflow]`` extra (kedro-mlflow).

kedro-mlflow makes each ``kedro run`` an MLflow run (``conf/base/mlflow.yml``) and logs the
parameters its nodes read. ``ModelTrackingHooks`` adds what comparing models needs: one
child run per trained model (named after its namespace: variant and seed, or sweep point
and seed) with its resolved spec as parameters, every per-epoch metric as a history, its
test metrics and its Keras model; the reports, tables and figures go in as artifacts.

Registered by ``settings.py`` only when kedro-mlflow is installed; mlflow is imported when a
run starts. The hooks log from whichever process runs the node: the Dask runner hands its
workers these hooks as the run set them up, and ``ParallelRunner``'s forked workers inherit
them; workers started fresh (``spawn``) have no run to log into, and log nothing.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pandas as pd
from kedro.framework.hooks import hook_impl
from kedro.pipeline import Pipeline
from kedro.pipeline.node import Node

from from_data_to_model.hooks import training_nodes
from from_data_to_model.model_spec import flat_spec, spec_paths
from from_data_to_model.study import PROMOTION_TAG, REPORTING_TAG, RUN_FIELDS, TRAINING_TAG

logger = logging.getLogger(__name__)

MLFLOW_PARENT_RUN_ID = "mlflow.parentRunId"  # the tag that nests a run under another
PROMOTED = "_promoted_model"  # <model>_promoted_model: a promoted model, served as <model>
TRAINING_METRICS = ("epochs_run", "model_epoch", "fit_seconds", "parameter_count")


class TrackingStoreError(RuntimeError):
    """The MLflow tracking store cannot be used: nothing was trained."""


@dataclass(frozen=True)
class TrackingTarget:
    """Where this ``kedro run``'s MLflow run lives."""

    tracking_uri: str
    experiment_id: str
    parent_run_id: str


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


def _artifact(client: Any, run_id: str, name: str, data: Any) -> None:
    """Log one reporting output under its dataset name (``regularization/report.md``)."""
    from matplotlib.figure import Figure

    path = name.replace(".", "/")
    if isinstance(data, Figure):
        client.log_figure(run_id, data, f"{path}.png")
    elif isinstance(data, dict) and data and all(isinstance(f, Figure) for f in data.values()):
        for file, figure in data.items():
            client.log_figure(run_id, figure, f"{path}/{file}")
    elif isinstance(data, str):
        client.log_text(run_id, data, f"{path}.md")
    elif isinstance(data, pd.DataFrame):
        client.log_text(run_id, data.to_csv(index=False), f"{path}.csv")
    elif isinstance(data, dict):
        client.log_dict(run_id, data, f"{path}.json")


class ModelTrackingHooks:
    """One MLflow child run per trained model, under kedro-mlflow's run of ``kedro run``."""

    def __init__(self) -> None:
        self._target: TrackingTarget | None = None

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

    @hook_impl(wrapper=True)
    def before_pipeline_run(self, pipeline: Pipeline):
        """Find kedro-mlflow's run (started inside); stop before training if the store fails."""
        import mlflow

        try:
            result = yield
            self._target = self._find_target(pipeline)
        except Exception as error:
            if not _store_fault(error):
                raise
            raise _store_error(error, mlflow.get_tracking_uri()) from error
        return result

    @staticmethod
    def _find_target(pipeline: Pipeline) -> TrackingTarget | None:
        import mlflow

        run = mlflow.active_run()
        if run is None:  # tracking is disabled for this pipeline in mlflow.yml
            return None
        # a write before any training: a store that takes no writes stops the run here
        models = len(training_nodes(pipeline))
        mlflow.MlflowClient().set_tag(run.info.run_id, "models", str(models))
        uri = mlflow.get_tracking_uri()
        return TrackingTarget(uri, run.info.experiment_id, run.info.run_id)

    @hook_impl
    def after_node_run(self, node: Node, inputs: dict[str, Any], outputs: dict[str, Any]) -> None:
        """Log a trained model, its validation summary or test metrics, what a reporting
        node wrote (a report, table or figure), or a promoted model, to serve."""
        if self._target is None:
            return
        try:
            self._log(node, inputs, outputs)
        except Exception as error:  # the run goes on: its catalog outputs are still saved
            logger.error(
                "MLflow did not record node %s: %s: %s. The node's outputs are saved by the "
                "catalog as usual; the MLflow run lacks them.",
                node.name, type(error).__name__, error,
            )  # fmt: skip

    def _log(self, node: Node, inputs: dict[str, Any], outputs: dict[str, Any]) -> None:
        import mlflow

        mlflow.set_tracking_uri(self._target.tracking_uri)
        client = mlflow.MlflowClient()
        named = {name.removeprefix(f"{node.namespace}."): data for name, data in outputs.items()}
        if TRAINING_TAG in node.tags:
            self._log_model(client, node.namespace, named)
        for record in ("validation_summary", "test_metrics"):
            if record in named:
                self._log_record(client, node.namespace, numbers(named[record]))
        if REPORTING_TAG in node.tags:
            run_id = self._model_run(client, node.namespace) or self._target.parent_run_id
            for name, data in outputs.items():
                _artifact(client, run_id, name, data)
        promoted = [name for name in outputs if name.endswith(PROMOTED)]
        if PROMOTION_TAG in node.tags and promoted:
            from from_data_to_model.serving import log_served_model

            model = promoted[0].removesuffix(PROMOTED)  # fashion_mnist_promoted_model: ...
            promotion = (inputs | outputs)[f"{model}_promotion"]
            uri = log_served_model(
                self._target.parent_run_id, model, outputs[promoted[0]], promotion
            )
            logger.info("MLflow: registered %s, to serve: mlflow models serve -m %s", uri, uri)

    def _log_record(self, client: Any, namespace: str, metrics: dict[str, float]) -> None:
        """A model's summary or test figures, on its run; for a model trained in an earlier
        ``kedro run`` (``--tags=evaluation``), on this run, prefixed with its namespace."""
        run_id = self._model_run(client, namespace)
        if run_id is None:
            run_id = self._target.parent_run_id
            metrics = {f"{namespace}.{k}": v for k, v in metrics.items()}
        client.log_batch(run_id, metrics=_metrics(metrics, int(time.time() * 1000)))

    def _model_run(self, client: Any, namespace: str | None) -> str | None:
        """The child run of the model trained in ``namespace``, if there is one."""
        if not namespace:
            return None
        runs = client.search_runs(
            [self._target.experiment_id],
            f"tags.{MLFLOW_PARENT_RUN_ID} = '{self._target.parent_run_id}' "
            f"and tags.namespace = '{namespace}'",
        )
        return runs[0].info.run_id if runs else None

    def _log_model(self, client: Any, namespace: str, outputs: dict[str, Any]) -> None:
        """A child run, timed as the training was: spec as parameters, per-epoch metrics,
        Keras model."""
        import mlflow
        from mlflow.entities import Param

        started = time.monotonic()
        metadata, history, model, spec = (
            outputs["training_metadata"],
            outputs["training_history"],
            outputs["model"],
            outputs["spec"],
        )
        trained = datetime.fromisoformat(metadata["trained_at"]).timestamp()
        end_ms, fit_ms = int(trained * 1000), int(metadata["fit_seconds"] * 1000)
        tags = model_tags(metadata) | {
            MLFLOW_PARENT_RUN_ID: self._target.parent_run_id,
            **{k: str(metadata[k]) for k in ("keras_backend", "keras_version") if k in metadata},
        }
        run_id = client.create_run(
            self._target.experiment_id, start_time=end_ms - fit_ms, tags=tags, run_name=namespace
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
            "MLflow: logged %s as run %s (%.1f s)", namespace, run_id, time.monotonic() - started
        )


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
