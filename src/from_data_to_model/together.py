"""The models of one ``kedro run`` trained together (``training.batch_models: auto``).

Every model keeps its own training node, whatever the setting: the pipelines are the same,
and so are ``--only-missing-outputs``, ``--namespaces``, progress and tracking, model by
model. What batching changes is how those nodes train, on a backend that can (JAX):

* ``TrainingTogetherHooks`` notes, as the run starts, the training nodes it will run (with
  ``--only-missing-outputs``, those with an output missing), and hands each one, as it
  starts, the group it belongs to (``TrainingGroup``, in place of its ``params:training``).
* The first node of a group to run trains as one program (``batched.fit_models``) the
  group's models this run has still to train that share its layers' shapes, at most
  ``training.max_batch_models`` of them; it keeps the others' results, and each of their
  nodes returns its own.

A group is the models of one variant, or of one sweep family, that read the same
parameters. Where nodes run in other processes (``ParallelRunner``, the Dask runner) each
trains alone: those runners spread the models over processes instead. Nothing is saved
but by the nodes: an interrupted run keeps the models whose nodes finished, and a resumed
one trains the others, together.

This module imports neither Keras nor NumPy: every ``kedro`` command reads it.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from typing import Any

from kedro.framework.hooks import hook_impl
from kedro.pipeline import Pipeline
from kedro.pipeline.node import Node
from pydantic import PrivateAttr

from from_data_to_model.hooks import TrainingProgressHooks, nodes_to_run
from from_data_to_model.model_spec import ModelSpec, shape_key
from from_data_to_model.study import TRAINING_TAG, Run, TrainingPlan, configured_backend

logger = logging.getLogger(__name__)

TRAINING_INPUT = "params:training"  # a training node's training plan, as the catalog names it
Fit = tuple[Any, dict[str, list[float]], dict[str, float]]  # model, history, what the fit says


def run_of(node: Node) -> Run | None:
    """The run a training node trains (``modelling.nodes.Training``), or None."""
    training = getattr(node.func, "__self__", None)
    return getattr(training, "run", None) if TRAINING_TAG in node.tags else None


class TrainingGroup(TrainingPlan):
    """A run's training plan, as one node of a group receives it: the group's models this
    run has still to train, and the results of those trained with another's node."""

    _pending: list[Run] = PrivateAttr(default_factory=list)
    _trained: dict[str, tuple[Fit, int]] = PrivateAttr(default_factory=dict)
    _lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)
    _finished: Callable[[str], None] | None = PrivateAttr(default=None)

    @classmethod
    def of(
        cls, plan: TrainingPlan, runs: list[Run], finished: Callable[[str], None] | None = None
    ) -> TrainingGroup:
        """The group of ``runs``; ``finished(namespace)`` is told of each model as it
        finishes in a program (the run's progress)."""
        group = cls(**plan.model_dump())
        group._pending, group._finished = list(runs), finished
        return group

    def fit(
        self, run: Run, spec_of: Callable[[Run], ModelSpec], data: list[Any]
    ) -> tuple[Fit, int]:
        """``run``'s fit, and how many models its program trained: kept from the program
        that trained it, or from a program of ``run`` and the group's models still to
        train whose specs (``spec_of``) share its layers' shapes, up to the cap."""
        with self._lock:  # a ThreadRunner may run two nodes of a group at once
            if run.namespace not in self._trained:
                self._train_with(run, spec_of, data)
            return self._trained.pop(run.namespace)

    def _train_with(self, run: Run, spec_of: Callable[[Run], ModelSpec], data: list[Any]):
        from from_data_to_model import batched, models

        shape = shape_key(spec_of(run))
        others = [o for o in self._pending if o != run and shape_key(spec_of(o)) == shape]
        cap = self.max_batch_models
        together = [run] + (others[: cap - 1] if cap else others)
        specs = [spec_of(member) for member in together]
        if len(together) > 1 and (problem := batched.batchable(specs)):
            logger.warning("Training %s alone: %s.", run.namespace, problem)
            together, specs = [run], specs[:1]
        self._pending = [other for other in self._pending if other not in together]
        if len(together) == 1:
            self._trained[run.namespace] = (models.fit_model(specs[0], *data), 1)
            return
        batched.check_memory(specs, data[0], data[2])
        logger.info(
            "Training %d models as one program: %s",
            len(together), ", ".join(member.namespace for member in together),
        )  # fmt: skip
        finished = iter(range(1, len(together) + 1))

        def done(k: int) -> None:
            namespace = together[k].namespace
            logger.info("Finished %s (%d of %d in this program)",
                        namespace, next(finished), len(together))  # fmt: skip
            if self._finished is not None:
                self._finished(namespace)

        fits = batched.fit_models(specs, *data, on_done=done)
        for member, fit in zip(together, fits, strict=True):
            self._trained[member.namespace] = (fit, len(together))


class TrainingTogetherHooks:
    """Hand each training node of a run the group it trains with (``TrainingGroup``), where
    the run trains models together: ``training.batch_models: auto`` on the JAX backend,
    its nodes run in this process; tell ``progress`` of each model as it finishes."""

    def __init__(self, progress: TrainingProgressHooks | None = None) -> None:
        self._progress = progress  # told of each model as it finishes in a program
        self._groups: dict[tuple[str, ...], TrainingGroup] = {}
        self._pid: int | None = None

    @hook_impl
    def before_pipeline_run(
        self, pipeline: Pipeline, catalog: Any, run_params: dict[str, Any]
    ) -> None:
        """Group the training nodes this run will run by the parameters they read."""
        self._groups, self._pid = {}, os.getpid()
        if TRAINING_INPUT not in catalog or configured_backend() != "jax":
            return
        plan = TrainingPlan.model_validate(catalog.load(TRAINING_INPUT))
        if plan.batch_models == "off":
            return
        runs: dict[tuple[str, ...], list[Run]] = {}
        for node in nodes_to_run(pipeline, catalog, run_params):
            if (run := run_of(node)) is not None and TRAINING_INPUT in node.inputs:
                runs.setdefault(self._key(node), []).append(run)
        finished = None if self._progress is None else self._progress.model_finished
        self._groups = {key: TrainingGroup.of(plan, group, finished) for key, group in runs.items()}

    @staticmethod
    def _key(node: Node) -> tuple[str, ...]:
        """What a group's nodes share: every input (data and parameters) but the plan."""
        return tuple(name for name in node.inputs if name != TRAINING_INPUT)

    @hook_impl
    def before_node_run(self, node: Node) -> dict[str, Any] | None:
        """A training node's group, in place of its plan (none: it trains alone)."""
        if self._pid != os.getpid() or run_of(node) is None:
            return None  # another process's node (a ParallelRunner's worker): alone
        group = self._groups.get(self._key(node))
        return None if group is None else {TRAINING_INPUT: group}

    @hook_impl
    def after_pipeline_run(self) -> None:
        self._groups = {}

    @hook_impl
    def on_pipeline_error(self) -> None:
        self._groups = {}
