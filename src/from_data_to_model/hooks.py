"""Project hooks: report training progress, check the final stage's inputs (run
isolation: ``isolation.py``; tracking: ``tracking.py``).

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
from from_data_to_model.study import TRAINING_TAG

logger = logging.getLogger(__name__)


def training_nodes(pipeline: Pipeline) -> list[Node]:
    """The nodes that train a model each."""
    return [n for n in pipeline.nodes if TRAINING_TAG in n.tags]


def nodes_to_run(pipeline: Pipeline, catalog: Any, run_params: dict[str, Any]) -> list[Node]:
    """The pipeline's training nodes a run will run: with ``--only-missing-outputs``, those
    with an output missing (every training output is a file)."""
    training = training_nodes(pipeline)
    if run_params.get("only_missing_outputs"):
        training = [n for n in training if not all(catalog.exists(o) for o in n.outputs)]
    return training


def trained_models(node: Node) -> list[str]:
    """The namespace of the model a node trains, or none: a training node writes its
    model's ``<namespace>.training_metadata``."""
    if TRAINING_TAG not in node.tags:
        return []
    return [
        output.rpartition(".")[0]
        for output in node.outputs
        if output.rpartition(".")[2] == "training_metadata"
    ]


class TrainingProgressHooks:
    """Say which model starts training, and after each one how far the run has got.

    Counted in the process that started the pipeline: after each node there (sequential
    and thread runners), or as a runner whose nodes run elsewhere tells it of each one
    (``node_completed``: the Dask runner), or as each model of a program finishes
    (``model_finished``: ``together.py``; its node then counts no more). Where nodes run
    in other processes (a Dask worker, a ParallelRunner child) these hooks say which
    model starts.
    """

    def __init__(self) -> None:
        self._progress: ModelProgress | None = None
        self._pid: int | None = None
        self._started = 0
        self._finished: set[str] = set()  # models counted as they finished in a program

    @hook_impl
    def before_pipeline_run(
        self, pipeline: Pipeline, run_params: dict[str, Any], catalog: Any
    ) -> None:
        """Count the run's training nodes (with ``--only-missing-outputs``, those with a
        missing output: the others are skipped); start the clock."""
        self._progress = ModelProgress(len(nodes_to_run(pipeline, catalog, run_params)))
        self._pid = os.getpid()
        self._started, self._finished = 0, set()

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
        if self._counting():
            self.node_completed(node)

    def node_completed(self, node: Node) -> None:
        """Count a finished node of the run (one that trained a model: a progress line)."""
        if TRAINING_TAG not in node.tags or node.namespace in self._finished:
            return
        if self._progress is not None:
            logger.info(self._progress.model_done())

    def model_finished(self, namespace: str) -> None:
        """Count the model of ``namespace`` as it finishes in a program, before its node."""
        if self._counting():
            self._finished.add(namespace)
            logger.info(self._progress.model_done())


class FinalStageChecks:
    """Before any model trains, stop a run whose final stage could not finish: a settled
    value it cannot use, a model file it reads that is missing or damaged
    (``pipelines/final/checks.py``). Nothing is promoted, so nothing promoted before is
    touched."""

    @hook_impl
    def before_pipeline_run(
        self, pipeline: Pipeline, catalog: Any, run_params: dict[str, Any]
    ) -> None:
        from from_data_to_model.pipelines.final.checks import check_final_stage

        check_final_stage(pipeline, catalog, run_params)
