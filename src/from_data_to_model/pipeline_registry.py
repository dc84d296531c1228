"""Project pipelines, composed here from the study's shape."""

from __future__ import annotations

from kedro.pipeline import Pipeline

from from_data_to_model.context import run_study
from from_data_to_model.pipelines import (
    data_ingestion,
    data_processing,
    evaluation,
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
    ``tuning`` sweeps the regularizers' strengths, ``predict`` scores new data with the
    promoted models; both run only when named. ``__default__`` is every other pipeline.
    """
    ingestion, processing = data_ingestion.create_pipeline(), data_processing.create_pipeline()
    data = ingestion + processing
    models = modelling.create_pipeline(study)
    training = models.only_nodes_with_tags(TRAINING_TAG)
    evaluating = (models - training) + evaluation.create_pipeline(study)
    housing_part = data.only_nodes_with_tags("housing") + housing.create_pipeline()
    regularization = data.only_nodes_with_tags("fashion_mnist") + training + evaluating
    return {
        "data_ingestion": ingestion,
        "data_processing": processing,
        "housing": housing_part,
        "regularization": regularization,
        "training": training,
        "evaluation": evaluating,
        "tuning": tuning.create_pipeline(study),
        "predict": predict.create_pipeline(),
        "__default__": housing_part + regularization,
    }


def register_pipelines() -> dict[str, Pipeline]:
    """Kedro's entry point: the pipelines of the run's study (``context.run_study``)."""
    return study_pipelines(run_study())
