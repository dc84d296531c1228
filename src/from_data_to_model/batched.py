"""Many same-shaped models trained as one JAX program: ``jax.vmap`` over Keras 3's
stateless API (``stateless_call``, ``optimizer.stateless_apply``), one ``lax.scan`` per
epoch.

Each model keeps what makes it itself, as ``models.fit_model`` trains it: its initial
weights, its batch order (the NumPy permutations Keras draws after
``keras.utils.set_random_seed``), its dropout masks (its own seed generators' states), its
L1/L2 strengths (its own penalty), its epochs and its early stopping (patience, best
weights restored). A model that stops leaves the batch. With one model, the history and
weights equal ``fit_model``'s to float tolerance (``tests/test_batched.py``).

The study's training nodes use it where ``training.batch_models`` is ``auto`` and the
backend is JAX (``modelling.nodes.BatchTraining``); ``benchmarks/batched_training.py``
measures it.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from from_data_to_model.model_spec import ModelSpec, shape_key

EVAL_CHUNK = 2048  # rows at a time when measuring losses in inference mode


def batchable(specs: list[ModelSpec]) -> str | None:
    """Why these models cannot be one program, or None when they can."""
    import keras

    if keras.backend.backend() != "jax":
        return f"batched training needs the JAX backend (this is {keras.backend.backend()})"
    if len({shape_key(spec) for spec in specs}) > 1:
        return "the models differ in more than seed, L1/L2, epochs and early stopping"
    if any(spec.loss != "categorical_crossentropy" for spec in specs):
        return "batched training computes categorical cross-entropy only"
    if any(tuple(spec.metrics) != ("accuracy",) for spec in specs):
        return "batched training reports accuracy only"
    if any(spec.optimizer.weight_decay for spec in specs):
        return "batched training does not apply weight decay"
    return None


GIB = 2**30


class ProgramTooLargeError(MemoryError):
    """A batch of models that would not fit in the memory available."""


def _model_bytes(spec: ModelSpec, X_train: np.ndarray) -> int:
    """Bytes one model of a program holds at its peak: its weights six times over (its Keras
    model's, the stacked ones, the optimizer's slots, the gradients, the best weights kept,
    the step's new ones), a step's activations forward and back, a measuring chunk's, and
    its batch orders."""
    rows, width = X_train.shape
    layers = [width, *spec.hidden.units, spec.output.units]
    weights = sum(a * b + b for a, b in zip(layers, layers[1:], strict=False))
    units = sum(layers[1:])
    return 4 * (6 * weights + 4 * spec.batch_size * units + 2 * EVAL_CHUNK * units) + 8 * rows


def memory_needed(specs: list[ModelSpec], X_train: np.ndarray, X_val: np.ndarray) -> int:
    """Bytes a program of ``specs`` is expected to hold at its peak: each model's
    (``_model_bytes``), and the data on the device once."""
    models = sum(_model_bytes(spec, X_train) for spec in specs)
    return models + X_train.nbytes + X_val.nbytes


def available_memory() -> int | None:
    """Bytes the system can give without swapping (``MemAvailable``; None: unknown)."""
    try:
        with open("/proc/meminfo") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None


def check_memory(
    specs: list[ModelSpec], X_train: np.ndarray, X_val: np.ndarray, available: int | None = None
) -> None:
    """Stop, before any training, a program that would not fit in ``available`` bytes
    (default: ``available_memory()``), saying how many models would.

    Raises:
        ProgramTooLargeError: naming ``training.max_batch_models`` and ``training.batch_models``.
    """
    available = available_memory() if available is None else available
    needed = memory_needed(specs, X_train, X_val)
    if available is None or needed <= available:
        return
    fits = max(1, (available - X_train.nbytes - X_val.nbytes) // _model_bytes(specs[0], X_train))
    raise ProgramTooLargeError(
        f"Training these {len(specs)} models as one program needs about {needed / GIB:.1f} "
        f"GiB, and {available / GIB:.1f} GiB is available. Nothing was trained. Train "
        f"fewer at once: --params training.max_batch_models={min(fits, len(specs) - 1)} "
        "(or in conf/local/parameters_training.yml), or one at a time: --params "
        "training.batch_models=off."
    )


@dataclass
class _Member:
    """One model of the batch, and where its training stands."""

    spec: ModelSpec
    model: Any
    permutations: np.random.RandomState
    history: dict[str, list[float]] = field(default_factory=dict)
    best: float | None = None
    best_epoch: int = 0
    best_weights: list[Any] | None = None
    wait: int = 0

    @property
    def restores(self) -> bool:
        early = self.spec.early_stopping
        return early.enabled and early.restore_best_weights

    def log(self, logs: dict[str, float]) -> None:
        for name, value in logs.items():
            self.history.setdefault(name, []).append(value)

    def stops(self, epoch: int, logs: dict[str, float], weights: list[Any]) -> bool:
        """Whether this epoch ends its training: its last epoch, or Keras'
        ``EarlyStopping`` (min_delta 0, no baseline) stopping it."""
        early = self.spec.early_stopping
        if not early.enabled:
            return epoch + 1 >= self.spec.epochs
        current = logs[early.monitor]
        if self.restores and self.best_weights is None:
            self.best_weights, self.best_epoch = weights, epoch
        self.wait += 1
        if self.best is None or current < self.best:
            self.best, self.best_epoch, self.wait = current, epoch, 0
            if self.restores:
                self.best_weights = weights
        elif self.wait >= early.patience and epoch > 0:
            return True
        return epoch + 1 >= self.spec.epochs

    def finish(self, weights: list[Any], state: list[Any], slots: list[Any]) -> None:
        """Put its weights (its best, where early stopping restores them), its seed
        generators' state and its optimizer's state into its own Keras model."""
        model = self.model
        weights = self.best_weights if self.restores and self.best_weights else weights
        model.optimizer.build(model.trainable_variables)
        for variables, values in (
            (model.trainable_variables, weights),
            (model.non_trainable_variables, state),
            (model.optimizer.variables, slots),
        ):
            for variable, value in zip(variables, values, strict=True):
                variable.assign(value)

    def fit(self, wall: float, data_seconds: float, models: int) -> dict[str, float]:
        """What ``fit_model`` says of a fit; the batch's seconds shared among its models."""
        restored = self.restores and self.best_weights is not None
        return {
            "model_epoch": self.best_epoch + 1 if restored else len(self.history["loss"]),
            "fit_seconds": wall / models,
            "data_loss_seconds": data_seconds / models,
        }


@dataclass
class _Stack:
    """The active models' variables, stacked on a leading axis (one row per model)."""

    trainable: list[Any]
    non_trainable: list[Any]
    slots: list[Any]
    strength: Any  # (models, 2): each model's L1 and L2

    def row(self, position: int) -> tuple[list[Any], list[Any], list[Any]]:
        return tuple([w[position] for w in part] for part in self.parts)

    @property
    def parts(self) -> tuple[list[Any], list[Any], list[Any]]:
        return self.trainable, self.non_trainable, self.slots

    def keep(self, positions: list[int]) -> _Stack:
        import jax.numpy as jnp

        kept = jnp.asarray(positions, jnp.int32)
        trainable, non_trainable, slots = ([w[kept] for w in part] for part in self.parts)
        return _Stack(trainable, non_trainable, slots, self.strength[kept])


def _stack(members: list[_Member], optimizer: Any) -> _Stack:
    import jax.numpy as jnp

    def stacked(values: list[list[Any]]) -> list[Any]:
        return [jnp.stack([jnp.asarray(v[k]) for v in values]) for k in range(len(values[0]))]

    models = [m.model for m in members]
    strengths = [[m.spec.hidden.l1, m.spec.hidden.l2] for m in members]
    return _Stack(
        stacked([[v.value for v in m.trainable_variables] for m in models]),
        stacked([[v.value for v in m.non_trainable_variables] for m in models]),
        stacked([[v.value for v in optimizer.variables] for _ in models]),
        jnp.asarray(strengths, jnp.float32),
    )


def _hidden_kernels(model: Any) -> list[int]:
    """The positions, among the trainable variables, of the hidden layers' kernels."""
    import keras

    dense = [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)]
    ids = [id(layer.kernel) for layer in dense[:-1]]
    return [i for i, v in enumerate(model.trainable_variables) if id(v) in ids]


