"""The tuning's settled values, as the final stage reads them: every family's latest, or none.

The tuning pipeline saves each family's settled value as a versioned JSON file
(``{study}.{family}.settled_value``: ``<folder>/<family>_settled.json/<run>/...``). The final
stage reads whichever families have one, each with the run that settled it, and an empty
mapping where the tuning was never run: a final stage without a tuning run still runs.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

import fsspec
from kedro.io.core import AbstractDataset, DatasetError, Version, get_protocol_and_path
from kedro_datasets.json import JSONDataset


class SettledValuesDataset(AbstractDataset[None, dict[str, dict[str, Any]]]):
    """Read-only: ``{family: {"value", "reason", "tuning_run", "file"}}`` for every family
    with a settled value under ``path`` (a folder; ``path``, so that Kedro makes a relative
    one absolute from the project, as it does ``filepath``), from its latest tuning run.

    Example catalog entry::

        final.settled_values:
          type: from_data_to_model.datasets.SettledValuesDataset
          path: data/08_reporting/tuning
    """

    SUFFIX = "_settled.json"

    def __init__(self, *, path: str, metadata: dict[str, Any] | None = None) -> None:
        self._protocol, folder = get_protocol_and_path(path)
        self._folder = PurePosixPath(folder)
        self._fs = fsspec.filesystem(self._protocol)
        self.metadata = metadata

    def _describe(self) -> dict[str, Any]:
        return {"folder": str(self._folder)}

    def load(self) -> dict[str, dict[str, Any]]:
        settled = {}
        for found in sorted(self._fs.glob(f"{self._folder}/*{self.SUFFIX}")):
            family = PurePosixPath(found).name.removesuffix(self.SUFFIX)
            dataset = JSONDataset(filepath=str(found), version=Version(None, None))
            try:
                run = dataset.resolve_load_version()
                record = dataset.load()
            except DatasetError as error:
                raise DatasetError(
                    f"The tuning's settled value of {family!r} ({found}) cannot be read "
                    f"({error}). Run the tuning again (`kedro run --pipeline=tuning "
                    f"--namespaces=tuning.{family}`) or remove that folder."
                ) from None
            if not isinstance(record, dict) or "value" not in record:
                raise DatasetError(
                    f"{found}/{run}: not a settled value (no 'value' in it). Run the tuning "
                    f"again: `kedro run --pipeline=tuning --namespaces=tuning.{family}`."
                )
            settled[family] = {
                "value": record["value"],
                "reason": record.get("reason", ""),
                "tuning_run": run,
                "file": f"{found}/{run}/{PurePosixPath(found).name}",
            }
        return settled

    def save(self, data: None) -> None:
        raise DatasetError("The settled values are the tuning pipeline's: it saves them.")

    def _exists(self) -> bool:
        return True  # no settled value is an answer too: the tuning has not run
