"""The study's report, in Markdown: results with their uncertainty, comparisons,
diagnoses, the recommendation, what sets the variants apart, where the run ran."""

from __future__ import annotations

import math
import platform
from datetime import datetime, timezone
from importlib.metadata import version
from typing import Any

import pandas as pd

from from_data_to_model.evaluation_spec import Evaluation, Published, Reference
from from_data_to_model.model_spec import spec_paths
from from_data_to_model.promotion import Promotion
from from_data_to_model.stats import choice_rule, interval, method, spread

from .official_test import most_confused


def diagnosis_label(row: pd.Series) -> str:
    """``over-fitting (2 of 3 seeds)``: a variant's most frequent diagnosis."""
    return f"{row['diagnosis']} ({row['diagnosis_seeds']} of {row['seeds']} seeds)"


def results_table(report: pd.DataFrame) -> str:
    """Per variant: mean ± std and 95 % interval of each measure, as Markdown."""
    cells = pd.DataFrame(
        {
            "variant": report["variant"],
            "diagnosis": report.apply(diagnosis_label, axis=1),
            "test data loss": report.apply(spread, axis=1, measure="test_data_loss"),
            "95 % interval": report.apply(interval, axis=1, measure="test_data_loss"),
            "test accuracy": report.apply(spread, axis=1, measure="test_accuracy"),
            "validation loss": report.apply(spread, axis=1, measure="model_val_loss"),
            "its 95 % interval": report.apply(interval, axis=1, measure="model_val_loss"),
            "best epoch": report.apply(spread, axis=1, measure="best_epoch", digits=1),
            "parameters": report["parameter_count"],
        }
    )
    return cells.to_markdown(index=False)


def reference_lines(report: pd.DataFrame, reference: dict[str, Reference]) -> list[str]:
    """Whether the original study's test loss falls inside our interval, per variant."""
    lines = []
    for row in report.itertuples():
        if row.variant not in reference:
            continue
        theirs = reference[row.variant].test_loss
        if math.isnan(row.test_data_loss_ci_low):
            where = f"ours is {row.test_data_loss_mean:.3f} from one seed (no interval)"
        else:
            inside = row.test_data_loss_ci_low <= theirs <= row.test_data_loss_ci_high
            where = (
                f"{'inside' if inside else 'outside'} our 95 % interval "
                f"[{row.test_data_loss_ci_low:.3f}, {row.test_data_loss_ci_high:.3f}]"
            )
        lines.append(
            f"- **{row.variant}**: the original study's test loss {theirs:.3f} is {where}."
        )
    return lines


def _distinct(table: pd.DataFrame, column: str) -> str:
    return ", ".join(str(v) for v in table[column].unique())


def run_information(runs: pd.DataFrame) -> dict[str, str]:
    """When, where and with what the report's models were trained and the report written:
    the same seeds give other digits on another processor or backend."""
    backend = runs[["keras_backend", "backend_version"]].drop_duplicates()
    return {
        "report written (UTC)": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M"),
        "models trained (UTC)": f"{runs['trained_at'].min()} to {runs['trained_at'].max()}",
        "seeds": _distinct(runs, "seed"),
        "Keras backend": ", ".join(f"{b} {v}" for b, v in backend.itertuples(index=False)),
        "Keras": _distinct(runs, "keras_version"),
        "processor": f"{_distinct(runs, 'processor')}; vector extensions "
        f"{_distinct(runs, 'vector_extensions')}; {_distinct(runs, 'cores')} cores",
        "Kedro": version("kedro"),
        "Python": platform.python_version(),
        "machine": f"{platform.system()} {platform.machine()}",
    }


def _results_section(report: pd.DataFrame, runs: pd.DataFrame, evaluation: Evaluation) -> list[str]:
    seeds = int(report["seeds"].min())
    caveat = (
        "One seed per variant: no interval can be given, and a difference between two "
        "variants may be seed noise."
        if seeds < 2
        else f"Mean ± standard deviation over {seeds} seeds ({_distinct(runs, 'seed')}), and "
        f"the {evaluation.confidence:.0%} t-interval of the mean (with so few seeds a "
        "t-interval is honest about how little it knows; a bootstrap would not be)."
    )
    return [
        f"## Results on the test split ({_distinct(report, 'test_rows')} rows)",
        "",
        caveat + " Losses are data losses: cross-entropy without the L1/L2 penalty.",
        "",
        results_table(report),
        "",
        *_comparisons_section(report, runs, evaluation),
        "",
        "## The original study's test losses against ours",
        "",
        *reference_lines(report, evaluation.reference),
    ]


