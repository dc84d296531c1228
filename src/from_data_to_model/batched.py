"""Many same-shaped models trained as one JAX program over Keras 3's stateless API
(``stateless_call``, ``optimizer.stateless_apply``): one ``lax.scan`` per epoch, each of
its steps a step of every model.

Each model keeps what makes it itself, as ``models.fit_model`` trains it: its initial
weights, its batch order (the NumPy permutations Keras draws after
``keras.utils.set_random_seed``), its dropout masks (its own seed generators' states), its
L1/L2 strengths (its own penalty), its epochs and its early stopping (patience, best
weights restored). A model that stops leaves the batch. With one model, the history and
weights equal ``fit_model``'s to float tolerance (``tests/test_batched.py``).

The study's training nodes use it where ``training.batch_models`` is ``auto`` and the
backend is JAX (``together.py``); ``benchmarks/batched_training.py`` measures it.
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
    model's, the program's copy, the optimizer's slots, the gradients, the best weights kept,
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
class _State:
    """The active models' variables, model by model (each a list in Keras' order)."""

    trainable: list[list[Any]]
    non_trainable: list[list[Any]]
    slots: list[list[Any]]
    strength: list[Any]  # each model's L1 and L2

    def row(self, position: int) -> tuple[list[Any], list[Any], list[Any]]:
        return self.trainable[position], self.non_trainable[position], self.slots[position]

    @property
    def parts(self) -> tuple[list[list[Any]], list[list[Any]], list[list[Any]]]:
        return self.trainable, self.non_trainable, self.slots

    def keep(self, positions: list[int]) -> _State:
        return _State(*([part[p] for p in positions] for part in (*self.parts, self.strength)))


def _state(members: list[_Member], optimizer: Any) -> _State:
    import jax.numpy as jnp

    def values(variables: list[Any]) -> list[Any]:
        return [jnp.asarray(v.value) for v in variables]

    return _State(
        [values(m.model.trainable_variables) for m in members],
        [values(m.model.non_trainable_variables) for m in members],
        [values(optimizer.variables) for _ in members],
        [jnp.asarray([m.spec.hidden.l1, m.spec.hidden.l2], jnp.float32) for m in members],
    )


def _hidden_kernels(model: Any) -> list[int]:
    """The positions, among the trainable variables, of the hidden layers' kernels."""
    import keras

    dense = [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)]
    ids = [id(layer.kernel) for layer in dense[:-1]]
    return [i for i, v in enumerate(model.trainable_variables) if id(v) in ids]


class _Program:
    """The jitted functions that run every model of the batch: an epoch of steps, and the
    data losses in inference mode.

    Each step of the program takes one step of every model, each on its own rows: the
    models' matrix products stay plain (not batched ones, as ``jax.vmap`` would make
    them), and XLA may run one model's beside another's. A model that stops leaves the
    program, which is compiled again for the models that stay (a few seconds, against
    about 3.5 s of a 6-model step program run under ``lax.cond`` skips, 19 % slower).
    """

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

        def step(trainable, non_trainable, slots, strength, x, y):
            """One model's step on its batch ``x``, ``y``."""
            (value, (non_trainable, predicted)), grads = jax.value_and_grad(loss, has_aux=True)(
                trainable, non_trainable, strength, x, y
            )
            trainable, slots = self.optimizer.stateless_apply(slots, grads, trainable)
            right = (predicted.argmax(-1) == y.argmax(-1)).sum()
            return trainable, non_trainable, slots, value * len(x), right

        def steps(trainable, non_trainable, slots, strength, X, Y, orders):
            """Every model's steps over ``orders`` (steps, models, batch): model k's step
            after step on its rows ``orders[:, k]``."""
            models = len(trainable)

            def all_models(carry, rows):
                trainable, non_trainable, slots, loss_sum, correct = carry
                taken = [
                    step(trainable[k], non_trainable[k], slots[k], strength[k],
                         X[rows[k]], Y[rows[k]])
                    for k in range(models)
                ]  # fmt: skip
                trainable, non_trainable, slots, values, right = (
                    list(t) for t in zip(*taken, strict=True)
                )
                return (trainable, non_trainable, slots, loss_sum + jnp.stack(values),
                        correct + jnp.stack(right)), None  # fmt: skip

            carry = (trainable, non_trainable, slots, jnp.zeros(models, jnp.float32),
                     jnp.zeros(models, jnp.int32))  # fmt: skip
            carry, _ = jax.lax.scan(all_models, carry, orders)
            return carry

        def measure(trainable, non_trainable, strength, x, y):
            """Per model: summed data loss and correct predictions in inference mode, and
            its L1/L2 penalty."""
            found = []
            for k in range(len(trainable)):
                predicted, _ = template.stateless_call(
                    trainable[k], non_trainable[k], x, training=False
                )
                losses = keras.losses.categorical_crossentropy(y, predicted)
                right = (predicted.argmax(-1) == y.argmax(-1)).sum()
                found.append((losses.sum(), right, penalty(trainable[k], strength[k])))
            return tuple(jnp.stack(part) for part in zip(*found, strict=True))

        self._steps = jax.jit(steps)
        self._measure = jax.jit(measure)

    def epoch(self, state: _State, X: Any, Y: Any, orders: np.ndarray, batch: int):
        """Train every model of ``state`` for one epoch, model k taking its rows in
        ``orders[k]``; returns the new state, and per model its summed batch losses
        (each weighted by its batch's rows) and its correct predictions."""
        import jax.numpy as jnp

        full = orders.shape[1] // batch * batch
        chunks = [orders[:, :full].reshape(len(orders), -1, batch)]
        if full < orders.shape[1]:
            chunks.append(orders[:, None, full:])  # the last, smaller batch
        loss_sum = correct = 0
        for chunk in chunks:
            *parts, losses, right = self._steps(
                *state.parts, state.strength, X, Y, jnp.asarray(chunk.swapaxes(0, 1))
            )
            state = replace(state, trainable=parts[0], non_trainable=parts[1], slots=parts[2])
            loss_sum, correct = loss_sum + np.asarray(losses), correct + np.asarray(right)
        return state, loss_sum, correct

    def measure(self, state: _State, x: Any, y: Any):
        """Per model: mean data loss, accuracy (inference mode) and L1/L2 penalty."""
        loss_sum = correct = penalty = 0
        for begin in range(0, len(x), EVAL_CHUNK):
            rows = slice(begin, begin + EVAL_CHUNK)
            losses, right, penalty = self._measure(
                state.trainable, state.non_trainable, state.strength, x[rows], y[rows]
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
    state = _state(members, program.optimizer)
    X, Y, X_val, y_val = (jnp.asarray(a) for a in (X_train, y_train, X_val, y_val))  # once
    check_rows = min(specs[0].train_loss_rows, rows)
    X_check, y_check = X[:check_rows], Y[:check_rows]
    active, data_seconds = list(range(len(members))), 0.0
    for epoch in range(max(spec.epochs for spec in specs)):
        orders = np.stack([members[k].permutations.permutation(rows) for k in active])
        state, loss_sum, correct = program.epoch(state, X, Y, orders, batch)
        val_loss, val_accuracy, penalty = program.measure(state, X_val, y_val)
        measured = time.perf_counter()
        train_data_loss, _, _ = program.measure(state, X_check, y_check)
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
            weights, non_trainable, slots = state.row(position)
            if members[k].stops(epoch, logs, weights):
                members[k].finish(weights, non_trainable, slots)
                if on_done is not None:
                    on_done(k)
            else:
                staying.append(position)
        if not staying:
            break
        if len(staying) < len(active):
            state = state.keep(staying)
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
