"""The project's Kedro context: the run's configuration decides the study's shape.

Kedro calls ``register_pipelines()`` without arguments, after the session has created
its context, at every entry point: ``kedro run`` (with ``--env``, ``--params``,
``--conf-source``), ``kedro viz`` (which runs no project hooks unless told to, so a hook
would not do), notebooks, packaged runs. ``ProjectContext`` validates the study's shape
from its configuration once, as ``context.study``, and ``run_study()`` hands that shape
to the registry. Where no context was made (``kedro registry list``), ``run_study()``
reads the project's configuration with Kedro's config loader, as a run without options
would: the study is never silently empty.
"""

from __future__ import annotations

import os
from pathlib import Path

from attrs import define, field
from kedro.config import OmegaConfigLoader
from kedro.framework.context import KedroContext
from kedro.utils import find_kedro_project

from from_data_to_model.study import StudyShape

# The shape of the latest context made in this process: the run's.
_latest: list[StudyShape] = []


@define(slots=False)
class ProjectContext(KedroContext):
    """Kedro's context, with the study's shape validated from its configuration.

    The parameters are the config loader's: ``context.params`` would validate them
    against the pipelines, which are built from this shape.
    """

    study: StudyShape = field(init=False)

    def __attrs_post_init__(self) -> None:
        self.study = StudyShape.from_parameters(self.config_loader["parameters"])
        _latest[:] = [self.study]


def run_study() -> StudyShape:
    """The study the run's pipelines are built from: the latest context's, else the one the
    project's configuration gives (``KEDRO_ENV`` or ``local`` over ``base``)."""
    if _latest:
        return _latest[0]
    from kedro.framework.project import settings

    root = find_kedro_project(Path.cwd()) or Path.cwd()
    loader = OmegaConfigLoader(
        conf_source=str(root / settings.CONF_SOURCE),
        env=os.environ.get("KEDRO_ENV"),
        **settings.CONFIG_LOADER_ARGS,
    )
    return StudyShape.from_parameters(loader["parameters"])