def _correlation(row, baseline: str) -> str:
    if row.variant == baseline or pd.isna(row.seed_correlation):
        return ""
    return f"; seeds' correlation r = {row.seed_correlation:.2f}"


def power_lines(report: pd.DataFrame, runs: pd.DataFrame, evaluation: Evaluation) -> list[str]:
    """For each comparison the data cannot settle yet: how many seeds would, and the
    command and time that adds them."""
    seeds = int(report["seeds"].min())
    if seeds < 2:
        return ["One seed: no spread to go by, so no estimate of the seeds a comparison needs."]
    per_model = float(runs["fit_seconds"].mean())
    lines = []
    for row in report.itertuples():
        if row.variant == evaluation.baseline or not row.comparison.startswith("not"):
            continue
        if pd.isna(row.seeds_needed):
            lines.append(f"- **{row.variant}**: a difference of {row.val_diff_mean:+.4f} is "
                         "too small for any number of seeds up to 1000 to resolve.")  # fmt: skip
            continue
        needed = int(row.seeds_needed)
        minutes = (needed - seeds) * len(report) * per_model / 60
        lines.append(
            f"- **{row.variant}**: {needed} seeds would resolve a difference of "
            f"{row.val_diff_mean:+.4f} with {evaluation.power:.0%} power: `kedro run "
            f"--pipeline=regularization --params regularization.seeds={needed} "
            f"--only-missing-outputs`, about {minutes:.0f} min here."
        )
    return lines


def _comparisons_section(
    report: pd.DataFrame, runs: pd.DataFrame, evaluation: Evaluation
) -> list[str]:
    return [
        f"## Compared with the original ({evaluation.baseline}), on validation",
        "",
        f"The difference in validation loss, variant minus original, with {method(evaluation)}"
        "; r is the Pearson correlation of the two variants' seeds (seed k with seed k): "
        "near 0, pairing would buy nothing but lose half the degrees of freedom "
        "(docs/statistics.md).",
        "",
        *[
            f"- **{r.variant}**: {r.comparison}{_correlation(r, evaluation.baseline)}."
            for r in report.itertuples()
        ],
        "",
        "How many seeds would settle what these seeds cannot, if the difference and the "
        "spread seen here are the true ones (an optimistic guess for a small difference, "
        f"which more seeds tend to shrink), for a {evaluation.confidence:.0%} test; the "
        "time counts this run's mean fit time per model, on this machine and runner:",
        "",
        *(power_lines(report, runs, evaluation) or ["- every comparison is settled."]),
    ]


def _diagnosis_section(report: pd.DataFrame, runs: pd.DataFrame) -> list[str]:
    lines = []
    for _, row in report.iterrows():
        agreeing = runs[
            (runs["variant"] == row["variant"]) & (runs["diagnosis"] == row["diagnosis"])
        ]
        example = agreeing.iloc[0]
        lines.append(
            f"- **{row['variant']}**: {diagnosis_label(row)}; seed {example['seed']}: "
            f"{example['diagnosis_reason']}."
        )
    return [
        "## Fit diagnosis, from each learning curve",
        "",
        "Training loss measured like validation loss: in inference mode, without penalty.",
        "",
        *lines,
    ]


def _choice_section(report: pd.DataFrame, choice: dict[str, Any]) -> list[str]:
    chosen = report.set_index("variant").loc[choice["variant"]]
    return [
        "## Which model would we use, and why?",
        "",
        f"**{choice['variant']}**, chosen on the validation split only: {choice['reason']}",
        "",
        f"Afterwards, on the test split (never used for the choice): test data loss "
        f"{chosen['test_data_loss_mean']:.4f}, test accuracy {chosen['test_accuracy_mean']:.4f}.",
    ]


