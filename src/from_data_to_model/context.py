"""The project's Kedro context: the run's configuration decides the study's shape.

Kedro calls ``register_pipelines()`` without arguments and caches what it returns, once
per process, at every entry point: ``kedro run`` (with ``--env``, ``--params``,
``--conf-source``), ``kedro viz``, notebooks, packaged runs. The seam is explicit:

* ``ProjectContext`` validates the study's shape from its configuration once, as
  ``context.study``, and hands it to the registry (``pipeline_registry.build_for``), which
  drops Kedro's cached pipelines when they were built from another shape: a notebook's
  second session, or a test's, gets its own study's pipelines.
* ``StudyCheckHooks`` stops a run, before any node, whose pipelines were built from
  another shape than its own parameters give (two sessions alive at once in one process).
* Without a context (``kedro registry list``), the registry reads the project's
  configuration with Kedro's own config loader, as a session would (``KEDRO_ENV`` or
  ``local`` over ``base``).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from attrs import define, field
from kedro.framework.context import KedroContext
from kedro.framework.hooks import hook_impl
from kedro.utils import find_kedro_project
from omegaconf import OmegaConf

from from_data_to_model.study import StudyShape


class StudyMismatchError(RuntimeError):
    """A run's pipelines were built from another study's shape than its parameters give."""


@define(slots=False)
class ProjectContext(KedroContext):
    """Kedro's context, with the study's shape validated from its configuration.

    The parameters are the config loader's: ``context.params`` would validate them
    against the pipelines, which are built from this shape.
    """

    study: StudyShape = field(init=False)

    def __attrs_post_init__(self) -> None:
        from from_data_to_model.pipeline_registry import build_for

        # ${project_root:} (mlflow.yml's store) is this context's project, wherever the
        # session was made from (a notebook's or a test's working folder is elsewhere)
        root = Path(self.project_path).as_posix()
        OmegaConf.register_new_resolver("project_root", lambda: root, replace=True)
        self.study = StudyShape.from_parameters(self.config_loader["parameters"])
        build_for(self.study)


def configured_study() -> StudyShape:
    """The study the project's configuration gives, read as a session reads it (for an
    entry point that makes no context)."""
    from kedro.framework.project import settings

    root = find_kedro_project(Path.cwd()) or Path.cwd()
    loader = settings.CONFIG_LOADER_CLASS(
        conf_source=str(root / settings.CONF_SOURCE),
        env=os.environ.get("KEDRO_ENV"),
        **settings.CONFIG_LOADER_ARGS,
    )
    return StudyShape.from_parameters(loader["parameters"])


def run_study(catalog: Any) -> StudyShape | None:
    """The study a run's own parameters give (from its catalog; None: it has none)."""
    names = [
        n for n in ("regularization", "evaluation", "tuning", "final") if f"params:{n}" in catalog
    ]
    if not names:
        return None
    return StudyShape.from_parameters({name: catalog.load(f"params:{name}") for name in names})


class StudyCheckHooks:
    """Stop a run whose pipelines were built from another study than its parameters say."""

    @hook_impl
    def before_pipeline_run(self, catalog: Any) -> None:
        from from_data_to_model.pipeline_registry import built_for

        built, own = built_for(), run_study(catalog)
        if None not in (built, own) and built != own:
            raise StudyMismatchError(
                f"This run's pipelines were built for another study ({built.describe()}) than "
                f"its parameters give ({own.describe()}): Kedro builds the pipelines once per "
                "process, and another session's context has rebuilt them since this one's "
                "was made. Nothing was run. Create this session again (in a notebook: "
                "%reload_kedro) and run it before making another."
            )
