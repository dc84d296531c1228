"""Figure helpers every study draws with: a colour per variant, bands over seeds, a learning
curve, a grid of titled images.

Figures are built with matplotlib's object API (no pyplot state, no backend switch), so
nodes are thread-safe and notebooks keep their own backend.
"""

from __future__ import annotations

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator


def variant_colours(variants: list[str]) -> dict[str, str]:
    """A stable colour per variant, in configuration order (tab10, then tab20)."""
    palette = matplotlib.colormaps["tab10" if len(variants) <= 10 else "tab20"].colors
    return {
        name: matplotlib.colors.to_hex(palette[i % len(palette)]) for i, name in enumerate(variants)
    }


def seed_curves(curves: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """One variant's rows of a learning-curves table as ``{"train": epochs × seeds,
    "val": epochs × seeds}``; runs stopped early leave their missing epochs empty."""
    return {
        name: curves.pivot(index="epoch", columns="seed", values=f"{name}_loss")
        for name in ("train", "val")
    }


def band(ax, curves: pd.DataFrame, colour: str, label: str, style: str = "-", width=1.5):
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
    band(ax, curves["train"], colour, "training loss (inference mode)", style="--")
    band(ax, curves["val"], colour, "validation loss")
    seeds = curves["val"].shape[1]
    ax.set(title=f"{title} ({seeds} seed{'s' * (seeds > 1)})", xlabel="epoch", ylabel=ylabel)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend()
    ax.grid(alpha=0.3)
    return fig


def titled_images(
    images, titles: list[str], columns: int = 8, cell: tuple[float, float] = (2, 2.3),
    cmap: str = "gray", empty: str = "no images",
) -> Figure:  # fmt: skip
    """Fashion-MNIST-sized images (28 × 28, or their 784 pixels) in a grid of ``columns``,
    each titled; pixels 0-255 drawn as they are (``cmap``), ``cell`` inches per image."""
    rows = max(1, -(-len(titles) // columns))
    fig = Figure(figsize=(cell[0] * columns, cell[1] * rows), layout="constrained")
    axes = np.atleast_1d(fig.subplots(rows, columns)).ravel()
    for ax, image, title in zip(axes, images, titles, strict=False):
        ax.imshow(np.asarray(image).reshape(28, 28), cmap=cmap, vmin=0, vmax=255)
        ax.set_title(title, fontsize=8)
    for ax in axes:
        ax.axis("off")
    if not titles:
        axes[0].text(0, 0.5, empty, fontsize=12)
    return fig
