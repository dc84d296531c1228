"""The study's models: one template per variant and seed, each in its namespace, as a slice."""

from __future__ import annotations

import pytest

from from_data_to_model.pipelines import modelling
from tests.conftest import VARIANTS, base_parameters, study_of
from tests.slices import fashion_mnist_inputs, run_slice, study_parameters


def test_one_template_per_configured_variant_and_seed():
    pipeline = modelling.create_pipeline(study_of(base_parameters()))
    trained = [n.namespace for n in pipeline.nodes if n.name.endswith(".train_model")]
    assert sorted(trained) == sorted(
        f"regularization.{v}.seed_{s}" for v in VARIANTS for s in (42, 43, 44)
    )
    assert len(pipeline.nodes) == 4 * len(trained)  # train, summarise, both test sets


def test_a_variant_added_in_parameters_gets_its_nodes():
    parameters = base_parameters()
    parameters["regularization"]["variants"]["extra"] = {"hidden": {"units": [3]}}
    parameters["regularization"]["seeds"] = [7]
    names = [n.name for n in modelling.create_pipeline(study_of(parameters)).nodes]
    assert "regularization.extra.seed_7.train_model" in names
    assert len(names) == 4 * (len(VARIANTS) + 1)


def test_namespaced_outputs_parameters_and_tags():
    pipeline = modelling.create_pipeline(study_of(base_parameters()))
    nodes = {
        n.name: n for n in pipeline.only_nodes_with_namespaces(["regularization.l2.seed_43"]).nodes
    }
    here = "regularization.l2.seed_43"
    names = ("train_model", "summarise_validation", "evaluate_model")
    train, summarise, evaluate = (nodes[f"{here}.{n}"] for n in names)
    assert train.func.__self__.run.seed == 43 and train.tags == {"training"}
    assert train.inputs == [
        "fashion_mnist_X_train", "fashion_mnist_y_train", "fashion_mnist_X_val",
        "fashion_mnist_y_val", "params:regularization.defaults",
        "params:regularization.variants.l2", "params:training",
    ]  # fmt: skip
    outputs = ("model@keras", "spec", "training_history", "training_metadata")
    assert train.outputs == [f"{here}.{o}" for o in outputs]
    assert summarise.inputs == [f"{here}.training_history", f"{here}.training_metadata",
                                f"{here}.spec", "params:evaluation.diagnosis"]  # fmt: skip
    assert summarise.outputs == [f"{here}.validation_summary", f"{here}.learning_curve"]
    assert evaluate.inputs == [f"{here}.model@keras", f"{here}.training_metadata",
                               "fashion_mnist_X_test", "fashion_mnist_y_test"]  # fmt: skip
    assert evaluate.outputs == [f"{here}.test_metrics"]
    official = nodes[f"{here}.evaluate_model_on_official_test"]
    assert official.inputs[2:] == ["fashion_mnist_X_official_test", "fashion_mnist_y_official_test"]
    assert official.outputs == [f"{here}.official_test_metrics"]
    assert summarise.tags == evaluate.tags == official.tags == {"evaluation"}


@pytest.mark.slow  # trains models
def test_slice_trains_each_variant_and_seed_as_configured():
    variants = {"small": {"hidden": {"units": [4]}}, "dropout": {"dropout": {"layers": 2}}}
    parameters = study_parameters(variants, seeds=[5, 6])
    here = "regularization.{}.seed_{}.{}".format
    kept = [here(v, s, o) for v in variants for s in (5, 6)
            for o in ("model@keras", "spec", "training_history", "validation_summary")]  # fmt: skip
    catalog = run_slice(
        modelling.create_pipeline(study_of(parameters)),
        parameters,
        keep=tuple(kept),
        **fashion_mnist_inputs(train=90, val=30, test=30, official_test=30),
    )
    assert catalog.load("regularization.small.seed_5.model@keras").layers[0].units == 4
    dropout = catalog.load("regularization.dropout.seed_6.model@keras")
    assert [type(layer).__name__ for layer in dropout.layers].count("Dropout") == 2
    summary = catalog.load("regularization.small.seed_6.validation_summary")
    assert (summary["variant"], summary["seed"], summary["epochs_run"]) == ("small", 6, 2)
    assert catalog.load("regularization.small.seed_6.spec")["seed"] == 6
    test = catalog.load("regularization.dropout.seed_5.test_metrics")
    assert (test["variant"], test["seed"], test["test_rows"]) == ("dropout", 5, 30)
    first = catalog.load("regularization.small.seed_5.training_history")
    second = catalog.load("regularization.small.seed_6.training_history")
    assert first["loss"].iat[0] != second["loss"].iat[0]


def test_every_model_has_its_own_training_node_whatever_the_backend(monkeypatch):
    """Batching changes how training nodes train (``together.py``), not the pipeline."""
    parameters = base_parameters()
    alone = modelling.create_pipeline(study_of(parameters))
    monkeypatch.setenv("KERAS_BACKEND", "jax")
    monkeypatch.setattr("from_data_to_model.study.configured_backend", lambda: "jax")
    assert modelling.create_pipeline(study_of(parameters)).nodes == alone.nodes
    training = [n for n in alone.nodes if "training" in n.tags]
    assert len(training) == len(VARIANTS) * len(parameters["regularization"]["seeds"])
    assert all(n.inputs[-1] == "params:training" for n in training)  # how to train them
