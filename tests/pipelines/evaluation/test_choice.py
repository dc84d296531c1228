"""The model choice, from a validation table: ties counted by the study's rule."""

from __future__ import annotations

import pandas as pd

from from_data_to_model.pipelines.evaluation.choice import choose_model

RULE = {"tie_tolerance": 0.005}


def table(rows, seeds=3):
    """Rows: variant, mean, interval low, interval high, gap, parameters."""
    frame = pd.DataFrame(
        rows,
        columns=["variant", "model_val_loss_mean", "model_val_loss_ci_low",
                 "model_val_loss_ci_high", "gap_at_best_mean", "parameter_count"],
    )  # fmt: skip
    return frame.assign(seeds=seeds, diagnosis="good fit", diagnosis_seeds=seeds)


def test_the_lowest_validation_loss_wins_when_nothing_ties():
    validation = table([["a", 0.30, 0.29, 0.31, 0.05, 1000], ["b", 0.35, 0.34, 0.36, 0.05, 10]])
    assert choose_model(validation, RULE) == {
        "variant": "a",
        "reason": "its validation loss is the lowest (0.3000); its learning curves read as "
        "good fit (3 of 3 seeds).",
        "tied_with": [],
        "model_val_loss": 0.30,
    }


def test_overlapping_intervals_tie_and_the_smaller_model_wins():
    validation = table(
        [
            ["big", 0.330, 0.320, 0.340, 0.10, 1_000_000],
            ["small", 0.336, 0.335, 0.337, 0.10, 100_000],  # inside big's interval
            ["far", 0.400, 0.390, 0.410, 0.01, 10],
        ]
    )
    choice = choose_model(validation, RULE)
    assert choice["variant"] == "small" and choice["tied_with"] == ["big"]
    assert choice["reason"] == (
        "its validation loss (0.3360) cannot be told from the lowest, big's (0.3300); tied "
        "(95 % intervals over 3 seeds overlap): big (validation loss 0.3300, 1,000,000 "
        "parameters, gap +0.100); a tie goes to the fewest parameters, then the smaller "
        "generalization gap, and small has validation loss 0.3360, 100,000 parameters, gap "
        "+0.100; its learning curves read as good fit (3 of 3 seeds)."
    )


def test_one_seed_falls_back_to_the_tie_tolerance():
    nan = float("nan")
    validation = table(
        [["x", 0.330, nan, nan, 0.20, 500], ["y", 0.332, nan, nan, 0.05, 500],
         ["z", 0.340, nan, nan, 0.01, 5]],
        seeds=1,
    )  # fmt: skip
    choice = choose_model(validation, RULE)
    assert choice["variant"] == "y"  # tied with x on size, smaller gap; z is 0.01 away
    assert choice["tied_with"] == ["x"]
    assert "one seed, so within 0.005 of each other" in choice["reason"]
