"""Which Fashion-MNIST variants the configuration defines (pipelines are built from it)."""

from __future__ import annotations

import os
from pathlib import Path

from kedro.framework.project import settings
from kedro.utils import find_kedro_project


def configured_variants(project_path: Path | None = None) -> list[str]:
    """Names of the variants in ``parameters_regularization.yml``, in configuration order.

    Read from ``conf/base`` merged with ``conf/local`` (or the ``KEDRO_ENV``
    environment): pipelines are built before a run's ``--env`` is known.
    """
    root = project_path or find_kedro_project(Path.cwd()) or Path.cwd()
    loader = settings.CONFIG_LOADER_CLASS(
        conf_source=str(root / settings.CONF_SOURCE),
        env=os.environ.get("KEDRO_ENV"),
        **settings.CONFIG_LOADER_ARGS,
    )
    variants = loader["parameters"].get("regularization", {}).get("variants") or {}
    return list(variants)
