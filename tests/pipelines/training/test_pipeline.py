"""The training pipeline: shaped by the run's parameters, one node per variant and seed."""

from __future__ import annotations

import pytest

from from_data_to_model.pipelines import training
from tests.conftest import VARIANTS, base_parameters
from tests.slices import build, fashion_mnist_inputs, run_slice, study_parameters


def test_one_training_node_per_configured_variant_and_seed():
    pipeline = build(training.create_pipeline, base_parameters())
    assert sorted(n.namespace for n in pipeline.nodes) == sorted(
        f"regularization.{v}.seed_{s}" for v in VARIANTS for s in (42, 43, 44)
    )
    assert all("training" in n.tags for n in pipeline.nodes)


def test_a_variant_added_in_parameters_gets_its_nodes():
    parameters = base_parameters()
    parameters["regularization"]["variants"]["extra"] = {"hidden": {"units": [3]}}
    parameters["regularization"]["seeds"] = [7]
    names = [n.name for n in build(training.create_pipeline, parameters).nodes]
    assert "regularization.extra.seed_7.train_model" in names
    assert len(names) == len(VARIANTS) + 1


@pytest.mark.parametrize(
    ("seeds", "problem"),
    [([], "at least 1 item"), ([42, 42], "[42] repeated"), ([42, "43"], "valid integer"),
     ([4.2], "valid integer"), (None, "valid list"), (0, "or a count >= 1, got 0")],
)  # fmt: skip
def test_bad_seeds_stop_before_any_node(seeds, problem):
    parameters = base_parameters()
    parameters["regularization"]["seeds"] = seeds
    with pytest.raises(ValueError, match="Parameter 'regularization.seeds'") as excinfo:
        build(training.create_pipeline, parameters)
    assert problem in str(excinfo.value)


def test_a_count_of_seeds_counts_up_from_the_defaults_seed():
    parameters = base_parameters()
    parameters["regularization"]["seeds"] = 2
    pipeline = build(training.create_pipeline, parameters)
    assert {n.namespace.rsplit(".", 1)[1] for n in pipeline.nodes} == {"seed_42", "seed_43"}


def test_namespaced_outputs_and_parameters():
    pipeline = build(training.create_pipeline, base_parameters())
    (node,) = pipeline.only_nodes_with_namespaces(["regularization.l2.seed_43"]).nodes
    assert node.name == "regularization.l2.seed_43.train_model"
    assert node.func.__self__.seed == 43
    assert set(node.outputs) == {
        "regularization.l2.seed_43.model",
        "regularization.l2.seed_43.training_history",
        "regularization.l2.seed_43.training_metadata",
    }
    assert node.inputs == [
        "fashion_mnist_X_train",
        "fashion_mnist_y_train",
        "fashion_mnist_X_val",
        "fashion_mnist_y_val",
        "params:regularization.defaults",
        "params:regularization.variants.l2",
    ]


def test_slice_trains_each_variant_and_seed_as_configured():
    variants = {"small": {"hidden": {"units": [4]}}, "dropout": {"dropout": {"layers": 2}}}
    parameters = study_parameters(variants, seeds=[5, 6])
    catalog = run_slice(
        build(training.create_pipeline, parameters),
        parameters,
        **fashion_mnist_inputs(train=90, val=30),
    )
    assert catalog.load("regularization.small.seed_5.model").layers[0].units == 4
    dropout = catalog.load("regularization.dropout.seed_6.model")
    assert [type(layer).__name__ for layer in dropout.layers].count("Dropout") == 2
    metadata = catalog.load("regularization.small.seed_6.training_metadata")
    assert metadata["epochs_run"] == 2 and metadata["seed"] == metadata["spec"]["seed"] == 6
    first = catalog.load("regularization.small.seed_5.training_history")
    second = catalog.load("regularization.small.seed_6.training_history")
    assert first["loss"].iat[0] != second["loss"].iat[0]