class _Program:
    """The jitted functions every model of the batch runs: an epoch of steps, and the
    data losses in inference mode."""

    def __init__(self, template: Any):
        import jax
        import jax.numpy as jnp
        import keras

        self.optimizer = template.optimizer
        self.optimizer.build(template.trainable_variables)
        kernels = _hidden_kernels(template)

        def penalty(trainable, strength):
            weights = [trainable[i] for i in kernels]
            return sum(strength[0] * jnp.abs(w).sum() + strength[1] * jnp.square(w).sum()
                       for w in weights)  # fmt: skip

        def loss(trainable, non_trainable, strength, x, y):
            predicted, non_trainable = template.stateless_call(
                trainable, non_trainable, x, training=True
            )
            value = keras.losses.categorical_crossentropy(y, predicted).mean()
            return value + penalty(trainable, strength), (non_trainable, predicted)

        def step(carry, rows, strength, X, Y):
            trainable, non_trainable, slots, loss_sum, correct = carry
            x, y = X[rows], Y[rows]
            (value, (non_trainable, predicted)), grads = jax.value_and_grad(loss, has_aux=True)(
                trainable, non_trainable, strength, x, y
            )
            trainable, slots = self.optimizer.stateless_apply(slots, grads, trainable)
            right = (predicted.argmax(-1) == y.argmax(-1)).sum()
            return trainable, non_trainable, slots, loss_sum + value * len(rows), correct + right

        def steps(trainable, non_trainable, slots, strength, X, Y, orders):
            """One model's steps over ``orders`` (steps, batch)."""
            carry = (trainable, non_trainable, slots, jnp.float32(0), jnp.int32(0))
            carry, _ = jax.lax.scan(lambda c, rows: (step(c, rows, strength, X, Y), None),
                                    carry, orders)  # fmt: skip
            return carry

        def measure(trainable, non_trainable, strength, x, y):
            predicted, _ = template.stateless_call(trainable, non_trainable, x, training=False)
            losses = keras.losses.categorical_crossentropy(y, predicted)
            right = (predicted.argmax(-1) == y.argmax(-1)).sum()
            return losses.sum(), right, penalty(trainable, strength)

        self._steps = jax.jit(jax.vmap(steps, in_axes=(0, 0, 0, 0, None, None, 0)))
        self._measure = jax.jit(jax.vmap(measure, in_axes=(0, 0, 0, None, None)))

    def epoch(self, stack: _Stack, X: Any, Y: Any, orders: np.ndarray, batch: int):
        """Train every model of ``stack`` for one epoch, model k taking its rows in
        ``orders[k]``; returns the new stack, and per model its summed batch losses
        (each weighted by its batch's rows) and its correct predictions."""
        import jax.numpy as jnp

        full = orders.shape[1] // batch * batch
        chunks = [orders[:, :full].reshape(len(orders), -1, batch)]
        if full < orders.shape[1]:
            chunks.append(orders[:, None, full:])  # the last, smaller batch
        loss_sum = correct = 0
        for chunk in chunks:
            *parts, losses, right = self._steps(
                *stack.parts, stack.strength, X, Y, jnp.asarray(chunk)
            )
            stack = replace(stack, trainable=parts[0], non_trainable=parts[1], slots=parts[2])
            loss_sum, correct = loss_sum + np.asarray(losses), correct + np.asarray(right)
        return stack, loss_sum, correct

    def measure(self, stack: _Stack, x: Any, y: Any):
        """Per model: mean data loss, accuracy (inference mode) and L1/L2 penalty."""
        loss_sum = correct = penalty = 0
        for begin in range(0, len(x), EVAL_CHUNK):
            rows = slice(begin, begin + EVAL_CHUNK)
            losses, right, penalty = self._measure(
                stack.trainable, stack.non_trainable, stack.strength, x[rows], y[rows]
            )
            loss_sum, correct = loss_sum + np.asarray(losses), correct + np.asarray(right)
        return loss_sum / len(x), correct / len(x), np.asarray(penalty)


