"""Project hooks: report training progress.

Read by every ``kedro`` command (through ``settings.py``): nothing here imports Keras.
"""

from __future__ import annotations

import logging
from typing import Any

from kedro.framework.hooks import hook_impl
from kedro.pipeline import Pipeline
from kedro.pipeline.node import Node

from from_data_to_model.pipelines.training.pipeline import TRAINING_TAG

logger = logging.getLogger(__name__)


class TrainingProgressHooks:
    """Say which model k of n starts training (sequential and thread runners; on Dask
    workers, which model starts)."""

    def __init__(self) -> None:
        self._started = 0
        self._total = 0

    @hook_impl
    def before_pipeline_run(self, pipeline: Pipeline, run_params: dict[str, Any]) -> None:
        """Count the run's training nodes."""
        self._started = 0
        self._total = sum(TRAINING_TAG in n.tags for n in pipeline.nodes)

    @hook_impl
    def before_node_run(self, node: Node) -> None:
        """Log the model that starts training, and its place in the run."""
        if TRAINING_TAG in node.tags:
            self._started += 1
            if self._total:
                logger.info("Training %s (%d of %d)", node.namespace, self._started, self._total)
            else:  # a worker of a distributed runner: the client counts the run's nodes
                logger.info("Training %s", node.namespace)
