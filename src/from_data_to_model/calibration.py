"""What class probabilities are worth: their loss, their calibration, and temperature scaling.

Plain NumPy and SciPy, no Keras: probabilities in (rows × classes), labels as class
indices. ``expected_calibration_error`` is Guo et al.'s (2017) top-label ECE over
equal-width confidence bins; ``fit_temperature`` is their temperature scaling, fitted by
minimizing the negative log-likelihood.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.optimize import minimize_scalar

EPSILON = 1e-12  # the smallest probability a log is taken of


def labels_of(y: np.ndarray) -> np.ndarray:
    """Class indices, from one-hot rows or from indices."""
    y = np.asarray(y)
    return y.argmax(axis=1) if y.ndim == 2 else y.astype(int)


def negative_log_likelihood(probabilities: np.ndarray, labels: np.ndarray) -> float:
    """The mean categorical cross-entropy of the true classes."""
    return float(np.mean(row_losses(probabilities, labels)))


def accuracy(probabilities: np.ndarray, labels: np.ndarray) -> float:
    return float(np.mean(probabilities.argmax(axis=1) == labels))


def _bin_sums(
    probabilities: np.ndarray, labels: np.ndarray, bins: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per equal-width confidence bin over [0, 1], each bin (low, high] and a confidence of
    exactly 1 in the last: its rows, and their summed confidence and correct predictions."""
    confidence = probabilities.max(axis=1)
    correct = probabilities.argmax(axis=1) == labels
    index = np.clip(np.ceil(confidence * bins).astype(int) - 1, 0, bins - 1)
    return (
        np.bincount(index, minlength=bins),
        np.bincount(index, confidence, minlength=bins),
        np.bincount(index, correct, minlength=bins),
    )


def reliability_bins(probabilities: np.ndarray, labels: np.ndarray, bins: int) -> pd.DataFrame:
    """Per confidence bin (equal widths over [0, 1]): its bounds, how many rows fall in it,
    their mean confidence (top-class probability) and their accuracy."""
    counts, confidence, correct = _bin_sums(probabilities, labels, bins)
    edges = np.linspace(0.0, 1.0, bins + 1)
    with np.errstate(invalid="ignore"):
        return pd.DataFrame(
            {
                "low": edges[:-1],
                "high": edges[1:],
                "rows": counts,
                "confidence": confidence / counts,
                "accuracy": correct / counts,
            }
        )


def expected_calibration_error(
    probabilities: np.ndarray, labels: np.ndarray, bins: int = 15
) -> float:
    """Σ over bins of (rows in bin / rows) × |accuracy − mean confidence|: per bin, the
    gap between its correct predictions and its summed confidence, over all rows."""
    _, confidence, correct = _bin_sums(probabilities, labels, bins)
    return float(np.abs(correct - confidence).sum() / len(labels))


def temperature_scaled(probabilities: np.ndarray, temperature: float) -> np.ndarray:
    """softmax(log p / T): the same ranking, sharper (T < 1) or softer (T > 1)."""
    logits = np.log(np.clip(probabilities, EPSILON, 1.0)) / temperature
    logits -= logits.max(axis=1, keepdims=True)
    scaled = np.exp(logits)
    return scaled / scaled.sum(axis=1, keepdims=True)


def fit_temperature(
    probabilities: np.ndarray, labels: np.ndarray, bounds: tuple[float, float] = (0.05, 20.0)
) -> float:
    """The temperature that minimizes the negative log-likelihood of ``labels``.

    A bounded search over log T, which is smooth and has a single minimum here.
    """
    result = minimize_scalar(
        lambda log_t: negative_log_likelihood(
            temperature_scaled(probabilities, float(np.exp(log_t))), labels
        ),
        bounds=tuple(np.log(bounds)),
        method="bounded",
        options={"xatol": 1e-4},
    )
    return float(np.exp(result.x))


def scores(probabilities: np.ndarray, labels: np.ndarray, bins: int) -> dict[str, float]:
    """Accuracy, NLL and ECE of one set of predictions."""
    return {
        "accuracy": accuracy(probabilities, labels),
        "nll": negative_log_likelihood(probabilities, labels),
        "ece": expected_calibration_error(probabilities, labels, bins),
    }


def bootstrap_intervals(
    probabilities: np.ndarray,
    labels: np.ndarray,
    bins: int,
    resamples: int,
    confidence: float,
    seed: int,
) -> dict[str, float]:
    """``scores`` on all rows, and their percentile intervals over ``resamples`` resamples of
    the rows with replacement: ``<name>``, ``<name>_low``, ``<name>_high`` for each figure.

    Every figure is a mean or a per-bin sum over rows, so each row's correctness, loss,
    confidence and bin are computed once and only they are resampled.
    """
    top = probabilities.max(axis=1)
    correct = (probabilities.argmax(axis=1) == labels).astype(float)
    losses = row_losses(probabilities, labels)
    index = np.clip(np.ceil(top * bins).astype(int) - 1, 0, bins - 1)
    rng = np.random.default_rng(seed)
    draws = {name: np.empty(resamples) for name in ("accuracy", "nll", "ece")}
    for k in range(resamples):
        rows = rng.integers(0, len(labels), len(labels))
        draws["accuracy"][k] = correct[rows].mean()
        draws["nll"][k] = losses[rows].mean()
        gaps = np.bincount(index[rows], correct[rows] - top[rows], minlength=bins)
        draws["ece"][k] = np.abs(gaps).sum() / len(rows)
    tail = (1 - confidence) / 2 * 100
    result: dict[str, float] = {}
    for name, value in scores(probabilities, labels, bins).items():
        low, high = np.percentile(draws[name], [tail, 100 - tail])
        result |= {name: value, f"{name}_low": float(low), f"{name}_high": float(high)}
    return result


def row_losses(probabilities: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Each row's cross-entropy of its true class."""
    picked = probabilities[np.arange(len(labels)), labels]
    return -np.log(np.clip(picked, EPSILON, 1.0))


def paired_bootstrap_difference(
    first: np.ndarray, others: list[np.ndarray], labels: np.ndarray, resamples: int,
    confidence: float, seed: int,
) -> dict[str, float]:  # fmt: skip
    """NLL of ``first`` minus the mean NLL of ``others``, with its percentile interval over
    resamples of the rows (the same rows on both sides: a paired comparison)."""
    per_row = row_losses(first, labels) - np.mean([row_losses(p, labels) for p in others], 0)
    rng = np.random.default_rng(seed)
    means = [per_row[rng.integers(0, len(per_row), len(per_row))].mean() for _ in range(resamples)]
    tail = (1 - confidence) / 2 * 100
    low, high = np.percentile(means, [tail, 100 - tail])
    return {"difference": float(per_row.mean()), "low": float(low), "high": float(high)}
