"""Figures of the study, each variant in one colour throughout.

Figures are built with matplotlib's object API (no pyplot state, no backend
switch), so nodes are thread-safe and notebooks keep their own backend.
"""

from __future__ import annotations

import matplotlib
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator


def variant_colours(variants: list[str]) -> dict[str, str]:
    """A stable colour per variant, in configuration order (tab10, then tab20)."""
    palette = matplotlib.colormaps["tab10" if len(variants) <= 10 else "tab20"].colors
    return {
        name: matplotlib.colors.to_hex(palette[i % len(palette)]) for i, name in enumerate(variants)
    }


def plot_learning_curve(
    history: pd.DataFrame, title: str, colour: str = "C0", ylabel: str = "loss"
) -> Figure:
    """Training and validation loss per epoch."""
    fig = Figure(figsize=(6, 4), layout="constrained")
    ax = fig.subplots()
    ax.plot(history["epoch"], history["loss"], "--", color=colour, label="training loss")
    ax.plot(history["epoch"], history["val_loss"], "-", color=colour, label="validation loss")
    ax.set(title=title, xlabel="epoch", ylabel=ylabel)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend()
    ax.grid(alpha=0.3)
    return fig


def plot_learning_curves(**histories: pd.DataFrame) -> dict[str, Figure]:
    """``{"<variant>.png": figure}``: each variant's training vs validation loss."""
    colours = variant_colours(list(histories))
    return {
        f"{name}.png": plot_learning_curve(h, f"{name}: training vs validation loss", colours[name])
        for name, h in histories.items()
    }


def _validation_axes(
    ax, histories: dict[str, pd.DataFrame], colours: dict[str, str], baseline: str
) -> None:
    for name, history in histories.items():
        style = {"color": colours[name], "linewidth": 2.5 if name == baseline else 1.5}
        label = f"{name} (original)" if name == baseline else name
        ax.plot(history["epoch"], history["val_loss"], label=label, **style)
    # Zoom on the baseline's range: a slow starter (underfit) would flatten every other curve.
    base = histories[baseline]["val_loss"]
    ax.set_ylim(base.min() * 0.9, base.max() * 1.15)
    ax.set(xlabel="epoch", ylabel="validation loss")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.grid(alpha=0.3)
    ax.legend()


def plot_validation_vs_original(baseline: str, **histories: pd.DataFrame) -> dict[str, Figure]:
    """Each variant's validation loss against the baseline ("original"), plus all together."""
    colours = variant_colours(list(histories))
    figures = {}
    for name, history in histories.items():
        if name == baseline:
            continue
        fig = Figure(figsize=(6, 4), layout="constrained")
        ax = fig.subplots()
        _validation_axes(ax, {baseline: histories[baseline], name: history}, colours, baseline)
        ax.set_title(f"{name} vs original: validation loss")
        figures[f"{name}.png"] = fig
    fig = Figure(figsize=(8, 5), layout="constrained")
    ax = fig.subplots()
    _validation_axes(ax, histories, colours, baseline)
    ax.set_title(f"Validation loss of every variant against the original ({baseline}) model")
    figures["all.png"] = fig
    return figures


def plot_test_metrics(report: pd.DataFrame) -> Figure:
    """Test loss and test accuracy per variant, as bars."""
    colours = variant_colours(list(report["variant"]))
    bar_colours = [colours[v] for v in report["variant"]]
    fig = Figure(figsize=(11, 4), layout="constrained")
    loss_ax, acc_ax = fig.subplots(1, 2)
    for ax, column, label in (
        (loss_ax, "test_loss", "test loss"),
        (acc_ax, "test_accuracy", "test accuracy"),
    ):
        bars = ax.bar(report["variant"], report[column], color=bar_colours)
        ax.bar_label(bars, fmt="%.3f", fontsize=8)
        rows = ", ".join(str(n) for n in report["test_rows"].unique())
        ax.set(title=f"{label} per variant (test split, {rows} rows)", ylabel=label)
        ax.tick_params(axis="x", rotation=45)
    acc_ax.set_ylim(
        max(0.0, report["test_accuracy"].min() - 0.05),
        min(1.0, report["test_accuracy"].max() + 0.02),
    )
    return fig


def plot_housing_learning_curve(history: pd.DataFrame) -> Figure:
    """The housing model's training vs validation MSE."""
    return plot_learning_curve(
        history, "California housing: training vs validation MSE", ylabel="MSE"
    )
