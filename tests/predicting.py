"""Scoring with a project copy's promoted models, as users do."""

from __future__ import annotations

import numpy as np

from from_data_to_model.datasets.idx_dataset import IMAGES_MAGIC, SPLIT_FILES, read_idx


def official_images(project, n: int) -> np.ndarray:
    """The first ``n`` official test images of a project's raw files (n, 28, 28), their
    border black as in the real ones (the tiny files are noise): they are scored as they are."""
    images = read_idx(project.raw / "fashion-mnist" / SPLIT_FILES["test"][0], IMAGES_MAGIC)
    images = images[:n].copy()
    images[:, [0, -1], :], images[:, :, [0, -1]] = 0, 0
    return images


def predict(project, scored: str, **inputs) -> tuple[int, str]:
    """``kedro run --pipeline=predict --namespaces=predict.<scored>`` on these inputs
    (``predict_images=…``): its exit code, and its output on one line."""
    params = ",".join(f"{name}={path}" for name, path in inputs.items())
    result = project.kedro(
        "run", "--pipeline=predict", f"--namespaces=predict.{scored}", "--params", params
    )
    return result.returncode, " ".join((result.stdout + result.stderr).split())
