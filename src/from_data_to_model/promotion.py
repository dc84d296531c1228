"""The model in use: one home for promotion.

A study's choice names a variant; the promoted model is that variant's seed with the
lowest validation loss (validation only, like the choice), behind the standardization its
training data had: a ``Normalization`` layer holding the fitted ``StandardScaler``'s mean
and scale. So one ``.keras`` file takes raw inputs (Fashion-MNIST's 784 pixels, 0-255, row
by row; housing's eight features) and needs nothing else to score them.

This module owns what a promotion is and where it is kept:

* ``Promotion``, the typed record saved beside the model: its ``kind`` (classifier or
  regressor), what it takes (``inputs``) and gives (``outputs``), and the run it came from;
* the promoted datasets' names (``model_dataset``, ``record_dataset``), which the
  pipelines wire and the catalog's ``{served}_promoted_model`` / ``{served}_promotion``
  patterns keep;
* what tracking needs (``promoted_in``: the promotions a node made, with their models).

Serving and ``predict`` read a record's fields; nothing else recognises a promoted model
by its dataset's name or by which keys its record has. Imports no Keras until a model is
bundled.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime, timezone
from typing import Any, Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, model_validator

CLASSIFIER, REGRESSOR = "classifier", "regressor"
SERVED_PREFIX = "from_data_to_model"  # a promoted model is served as <prefix>.<served>


def model_dataset(served: str) -> str:
    """The catalog name of the promoted model of ``served`` (``fashion_mnist``, ``housing``)."""
    return f"{served}_promoted_model"


def record_dataset(served: str) -> str:
    """The catalog name of its promotion record."""
    return f"{served}_promotion"


class Inputs(BaseModel):
    """What a promoted model takes: rows of ``width`` raw values."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    width: int
    layout: str  # in words, for a person and for the served model's error messages
    features: list[str] | None = None  # the columns of a row, by name, where they have names
    range: tuple[float, float] | None = None  # the values' range, where it is fixed (pixels)
    # per named feature, the values it can have at all (None: no bound on that side)
    possible: dict[str, tuple[float | None, float | None]] | None = None
    # images: a border brighter than this on average is a light background (0-255), and a
    # request of at least this many images is checked for its layout (input_warnings.py);
    # None: not checked (records saved before these checks)
    light_background: float | None = None
    layout_min_images: int | None = None
    # named features: a value farther than this many training standard deviations from the
    # training mean gets a warning (input_warnings.py); None: not checked
    warn_beyond_sd: float | None = None

    def impossible(self, rows: np.ndarray) -> str | None:
        """The first value no row can have (a negative population, a latitude beyond 90),
        named by row and feature, and the feature's possible values; None if there is none."""
        for column, name in enumerate(self.features or []):
            low, high = (self.possible or {}).get(name, (None, None))
            values = rows[:, column]
            outside = np.zeros(len(values), bool)
            if low is not None:
                outside |= values < low
            if high is not None:
                outside |= values > high
            if outside.any():
                row = int(np.argmax(outside))
                bounds = f"{'-inf' if low is None else f'{low:g}'} to "
                bounds += "inf" if high is None else f"{high:g}"
                return (
                    f"row {row + 1}, {name} is {values[row]:g}, which no house can have "
                    f"(possible: {bounds}). Send raw values in the training data's units."
                )
        return None


