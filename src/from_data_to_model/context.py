"""The project's Kedro context: it hands the run's parameters to the pipeline builders."""

from __future__ import annotations

from attrs import define
from kedro.framework.context import KedroContext

from from_data_to_model import run_parameters


@define(slots=False)
class ProjectContext(KedroContext):
    """Kedro's context, whose parameters also decide the pipelines' shape.

    Every Kedro entry point creates its context before it builds the pipelines:
    ``kedro run``, ``kedro viz`` (which runs no project hooks unless given
    ``--include-hooks``, so a hook would not do), notebooks and the catalog commands.
    The parameters are the config loader's: ``context.params`` would validate them
    against the pipelines, which do not exist yet.
    """

    def __attrs_post_init__(self) -> None:
        run_parameters.use(self.config_loader["parameters"])
