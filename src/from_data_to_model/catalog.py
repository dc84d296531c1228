"""The project's data catalog: Kedro's, with in-memory data handed over by reference."""

from __future__ import annotations

from typing import Any, ClassVar

from kedro.io import DataCatalog


class ByReferenceDataCatalog(DataCatalog):
    """A ``DataCatalog`` whose implicit in-memory datasets never copy what they hold.

    Kedro's default ``MemoryDataset`` copies numpy arrays and deep-copies other objects
    on every load; this project's nodes never mutate their inputs, so intermediate
    arrays (tens of MB) are passed by reference instead (``copy_mode: assign``).

    This is the runtime pattern, not a ``"{name}"`` catch-all in ``catalog.yml``, so
    that ``ParallelRunner`` (whose catalog class is ``SharedMemoryDataCatalog``) can
    still put its process-shared datasets in their place.
    """

    default_runtime_patterns: ClassVar[dict[str, dict[str, Any]]] = {
        "{default}": {"type": "kedro.io.MemoryDataset", "copy_mode": "assign"}
    }
