"""Pipeline slices as Kedro's starters test them: ``SequentialRunner`` on an in-memory catalog."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kedro.io import DataCatalog, MemoryDataset
from kedro.pipeline import Pipeline
from kedro.runner import SequentialRunner
from kedro.validation.parameter_validator import ParameterValidator
from pydantic import BaseModel

from from_data_to_model import run_parameters


def build(create_pipeline: Callable[[], Pipeline], parameters: dict) -> Pipeline:
    """The pipeline a run with these parameters gets (what the project's hook arranges)."""
    run_parameters.use(parameters)
    return create_pipeline()


class KeptDataset(MemoryDataset):
    """An in-memory dataset the runner does not empty after its last reader."""

    def _release(self) -> None:
        pass


def run_slice(
    pipeline: Pipeline, parameters: dict, keep: tuple[str, ...] = (), **data: Any
) -> DataCatalog:
    """Run ``pipeline`` on ``data``, with ``parameters`` typed the way a session types them.

    Returns the catalog, which holds every output of the pipeline and the ``keep`` ones.
    """
    catalog = DataCatalog({name: KeptDataset() for name in keep})
    for name, value in data.items():
        catalog[name] = value

    def add(name: str, value: Any) -> None:
        catalog[f"params:{name}"] = value
        fields = value if isinstance(value, dict) else {}
        if isinstance(value, BaseModel):
            fields = dict(value)
        for key, field in fields.items():
            add(f"{name}.{key}", field)

    typed = ParameterValidator({"slice": pipeline}).validate_raw_params(parameters)
    for name, value in typed.items():
        add(name, value)
    SequentialRunner().run(pipeline, catalog)
    return catalog
