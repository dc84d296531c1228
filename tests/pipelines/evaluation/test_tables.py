"""The study's tables on synthetic results with known answers: validation first, test after."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from from_data_to_model.pipelines.evaluation.tables import (
    aggregate_validation,
    compile_report_table,
    compile_runs_table,
    verdict,
)
from tests.conftest import base_evaluation

EVALUATION = base_evaluation(baseline="base", difference="paired")
WELCH = base_evaluation(baseline="base", difference="welch")


def runs(rows):
    """Validation runs from rows of variant, seed, validation loss, diagnosis; every variant
    but ``base`` has 4 hidden units instead of 8."""
    table = pd.DataFrame(rows, columns=["variant", "seed", "model_val_loss", "diagnosis"])
    units = table["variant"].map(lambda v: "8" if v == "base" else "4")
    namespaces = "regularization." + table["variant"] + ".seed_" + table["seed"].astype(str)
    return table.assign(
        namespace=namespaces, study="regularization", best_epoch=3, gap_at_best=0.1,
        fit_seconds=1.0, parameter_count=1, **{"hidden.units": units, "epochs": 2},
    )  # fmt: skip


def paired(base, differences, seeds=(1, 2, 3), evaluation=EVALUATION):
    rows = [["base", s, v, "good fit"] for s, v in zip(seeds, base, strict=True)]
    rows += [["x", s, v + d, "good fit"] for s, v, d in zip(seeds, base, differences, strict=True)]
    return aggregate_validation(runs(rows), evaluation).set_index("variant")


def test_differences_pair_runs_by_seed_not_by_row_order():
    rows = [["base", 1, 0.40, "good fit"], ["base", 2, 0.50, "good fit"],
            ["x", 2, 0.45, "good fit"], ["x", 1, 0.30, "good fit"]]  # fmt: skip
    x = aggregate_validation(runs(rows), EVALUATION).set_index("variant").loc["x"]
    assert x["val_diff_mean"] == pytest.approx(-0.075)  # (-0.05 - 0.10) / 2
    assert x["val_diff_se"] == pytest.approx(0.025)  # the two differences' sd / √2


def test_an_unsettled_difference_says_how_many_seeds_would_settle_it():
    """Differences of +0.01 with a spread of 0.01 (Cohen's d of 1): 10 pairs."""
    x = paired([0.4] * 4, (0.0, 0.01, 0.02, 0.01), seeds=(1, 2, 3, 4)).loc["x"]
    assert x["comparison"].startswith("not distinguishable")
    spread = pd.Series([0.0, 0.01, 0.02, 0.01]).std()
    assert x["val_diff_mean"] / spread == pytest.approx(1.22, abs=0.01)
    assert x["seeds_needed"] == 8  # d = 1.22, paired, 95 %, 80 % power


def test_paired_comparison_sees_what_unpaired_intervals_miss():
    """Seeds move both variants together: x is better on every seed, by 0.01 ± 0.001."""
    table = paired([0.30, 0.40, 0.50], (-0.009, -0.010, -0.011))
    x = table.loc["x"]
    assert x["val_diff_mean"] == pytest.approx(-0.010)
    assert x["val_diff_ci_high"] < 0  # beyond seed noise, paired
    assert x["seed_correlation"] == pytest.approx(1.0, abs=1e-4) and pd.isna(x["seeds_needed"])
    half = 4.302653 * 0.001 / math.sqrt(3)
    assert x["comparison"] == (
        "better than the original (base) beyond seed noise (validation loss -0.0100, 95 % "
        f"interval {-0.010 - half:+.4f} to {-0.010 + half:+.4f}, 3 seeds)"
    )
    assert table.loc["base", "comparison"] == "the baseline"
    welch = paired([0.30, 0.40, 0.50], (-0.009, -0.010, -0.011), evaluation=WELCH).loc["x"]
    assert welch["val_diff_ci_low"] < 0 < welch["val_diff_ci_high"]  # unpaired: seed noise
    assert welch["comparison"].startswith("not distinguishable")
    assert pd.isna(welch["seeds_needed"])  # 0.01 among seeds 0.1 apart: over 1000 seeds


@pytest.mark.parametrize(
    ("differences", "expected"),
    [
        ((0.02, 0.03, 0.025), "worse than the original (base) beyond seed noise"),
        ((-0.02, 0.03, 0.0), "not distinguishable from the original (base) with 3 seeds"),
    ],
)
def test_verdicts(differences, expected):
    assert paired([0.4] * 3, differences).loc["x", "comparison"].startswith(expected)


def test_single_seed_gives_no_interval_and_says_so():
    rows = [["base", 7, 0.40, "over-fitting"], ["x", 7, 0.35, "good fit"]]
    table = aggregate_validation(runs(rows), EVALUATION).set_index("variant")
    assert math.isnan(table.loc["x", "model_val_loss_ci_low"])
    assert math.isnan(table.loc["x", "val_diff_se"]) and pd.isna(table.loc["x", "seeds_needed"])
    assert table.loc["x", "comparison"] == (
        "one seed: validation loss -0.0500 against base, no interval, so no claim beyond "
        "this single run"
    )


def test_most_frequent_diagnosis_and_its_count():
    diagnoses = ("good fit", "over-fitting", "over-fitting")
    rows = [["base", s, 0.4, d] for s, d in enumerate(diagnoses)]
    row = aggregate_validation(runs(rows), EVALUATION).iloc[0]
    assert (row["diagnosis"], row["diagnosis_seeds"], row["seeds"]) == ("over-fitting", 2, 3)


def test_validation_table_has_the_spec_fields_that_set_variants_apart_and_no_test_figure():
    table = paired([0.4] * 3, (0.0, 0.0, 0.0))
    assert "hidden.units" in table and "epochs" not in table  # epochs: the same everywhere
    assert list(table["hidden.units"]) == ["8", "4"]
    assert not [c for c in table if c.startswith("test_")]


def test_runs_and_report_tables_join_test_figures_by_identity():
    validation = runs([["base", 1, 0.4, "good fit"], ["base", 2, 0.5, "good fit"]])
    tests = pd.DataFrame(
        [[s, "regularization", "base", None, None, f"regularization.base.seed_{s}", loss, 0.9, 30]
         for s, loss in ((2, 0.52), (1, 0.42))],  # in another order
        columns=["seed", "study", "variant", "family", "value", "namespace", "test_data_loss",
                 "test_accuracy", "test_rows"],
    )  # fmt: skip
    all_runs = compile_runs_table(validation, tests)
    assert list(all_runs.columns[:5]) == [
        "variant",
        "seed",
        "diagnosis",
        "test_data_loss",
        "test_accuracy",
    ]
    assert all_runs["test_data_loss"].tolist() == [0.42, 0.52]
    assert all_runs.columns[-1] == "namespace" and "family" not in all_runs
    report = compile_report_table(
        aggregate_validation(validation, EVALUATION), all_runs, EVALUATION
    ).iloc[0]
    assert report["test_data_loss_mean"] == pytest.approx(0.47)
    assert report["test_rows"] == 30 and report["model_val_loss_mean"] == pytest.approx(0.45)


def test_verdict_needs_the_variant_and_seed_count():
    row = pd.Series({"variant": "x", "seeds": 1, "val_diff_mean": -0.01})
    assert verdict(row, "base", EVALUATION).startswith("one seed: validation loss -0.0100")
