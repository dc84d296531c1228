"""The example environments add valid variants to the study, and nothing else."""

from __future__ import annotations

from from_data_to_model.model_spec import ModelSpec, ModelSpecChanges, resolve_spec
from tests.conftest import VARIANTS, base_parameters, project_parameters, study_of

SETTLED = ["reduced_size_settled", "l1_settled", "l2_settled", "dropout_settled"]


def test_settled_environment_adds_four_valid_variants():
    parameters = project_parameters(env="settled")
    assert study_of(parameters).variants == (*VARIANTS, *SETTLED)
    base = base_parameters()
    assert {k: v for k, v in parameters.items() if k != "regularization"} == {
        k: v for k, v in base.items() if k != "regularization"
    }
    defaults = ModelSpec.model_validate(parameters["regularization"]["defaults"])
    specs = {
        name: resolve_spec(defaults, ModelSpecChanges.model_validate(changes))
        for name, changes in parameters["regularization"]["variants"].items()
    }
    assert specs["l1_settled"].hidden.l1 == 1e-5 and specs["l2_settled"].hidden.l2 == 1e-3
    assert specs["dropout_settled"].dropout.rate == 0.3
    assert specs["dropout_settled"].dropout.layers == 2
    assert specs["reduced_size_settled"].hidden.units == [256]


def test_weight_decay_environment_adds_a_variant_with_the_new_regularizer():
    parameters = project_parameters(env="weight_decay")
    assert study_of(parameters).variants == (*VARIANTS, "weight_decay")
    defaults = ModelSpec.model_validate(parameters["regularization"]["defaults"])
    changes = ModelSpecChanges.model_validate(
        parameters["regularization"]["variants"]["weight_decay"]
    )
    spec = resolve_spec(defaults, changes)
    assert spec.optimizer.weight_decay == 1.0 and spec.hidden.units == [1568]
    assert defaults.optimizer.weight_decay == 0.0  # the study's own variants: none
