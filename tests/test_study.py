"""The study's shape: what the configuration says, validated once; run identities."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from from_data_to_model.study import REGULARIZATION, TUNING, Run, StudyShape
from tests.conftest import VARIANTS, base_parameters


def test_the_configured_study():
    study = StudyShape.from_parameters(base_parameters())
    assert study.variants == tuple(VARIANTS) and study.seeds == (42, 43, 44)
    assert study.baseline == "overfit"
    assert list(study.families) == ["hidden_units", "l1", "l2", "dropout"]
    assert study.families["l1"].path == "hidden.l1" and study.tuning_seeds == (42, 43)
    assert [r.namespace for r in study.runs()[:4]] == [
        "regularization.underfit.seed_42", "regularization.underfit.seed_43",
        "regularization.underfit.seed_44", "regularization.overfit.seed_42",
    ]  # fmt: skip
    points = study.sweep("dropout")
    assert len(points) == 8 * 2 and points[0] == Run(TUNING, "dropout", 42, "dropout",
                                                      "dropout.rate", 0.0)  # fmt: skip


def test_a_count_of_seeds_counts_up_from_the_defaults_seed():
    parameters = base_parameters()
    parameters["regularization"] |= {"seeds": 2, "defaults": {"seed": 7}}
    assert StudyShape.from_parameters(parameters).seeds == (7, 8)


def test_no_variants_no_models():
    assert StudyShape.from_parameters({"regularization": {"variants": {}}}) == StudyShape()


@pytest.mark.parametrize(
    ("seeds", "problem"),
    [([], "at least 1 item"), ([42, 42], "[42] repeated"), ([42, "43"], "valid integer"),
     ([4.2], "valid integer"), (None, "valid list"), (0, "or a count >= 1, got 0")],
)  # fmt: skip
def test_bad_seeds_are_named(seeds, problem):
    parameters = base_parameters()
    parameters["regularization"]["seeds"] = seeds
    with pytest.raises(ValueError, match="Parameter 'regularization.seeds'") as excinfo:
        StudyShape.from_parameters(parameters)
    assert problem in str(excinfo.value)


def test_a_baseline_that_is_no_variant_is_named():
    parameters = base_parameters()
    parameters["evaluation"]["baseline"] = "original"
    with pytest.raises(ValueError, match="'evaluation.baseline': 'original' is not a study"):
        StudyShape.from_parameters(parameters)


@pytest.mark.parametrize(
    ("family", "message"),
    [
        ({"path": "hidden.l1", "values": [-1.0]}, "value -1.0 for 'hidden.l1'"),
        ({"path": "dropout.rate", "values": [1.0]}, "value 1.0 for 'dropout.rate'"),
        ({"path": "hidden.units", "values": [[0]]}, "value [0] for 'hidden.units'"),
        ({"path": "hidden.l3", "values": [0.1]}, "value 0.1 for 'hidden.l3'"),
        ({"path": "hidden.l1", "values": []}, "at least 1 item"),
        ({"path": "hidden.l1", "values": [0.1], "variant": "nope"}, "no study variant 'nope'"),
        ({"path": "hidden.l1", "values": [0.1, 0.10]}, "values repeat: [0.1, 0.1]"),
    ],
)
def test_bad_sweep_families_are_named(family, message):
    raw = {"variant": "overfit", "scale": "log", "prefer": "high", "original": 0} | family
    parameters = base_parameters() | {"tuning": {"seeds": 1, "families": {"broken": raw}}}
    with pytest.raises(ValueError, match="Parameter 'tuning.families.broken'") as excinfo:
        StudyShape.from_parameters(parameters)
    assert message in str(excinfo.value)


@pytest.mark.parametrize(
    ("run", "namespace"),
    [
        (Run(REGULARIZATION, "l2", 43), "regularization.l2.seed_43"),
        (Run(TUNING, "overfit", 1, "l1", "hidden.l1", 1e-5), "tuning.l1.v1em05.seed_1"),
        (Run(TUNING, "overfit", 2, "units", "hidden.units", [128, 64]),
         "tuning.units.v128m64.seed_2"),
        (Run("housing", "housing"), "housing"),
    ],
)  # fmt: skip
def test_run_namespaces(run, namespace):
    assert run.namespace == namespace


def test_a_run_carries_its_identity_and_changes():
    point = Run(TUNING, "dropout", 3, "dropout", "dropout.rate", 0.3)
    assert point.changes() == {"seed": 3, "dropout": {"rate": 0.3}}
    assert point.fields(3) == {
        "study": "tuning", "variant": "dropout", "seed": 3, "family": "dropout", "value": 0.3,
        "namespace": "tuning.dropout.v0p3.seed_3",
    }  # fmt: skip
    assert Run("housing", "housing").changes() == {}


def test_the_final_stage_takes_the_first_seeds_as_its_members():
    assert StudyShape.from_parameters(base_parameters()).final_seeds == (42, 43, 44)
    parameters = base_parameters()
    parameters["final"]["members"] = 2
    assert StudyShape.from_parameters(parameters).final_seeds == (42, 43)


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"members": 0}, "'final.members' must be a whole number from 1 to 3"),
        ({"members": 4}, "got 4. Train more seeds"),
        ({"tuned": {"variant": "nope", "families": []}}, "'final.tuned.variant': 'nope'"),
        ({"tuned": {"variant": "dropout", "families": ["width"]}}, "['width'] are no tuning"),
    ],
)
def test_a_final_stage_the_study_cannot_make_is_named_not_built(change, problem):
    """The study alone still runs (FinalStageChecks stops a run of the final stage)."""
    parameters = base_parameters()
    parameters["final"] |= change
    study = StudyShape.from_parameters(parameters)
    assert study.final_seeds == () and problem in study.final_problem
    assert study.runs()  # the study itself is whole


def test_the_backend_is_read_as_keras_reads_it_without_importing_keras(tmp_path):
    code = (
        "import sys; from from_data_to_model.study import configured_backend; "
        "print(configured_backend(), 'keras' in sys.modules)"
    )
    (tmp_path / "keras.json").write_text('{"backend": "jax"}')
    env = {k: v for k, v in os.environ.items() if k != "KERAS_BACKEND"}
    for extra, expected in (({"KERAS_HOME": str(tmp_path)}, "jax False"),
                            ({"KERAS_HOME": str(tmp_path / "none")}, "tensorflow False"),
                            ({"KERAS_BACKEND": "torch"}, "torch False")):  # fmt: skip
        result = subprocess.run([sys.executable, "-c", code], env=env | extra,
                                capture_output=True, text=True, check=True)  # fmt: skip
        assert result.stdout.split() == expected.split(), extra
