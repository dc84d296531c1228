"""Nodes of the tuning pipeline: one validation curve per family, its settled value, report."""

from __future__ import annotations

from typing import Any

import pandas as pd
import yaml
from matplotlib.figure import Figure
from omegaconf import OmegaConf

from from_data_to_model.evaluation_spec import Evaluation
from from_data_to_model.model_spec import ModelSpecChanges, nested
from from_data_to_model.stats import describe, spread, standard_error_ties
from from_data_to_model.study import Family

CURVES = ("model_val_loss", "model_train_loss")  # validation and inference-mode training


def position(value: Any) -> float:
    """Where a value sits on the curve's axis (units lists by their first layer)."""
    return float(value[0] if isinstance(value, list) else value)


def validation_curve(
    family: Family, evaluation: Evaluation, *summaries: dict[str, Any]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One row per value of the grid: each curve's mean, std and interval over the seeds,
    from the points' validation summaries (each says its value and seed).

    Returns:
        The curve, and its points (value, seed, validation loss), which the settling reads.
    """
    rows, points = [], []
    for value in family.values:
        own = pd.DataFrame([s for s in summaries if s["value"] == value])
        row = {"value": str(value), "position": position(value), "seeds": len(own)}
        for curve in CURVES:
            row |= describe(own[curve], evaluation.confidence, curve)
        rows.append(row)
        points.append(own[["seed", "model_val_loss"]].assign(value=str(value)))
    return pd.DataFrame(rows), pd.concat(points, ignore_index=True)


def settle_value(
    curve: pd.DataFrame, points: pd.DataFrame, family: Family, evaluation: Evaluation
) -> dict[str, Any]:
    """The value with the lowest mean validation loss, ties going to ``family.prefer``'s end.

    Ties follow the tuning's rule (``stats.standard_error_ties``): every value whose
    difference to the lowest is within one standard error of that difference, or with one
    seed within the tie tolerance; the tie goes to the simpler model (``low``: fewer units)
    or the stronger regularization (``high``: larger penalty or rate).
    """
    curve = curve.assign(value=[str(v) for v in family.values])  # as configured, not as read
    best = curve.loc[curve["model_val_loss_mean"].idxmin()]
    tolerance = evaluation.choice.tie_tolerance
    tied, rule = standard_error_ties(
        curve, points, "value", "model_val_loss", evaluation, tolerance
    )
    tied = curve[tied]
    chosen = tied.sort_values("position", ascending=family.prefer == "low").iloc[0]
    end = "the simpler end" if family.prefer == "low" else "the more strongly regularized end"
    reason = (
        f"lowest mean validation loss at {best['value']} ({best['model_val_loss_mean']:.4f}); "
        f"tied, {rule}: {', '.join(tied['value'])}; a tie goes to {end}, so "
        f"{chosen['value']} (validation loss {chosen['model_val_loss_mean']:.4f})."
    )
    return {"value": family.values[curve.index.get_loc(chosen.name)], "reason": reason}


def plot_validation_curve(curve: pd.DataFrame, settled: dict[str, Any], family: Family) -> Figure:
    """Validation and inference-mode training loss against the value (band: ± one standard
    deviation over the seeds), with the original study's value and the settled one marked."""
    fig = Figure(figsize=(6, 4), layout="constrained")
    ax = fig.subplots()
    for curve_name, style, label in (
        ("model_val_loss", "o-", "validation loss"),
        ("model_train_loss", "s--", "training loss (inference mode)"),
    ):
        mean = curve[f"{curve_name}_mean"]
        (line,) = ax.plot(curve["position"], mean, style, label=label)
        std = curve[f"{curve_name}_std"]
        if std.notna().all():
            ax.fill_between(
                curve["position"], mean - std, mean + std, color=line.get_color(), alpha=0.2
            )
    ax.axvline(position(family.original), color="grey", linestyle=":", label="original study")
    ax.axvline(position(settled["value"]), color="black", label=f"settled: {settled['value']}")
    if family.scale == "log":
        ax.set_xscale("log")
    title = f"{family.path} of {family.variant}: validation curve"
    ax.set(title=title, xlabel=family.path, ylabel="data loss")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    return fig


def settled_variant(
    settled: dict[str, Any], family: Family, changes: ModelSpecChanges | None
) -> str:
    """The settled value as a study variant, in YAML for ``conf/<env>/parameters*.yml``:
    the swept variant's changes with the settled value in place."""
    base = changes.model_dump(exclude_none=True) if changes is not None else {}
    merged = OmegaConf.merge(base, nested(family.path, settled["value"]))
    name = f"{family.variant}_{family.path.rsplit('.', 1)[-1]}_settled"
    block = {"regularization": {"variants": {name: OmegaConf.to_container(merged)}}}
    return yaml.safe_dump(block, default_flow_style=None, sort_keys=False)


def report_section(
    curve: pd.DataFrame,
    settled: dict[str, Any],
    family: Family,
    changes: ModelSpecChanges | None,
) -> str:
    """How one family's value was settled, as Markdown, with the settled study variant."""
    table = pd.DataFrame(
        {
            "value": [str(v) for v in family.values],
            "validation loss (mean ± std)": curve.apply(spread, axis=1, measure=CURVES[0]),
            "training loss, inference mode": curve.apply(spread, axis=1, measure=CURVES[1]),
            "seeds": curve["seeds"].astype(str),
        }
    )
    return "\n".join(
        [
            f"## `{family.path}` of `{family.variant}`",
            "",
            f"Grid: {family.values} ({family.scale} scale); the original study used "
            f"{family.original}.",
            "",
            table.to_markdown(index=False, disable_numparse=True),
            "",
            f"**Settled: {settled['value']}**: {settled['reason']}",
            "",
            "As a study variant (`conf/settled/`, or any environment of yours):",
            "",
            "```yaml",
            settled_variant(settled, family, changes).rstrip(),
            "```",
        ]
    )


def compile_tuning_report(**sections: str) -> str:
    """The report: one section per family, and the settled values as YAML to reuse."""
    return (
        "\n\n".join(
            [
                "# How each hyperparameter was settled",
                "Each value is trained with every seed on the study's data and split; the "
                "settled value is chosen on the validation split only (data loss: no L1/L2 "
                "penalty, training loss in inference mode).",
                *sections.values(),
            ]
        )
        + "\n"
    )


def compile_curves_table(**curves: pd.DataFrame) -> pd.DataFrame:
    """Every family's curve in one table, one row per (family, value)."""
    return pd.concat([c.assign(family=name) for name, c in curves.items()], ignore_index=True)
