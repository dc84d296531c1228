"""The candidates on validation: each as its single seeds and as their ensemble; the winner.

A candidate's ensemble is the mean of its members' class probabilities. Its figures get a
bootstrap interval over the validation images; the single seeds' mean gets the t-interval
over the seeds; the ensemble's NLL minus the single seeds' mean NLL, and the difference of
two candidates' ensembles, get paired bootstrap intervals (the same images on both sides).
Nothing here reads a test set.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from from_data_to_model.calibration import (
    bootstrap_intervals,
    labels_of,
    paired_bootstrap_difference,
    scores,
)
from from_data_to_model.evaluation_spec import Evaluation
from from_data_to_model.stats import describe

from .spec import Final

CHOSEN, TUNED = "chosen", "tuned"  # the candidates: the study's choice, the tuned design


def candidate_members(
    choice: dict[str, Any], seeds: list[int], tuned_namespace: Callable[[int], str]
) -> dict[str, list[str]]:
    """Each candidate's members, by namespace: the chosen variant's study models, and the
    tuned design's."""
    return {
        CHOSEN: [f"regularization.{choice['variant']}.seed_{seed}" for seed in seeds],
        TUNED: [tuned_namespace(seed) for seed in seeds],
    }


def _ensemble_rows(
    name: str, probabilities: list[np.ndarray], labels: np.ndarray, final: Final, level: float
) -> tuple[list[dict[str, Any]], np.ndarray]:
    singles = [scores(p, labels, final.bins) for p in probabilities]
    rows = [{"candidate": name, "model": f"member {k + 1}", **s} for k, s in enumerate(singles)]
    mean = {"candidate": name, "model": "single seeds' mean"}
    for measure in ("nll", "accuracy", "ece"):
        described = describe([s[measure] for s in singles], level, measure)
        mean |= {
            measure: described[f"{measure}_mean"],
            f"{measure}_low": described[f"{measure}_ci_low"],
            f"{measure}_high": described[f"{measure}_ci_high"],
        }
    ensemble = np.mean(probabilities, axis=0)
    boot = final.bootstrap
    figures = bootstrap_intervals(ensemble, labels, final.bins, boot.resamples, level, boot.seed)
    # the ensemble against its single seeds: per image, its loss minus theirs on average
    gain = paired_bootstrap_difference(
        ensemble, probabilities, labels, boot.resamples, level, boot.seed
    )
    ensemble_row = {
        "candidate": name,
        "model": f"ensemble of {len(probabilities)}",
        **figures,
        "nll_minus_singles": gain["difference"],
        "nll_minus_singles_low": gain["low"],
        "nll_minus_singles_high": gain["high"],
    }
    return [*rows, mean, ensemble_row], ensemble


def compare_candidates(
    choice: dict[str, Any],
    X_val: Any,
    y_val: Any,
    final: Final,
    evaluation: Evaluation,
    **runs: Any,
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Every candidate's validation figures, and the one whose ensemble has the lowest NLL.

    Args:
        runs: ``model:<namespace>`` (a loader: called only for a candidate's members) and
            ``summary:<namespace>`` (its validation summary) of every possible member.

    Returns:
        The candidates table (per candidate: each member, the members' mean, the
        ensemble) and the choice: the winner, its members with the epoch at which each
        one's validation loss was lowest, and why.
    """
    from from_data_to_model.ensemble import predict_probabilities

    labels, X_val = labels_of(y_val), np.asarray(X_val, np.float32)
    seeds = sorted({runs[key]["seed"] for key in runs if key.startswith("summary:final.")})
    members = candidate_members(choice, seeds, lambda seed: f"final.tuned.seed_{seed}")
    rows, ensembles = [], {}
    for name, namespaces in members.items():
        probabilities = [predict_probabilities(runs[f"model:{ns}"](), X_val) for ns in namespaces]
        own, ensembles[name] = _ensemble_rows(
            name, probabilities, labels, final, evaluation.confidence
        )
        rows += own
    table = pd.DataFrame(rows)
    ensemble_rows = table[table["model"].str.startswith("ensemble")].set_index("candidate")
    winner = str(ensemble_rows["nll"].idxmin())
    other = next(name for name in members if name != winner)
    versus = paired_bootstrap_difference(
        ensembles[winner], [ensembles[other]], labels, final.bootstrap.resamples,
        evaluation.confidence, final.bootstrap.seed,
    )  # fmt: skip
    reason = (
        f"the {winner} ensemble has the lower validation NLL "
        f"({ensemble_rows.at[winner, 'nll']:.4f} against {ensemble_rows.at[other, 'nll']:.4f}; "
        f"difference {versus['difference']:+.4f}, {evaluation.confidence:.0%} interval "
        f"{versus['low']:+.4f} to {versus['high']:+.4f})"
    )
    if versus["low"] <= 0 <= versus["high"]:
        reason += ": the interval holds 0, so the data cannot tell them apart; the lower wins"
    chosen_members = [
        {
            "namespace": ns,
            "seed": int(runs[f"summary:{ns}"]["seed"]),
            "best_epoch": int(runs[f"summary:{ns}"]["best_epoch"]),
            "model_val_loss": float(runs[f"summary:{ns}"]["model_val_loss"]),
        }
        for ns in members[winner]
    ]
    return table, {
        "winner": winner,
        "reason": reason,
        "members": chosen_members,
        "difference_to_other": versus,
        "validation": {
            key: float(ensemble_rows.at[winner, key]) for key in ("nll", "accuracy", "ece")
        },
    }