class Outputs(BaseModel):
    """What it gives: class probabilities (a classifier), or a value (a regressor)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    gives: str
    classes: list[str] | None = None  # a classifier's, in the order of its probabilities
    target: str | None = None  # a regressor's
    unit: str | None = None


class Promotion(BaseModel):
    """A promoted model's record: what it is, where it came from, and why."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["classifier", "regressor"]
    served: str  # fashion_mnist, housing: the datasets' and the served model's name
    study: str
    variant: str
    seed: int | None  # None: an ensemble (its members' seeds are in ``members``)
    namespace: str  # the run whose model was promoted (an ensemble's: its stage's)
    model_val_loss: float
    trained_at: str
    promoted_at: str
    reason: str
    inputs: Inputs
    outputs: Outputs
    members: list[str] = []  # an ensemble's: the namespaces of its networks
    temperature: float | None = None  # the temperature scaling inside the model, if any
    trained_on: str | None = None  # in words, where it is not the study's training split

    @model_validator(mode="before")
    @classmethod
    def _recorded_before_kinds(cls, record: Any) -> Any:
        """A record saved before records said their kind: a classifier has classes; its
        inputs said their ``shape``; the served name was the study's dataset."""
        if not isinstance(record, Mapping) or "kind" in record:
            return record
        record = dict(record)
        classifier = "classes" in record.get("outputs", {})
        record["kind"] = CLASSIFIER if classifier else REGRESSOR
        record["served"] = "fashion_mnist" if classifier else "housing"
        inputs = dict(record.get("inputs", {}))
        if "shape" in inputs:
            inputs["width"] = inputs.pop("shape")[0]
        elif "features" in inputs:
            inputs["width"] = len(inputs["features"])
        record["inputs"] = inputs
        return record

    @model_validator(mode="after")
    def _kind_has_its_outputs(self) -> Promotion:
        if self.kind == CLASSIFIER and not self.outputs.classes:
            raise ValueError("a classifier's outputs name its classes")
        if self.kind == REGRESSOR and not self.outputs.target:
            raise ValueError("a regressor's outputs name its target")
        return self

    @property
    def is_classifier(self) -> bool:
        return self.kind == CLASSIFIER

    @property
    def described(self) -> str:
        """Which model it is, in a few words: its run, or an ensemble's stage and size."""
        if not self.members:
            return self.namespace
        calibrated = f", temperature {self.temperature:.3f}" if self.temperature else ""
        return f"{self.namespace} (an ensemble of {len(self.members)}{calibrated})"

    @property
    def model_dataset(self) -> str:
        return model_dataset(self.served)

    @property
    def served_name(self) -> str:
        """The registered MLflow model it is served as."""
        return f"{SERVED_PREFIX}.{self.served}"

    def run_tags(self) -> dict[str, str]:
        """The run it came from, as tags of a registered model version."""
        fields = ("variant", "seed", "namespace", "model_val_loss", "trained_at", "temperature")
        tags = {key: str(getattr(self, key)) for key in fields if getattr(self, key) is not None}
        return tags | ({"members": ", ".join(self.members)} if self.members else {})


def promotion_record(
    served: str, run: Mapping[str, Any], reason: str, inputs: Inputs, outputs: Outputs
) -> Promotion:
    """The record of ``run``'s model promoted as ``served``, and why."""
    return Promotion(
        kind=CLASSIFIER if outputs.classes else REGRESSOR,
        served=served,
        study=run["study"],
        variant=run["variant"],
        seed=int(run["seed"]),
        namespace=run["namespace"],
        model_val_loss=float(run["model_val_loss"]),
        trained_at=run["trained_at"],
        promoted_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        reason=reason,
        inputs=inputs,
        outputs=outputs,
    )


def best_seed(runs: pd.DataFrame, variant: str) -> tuple[pd.Series, str]:
    """The variant's run with the lowest validation loss, and why, in words."""
    own = runs[runs["variant"] == variant].sort_values(["model_val_loss", "seed"])
    best = own.iloc[0]
    if len(own) == 1:
        return best, f"{variant} was trained once (seed {best['seed']})"
    others = ", ".join(f"{r.seed}: {r.model_val_loss:.4f}" for r in own.iloc[1:].itertuples())
    return best, (
        f"of {variant}'s {len(own)} seeds, {best['seed']} has the lowest validation loss "
        f"({best['model_val_loss']:.4f}; {others}): chosen on validation, like the variant"
    )


def standardized_input(scaler: Any) -> tuple[Any, Any]:
    """A Keras input of raw rows, and those rows standardized as ``scaler`` does.

    The ``Normalization`` layer computes ``(x - mean) / scale`` with the scaler's own mean
    and scale (scikit-learn sets the scale of a constant feature to 1), in float32.
    """
    import keras

    raw = keras.Input(shape=(len(scaler.mean_),), name="raw")
    standardized = keras.layers.Normalization(
        mean=scaler.mean_, variance=np.square(scaler.scale_), name="standardize"
    )(raw)
    return raw, standardized


def bundle_model(model: Any, scaler: Any) -> Any:
    """Raw inputs → the scaler's standardization → ``model``: one Keras model."""
    import keras

    raw, standardized = standardized_input(scaler)
    return keras.Model(raw, model(standardized), name="promoted")


def promote_chosen(promotion: Promotion, scaler: Any, **models: Callable[[], Any]) -> Any:
    """The promoted run's model behind its scaler: raw inputs in.

    ``models`` load the candidates' models when called (``{namespace}.model@loader`` in
    the catalog): only the promoted one is loaded.
    """
    return bundle_model(models[promotion.namespace](), scaler)


def promoted_in(
    inputs: Mapping[str, Any], outputs: Mapping[str, Any]
) -> list[tuple[Promotion, Any]]:
    """The promotions a node made: each record among its inputs and outputs whose promoted
    model is among its outputs (a node that reads a promoted model promotes nothing)."""
    return [
        (record, outputs[record.model_dataset])
        for record in {**inputs, **outputs}.values()
        if isinstance(record, Promotion) and record.model_dataset in outputs
    ]
