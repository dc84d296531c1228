"""The catalog persists what the pipelines promise: every report, table and figure."""

from __future__ import annotations

import pytest
from kedro.config import OmegaConfigLoader
from kedro.io import DataCatalog, MemoryDataset

from from_data_to_model import settings
from from_data_to_model.pipeline_registry import study_pipelines
from from_data_to_model.study import REPORTING_TAG, TRAINING_TAG
from tests.conftest import PROJECT_ROOT, base_parameters, study_of


@pytest.fixture(scope="module")
def catalog() -> DataCatalog:
    loader = OmegaConfigLoader(
        str(PROJECT_ROOT / "conf"), env="base", **settings.CONFIG_LOADER_ARGS
    )
    return DataCatalog.from_config(loader["catalog"])


def outputs(tag: str) -> set[str]:
    """The outputs of every node with this tag, in every pipeline."""
    pipelines = study_pipelines(study_of(base_parameters()))
    everything = pipelines["__default__"] + pipelines["tuning"]
    return {o for n in everything.nodes if tag in n.tags for o in n.outputs}


def test_every_output_of_a_reporting_node_is_persisted(catalog):
    """A new report, table or figure fits a catalog entry or this fails, naming it."""
    written = outputs(REPORTING_TAG)
    assert "regularization.test_metrics_plot" in written and "housing.report" in written
    in_memory = sorted(name for name in written if isinstance(catalog.get(name), MemoryDataset))
    assert not in_memory, f"reporting outputs the catalog does not persist: {in_memory}"


def test_every_trained_model_and_its_record_is_versioned(catalog):
    """A run never overwrites an earlier one's models, specs, histories or metadata."""
    for name in outputs(TRAINING_TAG):
        assert catalog.config_resolver.resolve_pattern(name).get("versioned"), name
