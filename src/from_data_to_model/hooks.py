"""Project hooks: validate model specs before training, report progress, run in processes."""

from __future__ import annotations

import logging
import os
from typing import Any

from kedro.framework.hooks import hook_impl
from kedro.io import CachedDataset
from kedro.io.data_catalog import SharedMemoryDataCatalog
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
        """Validate every training node's spec before any node runs; warn about threads."""
        training_nodes = [n for n in pipeline.nodes if TRAINING_TAG in n.tags]
        for training_node in training_nodes:
            defaults, overrides = _spec_params(training_node)
            resolve_model_spec(
                catalog.load(defaults),
                catalog.load(overrides),
                variant=training_node.namespace or training_node.name,
            )
        self._position, self._total = 0, len(training_nodes)
        if "ThreadRunner" in str(run_params.get("runner")) and len(training_nodes) > 1:
            logger.warning(
                "ThreadRunner: variants training at the same time share this process's "
                "random generators, so their results differ from a sequential run's. "
                "For a reproducible concurrent run, use --runner=ParallelRunner."
            )

    @hook_impl
    def before_node_run(self, node: Node) -> None:
        """Log which variant starts training, and its place in the run."""
        if TRAINING_TAG in node.tags:
            self._position += 1
            logger.info(
                "Training variant %s (%d of %d)", node.namespace, self._position, self._total
            )


class ParallelRunnerHooks:
    """Make ``kedro run --runner=ParallelRunner`` work on this project as configured.

    Each worker process trains with its own random generators, seeded by the variant's
    spec, so the report is the sequential run's.
    """

    @hook_impl
    def before_pipeline_run(self, catalog: Any) -> None:
        """Under ParallelRunner: spawn the workers and let them read the model inputs.

        * TensorFlow and JAX start threads when imported, and a child forked from such a
          process hangs: workers are spawned (``KEDRO_MP_CONTEXT``, unless already set).
        * A ``CachedDataset`` holds its data in one process, so Kedro refuses it under
          ParallelRunner: each is replaced by the file dataset it wraps, which every
          worker reads for itself.
        """
        if not isinstance(catalog, SharedMemoryDataCatalog):  # the ParallelRunner's catalog
            return
        os.environ.setdefault("KEDRO_MP_CONTEXT", "spawn")
        cached = [name for name, dataset in catalog.items() if isinstance(dataset, CachedDataset)]
        for name in cached:
            catalog[name] = catalog[name]._dataset  # CachedDataset has no public accessor
        logger.info(
            "ParallelRunner: workers are spawned; each reads from their files: %s",
            ", ".join(cached) or "(no cached datasets)",
        )
