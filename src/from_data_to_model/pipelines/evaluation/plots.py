"""The study's figures, each variant in one colour throughout; bands show the seeds' spread."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from from_data_to_model.figures import (
    band,
    plot_learning_curve,
    seed_curves,
    titled_images,
    variant_colours,
)


def _by_variant(curves: pd.DataFrame) -> dict[str, dict[str, pd.DataFrame]]:
    """Per variant of a learning-curves table (configuration order): its seeds' curves."""
    return {variant: seed_curves(rows) for variant, rows in curves.groupby("variant", sort=False)}


def plot_learning_curves(curves: pd.DataFrame) -> dict[str, Figure]:
    """``{"<variant>.png": figure}``: each variant's training vs validation loss."""
    variants = _by_variant(curves)
    colours = variant_colours(list(variants))
    return {
        f"{name}.png": plot_learning_curve(c, f"{name}: training vs validation", colours[name])
        for name, c in variants.items()
    }


def _validation_axes(ax, curves: dict, colours: dict[str, str], baseline: str) -> None:
    for name, variant in curves.items():
        label = f"{name} (original)" if name == baseline else name
        band(ax, variant["val"], colours[name], label, width=2.5 if name == baseline else 1.5)
    # Zoom on the baseline's range: a slow starter (underfit) would flatten every other curve.
    base = curves[baseline]["val"].mean(axis=1)
    ax.set_ylim(base.min() * 0.9, base.max() * 1.15)
    ax.set(xlabel="epoch", ylabel="validation loss")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.grid(alpha=0.3)
    ax.legend()


def plot_validation_vs_original(curves: pd.DataFrame, baseline: str) -> dict[str, Figure]:
    """Each variant's validation loss against the baseline ("original"), plus all together."""
    variants = _by_variant(curves)
    colours = variant_colours(list(variants))
    figures = {}
    for name in variants:
        if name == baseline:
            continue
        fig = Figure(figsize=(6, 4), layout="constrained")
        ax = fig.subplots()
        pair = {baseline: variants[baseline], name: variants[name]}
        _validation_axes(ax, pair, colours, baseline)
        ax.set_title(f"{name} vs original: validation loss")
        figures[f"{name}.png"] = fig
    fig = Figure(figsize=(8, 5), layout="constrained")
    ax = fig.subplots()
    _validation_axes(ax, variants, colours, baseline)
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


def plot_confusion_matrix(confusion: pd.DataFrame) -> Figure:
    """The confusion matrix as a heat map, counts written in: true class by row."""
    matrix = confusion.set_index("true")
    fig = Figure(figsize=(8, 7), layout="constrained")
    ax = fig.subplots()
    image = ax.imshow(matrix.to_numpy(), cmap="Blues")
    ticks = range(len(matrix))
    ax.set_xticks(ticks, matrix.columns, rotation=45, ha="right")
    ax.set_yticks(ticks, matrix.index)
    high = matrix.to_numpy().max() / 2
    for (i, j), count in np.ndenumerate(matrix.to_numpy()):
        ax.text(j, i, str(count), ha="center", va="center", fontsize=8,
                color="white" if count > high else "black")  # fmt: skip
    title = f"The promoted model on the official test set ({matrix.to_numpy().sum()} images)"
    ax.set(xlabel="predicted", ylabel="true", title=title)
    fig.colorbar(image, ax=ax, shrink=0.8)
    return fig


def plot_confident_mistakes(
    images: np.ndarray, predictions: pd.DataFrame, class_names: list[str], count: int = 16
) -> Figure:
    """The official test images the promoted model gets wrong most confidently."""
    wrong = predictions[predictions["true"] != predictions["predicted"]]
    worst = wrong.sort_values("probability", ascending=False).head(count)
    titles = [
        f"{class_names[row.predicted]} {row.probability:.0%}\n(is {class_names[row.true]})"
        for row in worst.itertuples()
    ]
    fig = titled_images([images[i] for i in worst.index], titles, cell=(2, 2.4))
    fig.suptitle("Most confident mistakes on the official test set: predicted (is true)")
    return fig
