"""The parameters of the current Kedro run, from which the pipelines are built.

Kedro builds the pipelines after the session has created its context. The project's
context (``context.py``) hands its parameters here first, so the pipelines' shape
(which variants are trained) follows ``--env``, ``KEDRO_ENV``, ``--params`` and
``--conf-source``, and ``kedro viz`` and notebooks see the same.
Outside a session (``kedro registry list``) no run configuration exists: the study
then has no variants.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

_parameters: dict[str, Any] = {}


def use(parameters: Mapping[str, Any]) -> None:
    """Build the next pipelines from these parameters (the run's, unvalidated)."""
    _parameters.clear()
    _parameters.update(parameters)


def variants() -> list[str]:
    """The Fashion-MNIST variants configured for this run, in configuration order."""
    return list((_parameters.get("regularization") or {}).get("variants") or {})
