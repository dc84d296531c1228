"""Figures of the study, each variant in one colour throughout; bands show the seeds' spread.

Figures are built with matplotlib's object API (no pyplot state, no backend
switch), so nodes are thread-safe and notebooks keep their own backend.
"""

from __future__ import annotations

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from from_data_to_model.pipelines.training.nodes import SEED_SEPARATOR

from .metrics import learning_curves


def variant_colours(variants: list[str]) -> dict[str, str]:
    """A stable colour per variant, in configuration order (tab10, then tab20)."""
    palette = matplotlib.colormaps["tab10" if len(variants) <= 10 else "tab20"].colors
    return {
        name: matplotlib.colors.to_hex(palette[i % len(palette)]) for i, name in enumerate(variants)
    }


def curves_by_variant(histories: dict[str, pd.DataFrame]) -> dict[str, dict[str, pd.DataFrame]]:
    """Per variant: its seeds' losses, ``{"train": epochs × seeds, "val": epochs × seeds}``.

    Runs stopped early are shorter: their missing epochs are left out of the band.
    """
    grouped: dict[str, dict[str, dict[str, pd.Series]]] = {}
    for key, history in histories.items():
        variant, seed = key.rsplit(SEED_SEPARATOR, 1) if SEED_SEPARATOR in key else (key, "")
        train, val = learning_curves(history.set_index("epoch"))
        runs = grouped.setdefault(variant, {"train": {}, "val": {}})
        runs["train"][seed], runs["val"][seed] = train, val
    return {v: {k: pd.DataFrame(s) for k, s in runs.items()} for v, runs in grouped.items()}


def _band(ax, curves: pd.DataFrame, colour: str, label: str, style: str = "-", width=1.5):
    """The mean over the seeds as a line, their range as a band (one seed: just the line)."""
    ax.plot(curves.index, curves.mean(axis=1), style, color=colour, label=label, linewidth=width)
    if curves.shape[1] > 1:
        ax.fill_between(curves.index, curves.min(axis=1), curves.max(axis=1), color=colour,
                        alpha=0.2, linewidth=0)  # fmt: skip


def plot_learning_curve(
    curves: dict[str, pd.DataFrame], title: str, colour: str = "C0", ylabel: str = "loss"
) -> Figure:
    """Training and validation loss per epoch (mean line, band over the seeds)."""
    fig = Figure(figsize=(6, 4), layout="constrained")
    ax = fig.subplots()
    _band(ax, curves["train"], colour, "training loss (inference mode)", style="--")
    _band(ax, curves["val"], colour, "validation loss")
    seeds = curves["val"].shape[1]
    ax.set(title=f"{title} ({seeds} seed{'s' * (seeds > 1)})", xlabel="epoch", ylabel=ylabel)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend()
    ax.grid(alpha=0.3)
    return fig


def plot_learning_curves(**histories: pd.DataFrame) -> dict[str, Figure]:
    """``{"<variant>.png": figure}``: each variant's training vs validation loss."""
    curves = curves_by_variant(histories)
    colours = variant_colours(list(curves))
    return {
        f"{name}.png": plot_learning_curve(c, f"{name}: training vs validation", colours[name])
        for name, c in curves.items()
    }


def _validation_axes(ax, curves: dict, colours: dict[str, str], baseline: str) -> None:
    for name, variant in curves.items():
        label = f"{name} (original)" if name == baseline else name
        _band(ax, variant["val"], colours[name], label, width=2.5 if name == baseline else 1.5)
    # Zoom on the baseline's range: a slow starter (underfit) would flatten every other curve.
    base = curves[baseline]["val"].mean(axis=1)
    ax.set_ylim(base.min() * 0.9, base.max() * 1.15)
    ax.set(xlabel="epoch", ylabel="validation loss")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.grid(alpha=0.3)
    ax.legend()


def plot_validation_vs_original(baseline: str, **histories: pd.DataFrame) -> dict[str, Figure]:
    """Each variant's validation loss against the baseline ("original"), plus all together."""
    curves = curves_by_variant(histories)
    colours = variant_colours(list(curves))
    figures = {}
    for name in curves:
        if name == baseline:
            continue
        fig = Figure(figsize=(6, 4), layout="constrained")
        ax = fig.subplots()
        pair = {baseline: curves[baseline], name: curves[name]}
        _validation_axes(ax, pair, colours, baseline)
        ax.set_title(f"{name} vs original: validation loss")
        figures[f"{name}.png"] = fig
    fig = Figure(figsize=(8, 5), layout="constrained")
    ax = fig.subplots()
    _validation_axes(ax, curves, colours, baseline)
    ax.set_title(f"Validation loss of every variant against the original ({baseline}) model")
    figures["all.png"] = fig
    return figures


def plot_test_metrics(report: pd.DataFrame) -> Figure:
    """Test data loss and test accuracy per variant: mean bars, 95 % interval error bars."""
    colours = variant_colours(list(report["variant"]))
    bar_colours = [colours[v] for v in report["variant"]]
    fig = Figure(figsize=(11, 4), layout="constrained")
    loss_ax, acc_ax = fig.subplots(1, 2)
    rows = ", ".join(str(n) for n in report["test_rows"].unique())
    for ax, measure, label in (
        (loss_ax, "test_data_loss", "test data loss"),
        (acc_ax, "test_accuracy", "test accuracy"),
    ):
        mean = report[f"{measure}_mean"]
        errors = np.vstack(
            [mean - report[f"{measure}_ci_low"], report[f"{measure}_ci_high"] - mean]
        )
        bars = ax.bar(report["variant"], mean, color=bar_colours,
                      yerr=None if np.isnan(errors).all() else errors, capsize=4)  # fmt: skip
        ax.bar_label(bars, fmt="%.3f", fontsize=8, label_type="center")
        ax.set(title=f"{label} per variant (test split, {rows} rows)", ylabel=label)
        ax.tick_params(axis="x", rotation=45)
    low = (report["test_accuracy_ci_low"].fillna(report["test_accuracy_mean"])).min()
    acc_ax.set_ylim(max(0.0, low - 0.05), min(1.0, report["test_accuracy_mean"].max() + 0.03))
    return fig


def plot_housing_learning_curve(history: pd.DataFrame) -> Figure:
    """The housing model's training vs validation MSE."""
    return plot_learning_curve(
        curves_by_variant({"housing": history})["housing"],
        "California housing: training vs validation MSE",
        ylabel="MSE",
    )
