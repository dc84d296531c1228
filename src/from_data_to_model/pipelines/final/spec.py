"""The final stage's parameters, typed (``conf/base/parameters_final.yml``): Kedro validates
the ``final`` block when a run starts, before any node runs."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PositiveInt


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Tuned(_Strict):
    """The ``tuned`` candidate: ``variant``'s spec with ``changes``, then each of
    ``families``' settled values set at its field."""

    variant: str
    changes: dict[str, Any] = {}
    families: list[str] = []  # none: the study choice with the changes, as without a tuning run


class Refit(_Strict):
    """The study's splits the winner is retrained on (validation stays out: the temperature
    is fitted on it)."""

    splits: list[Literal["train", "test"]] = Field(min_length=1)


class Bootstrap(_Strict):
    resamples: PositiveInt
    seed: int


class Goal(_Strict):
    accuracy: float = Field(gt=0, le=1)
    ece: float = Field(gt=0, le=1)


class Final(_Strict):
    """The ``final`` parameters."""

    members: PositiveInt  # seeds per candidate ensemble: the study's first ones
    tuned: Tuned
    refit: Refit
    bins: PositiveInt  # of the calibration error and the reliability diagram
    bootstrap: Bootstrap
    goal: Goal