def _members(specs: list[ModelSpec], input_dim: int, rows: int) -> list[_Member]:
    """Each spec's model, seeded and built as ``fit_model`` builds it, with the batch
    orders its fit would draw."""
    import keras

    from from_data_to_model.models import build_model

    members = []
    for spec in specs:
        keras.utils.set_random_seed(spec.seed)
        model = build_model(spec, input_dim=input_dim)
        permutations = np.random.RandomState()
        permutations.set_state(np.random.get_state())  # the draws fit would make next:
        permutations.permutation(rows)  # one as Keras first builds the model, unused
        members.append(_Member(spec, model, permutations))
    return members


def fit_models(
    specs: list[ModelSpec],
    X_train: np.ndarray,
    y_train: np.ndarray,
    X_val: np.ndarray,
    y_val: np.ndarray,
    on_done: Callable[[int], None] | None = None,
) -> list[tuple[Any, dict[str, list[float]], dict[str, float]]]:
    """Train ``specs``' models together, each as ``models.fit_model`` would alone.

    ``on_done(k)`` is called with the spec's position as each model finishes.

    Returns:
        Per spec, in order: the model, its ``history.history``, and its fit
        (``model_epoch``, and ``fit_seconds`` and ``data_loss_seconds``: the batch's
        seconds shared among its models).
    """
    import jax.numpy as jnp

    if problem := batchable(specs):
        raise ValueError(problem)
    start = time.perf_counter()
    rows, batch = len(X_train), specs[0].batch_size
    members = _members(specs, X_train.shape[1], rows)
    program = _Program(members[0].model)
    stack = _stack(members, program.optimizer)
    X, Y, X_val, y_val = (jnp.asarray(a) for a in (X_train, y_train, X_val, y_val))  # once
    check_rows = min(specs[0].train_loss_rows, rows)
    X_check, y_check = X[:check_rows], Y[:check_rows]
    active, data_seconds = list(range(len(members))), 0.0
    for epoch in range(max(spec.epochs for spec in specs)):
        orders = np.stack([members[k].permutations.permutation(rows) for k in active])
        stack, loss_sum, correct = program.epoch(stack, X, Y, orders, batch)
        val_loss, val_accuracy, penalty = program.measure(stack, X_val, y_val)
        measured = time.perf_counter()
        train_data_loss, _, _ = program.measure(stack, X_check, y_check)
        data_seconds += time.perf_counter() - measured
        staying = []
        for position, k in enumerate(active):
            logs = {
                "accuracy": correct[position] / rows,
                "loss": loss_sum[position] / rows,
                "val_accuracy": val_accuracy[position],
                "val_loss": val_loss[position] + penalty[position],
                "train_data_loss": train_data_loss[position],
                "val_data_loss": val_loss[position],
            }
            logs = {name: float(value) for name, value in logs.items()}
            members[k].log(logs)
            weights, state, slots = stack.row(position)
            if members[k].stops(epoch, logs, weights):
                members[k].finish(weights, state, slots)
                if on_done is not None:
                    on_done(k)
            else:
                staying.append(position)
        if not staying:
            break
        if len(staying) < len(active):
            stack = stack.keep(staying)
            active = [active[p] for p in staying]
    wall = time.perf_counter() - start
    return [(m.model, m.history, m.fit(wall, data_seconds, len(members))) for m in members]


def fit_groups(
    specs: list[ModelSpec],
    X_train: np.ndarray,
    y_train: np.ndarray,
    X_val: np.ndarray,
    y_val: np.ndarray,
    on_done: Callable[[int], None] | None = None,
) -> list[tuple[Any, dict[str, list[float]], dict[str, float]]]:
    """Train any ``specs``: one ``fit_models`` program per group of same-shaped models
    (``shape_key``), the groups one after another; ``on_done(k)`` and the results as
    ``fit_models`` gives them, per spec in order."""
    groups: dict[tuple, list[int]] = {}
    for position, spec in enumerate(specs):
        groups.setdefault(shape_key(spec), []).append(position)
    fits: list[Any] = [None] * len(specs)
    for positions in groups.values():
        done = None if on_done is None else (lambda k, p=positions: on_done(p[k]))
        group = [specs[p] for p in positions]
        for position, fit in zip(positions, fit_models(group, X_train, y_train, X_val, y_val, done),
                                 strict=True):  # fmt: skip
            fits[position] = fit
    return fits
