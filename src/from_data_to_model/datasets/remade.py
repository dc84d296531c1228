"""A dataset remade by every run that asks for missing outputs only."""

from __future__ import annotations

from typing import Any

from kedro.io import AbstractDataset


class RemadeDataset(AbstractDataset[Any, Any]):
    """Another dataset, loaded and saved as it is, that never counts as existing.

    ``kedro run --only-missing-outputs`` runs a node whose outputs are missing: wrapped so,
    a table made from every run (a report, the choice) is made again with the runs the
    run adds, instead of being skipped as existing (``hooks.RemakeStudyOutputsHooks``).
    """

    def __init__(self, dataset: AbstractDataset) -> None:
        self._dataset = dataset

    def load(self) -> Any:
        return self._dataset.load()

    def save(self, data: Any) -> None:
        self._dataset.save(data)

    def _exists(self) -> bool:
        return False

    def _describe(self) -> dict[str, Any]:
        return {"remakes": str(self._dataset)}
