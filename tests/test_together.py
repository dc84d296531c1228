"""A run's models trained together (``together.py``): which nodes share a program, what
each node returns, and when a model trains alone. The programs themselves are JAX's
(``tests/test_batched.py``, ``tests/test_backends.py``); here a stand-in trains them."""

from __future__ import annotations

import os

import pytest
from kedro.io import DataCatalog
from kedro.pipeline import Pipeline
from kedro.validation.exceptions import ParameterValidationError
from kedro.validation.parameter_validator import ParameterValidator

from from_data_to_model.pipelines import modelling
from from_data_to_model.study import REGULARIZATION, Run, TrainingPlan
from from_data_to_model.together import TRAINING_INPUT, TrainingGroup, TrainingTogetherHooks
from tests.conftest import base_parameters, study_of
from tests.specs import DEFAULTS

L2 = [Run(REGULARIZATION, "l2", seed) for seed in (42, 43, 44)]
DATA = [None] * 4  # X_train, y_train, X_val, y_val: the stand-in reads none


@pytest.fixture
def programs(monkeypatch) -> list[list[int]]:
    """Each program trained (its models' seeds), by a stand-in for ``batched``; a model
    trained alone is a program of one."""
    trained: list[list[int]] = []

    def fit_models(specs, *data, on_done=None):
        trained.append([spec.seed for spec in specs])
        for k in range(len(specs)):
            on_done(k)
        return [(f"model {spec.seed}", {"loss": [1.0]}, {"seed": spec.seed}) for spec in specs]

    def fit_model(spec, *data):
        trained.append([spec.seed])
        return f"model {spec.seed}", {"loss": [1.0]}, {"seed": spec.seed}

    monkeypatch.setattr("from_data_to_model.batched.fit_models", fit_models)
    monkeypatch.setattr("from_data_to_model.batched.batchable", lambda specs: None)
    monkeypatch.setattr("from_data_to_model.batched.check_memory", lambda *args: None)
    monkeypatch.setattr("from_data_to_model.models.fit_model", fit_model)
    return trained


def spec_of(run: Run, units: dict[int, int] | None = None):
    """The run's spec: the defaults with its seed (and, by seed, other hidden units)."""
    hidden = DEFAULTS.hidden.model_copy(update={"units": [(units or {}).get(run.seed, 16)]})
    return DEFAULTS.model_copy(update={"seed": run.seed, "hidden": hidden})


def test_the_first_node_trains_its_groups_pending_models_and_the_others_take_theirs(programs):
    group = TrainingGroup.of(TrainingPlan(batch_models="auto"), L2)
    fits = [group.fit(run, spec_of, DATA) for run in (L2[1], L2[0], L2[2])]
    assert programs == [[43, 42, 44]]  # one program, started by the first node to run
    assert [fit[0] for fit, _ in fits] == ["model 43", "model 42", "model 44"]
    assert {together for _, together in fits} == {3}
    with pytest.raises(KeyError):  # each result is handed out once
        group._trained.pop("regularization.l2.seed_43")


def test_a_program_holds_one_shape_and_at_most_max_batch_models(programs):
    runs = [Run(REGULARIZATION, "l2", seed) for seed in range(1, 8)]
    group = TrainingGroup.of(TrainingPlan(batch_models="auto", max_batch_models=2), runs)
    units = {3: 32, 5: 32}  # seeds 3 and 5 are wider: a program of their own
    for run in runs:
        group.fit(run, lambda r: spec_of(r, units), DATA)
    assert programs == [[1, 2], [3, 5], [4, 6], [7]]


def test_a_node_whose_model_the_group_did_not_list_still_takes_every_pending_model(programs):
    """The cap counts the group's pending models beside the node's own, listed or not."""
    group = TrainingGroup.of(TrainingPlan(batch_models="auto"), L2[1:])
    group.fit(L2[0], spec_of, DATA)
    assert programs == [[42, 43, 44]]


def test_models_a_program_cannot_train_train_alone(programs, monkeypatch, caplog):
    monkeypatch.setattr("from_data_to_model.batched.batchable", lambda specs: "weight decay")
    group = TrainingGroup.of(TrainingPlan(batch_models="auto"), L2)
    for run in L2:
        assert group.fit(run, spec_of, DATA)[1] == 1
    assert programs == [[42], [43], [44]]
    assert "Training regularization.l2.seed_42 alone: weight decay." in caplog.text


def run_params(only_missing: bool = False) -> dict:
    return {"only_missing_outputs": only_missing}


def study_catalog(training: dict, kept: tuple[str, ...] = ()) -> tuple[object, DataCatalog]:
    """The configured study's modelling pipeline, and a catalog with its training plan and
    the ``kept`` runs' training outputs (an earlier run's)."""
    pipeline = modelling.create_pipeline(study_of(base_parameters()))
    catalog = DataCatalog()
    catalog[TRAINING_INPUT] = TrainingPlan(**training)
    for namespace in kept:
        for output in modelling.nodes.TRAINING_OUTPUTS:
            catalog[f"{namespace}.{output}"] = "kept"
    return pipeline, catalog


def training_node(pipeline, namespace: str):
    return next(n for n in pipeline.nodes if n.name == f"{namespace}.train_model")


