"""The ``final`` pipeline: after the study's choice, the best model the project can make.

Candidates (the study's chosen variant, and the ``tuned`` design from the tuning's settled
values) as seed ensembles on validation → the winner refit on every row but validation →
temperature scaling fitted on validation → the final model promoted → the official test
set, last. Its models train in ``final.tuned.seed_<seed>`` and ``final.refit.seed_<seed>``;
its records and report are in ``final``.

Nothing from the official test set is upstream of the choice, the refit, the temperature
or the promoted model.
"""

from __future__ import annotations

from kedro.pipeline import Pipeline, node, pipeline

from from_data_to_model.pipelines.evaluation.pipeline import CLASS_NAMES
from from_data_to_model.pipelines.evaluation.promotion import FASHION_MNIST, STUDY_SERVED
from from_data_to_model.pipelines.modelling import FASHION_MNIST_TRAINING_DATA
from from_data_to_model.pipelines.modelling.summary import summarise_validation
from from_data_to_model.promotion import model_dataset, record_dataset
from from_data_to_model.study import (
    EVALUATION_TAG,
    FINAL,
    PROMOTION_TAG,
    REGULARIZATION,
    REPORTING_TAG,
    TRAINING_TAG,
    Run,
    StudyShape,
)

from .calibrated import bundle_final, calibrate, promote_final
from .candidates import compare_candidates
from .design import tuned_design
from .official import score_official
from .report import plot_reliability, write_final_report
from .training import RefitTraining, TunedTraining

PROMOTED_MODEL, PROMOTION = model_dataset(FASHION_MNIST), record_dataset(FASHION_MNIST)
# the study's own promoted model (evaluation pipeline): the single model the final one beats
STUDY_MODEL = model_dataset(STUDY_SERVED)
STUDY_CHOICE = "regularization.model_choice"
DEFAULTS, VARIANTS = "params:regularization.defaults", "params:regularization.variants"
DATA = FASHION_MNIST_TRAINING_DATA
MORE = {"X_test": "fashion_mnist_X_test", "y_test": "fashion_mnist_y_test"}


class FinalStageError(ValueError):
    """The final stage's parameters ask for what the study cannot give."""


def make_cannot_run(problem: str):
    """A final stage the study cannot make: one node that says why (``FinalStageChecks``
    says it first, before any node of the run)."""

    def cannot_run() -> str:
        raise FinalStageError(problem)

    return cannot_run


def tuned_run(seed: int) -> Pipeline:
    """One seed of the tuned design, trained and summarised like a study model."""
    return pipeline(
        [
            node(
                TunedTraining(Run(FINAL, "tuned", seed)).train_model,
                ["X_train", "y_train", "X_val", "y_val", DEFAULTS, "final.tuned_design"],
                ["model@keras", "spec", "training_history", "training_metadata"],
                name="train_model",
                tags=[TRAINING_TAG],
            ),
            node(
                summarise_validation,
                ["training_history", "training_metadata", "spec", "params:evaluation.diagnosis"],
                ["validation_summary", "learning_curve"],
                name="summarise_validation",
                tags=[EVALUATION_TAG],
            ),
        ],  # fmt: skip
        namespace=Run(FINAL, "tuned", seed).namespace,
        inputs=DATA | {"final.tuned_design": "final.tuned_design"},
        parameters={DEFAULTS, "params:evaluation.diagnosis"},
    )


def refit_run(seed: int) -> Pipeline:
    """One member of the winner, refit on the study's training and test splits."""
    return pipeline(
        [
            node(
                RefitTraining(Run(FINAL, "refit", seed)).refit_model,
                [
                    "final.choice",
                    "final.tuned_design",
                    STUDY_CHOICE,
                    VARIANTS,
                    DEFAULTS,
                    "X_train",
                    "y_train",
                    "X_test",
                    "y_test",
                    "X_val",
                    "y_val",
                    "params:final",
                ],
                ["model@keras", "spec", "training_history", "training_metadata"],
                name="refit_model",
                tags=[TRAINING_TAG],
            ),
        ],  # fmt: skip
        namespace=Run(FINAL, "refit", seed).namespace,
        inputs=DATA | MORE | {n: n for n in ("final.choice", "final.tuned_design", STUDY_CHOICE)},
        parameters={DEFAULTS, VARIANTS, "params:final"},
    )


