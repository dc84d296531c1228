"""The study's tables: one row per model, one per variant, validation first, test after.

``validation_table`` (per variant, validation figures only) is all the model choice reads;
the runs and report tables, which add the test figures, are made from it and after it.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from from_data_to_model.evaluation_spec import Evaluation
from from_data_to_model.model_spec import spec_paths
from from_data_to_model.pipelines.modelling.records import record_columns
from from_data_to_model.stats import compare, describe, seeds_needed
from from_data_to_model.study import RUN_FIELDS

# Per variant: mean, std and interval over the seeds, of validation and of test figures.
VALIDATION_MEASURES = ["model_val_loss", "best_epoch"]
TEST_MEASURES = ["test_data_loss", "test_accuracy"]
# The column variants are compared on: validation, never test.
COMPARED = "model_val_loss"
# Columns of the runs table that say when and how fast, not what was trained: the only ones
# two runs of the same study differ in (on one machine, backend and runner).
RUN_DEPENDENT = ["fit_seconds", "data_loss_seconds", "trained_at"]


def varying_spec_columns(runs: pd.DataFrame) -> list[str]:
    """The spec's fields (by path) whose values differ between the variants."""
    per_variant = runs.groupby("variant", sort=False)
    return [
        path
        for path in spec_paths()
        if path in runs and path != "seed" and per_variant[path].first().nunique() > 1
    ]


def verdict(row: pd.Series, baseline: str, evaluation: Evaluation) -> str:
    """One sentence on a variant's difference in validation loss to the baseline."""
    seeds = int(row["seeds"])
    if row["variant"] == baseline:
        return "the baseline"
    if seeds < 2:
        return (
            f"one seed: validation loss {row['val_diff_mean']:+.4f} against {baseline}, "
            "no interval, so no claim beyond this single run"
        )
    figures = (
        f"validation loss {row['val_diff_mean']:+.4f}, {evaluation.confidence * 100:.0f} % "
        f"interval "
        f"{row['val_diff_ci_low']:+.4f} to {row['val_diff_ci_high']:+.4f}, {seeds} seeds"
    )
    if row["val_diff_ci_high"] < 0:
        return f"better than the original ({baseline}) beyond seed noise ({figures})"
    if row["val_diff_ci_low"] > 0:
        return f"worse than the original ({baseline}) beyond seed noise ({figures})"
    return f"not distinguishable from the original ({baseline}) with {seeds} seeds ({figures})"


def versus_baseline(runs: pd.DataFrame, variant: str, evaluation: Evaluation) -> dict[str, Any]:
    """The variant minus the baseline in validation loss: the interval, the seeds'
    correlation, and how many seeds an unresolved difference of this size would need."""
    difference = compare(runs, "variant", variant, evaluation.baseline, COMPARED, evaluation)
    resolved = not difference["low"] <= 0 <= difference["high"]
    needed = None
    if not resolved and variant != evaluation.baseline:
        needed = seeds_needed(
            difference["mean"], difference["spread"], evaluation.confidence,
            evaluation.paired, evaluation.power,
        )  # fmt: skip
    return {
        "val_diff_mean": difference["mean"],
        "val_diff_ci_low": difference["low"],
        "val_diff_ci_high": difference["high"],
        "val_diff_se": difference["se"],
        "seed_correlation": difference["correlation"],
        "seeds_needed": needed,
    }


def aggregate_validation(runs: pd.DataFrame, evaluation: Evaluation) -> pd.DataFrame:
    """One row per variant, from the validation summaries alone: each validation measure's
    mean, std and interval over the seeds, the difference in validation loss to the
    baseline with its interval, the seeds' correlation with it, the seeds an unresolved
    difference would need, the verdict, and the spec fields that set variants apart."""
    rows, apart = [], varying_spec_columns(runs)
    for variant, group in runs.groupby("variant", sort=False):
        diagnoses = group["diagnosis"].value_counts()  # the most frequent first
        row = {
            "variant": variant,
            "seeds": len(group),
            "diagnosis": diagnoses.index[0],
            "diagnosis_seeds": int(diagnoses.iloc[0]),
        }
        for measure in VALIDATION_MEASURES:
            row |= describe(group[measure], evaluation.confidence, measure)
        row |= versus_baseline(runs, variant, evaluation)
        for column in ["gap_at_best", "fit_seconds"]:
            row[f"{column}_mean"] = float(group[column].mean())
        row["parameter_count"] = group["parameter_count"].iat[0]
        rows.append(row | group[apart].iloc[0].to_dict())
    table = pd.DataFrame(rows)
    table["seeds_needed"] = table["seeds_needed"].astype("Int64")
    table["comparison"] = table.apply(
        verdict, axis=1, baseline=evaluation.baseline, evaluation=evaluation
    )
    return table


def compile_runs_table(validation_runs: pd.DataFrame, test_runs: pd.DataFrame) -> pd.DataFrame:
    """One row per model: its validation summary and its test metrics, joined by identity;
    the documented columns first (``RunRecord``'s, then ``RunInformation``'s), then the
    spec's fields, then the rest."""
    keys = ["study", "variant", "seed"]
    test_runs = test_runs.drop(columns=[c for c in RUN_FIELDS if c not in keys])
    runs = validation_runs.merge(test_runs, on=keys, how="left", validate="one_to_one")
    first = [c for c in record_columns() if c in runs]
    spec = [c for c in spec_paths() if c in runs and c not in first]
    rest = [c for c in runs if c not in first + spec and c not in RUN_FIELDS]
    return runs[first + spec + rest + ["namespace"]]


def compile_report_table(
    validation_table: pd.DataFrame, runs: pd.DataFrame, evaluation: Evaluation
) -> pd.DataFrame:
    """The validation table with each variant's test figures (mean, std, interval) beside:
    one row per variant, the report's."""
    rows = []
    for variant, group in runs.groupby("variant", sort=False):
        row = {"variant": variant}
        for measure in TEST_MEASURES:
            row |= describe(group[measure], evaluation.confidence, measure)
        rows.append(row | {"test_rows": group["test_rows"].iat[0]})
    table = validation_table.merge(pd.DataFrame(rows), on="variant", validate="one_to_one")
    head = ["variant", "seeds", "diagnosis", "diagnosis_seeds"]
    tests = [c for c in table if c.startswith("test_")]
    return table[head + tests + [c for c in table if c not in head + tests]]
