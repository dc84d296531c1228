"""The training template: one namespaced training node per configured variant."""

from __future__ import annotations

from from_data_to_model.pipelines.training import create_pipeline
from from_data_to_model.variants import configured_variants
from tests.conftest import PROJECT_ROOT


def test_one_training_node_per_configured_variant():
    variants = configured_variants(PROJECT_ROOT)
    assert len(variants) == 8
    pipeline = create_pipeline(variants)
    training_nodes = [n for n in pipeline.nodes if "training" in n.tags]
    assert sorted(n.namespace for n in training_nodes) == sorted(variants)
    assert len(training_nodes) == len(pipeline.nodes) == 8


def test_namespaced_outputs_and_parameters():
    node = create_pipeline(["l2"]).nodes[0]
    assert node.name == "l2.train_model"
    assert set(node.outputs) == {"l2.model", "l2.training_history", "l2.training_metadata"}
    assert node.inputs == [
        "fashion_mnist_X_train",
        "fashion_mnist_y_train",
        "fashion_mnist_X_val",
        "fashion_mnist_y_val",
        "params:regularization.defaults",
        "params:regularization.variants.l2",
    ]


def test_single_variant_by_namespace():
    pipeline = create_pipeline(configured_variants(PROJECT_ROOT))
    only_l2 = pipeline.only_nodes_with_namespaces(["l2"])
    assert [n.name for n in only_l2.nodes] == ["l2.train_model"]
