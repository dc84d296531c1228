"""Settling a value on a validation curve whose points (values over seeds) are known."""

from __future__ import annotations

import pandas as pd
import pytest

from from_data_to_model.pipelines.tuning.nodes import settle_value, validation_curve
from from_data_to_model.study import Family
from tests.conftest import base_evaluation

EVALUATION = base_evaluation(difference="paired", choice={"tie_tolerance": 0.005})


def family(values, prefer="high"):
    return Family(variant="overfit", path="hidden.l2", values=values, scale="log",
                  prefer=prefer, original=values[0])  # fmt: skip


def settled(values: list, losses: list[list[float]], prefer: str = "high") -> dict:
    """The settled value of a family whose values had these validation losses, seed by seed."""
    grid = family(values, prefer)
    summaries = [
        {"value": value, "seed": seed, "model_val_loss": loss, "model_train_loss": loss / 2}
        for value, value_losses in zip(values, losses, strict=True)
        for seed, loss in enumerate(value_losses, start=1)
    ]
    curve, points = validation_curve(grid, EVALUATION, *summaries)
    return settle_value(curve.assign(value="read back as text"), points, grid, EVALUATION)


def test_the_lowest_mean_wins_when_nothing_is_within_one_error():
    result = settled([1, 2, 3], [[0.40, 0.41], [0.30, 0.31], [0.35, 0.36]])
    assert result["value"] == 2  # the configured value, not the table's text
    assert result["reason"] == (
        "lowest mean validation loss at 2 (0.3050); tied, within one standard error (paired) "
        "of their difference to it: 2; a tie goes to the more strongly regularized end, so 2 "
        "(validation loss 0.3050)."
    )


def test_a_tie_goes_to_the_preferred_end():
    # 1 and 3 minus 2, by seed: +0.01 and -0.01 (mean 0, within one error); 4: +0.1 on each
    losses = [[0.31, 0.30], [0.30, 0.31], [0.31, 0.30], [0.40, 0.41]]
    assert settled([1, 2, 3, 4], losses)["value"] == 3
    assert settled([1, 2, 3, 4], losses, prefer="low")["value"] == 1


def test_one_seed_ties_within_the_tolerance():
    result = settled([1, 2, 3], [[0.30], [0.304], [0.31]])
    assert result["value"] == 2
    assert "within 0.005 of it (one seed, no error): 1, 2" in result["reason"]


def test_list_values_come_back_as_configured():
    result = settled([[16], [128]], [[0.35, 0.36], [0.30, 0.301]], prefer="low")
    assert result["value"] == [128]


def test_the_curve_and_its_points():
    grid = family([1, 2])
    summaries = [{"value": v, "seed": s, "model_val_loss": 0.1 * v + 0.01 * s,
                  "model_train_loss": 0.05} for v in (1, 2) for s in (1, 2)]  # fmt: skip
    curve, points = validation_curve(grid, EVALUATION, *summaries)
    assert curve["model_val_loss_mean"].tolist() == pytest.approx([0.115, 0.215])
    assert (curve["seeds"] == 2).all() and curve["value"].tolist() == ["1", "2"]
    assert points.columns.tolist() == ["seed", "model_val_loss", "value"] and len(points) == 4
    assert isinstance(points, pd.DataFrame)