def _parameters_section(report: pd.DataFrame, evaluation: Evaluation) -> list[str]:
    thresholds = ", ".join(f"{k} {v}" for k, v in evaluation.diagnosis.model_dump().items())
    columns = ["variant", *[c for c in spec_paths() if c in report], "parameter_count"]
    return [
        "## Parameters",
        "",
        "What sets the variants apart (every other field of their specs is the same):",
        "",
        report[columns].to_markdown(index=False, floatfmt=".4g"),
        "",
        f"Diagnosis thresholds: {thresholds}; choice: {choice_rule(evaluation)}; baseline "
        f"{evaluation.baseline}.",
    ]


def _promotion_section(promotion: Promotion) -> list[str]:
    return [
        "## The promoted model",
        "",
        f"**{promotion.namespace}**: {promotion.reason}. It is saved with the scaler of "
        f"its training data inside (`{promotion.model_dataset}`): raw pixels in, class "
        "probabilities out; `kedro run --pipeline=predict` scores new images with it.",
    ]


def _published_lines(accuracy: float, published: list[Published]) -> list[str]:
    return [
        f"- {entry.name}: {entry.accuracy:.3f} (ours {accuracy:.3f}, "
        f"{accuracy - entry.accuracy:+.3f})"
        for entry in published
    ]


def _official_section(
    official: pd.DataFrame,
    check: dict[str, Any],
    per_class: pd.DataFrame,
    confusion: pd.DataFrame,
    evaluation: Evaluation,
) -> list[str]:
    """Every variant on both test sets, then the promoted model's per-class figures."""

    def cells(describe_as, measure: str) -> pd.Series:
        return official.apply(describe_as, axis=1, measure=measure)

    table = pd.DataFrame(
        {
            "variant": official["variant"],
            "own test split: accuracy": cells(spread, "own_test_accuracy"),
            "official: accuracy": cells(spread, "official_test_accuracy"),
            "its 95 % interval": cells(interval, "official_test_accuracy"),
            "own: data loss": cells(spread, "own_test_data_loss"),
            "official: data loss": cells(spread, "official_test_data_loss"),
        }
    )
    mixed = ", ".join(f"{t} taken for {p} {n} times" for t, p, n in most_confused(confusion))
    return [
        f"## The final check: Fashion-MNIST's official test set ({check['images']} images)",
        "",
        "Scored after the choice, never used for it: the study made its own test split from "
        "the training images; published results use these.",
        "",
        table.to_markdown(index=False, disable_numparse=True),
        "",
        f"The promoted model: accuracy {check['accuracy']:.4f}, data loss "
        f"{check['data_loss']:.4f}. Per class:",
        "",
        per_class.to_markdown(index=False, floatfmt=".3f"),
        "",
        f"Most often mixed up: {mixed} (`confusion_matrix.png`, `confident_mistakes.png`).",
        "",
        "Published single-figure results on the same images (Fashion-MNIST's benchmark):",
        "",
        *_published_lines(check["accuracy"], evaluation.published),
    ]


def write_report(  # noqa: PLR0913 (one input per section's data)
    report: pd.DataFrame,
    runs: pd.DataFrame,
    choice: dict[str, Any],
    promotion: Promotion,
    official: pd.DataFrame,
    check: dict[str, Any],
    per_class: pd.DataFrame,
    confusion: pd.DataFrame,
    evaluation: Evaluation,
) -> str:
    """The Markdown report: results with their uncertainty, comparisons, diagnoses, the
    recommendation and the promoted model, the official test set, parameters, run."""
    run = [f"- {key}: {value}" for key, value in run_information(runs).items()]
    sections = [
        ["# Regularization study: report"],
        _results_section(report, runs, evaluation),
        _diagnosis_section(report, runs),
        _choice_section(report, choice),
        _promotion_section(promotion),
        _official_section(official, check, per_class, confusion, evaluation),
        _parameters_section(report, evaluation),
        ["## Run", "", *run],
    ]
    return "\n\n".join("\n".join(section) for section in sections) + "\n"
