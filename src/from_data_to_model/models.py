"""Keras: a spec becomes a compiled model, and is fitted with its callbacks.

The only module besides the model dataset that imports Keras; node functions import it
when they run, so that ``kedro --help`` and pipeline building never load Keras.
"""

from __future__ import annotations

import logging
import random
import time
from typing import Any

import keras
import numpy as np

from from_data_to_model.model_spec import ModelSpec

logger = logging.getLogger(__name__)


class EpochLogger(keras.callbacks.Callback):
    """Log one line per epoch through Python logging (Keras' progress bar is off)."""

    def __init__(self, epochs: int):
        super().__init__()
        self.epochs = epochs

    def on_epoch_end(self, epoch: int, logs: dict[str, float] | None = None) -> None:
        logs = logs or {}
        order = ["loss", "val_loss"] + sorted(k for k in logs if k not in ("loss", "val_loss"))
        metrics = " - ".join(f"{name} {logs[name]:.4f}" for name in order if name in logs)
        logger.info("epoch %d/%d - %s", epoch + 1, self.epochs, metrics)


def regularization_penalty(model: keras.Model) -> float:
    """The L1/L2 penalty Keras adds to the loss, for the model's current weights."""
    return float(sum(keras.ops.convert_to_numpy(loss) for loss in model.losses))


class DataLoss(keras.callbacks.Callback):
    """Each epoch's data losses, measured the same way for training and validation.

    Keras' logged ``loss`` is a running mean over the epoch with dropout active and
    the L1/L2 penalty added, and its ``val_loss`` includes the penalty too. At each
    epoch's end this adds ``train_data_loss`` (the loss alone, in inference mode, on
    fixed training rows) and ``val_data_loss`` (``val_loss`` without the penalty).
    ``seconds`` is the time it spent.
    """

    def __init__(self, x: np.ndarray, y: np.ndarray, loss: str):
        super().__init__()
        self.x, self.y, self.loss = x, y, keras.losses.get(loss)
        self.seconds = 0.0

    def on_epoch_end(self, epoch: int, logs: dict[str, float] | None = None) -> None:
        start = time.perf_counter()
        logs = logs if logs is not None else {}
        predicted = self.model.predict(self.x, batch_size=4096, verbose=0)
        logs["train_data_loss"] = float(np.mean(keras.ops.convert_to_numpy(
            self.loss(self.y, predicted))))  # fmt: skip
        if "val_loss" in logs:
            logs["val_data_loss"] = float(logs["val_loss"]) - regularization_penalty(self.model)
        self.seconds += time.perf_counter() - start


def _kernel_regularizer(l1: float, l2: float) -> keras.regularizers.Regularizer | None:
    if l1 and l2:
        return keras.regularizers.L1L2(l1=l1, l2=l2)
    if l1:
        return keras.regularizers.L1(l1)
    if l2:
        return keras.regularizers.L2(l2)
    return None


def build_model(spec: ModelSpec, input_dim: int) -> keras.Model:
    """The compiled Keras model a spec describes.

    Input → Dense hidden layers (optionally L1/L2-regularized) → ``dropout.layers``
    Dropout layers → Dense output; compiled with the spec's optimizer (with weight decay
    where the spec sets it), loss, metrics.

    Each layer's seed comes from the spec's seed, drawn in the order (and so the values)
    Keras would draw from Python's global ``random``: the same model, even where another
    thread of the process (a Dask worker's, say) draws from that global generator too.
    """
    hidden, seeds = spec.hidden, random.Random(spec.seed)

    def seed() -> int:
        return seeds.randint(1, int(1e9))  # keras.random.make_default_seed's range

    layers: list[keras.Layer] = [keras.Input(shape=(input_dim,))]
    layers += [
        keras.layers.Dense(
            units,
            activation=hidden.activation,
            kernel_initializer=keras.initializers.GlorotUniform(seed=seed()),
            kernel_regularizer=_kernel_regularizer(hidden.l1, hidden.l2),
        )
        for units in hidden.units
    ]
    layers += [
        keras.layers.Dropout(spec.dropout.rate, seed=seed()) for _ in range(spec.dropout.layers)
    ]
    layers.append(
        keras.layers.Dense(
            spec.output.units,
            activation=spec.output.activation,
            kernel_initializer=keras.initializers.GlorotUniform(seed=seed()),
        )
    )
    model = keras.Sequential(layers)
    optimizer = spec.optimizer
    config = {"learning_rate": optimizer.learning_rate}
    if optimizer.weight_decay:
        config["weight_decay"] = optimizer.weight_decay
    optimizer = keras.optimizers.get({"class_name": optimizer.name, "config": config})
    model.compile(optimizer=optimizer, loss=spec.loss, metrics=list(spec.metrics))
    return model


def training_callbacks(
    spec: ModelSpec, X_train: np.ndarray, y_train: np.ndarray
) -> list[keras.callbacks.Callback]:
    """Data losses, per-epoch logging, and early stopping where the spec enables it."""
    rows = spec.train_loss_rows
    callbacks: list[keras.callbacks.Callback] = [
        DataLoss(X_train[:rows], y_train[:rows], spec.loss),
        EpochLogger(spec.epochs),
    ]
    early = spec.early_stopping
    if early.enabled:
        callbacks.append(
            keras.callbacks.EarlyStopping(
                monitor=early.monitor,
                patience=early.patience,
                restore_best_weights=early.restore_best_weights,
            )
        )
    return callbacks


def restored_epoch(callbacks: list[keras.callbacks.Callback]) -> int | None:
    """The (1-based) epoch whose weights early stopping put back at the end of the fit:
    Keras restores its best epoch's whenever ``restore_best_weights`` is set, stopped
    early or not. None without early stopping, or where it restores nothing."""
    for callback in callbacks:
        if isinstance(callback, keras.callbacks.EarlyStopping):
            if callback.restore_best_weights and callback.best_weights is not None:
                return callback.best_epoch + 1
    return None


def fit_model(
    spec: ModelSpec, X_train: np.ndarray, y_train: np.ndarray, X_val: np.ndarray, y_val: np.ndarray
) -> tuple[keras.Model, dict[str, list[float]], dict[str, float]]:
    """Seed, build and fit the model.

    Returns:
        The model, ``history.history``, and what else the fit says: ``model_epoch``, the
        epoch whose weights the model holds, and the seconds spent: ``fit_seconds`` in
        all, ``data_loss_seconds`` of them measuring the data losses.
    """
    keras.utils.set_random_seed(spec.seed)
    model = build_model(spec, input_dim=X_train.shape[1])
    callbacks = training_callbacks(spec, X_train, y_train)
    start = time.perf_counter()
    fitted = model.fit(
        X_train,
        y_train,
        validation_data=(X_val, y_val),
        epochs=spec.epochs,
        batch_size=spec.batch_size,
        callbacks=callbacks,
        verbose=0,
    )
    fit = {
        "model_epoch": restored_epoch(callbacks) or len(fitted.history["loss"]),
        "fit_seconds": time.perf_counter() - start,
        "data_loss_seconds": callbacks[0].seconds,
    }
    return model, fitted.history, fit


def runtime() -> dict[str, Any]:
    """The Keras backend, its version, and Keras' version a model was trained with."""
    from importlib.metadata import PackageNotFoundError, version

    backend = keras.backend.backend()
    try:
        backend_version = version(backend)
    except PackageNotFoundError:
        backend_version = "unknown"
    return {
        "keras_backend": backend,
        "backend_version": backend_version,
        "keras_version": keras.__version__,
    }
