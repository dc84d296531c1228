"""Project hooks: validate every model spec before training; report training progress."""

from __future__ import annotations

import logging
from typing import Any

from kedro.framework.hooks import hook_impl
from kedro.pipeline import Pipeline
from kedro.pipeline.node import Node

from from_data_to_model.models import resolve_model_spec
from from_data_to_model.pipelines.training.pipeline import TRAINING_TAG

logger = logging.getLogger(__name__)


def _spec_params(training_node: Node) -> tuple[str, str]:
    """The ``params:`` inputs (defaults, overrides) of a training node: its last two."""
    defaults, overrides = training_node.inputs[-2:]
    return defaults, overrides


class TrainingHooks:
    """Fail fast on bad model specs, and say which variant k of n is training."""

    def __init__(self) -> None:
        self._position = 0
        self._total = 0

    @hook_impl
    def before_pipeline_run(
        self, run_params: dict[str, Any], pipeline: Pipeline, catalog: Any
    ) -> None:
        """Validate the spec of every training node in the run, before any node runs."""
        training_nodes = [n for n in pipeline.nodes if TRAINING_TAG in n.tags]
        for training_node in training_nodes:
            defaults, overrides = _spec_params(training_node)
            resolve_model_spec(
                catalog.load(defaults),
                catalog.load(overrides),
                variant=training_node.namespace or training_node.name,
            )
        self._position, self._total = 0, len(training_nodes)

    @hook_impl
    def before_node_run(self, node: Node) -> None:
        """Log which variant starts training, and its place in the run."""
        if TRAINING_TAG in node.tags:
            self._position += 1
            logger.info(
                "Training variant %s (%d of %d)", node.namespace, self._position, self._total
            )
