"""The settled variants' environment adds valid variants to the study, and nothing else."""

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
