"""Model specs as typed parameters: Kedro validates them before any node runs.

A spec is a block of ``parameters_*.yml``::

    hidden:         {units: [1568], activation: relu, l1: 0.0, l2: 0.0}
    dropout:        {rate: 0.5, layers: 0}     # Dropout layers after the hidden ones
    output:         {units: 10, activation: softmax}
    optimizer:      {name: rmsprop, learning_rate: 0.0005, weight_decay: 0.0}  # optional
    loss:           categorical_crossentropy
    metrics:        [accuracy]
    epochs:         20
    batch_size:     512
    early_stopping: {enabled: false, monitor: val_loss, patience: 3, restore_best_weights: true}
    seed:           42
    train_loss_rows: 8400   # rows of the training split on which each epoch's
                            # inference-mode training loss is measured

A variant states only what differs from shared defaults (``ModelSpecChanges``, every
field optional). Kedro checks both against these types when the run starts (node
parameters typed with pydantic models), so a typo or a bad value stops the run with
the parameter (``regularization.variants.l2``) and the field (``hidden.l2``) named.
This module imports no Keras: the names below are the Keras names the project accepts.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from omegaconf import OmegaConf
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    NonNegativeFloat,
    NonNegativeInt,
    PositiveFloat,
    PositiveInt,
    create_model,
)

Activation = Literal[
    "relu", "elu", "selu", "gelu", "silu", "swish", "tanh", "sigmoid", "softmax", "softplus",
    "leaky_relu", "linear",
]  # fmt: skip
OptimizerName = Literal["rmsprop", "adam", "adamw", "sgd", "nadam", "adamax", "adagrad", "lion"]
Loss = Literal[
    "categorical_crossentropy", "sparse_categorical_crossentropy", "binary_crossentropy",
    "mse", "mae", "huber",
]  # fmt: skip
Metric = Literal["accuracy", "categorical_accuracy", "mse", "mae", "root_mean_squared_error"]


class _Spec(BaseModel):
    # strict: "0.1" is not a number and `true` is not an epoch count; extra: typos fail.
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True, allow_inf_nan=False)


class HiddenLayers(_Spec):
    units: list[PositiveInt] = Field(min_length=1)
    activation: Activation
    l1: NonNegativeFloat
    l2: NonNegativeFloat


class DropoutLayers(_Spec):
    rate: float = Field(ge=0, lt=1)
    layers: NonNegativeInt


class OutputLayer(_Spec):
    units: PositiveInt
    activation: Activation


class Optimizer(_Spec):
    name: OptimizerName
    learning_rate: PositiveFloat
    # Decoupled weight decay (each step, weights shrink by learning_rate × weight_decay);
    # 0, the default, applies none: specs without it train as before it existed.
    weight_decay: NonNegativeFloat = 0.0


class EarlyStopping(_Spec):
    enabled: bool
    monitor: str
    patience: NonNegativeInt
    restore_best_weights: bool


class ModelSpec(_Spec):
    """Everything that defines one model and its training."""

    hidden: HiddenLayers
    dropout: DropoutLayers
    output: OutputLayer
    optimizer: Optimizer
    loss: Loss
    metrics: list[Metric]
    epochs: PositiveInt
    batch_size: PositiveInt
    early_stopping: EarlyStopping
    seed: NonNegativeInt
    train_loss_rows: PositiveInt  # training rows the inference-mode training loss is measured on


def _changes_of(spec: type[_Spec]) -> type[_Spec]:
    """The same fields and checks as ``spec``, each one optional (nested specs too)."""
    fields: dict[str, Any] = {}
    for name, info in spec.model_fields.items():
        annotation = info.annotation
        if isinstance(annotation, type) and issubclass(annotation, _Spec):
            annotation = _changes_of(annotation)
        checks = (annotation, *info.metadata)  # the field's constraints (ge, min_length, ...)
        fields[name] = (Annotated[checks] | None if info.metadata else annotation | None, None)
    name = f"{spec.__name__}Changes"
    changes = create_model(name, __base__=_Spec, __module__=__name__, **fields)
    globals()[name] = changes  # importable by name, so pickled values can be loaded
    return changes


ModelSpecChanges = _changes_of(ModelSpec)
ModelSpecChanges.__doc__ = "A variant's changes to the shared defaults: any subset of a spec."


def resolve_spec(defaults: ModelSpec, changes: _Spec | None) -> ModelSpec:
    """``defaults`` with ``changes`` merged in, nested blocks key by key (OmegaConf)."""
    if changes is None:
        return defaults
    merged = OmegaConf.merge(defaults.model_dump(), changes.model_dump(exclude_none=True))
    return ModelSpec.model_validate(OmegaConf.to_container(merged))


def spec_paths(spec: type[_Spec] | None = None, prefix: str = "") -> list[str]:
    """Every field of a spec by its path, in declaration order: ``hidden.units``, ..."""
    paths = []
    for name, info in (spec or ModelSpec).model_fields.items():
        if isinstance(info.annotation, type) and issubclass(info.annotation, _Spec):
            paths += spec_paths(info.annotation, f"{prefix}{name}.")
        else:
            paths.append(prefix + name)
    return paths


def flat_spec(spec: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """A resolved spec (``ModelSpec.model_dump()``) as one column per field, named by its
    path: ``{"hidden.units": "1568", "hidden.l1": 1e-08, ...}``; lists read ``128-64``."""
    columns: dict[str, Any] = {}
    for key, value in spec.items():
        if isinstance(value, dict):
            columns |= flat_spec(value, f"{prefix}{key}.")
        else:
            columns[prefix + key] = (
                "-".join(str(v) for v in value) if isinstance(value, list) else value
            )
    return columns


def nested(path: str, value: Any) -> dict[str, Any]:
    """``{"hidden": {"l1": value}}`` for the path ``hidden.l1``."""
    for key in reversed(path.split(".")):
        value = {key: value}
    return value


def setting(path: str, value: Any) -> ModelSpecChanges:
    """The changes that set one field of a spec, validated (the error names the field)."""
    return ModelSpecChanges.model_validate(nested(path, value))


def shape_key(spec: ModelSpec) -> tuple:
    """What models must share to be trained in one program: everything but their seed,
    L1/L2 strengths, epochs and early stopping."""
    hidden = spec.hidden
    return (
        tuple(hidden.units), hidden.activation, spec.dropout.layers, spec.dropout.rate,
        spec.output.units, spec.output.activation, spec.optimizer.model_dump_json(),
        spec.loss, tuple(spec.metrics), spec.batch_size, spec.train_loss_rows,
    )  # fmt: skip