def create_pipeline(study: StudyShape) -> Pipeline:
    """The final stage for this study's variants and the final stage's seeds."""
    if study.final_problem:  # FinalStageChecks stops the run with it, before this node
        return Pipeline(
            [
                node(
                    make_cannot_run(study.final_problem),
                    None,
                    "final.report",
                    name=f"{FINAL}.cannot_run",
                )
            ]
        )
    if not study.final_seeds:
        return Pipeline([])
    seeds = study.final_seeds
    # inside the ``final`` namespace: its own models are ``tuned.*`` and ``refit.*``
    tuned = [f"tuned.seed_{s}" for s in seeds]
    refit = [f"refit.seed_{s}" for s in seeds]
    study_runs = [Run(REGULARIZATION, v, s).namespace for v in study.variants for s in seeds]
    candidates = {f"model:{ns}": f"{ns}.model@loader" for ns in study_runs}
    candidates |= {f"summary:{ns}": f"{ns}.validation_summary" for ns in study_runs}
    candidates |= {f"model:final.{ns}": f"{ns}.model@loader" for ns in tuned}
    candidates |= {f"summary:final.{ns}": f"{ns}.validation_summary" for ns in tuned}
    models = [f"{ns}.model@keras" for ns in refit]
    metadata = [f"{ns}.training_metadata" for ns in refit]
    reporting = [REPORTING_TAG, EVALUATION_TAG]
    nodes = [
        node(tuned_design,
             [STUDY_CHOICE, VARIANTS, "params:tuning.families", "settled_values",
              "params:final"],
             "tuned_design", name="tuned_design", tags=[EVALUATION_TAG]),
        node(compare_candidates,
             {"choice": STUDY_CHOICE, "X_val": DATA["X_val"], "y_val": DATA["y_val"],
              "final": "params:final", "evaluation": "params:evaluation", **candidates},
             ["candidates_table", "choice"], name="compare_candidates", tags=reporting),
        node(calibrate, [DATA["X_val"], DATA["y_val"], "params:final", *models],
             ["calibration", "validation_reliability_table"], name="calibrate",
             tags=[EVALUATION_TAG]),
        node(promote_final,
             ["choice", "tuned_design", STUDY_CHOICE, "calibration", CLASS_NAMES,
              "params:predict.images", *metadata],
             PROMOTION, name="select_final_model", tags=[PROMOTION_TAG]),
        node(bundle_final, [PROMOTION, "fashion_mnist_scaler", *models], PROMOTED_MODEL,
             name="promote_model", tags=[PROMOTION_TAG]),
        # last, and once: the official test set
        node(score_official,
             [PROMOTED_MODEL, STUDY_MODEL, "fashion_mnist_official_images",
              "fashion_mnist_y_official_test", "calibration", "params:final",
              "params:evaluation"],
             ["official_table", "official_reliability_table"], name="score_official",
             tags=reporting),
        node(plot_reliability, ["validation_reliability_table", "official_reliability_table"],
             "reliability_plot", name="plot_reliability", tags=reporting),
        node(write_final_report,
             ["tuned_design", "candidates_table", "choice", "calibration", "official_table",
              "params:final", *(f"{ns}.training_metadata" for ns in tuned + refit)],
             "report", name="write_report", tags=reporting),
    ]  # fmt: skip
    shared = {STUDY_CHOICE, STUDY_MODEL, "fashion_mnist_scaler", "fashion_mnist_official_images",
              "fashion_mnist_y_official_test", DATA["X_val"], DATA["y_val"]}  # fmt: skip
    stage = pipeline(
        nodes,
        namespace=FINAL,
        inputs=shared
        | {f"{ns}.model@loader" for ns in study_runs}
        | {f"{ns}.validation_summary" for ns in study_runs},
        outputs={PROMOTION, PROMOTED_MODEL},
        parameters={
            VARIANTS,
            CLASS_NAMES,
            "params:tuning.families",
            "params:final",
            "params:evaluation",
            "params:predict.images",
        },  # fmt: skip
    )
    trained = sum((tuned_run(s) + refit_run(s) for s in seeds), Pipeline([]))
    return trained + stage
