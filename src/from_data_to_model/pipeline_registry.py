"""Project pipelines, composed here from the study's shape."""

from __future__ import annotations

from kedro.pipeline import Pipeline

from from_data_to_model.pipelines import (
    data_ingestion,
    data_processing,
    evaluation,
    final,
    housing,
    modelling,
    predict,
    tuning,
)
from from_data_to_model.study import TRAINING_TAG, StudyShape


def study_pipelines(study: StudyShape) -> dict[str, Pipeline]:
    """Every pipeline of the project, for this study's variants, seeds and sweeps.

    ``data_ingestion`` and ``data_processing`` prepare both datasets; ``housing`` and
    ``regularization`` are the two parts of the study, each from its raw data to its
    report; ``training`` and ``evaluation`` are the study's two halves on their own;
    ``final`` makes the model in use from the study's choice and the tuning's settled
    values. ``tuning`` (the regularizers' strengths swept) and ``predict`` (new data
    scored with the promoted models) run only when named; ``__default__`` is every other
    pipeline.
    """
    ingestion, processing = data_ingestion.create_pipeline(), data_processing.create_pipeline()
    data = ingestion + processing
    models = modelling.create_pipeline(study)
    training = models.only_nodes_with_tags(TRAINING_TAG)
    evaluating = (models - training) + evaluation.create_pipeline(study)
    housing_part = data.only_nodes_with_tags("housing") + housing.create_pipeline()
    regularization = data.only_nodes_with_tags("fashion_mnist") + training + evaluating
    final_stage = final.create_pipeline(study)
    return {
        "data_ingestion": ingestion,
        "data_processing": processing,
        "housing": housing_part,
        "regularization": regularization,
        "training": training,
        "evaluation": evaluating,
        "final": final_stage,
        "tuning": tuning.create_pipeline(study),
        "predict": predict.create_pipeline(),
        "__default__": housing_part + regularization + final_stage,
    }


class _Seam:
    """The study the project's pipelines are built from: the latest context's (``study``),
    and the one Kedro's cached pipelines were built from (``built``)."""

    study: StudyShape | None = None
    built: StudyShape | None = None


def build_for(study: StudyShape) -> None:
    """Build the project's pipelines from ``study`` (``ProjectContext`` calls this): Kedro's
    cached pipelines are dropped when they were built from another shape."""
    _Seam.study = study
    if _Seam.built is not None and _Seam.built != study:
        from kedro.framework.project import pipelines

        pipelines.configure(__name__)  # Kedro's own reset: the next access builds anew
        _Seam.built = None


def built_for() -> StudyShape | None:
    """The study Kedro's cached pipelines were built from (None: not built yet)."""
    return _Seam.built


def register_pipelines() -> dict[str, Pipeline]:
    """Kedro's entry point: the pipelines of the latest context's study, or, with no
    context, of the one the configuration gives (``context.configured_study``)."""
    from from_data_to_model.context import configured_study

    study = _Seam.study or configured_study()
    pipelines = study_pipelines(study)
    _Seam.built = study
    return pipelines
