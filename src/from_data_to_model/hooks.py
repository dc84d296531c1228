"""Project hooks: report training progress; how a run sees the datasets it writes.

Read by every ``kedro`` command (through ``settings.py``): nothing here imports Keras.
"""

from __future__ import annotations

import logging
import os
from typing import Any

from kedro.framework.hooks import hook_impl
from kedro.pipeline import Pipeline
from kedro.pipeline.node import Node

from from_data_to_model.progress import ModelProgress
from from_data_to_model.study import AGGREGATE_TAG, TRAINING_TAG

logger = logging.getLogger(__name__)


def training_nodes(pipeline: Pipeline) -> list[Node]:
    """The nodes that each train one model."""
    return [n for n in pipeline.nodes if TRAINING_TAG in n.tags]


class TrainingProgressHooks:
    """Say which model starts training, and after each one how far the run has got.

    Counted in the process that started the pipeline (sequential and thread runners).
    Where nodes run in other processes (a Dask worker, a ParallelRunner child) these
    hooks say which model starts; the Dask runner's client logs the progress lines.
    """

    def __init__(self) -> None:
        self._progress: ModelProgress | None = None
        self._pid: int | None = None
        self._started = 0

    @hook_impl
    def before_pipeline_run(
        self, pipeline: Pipeline, run_params: dict[str, Any], catalog: Any
    ) -> None:
        """Count the run's training nodes (with ``--only-missing-outputs``, those with a
        missing output: the others are skipped); start the clock."""
        training = training_nodes(pipeline)
        if run_params.get("only_missing_outputs"):
            training = [n for n in training if not all(catalog.exists(o) for o in n.outputs)]
        self._progress = ModelProgress(len(training))
        self._pid = os.getpid()
        self._started = 0

    def _counting(self) -> bool:
        return self._progress is not None and self._pid == os.getpid()

    @hook_impl
    def before_node_run(self, node: Node) -> None:
        """Log the model that starts training, and its place in the run."""
        if TRAINING_TAG not in node.tags:
            return
        if self._counting():
            self._started += 1
            logger.info(
                "Training %s (%d of %d)", node.namespace, self._started, self._progress.total
            )
        else:
            logger.info("Training %s", node.namespace)

    @hook_impl
    def after_node_run(self, node: Node) -> None:
        """Log the run's progress over its models."""
        if TRAINING_TAG in node.tags and self._counting():
            logger.info(self._progress.model_done())


class RunOutputsHooks:
    """Each dataset a run writes, as that run should see it (``datasets.RunOutputDataset``).

    * **Its own version.** A versioned dataset loads its newest version, so a run that
      overlaps another in one project would read the other's newer model, metrics or
      report. The run's versioned outputs load back the version it saved (Kedro alone only
      warns "Save version ... did not match load version").
    * **Remade with ``--only-missing-outputs``.** Kedro skips a node whose outputs exist:
      right for a trained model, wrong for a report. ``kedro run --params
      regularization.seeds=5 --only-missing-outputs`` after a 3-seed run must train the 2
      new seeds only, then compare all 5: the outputs of the nodes tagged ``aggregate``
      (the study's tables, choice, promoted model, report, figures; the tuning's curves)
      count as missing for such a run.
    """

    @hook_impl
    def before_pipeline_run(
        self, run_params: dict[str, Any], pipeline: Pipeline, catalog: Any
    ) -> None:
        """Wrap the run's persisted outputs that are versioned, or to be remade."""
        from kedro.io import AbstractDataset

        from from_data_to_model.datasets.run_output import RunOutputDataset

        version, remake = run_params["run_id"], run_params.get("only_missing_outputs")
        for node in pipeline.nodes:
            remade = bool(remake) and AGGREGATE_TAG in node.tags
            for name in node.outputs:
                if name not in catalog:  # in memory: nothing on disk to prefer or skip
                    continue
                config = catalog.config_resolver.resolve_pattern(name)
                own = (
                    AbstractDataset.from_config(name, config, version, version)
                    if config.get("versioned")
                    else None
                )
                if own is not None or remade:
                    catalog[name] = RunOutputDataset(catalog.get(name), own, remade)
