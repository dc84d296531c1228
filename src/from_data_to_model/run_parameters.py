"""The parameters of the current Kedro run, from which the pipelines are built.

Kedro builds the pipelines after the session has created its context. The project's
context (``context.py``) hands its parameters here first, so the pipelines' shape
(which variants, and how many seeds of each, are trained) follows ``--env``,
``KEDRO_ENV``, ``--params`` and ``--conf-source``, and ``kedro viz`` and notebooks see
the same. Outside a session (``kedro registry list``) no run configuration exists: the
study then has no variants.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    Field,
    NonNegativeInt,
    PositiveInt,
    TypeAdapter,
    ValidationError,
)

_parameters: dict[str, Any] = {}


def _distinct(seeds: list[int]) -> list[int]:
    repeated = sorted({s for s in seeds if seeds.count(s) > 1})
    if repeated:
        raise ValueError(f"each seed once: {repeated} repeated")
    return seeds


# The same seeds for every variant, so that variants compare seed by seed (paired): a list,
# or how many, counting up from the defaults' seed (what `--params` can say: it splits
# its value on commas, so it cannot pass a list of several seeds).
Seeds = TypeAdapter(
    Annotated[list[NonNegativeInt], Field(min_length=1), AfterValidator(_distinct)] | PositiveInt,
    config={"strict": True},
)


def use(parameters: Mapping[str, Any]) -> None:
    """Build the next pipelines from these parameters (the run's, unvalidated)."""
    _parameters.clear()
    _parameters.update(parameters)


def variants() -> list[str]:
    """The Fashion-MNIST variants configured for this run, in configuration order."""
    return list(section("regularization").get("variants") or {})


def section(name: str) -> dict[str, Any]:
    """One top-level block of the run's parameters (empty when absent)."""
    return _parameters.get(name) or {}


def seeds(name: str = "regularization") -> list[int]:
    """The seeds every model of a block is trained with (``<name>.seeds``).

    ``seeds: [42, 43, 44]`` lists them; ``seeds: 3`` counts up from the study's
    defaults' seed.

    Raises:
        ValueError: naming the parameter, for an empty list, a repeated or a
            non-integer seed, or a count below 1; pipelines are built before any node runs.
    """
    if not variants():
        return []
    raw = section(name).get("seeds")
    try:
        seeds = Seeds.validate_python(raw)
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
    if isinstance(seeds, int):
        first = (section("regularization").get("defaults") or {}).get("seed", 0)
        return list(range(first, first + seeds))
    return seeds
