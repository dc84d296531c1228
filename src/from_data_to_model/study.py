"""The study's shape, validated once, and who each trained model is.

``StudyShape`` is what the pipelines are built from: the Fashion-MNIST variants, the seeds
each is trained with, the baseline they are compared with, and the tuning's sweep
families. ``StudyShape.from_parameters`` makes it from a run's parameters, and every
``create_pipeline`` that depends on it takes it as an argument.

``Run`` is one trained model's identity: study, variant, seed and, for a point of a sweep,
the family and value. It names the model's namespace, and its ``fields`` are written into
what the model's nodes save, so that tables group runs by these columns, never by taking
a namespace apart.

This module imports neither Keras nor pandas: every ``kedro`` command reads it.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    NonNegativeInt,
    PositiveInt,
    TypeAdapter,
    ValidationError,
    field_validator,
)

from from_data_to_model.model_spec import nested, setting

# The studies: each is the namespace of its models and of its reports.
HOUSING, REGULARIZATION, TUNING = "housing", "regularization", "tuning"
FINAL = "final"  # the final stage, after the study's choice
# Node tags: what a node does, for `--tags` and for the project's hooks.
TRAINING_TAG = "training"  # trains one model
EVALUATION_TAG = "evaluation"  # reads trained models or their histories
REPORTING_TAG = "reporting"  # writes what a person reads (`--tags=reporting` remakes them)
PROMOTION_TAG = "promotion"  # promotes a model (promotion.py)
AGGREGATE_TAG = "aggregate"  # made from every run: remade when a run adds runs
# A run's identity, as the fields its outputs carry (``Run.fields``).
RUN_FIELDS = ("study", "variant", "seed", "family", "value", "namespace")


def value_name(value: Any) -> str:
    """A swept value spelled for a namespace (a dot separates namespaces): 0.3 → ``v0p3``."""
    text = "-".join(str(v) for v in value) if isinstance(value, list) else f"{value:g}"
    return "v" + re.sub(r"[^0-9a-zA-Z]", lambda m: {".": "p", "-": "m"}.get(m[0], "_"), text)


@dataclass(frozen=True)
class Run:
    """One trained model: its study and variant, its seed (None: the spec's own), and for a
    point of a sweep, the family whose field ``path`` is set to ``value``."""

    study: str
    variant: str
    seed: int | None = None
    family: str | None = None
    path: str | None = None
    value: Any = None

    @property
    def namespace(self) -> str:
        """``regularization.l2.seed_43``, ``tuning.l1.v1em05.seed_42``, ``housing``."""
        if self.family is not None:
            parts = [self.study, self.family, value_name(self.value)]
        else:
            parts = [self.study] if self.variant == self.study else [self.study, self.variant]
        if self.seed is not None:
            parts.append(f"seed_{self.seed}")
        return ".".join(parts)

    def changes(self) -> dict[str, Any]:
        """What this run sets over its variant's spec: the seed, a sweep point's field."""
        own = {} if self.seed is None else {"seed": self.seed}
        return own | (nested(self.path, self.value) if self.path else {})

    def fields(self, seed: int) -> dict[str, Any]:
        """The identity its outputs carry (``RUN_FIELDS``), with the seed it was trained with."""
        values = (self.study, self.variant, seed, self.family, self.value, self.namespace)
        return dict(zip(RUN_FIELDS, values, strict=True))


class Family(BaseModel):
    """One regularizer's sweep: a spec field of one study variant, and its values."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    variant: str  # the study variant whose spec the sweep changes
    path: str  # the field it sets, e.g. hidden.l1
    values: list[Any] = Field(min_length=1)
    scale: Literal["log", "linear"]
    prefer: Literal["low", "high"]  # which end wins a tie: the simpler / stronger one
    original: Any  # the original study's value, marked on the curve


def _distinct(seeds: list[int]) -> list[int]:
    repeated = sorted({s for s in seeds if seeds.count(s) > 1})
    if repeated:
        raise ValueError(f"each seed once: {repeated} repeated")
    return seeds


# The same seeds for every variant, so that variants compare seed by seed: a list, or how
# many, counting up from the defaults' seed (what `--params` can say: it splits its value
# on commas, so it cannot pass a list of several seeds).
_SEEDS = TypeAdapter(
    Annotated[list[NonNegativeInt], Field(min_length=1), AfterValidator(_distinct)] | PositiveInt,
    config={"strict": True},
)


def _seeds(raw: Any, name: str, first: int) -> tuple[int, ...]:
    """``<name>.seeds`` as a list: as given, or ``raw`` of them counting up from ``first``.

    Raises:
        ValueError: naming the parameter, for an empty list, a repeated or a non-integer
            seed, or a count below 1.
    """
    try:
        seeds = _SEEDS.validate_python(raw)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'][1:]) or 'list'}: {e['msg']}"
            for e in error.errors()
            if "list" in e["loc"][0]  # the list's problems (a count's say "not an integer")
        )
        raise ValueError(
            f"Parameter '{name}.seeds' must be a list of distinct integers >= 0 or a "
            f"count >= 1, got {raw!r} ({problems or 'not a list'})."
        ) from None
    return tuple(range(first, first + seeds)) if isinstance(seeds, int) else tuple(seeds)