def test_on_jax_each_variants_pending_models_form_a_group(monkeypatch):
    monkeypatch.setattr("from_data_to_model.together.configured_backend", lambda: "jax")
    pipeline, catalog = study_catalog({"batch_models": "auto"}, kept=["regularization.l2.seed_43"])
    hooks = TrainingTogetherHooks()
    hooks.before_pipeline_run(pipeline, catalog, run_params(only_missing=True))
    given = hooks.before_node_run(training_node(pipeline, "regularization.l2.seed_42"))
    group = given[TRAINING_INPUT]
    assert isinstance(group, TrainingGroup) and group.batch_models == "auto"
    assert group._pending == [L2[0], L2[2]]  # l2's seeds but the one kept
    other = hooks.before_node_run(training_node(pipeline, "regularization.l1.seed_42"))
    assert other[TRAINING_INPUT] is not group  # another variant: other parameters
    scoring = next(n for n in pipeline.nodes if "training" not in n.tags)
    assert hooks.before_node_run(scoring) is None
    hooks.after_pipeline_run()
    assert hooks.before_node_run(training_node(pipeline, "regularization.l2.seed_44")) is None


@pytest.mark.parametrize(("backend", "batch_models"), [("tensorflow", "auto"), ("jax", "off")])
def test_off_or_another_backend_hands_nodes_nothing(monkeypatch, backend, batch_models):
    monkeypatch.setattr("from_data_to_model.together.configured_backend", lambda: backend)
    pipeline, catalog = study_catalog({"batch_models": batch_models})
    hooks = TrainingTogetherHooks()
    hooks.before_pipeline_run(pipeline, catalog, run_params())
    assert hooks.before_node_run(training_node(pipeline, "regularization.l2.seed_42")) is None


def test_a_node_run_in_another_process_trains_alone(monkeypatch):
    """A ParallelRunner's worker inherits the hooks' state: its nodes train alone."""
    monkeypatch.setattr("from_data_to_model.together.configured_backend", lambda: "jax")
    pipeline, catalog = study_catalog({"batch_models": "auto"})
    hooks = TrainingTogetherHooks()
    hooks.before_pipeline_run(pipeline, catalog, run_params())
    monkeypatch.setattr(os, "getpid", lambda: -1)
    assert hooks.before_node_run(training_node(pipeline, "regularization.l2.seed_42")) is None


@pytest.mark.parametrize(
    ("training", "problem"),
    [({"batch_models": "on"}, "batch_models"), ({"max_batch_models": 0}, "max_batch_models"),
     ({"batch_size": 3}, "batch_size")],
)  # fmt: skip
def test_bad_training_parameters_are_named_when_the_run_starts(training, problem):
    pipeline, _ = study_catalog({})
    parameters = base_parameters()
    parameters["training"] |= training
    with pytest.raises(ParameterValidationError, match="'training'") as error:
        ParameterValidator({"study": pipeline}).validate_raw_params(parameters)
    assert problem in str(error.value)


def test_a_program_that_would_not_fit_stops_before_it_trains(programs, monkeypatch):
    from from_data_to_model import batched

    def too_large(specs, *data):
        raise batched.ProgramTooLargeError(f"{len(specs)} models")

    monkeypatch.setattr("from_data_to_model.batched.check_memory", too_large)
    group = TrainingGroup.of(TrainingPlan(batch_models="auto"), L2)
    with pytest.raises(batched.ProgramTooLargeError, match="3 models"):
        group.fit(L2[0], spec_of, DATA)
    assert programs == []


def test_each_model_of_a_program_counts_as_it_finishes_and_its_node_no_more(programs, caplog):
    """The run's progress line moves as each model of a program finishes (inside the first
    node); the others' nodes, which only hand over their model, add nothing."""
    import logging

    from kedro.pipeline import node

    from from_data_to_model.hooks import TrainingProgressHooks

    progress = TrainingProgressHooks()
    nodes = [node(lambda x: x, "x", f"{run.namespace}.training_metadata", name="train_model",
                  tags=["training"], namespace=run.namespace) for run in L2]  # fmt: skip
    progress.before_pipeline_run(Pipeline(nodes), {}, DataCatalog())
    group = TrainingGroup.of(TrainingPlan(batch_models="auto"), L2, progress.model_finished)
    with caplog.at_level(logging.INFO, logger="from_data_to_model"):
        for run, each in zip(L2, nodes, strict=True):
            group.fit(run, spec_of, DATA)
            progress.after_node_run(each)
    lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("Progress")]
    assert [line.split(",")[0] for line in lines] == [
        f"Progress: {k} of 3 models trained" for k in (1, 2, 3)
    ]
    assert "Finished regularization.l2.seed_44 (3 of 3 in this program)" in caplog.text


def test_off_on_the_command_line_or_unquoted_in_yaml_is_off():
    """``--params training.batch_models=off`` arrives as YAML's false: it means off."""
    from kedro.framework.cli.utils import _split_params

    given = _split_params(None, None, "training.batch_models=off")
    assert given == {"training": {"batch_models": False}}
    assert TrainingPlan.model_validate(given["training"]).batch_models == "off"
    with pytest.raises(ValueError, match="batch_models"):
        TrainingPlan.model_validate({"batch_models": True})  # on is no setting
