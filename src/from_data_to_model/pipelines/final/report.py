"""The final stage's report and its reliability diagram."""

from __future__ import annotations

from typing import Any

import pandas as pd
from matplotlib.figure import Figure

from .spec import Final


def _figure(row: pd.Series, name: str, digits: int = 4) -> str:
    low, high = row.get(f"{name}_low"), row.get(f"{name}_high")
    if pd.isna(row.get(name)):
        return ""
    if low is None or pd.isna(low):
        return f"{row[name]:.{digits}f}"
    return f"{row[name]:.{digits}f} [{low:.{digits}f}, {high:.{digits}f}]"


def _table(frame: pd.DataFrame, columns: dict[str, str]) -> str:
    """The frame's ``columns`` as Markdown, under their titles: names as they are, figures
    with their intervals."""
    cells = pd.DataFrame(
        {
            title: frame[key].astype(str)
            if key in ("candidate", "model", "source")
            else frame.apply(_figure, axis=1, name=key)
            for key, title in columns.items()
        }
    )
    return cells.to_markdown(index=False, disable_numparse=True)


def goal_verdict(official: pd.DataFrame, final: Final) -> str:
    """Whether the final model reached the configured goal on the official set, and if not,
    by how much."""
    row = official.iloc[0]
    parts = []
    for name, goal, better in (
        ("accuracy", final.goal.accuracy, row["accuracy"] >= final.goal.accuracy),
        ("ECE", final.goal.ece, row["ece"] <= final.goal.ece),
    ):
        value = row["accuracy" if name == "accuracy" else "ece"]
        verdict = "reached" if better else f"missed by {abs(value - goal):.4f}"
        parts.append(f"{name} {value:.4f} against the goal of {goal:.3f}: {verdict}")
    return "; ".join(parts)


def write_final_report(
    design: dict[str, Any],
    candidates: pd.DataFrame,
    choice: dict[str, Any],
    calibration: dict[str, Any],
    official: pd.DataFrame,
    final: Final,
    *metadata: dict[str, Any],
) -> str:
    """The final stage in Markdown: the tuned design and where its values come from, the
    candidates on validation, the winner, its refit, its calibration, and the official test
    set last."""
    refit = [m for m in metadata if m["variant"] == "refit"]
    trained = sum(m["fit_seconds"] for m in metadata)
    figures = {"candidate": "candidate", "model": "model", "nll": "validation NLL [interval]",
               "accuracy": "accuracy [interval]", "ece": "ECE",
               "nll_minus_singles": "ensemble − singles, NLL"}  # fmt: skip
    val = calibration["validation"]
    refit_lines = "\n".join(
        f"- {m['namespace']}: {m['refit_of']}'s design for {m['refit_epochs']} epochs "
        f"(its lowest validation loss), on {m['train_rows']} rows, {m['fit_seconds']:.0f} s"
        for m in refit
    )
    official_columns = {"model": "model", "source": "source", "accuracy": "accuracy [interval]",
                        "nll": "NLL [interval]", "ece": "ECE [interval]"}  # fmt: skip
    return f"""# The final model

Chosen on validation only; the official test set is scored last, once.

## The tuned design

{design["description"]}.

## The candidates on validation

Each candidate's members are single networks of one seed each; its ensemble is the mean
of their probabilities. Intervals: {len(refit)} seeds' t-interval for the mean of the
single seeds, a bootstrap over the validation images ({final.bootstrap.resamples}
resamples) for the ensemble and for its difference to the single seeds.

{_table(candidates, figures)}

**Winner: {choice["winner"]}**: {choice["reason"]}.

## The refit

The winner's members, retrained on the study's {", ".join(final.refit.splits)} splits (the
validation split stays out: the temperature is fitted on it), each for the epochs at which
its own validation loss was lowest, without early stopping:

{refit_lines}

## Calibration

Temperature scaling, fitted on the validation split: T = {calibration["temperature"]:.3f}.
On validation (in-sample for T), NLL {val["before"]["nll"]:.4f} → {val["after"]["nll"]:.4f},
ECE ({final.bins} bins) {val["before"]["ece"]:.4f} → {val["after"]["ece"]:.4f}. The
reliability diagram (`reliability.png`) shows both sets, before and after.

## The official test set

{_table(official, official_columns)}

Goal: {goal_verdict(official, final)}.

The final stage trained {len(metadata)} models in {trained:.0f} s of fitting.
"""


def plot_reliability(*tables: pd.DataFrame) -> Figure:
    """Accuracy against confidence per bin, before and after temperature scaling, on
    validation and on the official test set (the diagonal: perfect calibration)."""
    bins = pd.concat(tables, ignore_index=True)
    sets = list(dict.fromkeys(bins["data"]))
    fig = Figure(figsize=(5 * len(sets), 4.5), layout="constrained")
    for ax, data in zip(fig.subplots(1, len(sets), squeeze=False)[0], sets, strict=True):
        ax.plot([0, 1], [0, 1], color="grey", linestyle=":", label="perfect calibration")
        for calibration, style in (("before", "o--"), ("after", "s-")):
            own = bins[(bins["data"] == data) & (bins["calibration"] == calibration)]
            own = own[own["rows"] > 0]
            ax.plot(own["confidence"], own["accuracy"], style, label=f"{calibration} scaling")
        ax.set(title=data, xlabel="confidence (top-class probability)", ylabel="accuracy",
               xlim=(0, 1), ylim=(0, 1))  # fmt: skip
        ax.legend(loc="upper left")
    fig.suptitle("Reliability of the final model")
    return fig
