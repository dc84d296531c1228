"""The study's model specs as conf/base resolves them."""

from __future__ import annotations

from from_data_to_model.model_spec import ModelSpec, ModelSpecChanges, resolve_spec
from tests.conftest import base_parameters

REGULARIZATION = base_parameters()["regularization"]
DEFAULTS = ModelSpec.model_validate(REGULARIZATION["defaults"])


def spec_of(variant: str) -> ModelSpec:
    """A study variant's full spec: the defaults with its changes."""
    changes = ModelSpecChanges.model_validate(REGULARIZATION["variants"][variant])
    return resolve_spec(DEFAULTS, changes)
