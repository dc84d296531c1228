"""The model choice, from the validation table and summaries: ties by the difference to the
best, the study's rule."""

from __future__ import annotations

import pandas as pd

from from_data_to_model.pipelines.evaluation.choice import choose_model
from from_data_to_model.pipelines.evaluation.tables import aggregate_validation
from tests.conftest import base_evaluation

EVALUATION = base_evaluation(baseline="big", difference="welch", choice={"tie_tolerance": 0.005})


def validation(losses: dict[str, list[float]], parameters: dict[str, int], gaps=None):
    """The validation table and runs of variants with these losses over seeds 1, 2, 3..."""
    runs = pd.DataFrame(
        [
            {"variant": variant, "seed": seed, "model_val_loss": loss, "diagnosis": "good fit",
             "best_epoch": 3, "gap_at_best": (gaps or {}).get(variant, 0.1), "fit_seconds": 1.0,
             "parameter_count": parameters[variant], "study": "regularization"}
            for variant, values in losses.items()
            for seed, loss in enumerate(values, start=1)
        ]
    )  # fmt: skip
    return aggregate_validation(runs, EVALUATION), runs


def test_the_lowest_validation_loss_wins_when_nothing_ties():
    table, runs = validation({"big": [0.30, 0.31, 0.29], "small": [0.40, 0.41, 0.39]},
                             {"big": 1000, "small": 10})  # fmt: skip
    assert choose_model(table, runs, EVALUATION) == {
        "variant": "big",
        "reason": "its validation loss is the lowest (0.3000); its learning curves read as "
        "good fit (3 of 3 seeds).",
        "tied_with": [],
        "model_val_loss": 0.30,
    }


def test_a_difference_whose_interval_contains_0_ties_and_the_smaller_model_wins():
    table, runs = validation(
        {"big": [0.32, 0.34, 0.33], "small": [0.335, 0.337, 0.336], "far": [0.40, 0.41, 0.39]},
        {"big": 1_000_000, "small": 100_000, "far": 10},
    )
    choice = choose_model(table, runs, EVALUATION)
    assert choice["variant"] == "small" and choice["tied_with"] == ["big"]
    assert choice["reason"] == (
        "its validation loss (0.3360) cannot be told from the lowest, big's (0.3300); tied "
        "(the difference to the lowest has Welch's 95% t-interval (the seeds as independent "
        "samples) that contains 0): big (validation loss 0.3300, 1,000,000 parameters, gap "
        "+0.100); a tie goes to the fewest parameters, then the smaller generalization gap, "
        "and small has validation loss 0.3360, 100,000 parameters, gap +0.100; its learning "
        "curves read as good fit (3 of 3 seeds)."
    )


def test_one_seed_falls_back_to_the_tie_tolerance():
    table, runs = validation({"big": [0.330], "x": [0.332], "z": [0.340]},
                             {"big": 500, "x": 500, "z": 5},
                             gaps={"big": 0.2, "x": 0.05})  # fmt: skip
    choice = choose_model(table, runs, EVALUATION)
    assert choice["variant"] == "x"  # tied with big on size, smaller gap; z is 0.01 away
    assert choice["tied_with"] == ["big"]
    assert "one seed, so within 0.005 of each other" in choice["reason"]
