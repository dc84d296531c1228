"""Run isolation's derived parts: which parameters shape the data rewritten in place, and
which datasets a run wraps to see its own versions."""

from __future__ import annotations

from kedro.io import DataCatalog, MemoryDataset
from kedro.pipeline import Pipeline, node

from from_data_to_model.datasets.run_output import RunOutputDataset
from from_data_to_model.hooks import training_nodes
from from_data_to_model.isolation import RunIsolationHooks, shaping_parameters
from from_data_to_model.pipeline_registry import study_pipelines
from from_data_to_model.study import AGGREGATE_TAG
from tests.conftest import base_parameters, study_of


def identity(*values):
    return values[0]


def test_the_parameters_that_shape_the_model_inputs_are_read_off_the_pipelines():
    from kedro.framework.session import KedroSession
    from kedro.framework.startup import bootstrap_project

    from tests.conftest import PROJECT_ROOT

    bootstrap_project(PROJECT_ROOT)
    with KedroSession.create(PROJECT_ROOT) as session:
        catalog = session.load_context().catalog
    project = study_pipelines(study_of(base_parameters()))["__default__"]
    assert shaping_parameters(project, catalog) == [
        "params:ingestion.california_housing.rows",
        "params:ingestion.fashion_mnist.num_classes",
        "params:processing.fashion_mnist.test_split",
        "params:processing.fashion_mnist.validation_split",
        "params:processing.housing.target",
        "params:processing.housing.test_split",
    ]  # the study's and the evaluation's shape models and reports: versioned, never shared


def test_a_new_parameter_of_a_node_upstream_of_rewritten_data_is_picked_up(tmp_path):
    """A parameter no list names: it shapes a file rewritten in place that a node reads
    (through an in-memory step), so it counts; one that shapes only what no node reads back
    does not."""
    kept = {"type": "pickle.PickleDataset", "filepath": str(tmp_path / "kept.pkl")}
    figure = {"type": "pickle.PickleDataset", "filepath": str(tmp_path / "figure.pkl")}
    catalog = DataCatalog.from_config({"kept": kept, "figure": figure})  # no node reads figure
    pipeline = Pipeline([
        node(identity, ["raw", "params:cut"], "between", name="cut"),
        node(identity, ["between", "params:scale"], "kept", name="scale"),
        node(identity, ["kept", "params:fit"], "in_memory", name="fit"),
        node(identity, ["in_memory", "params:draw"], "figure", name="draw"),
    ])  # fmt: skip
    assert shaping_parameters(pipeline, catalog) == ["params:cut", "params:scale"]


def test_a_run_wraps_its_versioned_datasets_read_or_written_and_nothing_in_memory(tmp_path):
    versioned = {"type": "pickle.PickleDataset", "versioned": True}
    catalog = DataCatalog.from_config({
        "made": {**versioned, "filepath": str(tmp_path / "made.pkl")},
        "read": {**versioned, "filepath": str(tmp_path / "read.pkl")},
        "plain": {"type": "pickle.PickleDataset", "filepath": str(tmp_path / "plain.pkl")},
    })  # fmt: skip
    catalog["memory"] = MemoryDataset()
    pipeline = Pipeline([
        node(identity, ["read", "plain"], ["made"], name="a"),
        node(identity, "made", "memory", name="b", tags=["aggregate"]),
    ])  # fmt: skip
    RunIsolationHooks._see_own_outputs({"run_id": "2026-01-01T00.00.00.000Z"}, pipeline, catalog)
    assert isinstance(catalog.get("made"), RunOutputDataset)
    assert isinstance(catalog.get("read"), RunOutputDataset)  # read back as this run saved it
    assert not isinstance(catalog.get("plain"), RunOutputDataset)
    assert isinstance(catalog.get("memory"), MemoryDataset)


def runs_behind(pipeline: Pipeline) -> dict[str, set[str]]:
    """Each node's name: the runs (training nodes' namespaces) whose outputs it is made from."""
    training = set(training_nodes(pipeline))
    maker = {output: n for n in pipeline.nodes for output in n.outputs}
    behind: dict[str, set[str]] = {}
    for n in pipeline.nodes:  # in dependency order: a node's makers come first
        runs = {n.namespace} if n in training else set()
        for name in n.inputs:
            if name in maker:
                runs |= behind[maker[name].name]
        behind[n.name] = runs
    return behind


def test_what_is_made_from_several_runs_is_remade_when_runs_are_added():
    """The study's and the tuning's aggregates (remade under ``--only-missing-outputs``) are
    exactly their nodes made from the outputs of two or more runs."""
    pipelines = study_pipelines(study_of(base_parameters()))
    for name in ("regularization", "tuning"):
        pipeline = pipelines[name]
        several = {node for node, runs in runs_behind(pipeline).items() if len(runs) > 1}
        assert several, name
        assert {n.name for n in pipeline.nodes if AGGREGATE_TAG in n.tags} == several, name
