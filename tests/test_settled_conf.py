"""The settled variants' environment adds valid variants to the study, and nothing else."""

from __future__ import annotations

from omegaconf import OmegaConf

from from_data_to_model.model_spec import ModelSpec, ModelSpecChanges, resolve_spec
from tests.conftest import PROJECT_ROOT, VARIANTS, base_parameters


def test_settled_environment_adds_four_valid_variants():
    settled = OmegaConf.to_container(
        OmegaConf.load(PROJECT_ROOT / "conf/settled/parameters_regularization.yml")
    )["regularization"]
    assert set(settled) == {"variants"} and not set(settled["variants"]) & set(VARIANTS)
    defaults = ModelSpec.model_validate(base_parameters()["regularization"]["defaults"])
    specs = {
        name: resolve_spec(defaults, ModelSpecChanges.model_validate(changes))
        for name, changes in settled["variants"].items()
    }
    assert specs["l1_settled"].hidden.l1 == 1e-5 and specs["l2_settled"].hidden.l2 == 1e-3
    assert specs["dropout_settled"].dropout.rate == 0.3
    assert specs["reduced_size_settled"].hidden.units == [256]
