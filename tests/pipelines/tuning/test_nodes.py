"""Settling a value on a validation curve with known means and spreads."""

from __future__ import annotations

import math

import pandas as pd

from from_data_to_model.pipelines.tuning.nodes import settle_value
from from_data_to_model.study import Family


def family(values, prefer="high"):
    return Family(variant="overfit", path="hidden.l2", values=values, scale="log",
                  prefer=prefer, original=values[0])  # fmt: skip


def curve(means, stds, seeds=2):
    return pd.DataFrame({"value": "read back as text", "position": range(len(means)),
                         "seeds": seeds, "model_val_loss_mean": means,
                         "model_val_loss_std": stds})  # fmt: skip


def test_the_lowest_mean_wins_when_nothing_is_within_one_error():
    settled = settle_value(curve([0.40, 0.30, 0.35], [0.01, 0.01, 0.01]), family([1, 2, 3]), 0.005)
    assert settled["value"] == 2  # the configured value, not the table's text
    assert settled["reason"] == (
        "lowest mean validation loss at 2 (0.3000); tied, within one standard error "
        "(0.0071, 2 seeds) of it: 2; a tie goes to the more strongly regularized end, so 2 "
        "(validation loss 0.3000)."
    )


def test_a_tie_goes_to_the_preferred_end():
    means, stds = [0.305, 0.30, 0.306, 0.40], [0.02, 0.02, 0.02, 0.02]  # error 0.0141
    assert settle_value(curve(means, stds), family([1, 2, 3, 4]), 0.005)["value"] == 3
    assert settle_value(curve(means, stds), family([1, 2, 3, 4], "low"), 0.005)["value"] == 1


def test_one_seed_ties_within_the_tolerance():
    nan = math.nan
    settled = settle_value(curve([0.30, 0.304, 0.31], [nan] * 3, seeds=1), family([1, 2, 3]), 0.005)
    assert settled["value"] == 2
    assert "within 0.005 of it (one seed, no error): 1, 2" in settled["reason"]


def test_list_values_come_back_as_configured():
    units = family([[16], [128]], prefer="low")
    settled = settle_value(curve([0.35, 0.30], [0.001, 0.001]), units, 0.005)
    assert settled["value"] == [128]
