"""The ``tuned`` candidate's design: the tuning's settled values set in one spec.

The values are read through the catalog from the latest tuning run
(``final.settled_values``), never copied by hand; the design says which values it used and
from which tuning run. Without a tuning run, the study's chosen variant takes the final
stage's changes, and the design says that too.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from omegaconf import OmegaConf
from pydantic import BaseModel, ValidationError

from from_data_to_model.model_spec import ModelSpecChanges, nested, setting
from from_data_to_model.study import Family

from .spec import Final, Tuned


class SettledValueError(ValueError):
    """A tuning run's settled value that the final stage cannot use."""


def usable_settled_values(
    settled: Mapping[str, Mapping[str, Any]], families: Mapping[str, Family], tuned: Tuned
) -> dict[str, dict[str, Any]]:
    """The settled values of ``tuned.families`` that the latest tuning runs give, each checked
    against the field its family sets (the ``FinalStageChecks`` hook runs this before any
    model trains).

    Raises:
        SettledValueError: naming the family, its value and the file it came from.
    """
    usable = {}
    for name in tuned.families:
        if name not in settled:
            continue
        found, family = settled[name], families[name]
        try:
            setting(family.path, found["value"])
        except ValidationError as error:
            problem = error.errors()[0]["msg"]
            raise SettledValueError(
                f"The tuning run {found['tuning_run']} settled {name} ({family.path}) on "
                f"{found['value']!r}, which the final stage cannot use ({problem}); file "
                f"{found['file']}. Run that family's tuning again (`kedro run "
                f"--pipeline=tuning --namespaces=tuning.{name}`), or leave it out of "
                "final.tuned.families."
            ) from None
        usable[name] = {"path": family.path, **found}
    return usable


def plain(changes: Mapping[str, Any] | BaseModel | None) -> dict[str, Any]:
    """Spec changes as a plain mapping of the fields they set (a run types a variant's
    block as ``ModelSpecChanges``; a design record holds a mapping)."""
    if changes is None:
        return {}
    if isinstance(changes, BaseModel):
        return changes.model_dump(exclude_none=True)
    return {k: v for k, v in changes.items() if v is not None}


def merged(*changes: Mapping[str, Any] | BaseModel | None) -> dict[str, Any]:
    """Spec changes merged in order, nested blocks key by key (later ones win)."""
    return OmegaConf.to_container(OmegaConf.merge(*(plain(c) for c in changes)))


def tuned_design(
    choice: dict[str, Any],
    variants: dict[str, Any],
    families: dict[str, Any],
    settled: dict[str, dict[str, Any]],
    final: Final,
) -> dict[str, Any]:
    """The ``tuned`` candidate's changes to the study's defaults, and where they come from.

    Returns:
        ``{"source", "variant", "changes", "settled", "missing", "description"}``: the
        settled values used, each with its tuning run; the families without one.
    """
    tuned = final.tuned
    family_types = {name: Family.model_validate(raw) for name, raw in families.items()}
    usable = usable_settled_values(settled, family_types, tuned)
    missing = [name for name in tuned.families if name not in usable]
    variant = tuned.variant if usable else choice["variant"]
    changes = merged(
        variants.get(variant),
        tuned.changes,
        *(nested(found["path"], found["value"]) for found in usable.values()),
    )
    ModelSpecChanges.model_validate(changes)  # a design the model spec accepts
    if usable:
        values = ", ".join(
            f"{found['path']} = {found['value']} (tuning run {found['tuning_run']})"
            for found in usable.values()
        )
        description = f"{variant}'s spec with the final stage's changes and {values}"
        if missing:
            description += f"; no tuning run has settled {', '.join(missing)}: {variant}'s own"
    else:
        asked = (
            f"no tuning run has settled any of {', '.join(tuned.families)}"
            if tuned.families else "no settled value is asked for (final.tuned.families)"
        )  # fmt: skip
        description = f"{asked}: the study's choice, {variant}, with the final stage's changes"
    return {
        "source": "tuning" if usable else "study choice",
        "variant": variant,
        "changes": changes,
        "settled": usable,
        "missing": missing,
        "description": description,
    }
