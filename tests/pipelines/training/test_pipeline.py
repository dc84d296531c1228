"""The training pipeline: shaped by the run's parameters, one namespaced node per variant."""

from __future__ import annotations

import numpy as np

from from_data_to_model.pipelines import training
from tests.conftest import VARIANTS, base_parameters, tiny_parameters
from tests.slices import build, run_slice


def test_one_training_node_per_configured_variant():
    pipeline = build(training.create_pipeline, base_parameters())
    assert [n.namespace for n in pipeline.nodes] == sorted(f"regularization.{v}" for v in VARIANTS)
    assert all("training" in n.tags for n in pipeline.nodes)


def test_a_variant_added_in_parameters_gets_its_node():
    parameters = base_parameters()
    parameters["regularization"]["variants"]["extra"] = {"seed": 7}
    names = [n.name for n in build(training.create_pipeline, parameters).nodes]
    assert "regularization.extra.train_model" in names and len(names) == len(VARIANTS) + 1


def test_namespaced_outputs_and_parameters():
    (node,) = (
        build(training.create_pipeline, base_parameters())
        .only_nodes_with_namespaces(["regularization.l2"])
        .nodes
    )
    assert node.name == "regularization.l2.train_model"
    assert set(node.outputs) == {
        "regularization.l2.model",
        "regularization.l2.training_history",
        "regularization.l2.training_metadata",
    }
    assert node.inputs == [
        "fashion_mnist_X_train",
        "fashion_mnist_y_train",
        "fashion_mnist_X_val",
        "fashion_mnist_y_val",
        "params:regularization.defaults",
        "params:regularization.variants.l2",
    ]


def test_slice_trains_each_variant_as_configured():
    parameters = tiny_parameters()
    parameters["regularization"]["variants"] = {
        "small": {"hidden": {"units": [4]}},
        "dropout": {"dropout": {"layers": 2}},
    }
    rng = np.random.default_rng(0)
    x = rng.normal(size=(120, 784)).astype(np.float32)
    y = np.eye(10, dtype=np.float32)[rng.integers(0, 10, 120)]
    catalog = run_slice(
        build(training.create_pipeline, parameters),
        parameters,
        fashion_mnist_X_train=x[:90],
        fashion_mnist_y_train=y[:90],
        fashion_mnist_X_val=x[90:],
        fashion_mnist_y_val=y[90:],
    )
    small = catalog.load("regularization.small.model")
    assert small.layers[0].units == 4
    dropout = catalog.load("regularization.dropout.model")
    assert [type(layer).__name__ for layer in dropout.layers].count("Dropout") == 2
    assert catalog.load("regularization.small.training_metadata")["epochs_run"] == 2
