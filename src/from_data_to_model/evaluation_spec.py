"""The evaluation's parameters, typed: how fits are diagnosed, how variants are compared and
chosen, and the published figures set beside ours (``conf/base/parameters_evaluation.yml``).

Node functions take these types, so Kedro validates the ``evaluation`` block (and
``housing.diagnosis``) when a run starts, before any node runs, as it does the model specs.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, NonNegativeFloat


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Diagnosis(_Strict):
    """The fit diagnosis' thresholds (``modelling/diagnosis.py`` says how they combine)."""

    overfit_min_val_rise: NonNegativeFloat
    underfit_min_train_loss: NonNegativeFloat
    underfit_max_relative_gap: NonNegativeFloat


class Choice(_Strict):
    tie_tolerance: NonNegativeFloat  # one seed: variants this close in validation loss tie


class Reference(_Strict):
    """The original study's single-run test figures of one variant."""

    test_loss: float
    test_accuracy: float


class Published(_Strict):
    """A published result on the official test set."""

    name: str
    accuracy: float = Field(ge=0, le=1)


class Evaluation(_Strict):
    """The ``evaluation`` parameters."""

    baseline: str  # the variant the others are compared with ("original")
    diagnosis: Diagnosis
    choice: Choice
    confidence: float = Field(gt=0, lt=1)  # of every interval
    difference: Literal["welch", "paired"]  # how a difference of two variants gets its interval
    power: float = Field(gt=0, lt=1)  # at which the report says how many seeds would settle one
    reference: dict[str, Reference] = {}
    published: list[Published] = []

    @property
    def paired(self) -> bool:
        return self.difference == "paired"
