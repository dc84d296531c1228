"""A versioned dataset that a run reads back at the version it wrote itself."""

from __future__ import annotations

from typing import Any

from kedro.io import AbstractDataset


class OwnVersionDataset(AbstractDataset[Any, Any]):
    """Another (versioned) dataset, whose loads prefer this run's own version.

    A versioned dataset loads its newest version, and a run that overlaps another in one
    project would read the other's newer model, metrics or tables. Wrapped so, a load takes
    the version this run saved (``own``: the same dataset pinned to the run's save
    version) when it exists, and the newest otherwise (a model this run did not train:
    ``--tags=evaluation``, ``--only-missing-outputs``). Saves go to the run's version as
    before, through ``own`` (which expects to load what it saves: no warning that a newer
    version exists).
    """

    def __init__(self, dataset: AbstractDataset, own: AbstractDataset) -> None:
        self._dataset = dataset
        self._own = own

    def load(self) -> Any:
        return self._own.load() if self._own.exists() else self._dataset.load()

    def save(self, data: Any) -> None:
        self._own.save(data)

    def _exists(self) -> bool:
        return self._dataset.exists()

    def _describe(self) -> dict[str, Any]:
        return {"dataset": str(self._dataset), "own version first": True}

    def __getattr__(self, name: str) -> Any:  # preview(), metadata, ... of the wrapped one
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._dataset, name)
