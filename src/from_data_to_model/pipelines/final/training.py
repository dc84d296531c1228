"""The final stage's training nodes: the tuned design's seeds, and the winner's refit.

Both train through the study's own training node (``modelling.Training``), so a model of
the final stage has the same outputs as a study model: its ``.keras`` file, spec, history
and metadata, and a validation summary.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from from_data_to_model.model_spec import ModelSpec, ModelSpecChanges
from from_data_to_model.pipelines.modelling import Training
from from_data_to_model.study import Run

from .candidates import CHOSEN
from .design import merged
from .spec import Final


@dataclass(frozen=True)
class TunedTraining:
    """One seed of the tuned design, trained on the study's split like its models."""

    run: Run

    def train_model(
        self, X_train: Any, y_train: Any, X_val: Any, y_val: Any, defaults: ModelSpec,
        design: dict[str, Any],
    ) -> tuple[Any, dict[str, Any], pd.DataFrame, dict[str, Any]]:  # fmt: skip
        """Fit the tuned design (``design["changes"]`` over ``defaults``) with this seed."""
        changes = ModelSpecChanges.model_validate(design["changes"])
        return Training(self.run).train_model(X_train, y_train, X_val, y_val, defaults, changes)


def refit_changes(
    choice: dict[str, Any], design: dict[str, Any], variants: dict[str, Any], seed: int,
    study_choice: dict[str, Any],
) -> tuple[dict[str, Any], dict[str, Any]]:  # fmt: skip
    """The winner's changes for the member of ``seed``: its own design, trained for the
    epochs at which that member's validation loss was lowest, with no early stopping (no
    validation rows to stop on: they are kept for the temperature)."""
    member = next(m for m in choice["members"] if m["seed"] == seed)
    own = (
        variants.get(study_choice["variant"]) if choice["winner"] == CHOSEN
        else design["changes"]
    )  # fmt: skip
    epochs = {"epochs": member["best_epoch"], "early_stopping": {"enabled": False}}
    return merged(own, epochs), member


@dataclass(frozen=True)
class RefitTraining:
    """One member of the winner, retrained on all the rows the final stage may train on."""

    run: Run

    def refit_model(
        self, choice: dict[str, Any], design: dict[str, Any], study_choice: dict[str, Any],
        variants: dict[str, Any], defaults: ModelSpec, X_train: Any, y_train: Any,
        X_test: Any, y_test: Any, X_val: Any, y_val: Any, final: Final,
    ) -> tuple[Any, dict[str, Any], pd.DataFrame, dict[str, Any]]:  # fmt: skip
        """The winner's member of this seed, refit on the splits ``final.refit`` names.

        The validation split is still scored each epoch, as a record (nothing stops on it).
        The metadata says which member it refits and on how many rows.
        """
        changes, member = refit_changes(choice, design, variants, self.run.seed, study_choice)
        splits = {"train": (X_train, y_train), "test": (X_test, y_test)}
        X, y = (
            np.concatenate([np.asarray(splits[name][k], np.float32) for name in final.refit.splits])
            for k in (0, 1)
        )
        model, spec, history, metadata = Training(self.run).train_model(
            X, y, X_val, y_val, defaults, ModelSpecChanges.model_validate(changes)
        )
        metadata |= {
            "refit_of": member["namespace"],
            "refit_epochs": member["best_epoch"],
            "refit_splits": list(final.refit.splits),
        }
        return model, spec, history, metadata