def _family(name: str, raw: Any, variants: tuple[str, ...]) -> Family:
    """One sweep family, each value checked against the model spec.

    Raises:
        ValueError: naming the family and the value: an unknown variant or field, a value
            the field does not accept, an empty grid, or two values with one spelling.
    """
    where = f"Parameter 'tuning.families.{name}'"
    try:
        family = Family.model_validate(raw)
    except ValidationError as error:
        raise ValueError(f"{where}: {error}") from None
    if family.variant not in variants:
        raise ValueError(f"{where}: no study variant {family.variant!r} (have {list(variants)}).")
    for value in family.values:
        try:
            setting(family.path, value)
        except ValidationError as error:
            raise ValueError(f"{where}: value {value!r} for {family.path!r}: {error}") from None
    names = [value_name(v) for v in family.values]
    if len(set(names)) < len(names):
        raise ValueError(f"{where}: values repeat: {family.values}.")
    return family


def _final_seeds(
    final: Any, seeds: tuple[int, ...], variants: tuple[str, ...], families: Mapping[str, Any]
) -> tuple[tuple[int, ...], str | None]:
    """The final stage's members: the study's first ``final.members`` seeds (none: no final
    stage configured), or none and why, naming the parameter: a member count below 1 or
    above the seeds the study trains, a tuned design on no study variant, a family the
    tuning lacks. ``FinalStageChecks`` stops a run of the final stage with it, before any
    node; a run of the study alone (fewer seeds, no tuning) is not stopped.
    """
    if not final:
        return (), None
    tuned = _field(final, "tuned") or {}
    if (variant := _field(tuned, "variant")) not in variants:
        return (), (
            f"Parameter 'final.tuned.variant': {variant!r} is not a study variant "
            f"(have {list(variants)})."
        )
    unknown = [f for f in _field(tuned, "families") or [] if f not in families]
    if unknown:
        return (), (
            f"Parameter 'final.tuned.families': {unknown} are no tuning family (have "
            f"{list(families)}, tuning.families)."
        )
    members = _field(final, "members")
    if isinstance(members, bool) or not isinstance(members, int) or not 1 <= members <= len(seeds):
        return (), (
            f"Parameter 'final.members' must be a whole number from 1 to {len(seeds)}, the "
            f"seeds the study trains (regularization.seeds: {list(seeds)}): each member of "
            f"an ensemble is one of those seeds; got {members!r}. Train more seeds "
            f"(--params regularization.seeds=<n>), ask for fewer members (--params "
            f"final.members=<n>), or run the study alone (--pipeline=regularization)."
        )
    return seeds[:members], None


def _field(block: Any, name: str, default: Any = None) -> Any:
    """A field of a parameter block, as the config loader gives it (a mapping) or as a run
    has typed it (a model spec, the evaluation's parameters)."""
    if isinstance(block, Mapping):
        return block.get(name, default)
    return getattr(block, name, default)


