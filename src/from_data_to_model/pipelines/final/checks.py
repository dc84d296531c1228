"""What the final stage checks before any model trains: the tuning's settled values it will
use, and every model file the run reads but does not make."""

from __future__ import annotations

from typing import Any

from kedro.pipeline import Pipeline

from .design import usable_settled_values
from .pipeline import FinalStageError
from .spec import Tuned

DESIGN_NODE = "final.tuned_design"


def check_final_stage(pipeline: Pipeline, catalog: Any, run_params: dict[str, Any]) -> None:
    """Raise, naming it, for an ensemble the study's seeds cannot make, a settled value the
    tuned design cannot use, or a model file (a candidate, the study's promoted model) that
    is missing or damaged.

    Raises:
        FinalStageError, SettledValueError, ModelMissingError, ModelFileError.
    """
    from from_data_to_model.context import run_study

    study = run_study(catalog)
    named = run_params.get("pipeline_names") or ["__default__"]
    if study and study.final_problem and {"final", "__default__"} & set(named):
        raise FinalStageError(study.final_problem)
    if DESIGN_NODE not in {n.name for n in pipeline.nodes}:
        return
    tuned = Tuned.model_validate(catalog.load("params:final.tuned"))
    usable_settled_values(catalog.load("final.settled_values"), study.families, tuned)
    for name in sorted(pipeline.inputs()):
        dataset = catalog.get(name)
        dataset = getattr(dataset, "dataset", dataset)  # run isolation's wrapper, unwrapped
        if hasattr(dataset, "check_file"):
            dataset.check_file()
