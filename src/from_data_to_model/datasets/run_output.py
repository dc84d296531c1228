"""One of a run's outputs, as that run sees it: its own version, and remade when asked."""

from __future__ import annotations

from typing import Any

from kedro.io import AbstractDataset


class RunOutputDataset(AbstractDataset[Any, Any]):
    """Another dataset, as the run that writes it sees it (``isolation.RunIsolationHooks``).

    * ``own``, for a versioned dataset: the same dataset pinned to the run's save version.
      Saves go through it, and loads take it when it exists, else the newest version (a
      model this run did not train: ``--tags=evaluation``, ``--only-missing-outputs``). A
      run that overlaps another in one project so reads its own model, metrics and tables,
      not the other's newer ones.
    * ``remade``: the dataset never counts as existing, so that ``--only-missing-outputs``
      makes it again (a table made from every run, when the run adds runs).
    """

    def __init__(
        self, dataset: AbstractDataset, own: AbstractDataset | None = None, remade: bool = False
    ) -> None:
        self._dataset = dataset
        self._own = own
        self._remade = remade
        self.metadata = getattr(dataset, "metadata", None)

    @property
    def dataset(self) -> Any:
        """The dataset this run's reads and writes go through."""
        return self._dataset

    def load(self) -> Any:
        if self._own is not None and self._own.exists():
            return self._own.load()
        return self._dataset.load()

    def save(self, data: Any) -> None:
        (self._own or self._dataset).save(data)

    def _exists(self) -> bool:
        return not self._remade and self._dataset.exists()

    def _describe(self) -> dict[str, Any]:
        return {"dataset": str(self._dataset), "own version": self._own is not None,
                "remade": self._remade}  # fmt: skip
