"""The sweep grids of ``parameters_tuning.yml``, checked before any training."""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from from_data_to_model.model_spec import setting


class Family(BaseModel):
    """One regularizer's sweep: a spec field of one study variant, and its values."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    variant: str  # the study variant whose spec the sweep changes
    path: str  # the field it sets, e.g. hidden.l1
    values: list[Any] = Field(min_length=1)
    scale: Literal["log", "linear"]
    prefer: Literal["low", "high"]  # which end wins a tie: the simpler / stronger one
    original: Any  # the original study's value, marked on the curve


def value_name(value: Any) -> str:
    """A value spelled for a namespace (a dot separates namespaces): 0.3 → ``v0p3``."""
    text = "-".join(str(v) for v in value) if isinstance(value, list) else f"{value:g}"
    return "v" + re.sub(r"[^0-9a-zA-Z]", lambda m: {".": "p", "-": "m"}.get(m[0], "_"), text)


def position(value: Any) -> float:
    """Where a value sits on the curve's axis (units lists by their first layer)."""
    return float(value[0] if isinstance(value, list) else value)


def families(tuning: dict[str, Any], variants: list[str]) -> dict[str, Family]:
    """The configured families, each value checked against the model spec.

    Raises:
        ValueError: naming the family and the value: an unknown variant or field, a value
            the field does not accept, an empty grid, or two values with one spelling.
    """
    checked = {}
    for name, raw in (tuning.get("families") or {}).items():
        where = f"Parameter 'tuning.families.{name}'"
        try:
            family = Family.model_validate(raw)
        except ValidationError as error:
            raise ValueError(f"{where}: {error}") from None
        if family.variant not in variants:
            raise ValueError(f"{where}: no study variant {family.variant!r} (have {variants}).")
        for value in family.values:
            try:
                setting(family.path, value)
            except ValidationError as error:
                raise ValueError(f"{where}: value {value!r} for {family.path!r}: {error}") from None
        names = [value_name(v) for v in family.values]
        if len(set(names)) < len(names):
            raise ValueError(f"{where}: values repeat: {family.values}.")
        checked[name] = family
    return checked
