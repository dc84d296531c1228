"""Model specs → compiled Keras models, and the validation of those specs.

A spec is a plain dict (a block of ``parameters_*.yml``), resolved as the deep merge
of shared defaults and a variant's overrides::

    hidden:         {units: [1568], activation: relu, l1: 0.0, l2: 0.0}
    dropout:        {rate: 0.5, layers: 0}     # Dropout layers after the hidden ones
    output:         {units: 10, activation: softmax}
    optimizer:      {name: rmsprop, learning_rate: 0.0005}
    loss:           categorical_crossentropy
    metrics:        [accuracy]
    epochs:         20
    batch_size:     512
    early_stopping: {enabled: false, monitor: val_loss, patience: 3, restore_best_weights: true}
    seed:           42
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable, Mapping
from numbers import Real
from typing import Any

import keras


class ModelSpecError(ValueError):
    """A model spec is invalid; the message names the variant and the field."""


def deep_merge(defaults: Mapping[str, Any], overrides: Mapping[str, Any]) -> dict[str, Any]:
    """Return ``defaults`` updated by ``overrides``, nested mappings merged key by key.

    Neither argument is modified.
    """
    merged = copy.deepcopy(dict(defaults))
    for key, value in overrides.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _positive_int(value: Any) -> str | None:
    return None if _is_int(value) and value > 0 else "must be a positive integer"


def _non_negative_int(value: Any) -> str | None:
    return None if _is_int(value) and value >= 0 else "must be an integer >= 0"


def _is_number(value: Any) -> bool:
    return isinstance(value, Real) and not isinstance(value, bool) and math.isfinite(value)


def _non_negative_number(value: Any) -> str | None:
    return None if _is_number(value) and value >= 0 else "must be a number >= 0"


def _positive_number(value: Any) -> str | None:
    return None if _is_number(value) and value > 0 else "must be a number > 0"


def _dropout_rate(value: Any) -> str | None:
    return None if _is_number(value) and 0 <= value < 1 else "must be a number in [0, 1)"


def _units_list(value: Any) -> str | None:
    ok = isinstance(value, list) and all(_is_int(u) and u > 0 for u in value)
    return None if ok else "must be a list of positive integers"


def _keras_name(getter: Callable[[str], Any], kind: str) -> Callable[[Any], str | None]:
    def check(value: Any) -> str | None:
        if not isinstance(value, str) or not value:
            return f"must be the name of a Keras {kind}"
        try:
            getter(value)
        except (ValueError, TypeError, KeyError, AttributeError):
            return f"unknown {kind} {value!r}"
        return None

    return check


def _boolean(value: Any) -> str | None:
    return None if isinstance(value, bool) else "must be true or false"


def _string(value: Any) -> str | None:
    return None if isinstance(value, str) else "must be a string"


def _metric_names(value: Any) -> str | None:
    ok = isinstance(value, list) and all(isinstance(m, str) for m in value)
    return None if ok else "must be a list of metric names"


_activation = _keras_name(keras.activations.get, "activation")

SCHEMA: dict[str, Any] = {
    "hidden": {
        "units": _units_list,
        "activation": _activation,
        "l1": _non_negative_number,
        "l2": _non_negative_number,
    },
    "dropout": {"rate": _dropout_rate, "layers": _non_negative_int},
    "output": {"units": _positive_int, "activation": _activation},
    "optimizer": {
        "name": _keras_name(keras.optimizers.get, "optimizer"),
        "learning_rate": _positive_number,
    },
    "loss": _keras_name(keras.losses.get, "loss"),
    "metrics": _metric_names,
    "epochs": _positive_int,
    "batch_size": _positive_int,
    "early_stopping": {
        "enabled": _boolean,
        "monitor": _string,
        "patience": _non_negative_int,
        "restore_best_weights": _boolean,
    },
    "seed": _non_negative_int,
}


def _validate(spec: Any, schema: dict[str, Any], variant: str, prefix: str = "") -> None:
    if not isinstance(spec, Mapping):
        raise ModelSpecError(
            f"variant {variant!r}: {prefix.rstrip('.') or 'spec'} must be a mapping"
        )
    for key in spec:
        if key not in schema:
            raise ModelSpecError(
                f"variant {variant!r}: unknown field {prefix + str(key)!r} "
                f"(known: {', '.join(sorted(schema))})"
            )
    for key, rule in schema.items():
        field = prefix + key
        if key not in spec:
            raise ModelSpecError(f"variant {variant!r}: field {field!r} is missing")
        if isinstance(rule, dict):
            _validate(spec[key], rule, variant, prefix=f"{field}.")
        elif (problem := rule(spec[key])) is not None:
            raise ModelSpecError(
                f"variant {variant!r}: field {field!r} {problem}, got {spec[key]!r}"
            )


def resolve_model_spec(
    defaults: Mapping[str, Any], overrides: Mapping[str, Any] | None, variant: str = "model"
) -> dict[str, Any]:
    """Merge a variant's overrides into the defaults and validate the result.

    Raises:
        ModelSpecError: naming ``variant`` and the offending field.
    """
    if overrides is not None and not isinstance(overrides, Mapping):
        raise ModelSpecError(f"variant {variant!r}: overrides must be a mapping, got {overrides!r}")
    spec = deep_merge(defaults, overrides or {})
    _validate(spec, SCHEMA, variant)
    return spec


def _kernel_regularizer(l1: float, l2: float) -> keras.regularizers.Regularizer | None:
    if l1 and l2:
        return keras.regularizers.L1L2(l1=l1, l2=l2)
    if l1:
        return keras.regularizers.L1(l1)
    if l2:
        return keras.regularizers.L2(l2)
    return None


def build_model(spec: Mapping[str, Any], input_dim: int) -> keras.Model:
    """Build and compile the Keras model a (resolved, valid) spec describes.

    Input → Dense hidden layers (optionally L1/L2-regularized) → ``dropout.layers``
    Dropout layers → Dense output; compiled with the spec's optimizer, loss, metrics.
    """
    hidden, dropout, output = spec["hidden"], spec["dropout"], spec["output"]
    layers: list[keras.Layer] = [keras.Input(shape=(input_dim,))]
    for units in hidden["units"]:
        layers.append(
            keras.layers.Dense(
                units,
                activation=hidden["activation"],
                kernel_regularizer=_kernel_regularizer(hidden["l1"], hidden["l2"]),
            )
        )
    layers += [keras.layers.Dropout(dropout["rate"]) for _ in range(dropout["layers"])]
    layers.append(keras.layers.Dense(output["units"], activation=output["activation"]))
    model = keras.Sequential(layers)
    optimizer = keras.optimizers.get(
        {
            "class_name": spec["optimizer"]["name"],
            "config": {"learning_rate": spec["optimizer"]["learning_rate"]},
        }
    )
    model.compile(optimizer=optimizer, loss=spec["loss"], metrics=list(spec["metrics"]))
    return model
