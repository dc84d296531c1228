"""Pipeline slices as Kedro's starters test them: ``SequentialRunner`` on an in-memory catalog."""

from __future__ import annotations

from typing import Any

import numpy as np
from kedro.io import DataCatalog, MemoryDataset
from kedro.pipeline import Pipeline
from kedro.runner import SequentialRunner
from kedro.validation.parameter_validator import ParameterValidator
from pydantic import BaseModel


def study_parameters(variants: dict, seeds: list[int]) -> dict:
    """The tiny test parameters, with just these variants (the first the baseline) and
    these seeds."""
    from tests.conftest import tiny_parameters

    parameters = tiny_parameters()
    parameters["regularization"] |= {"variants": variants, "seeds": seeds}
    parameters["evaluation"]["baseline"] = next(iter(variants))
    parameters["tuning"]["families"] = {}  # the base sweeps name variants these may lack
    return parameters


def fashion_mnist_inputs(**rows: int) -> dict[str, Any]:
    """Random model inputs of the study's names and shapes: ``train=90, val=30, test=30,
    official_test=30``; with an official test set, its raw pixels and the fitted scaler too."""
    from sklearn.preprocessing import StandardScaler

    rng = np.random.default_rng(0)
    inputs: dict[str, Any] = {}
    for split, n in rows.items():
        inputs[f"fashion_mnist_X_{split}"] = rng.normal(size=(n, 784)).astype(np.float32)
        inputs[f"fashion_mnist_y_{split}"] = np.eye(10, dtype=np.float32)[rng.integers(0, 10, n)]
    if "official_test" in rows:
        raw = rng.integers(0, 256, size=(200, 784)).astype(np.float32)
        scaler = StandardScaler().fit(raw)
        official = raw[: rows["official_test"]]
        inputs["fashion_mnist_official_images"] = official
        inputs["fashion_mnist_X_official_test"] = scaler.transform(official).astype(np.float32)
        inputs["fashion_mnist_scaler"] = scaler
    return inputs


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
    for name in pipeline.all_inputs():  # a model the promotion loads when called (transcoded)
        if name.endswith("@loader"):
            written = name.replace("@loader", "@keras")
            catalog[written] = KeptDataset(copy_mode="assign")
            catalog[name] = MemoryDataset(lambda w=written: catalog.load(w), copy_mode="assign")

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