class TrainingPlan(BaseModel):
    """How the models are trained (the ``training`` parameters): ``batch_models: auto``
    trains a run's models that share their parameters and layers' shapes together, as one
    program, where the Keras backend can (JAX; ``together.py``); ``off`` trains each alone.
    ``max_batch_models`` caps the models in one program (None: no cap)."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    batch_models: Literal["auto", "off"] = "off"
    max_batch_models: PositiveInt | None = None

    @field_validator("batch_models", mode="before")
    @classmethod
    def _off(cls, value: Any) -> Any:
        """``off`` as YAML reads it (``--params training.batch_models=off``, or unquoted
        in a parameters file): false."""
        return "off" if value is False else value


def configured_backend() -> str:
    """The Keras backend this process trains with, read as Keras reads it (Keras itself
    where it is imported; else ``KERAS_BACKEND``, else ``keras.json``), without importing
    Keras."""
    if "keras" in sys.modules:
        return sys.modules["keras"].backend.backend()
    if backend := os.environ.get("KERAS_BACKEND"):
        return backend
    home = Path(os.environ.get("KERAS_HOME") or Path.home() / ".keras")
    try:
        return json.loads((home / "keras.json").read_text()).get("backend", "tensorflow")
    except (OSError, ValueError):
        return "tensorflow"


class StudyShape(BaseModel):
    """Which models the pipelines train: variants × seeds, and the sweeps' points × seeds."""

    model_config = ConfigDict(frozen=True)

    variants: tuple[str, ...] = ()  # in configuration (and report) order
    seeds: tuple[int, ...] = ()
    baseline: str | None = None  # the variant the others are compared with ("original")
    families: dict[str, Family] = {}
    tuning_seeds: tuple[int, ...] = ()
    final_seeds: tuple[int, ...] = ()  # the final stage's ensemble members' seeds
    final_problem: str | None = None  # why the final stage cannot run (no final_seeds then)

    @classmethod
    def from_parameters(cls, parameters: Mapping[str, Any]) -> StudyShape:
        """The shape a run's parameters (unvalidated, as the config loader gives them) say.

        Raises:
            ValueError: naming the parameter: bad seeds, a baseline that is no variant, a
                sweep family that names no variant or field, or a value a field refuses.
        """
        study = parameters.get(REGULARIZATION) or {}
        variants = tuple(study.get("variants") or {})
        if not variants:
            return cls()
        first = _field(study.get("defaults"), "seed", 0)
        baseline = _field(parameters.get("evaluation"), "baseline")
        if baseline not in variants:
            raise ValueError(
                f"Parameter 'evaluation.baseline': {baseline!r} is not a study variant "
                f"(have {list(variants)})."
            )
        tuning = parameters.get(TUNING) or {}
        families = {
            name: _family(name, raw, variants)
            for name, raw in (tuning.get("families") or {}).items()
        }
        seeds = _seeds(study.get("seeds"), REGULARIZATION, first)
        final_seeds, final_problem = _final_seeds(parameters.get(FINAL), seeds, variants, families)
        return cls(
            variants=variants,
            seeds=seeds,
            baseline=baseline,
            families=families,
            tuning_seeds=_seeds(tuning.get("seeds"), TUNING, first) if families else (),
            final_seeds=final_seeds,
            final_problem=final_problem,
        )

    def describe(self) -> str:
        """The shape in a few words: variants, seeds, sweep families."""
        families = f", sweeps {', '.join(self.families)}" if self.families else ""
        if self.final_seeds:
            families += f", final ensembles of {len(self.final_seeds)}"
        return (
            f"variants {', '.join(self.variants) or 'none'}; seeds "
            f"{', '.join(map(str, self.seeds)) or 'none'}{families}"
        )

    def runs(self) -> list[Run]:
        """Every model of the study: each variant with each seed, variant by variant."""
        return [Run(REGULARIZATION, v, s) for v in self.variants for s in self.seeds]

    def sweep(self, name: str) -> list[Run]:
        """Every point of one sweep family: each value with each seed, value by value."""
        family = self.families[name]
        return [
            Run(TUNING, family.variant, seed, name, family.path, value)
            for value in family.values
            for seed in self.tuning_seeds
        ]
