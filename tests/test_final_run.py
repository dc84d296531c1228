"""The final stage: it uses the latest tuning run's settled values (the shared tiny study's
final stage ran after its tuning), and `kedro run --pipeline=final` stops each bad input,
named, before any model trains, with nothing promoted before lost."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.slow

PROMOTED = "data/06_models/promoted/fashion_mnist.keras"


def versions(project) -> list[str]:
    return sorted(p.name for p in (project.root / PROMOTED).iterdir())


def test_the_final_stage_uses_the_latest_tuning_runs_settled_values(tiny_study):
    catalog = tiny_study.catalog()
    design = catalog.load("final.tuned_design")
    settled = catalog.load("final.settled_values")
    assert design["source"] == "tuning" and set(design["settled"]) == {"l2", "dropout"}
    for family in ("l2", "dropout"):
        assert design["settled"][family]["value"] == settled[family]["value"]
        assert f"(tuning run {settled[family]['tuning_run']})" in design["description"]
    for seed in (42, 43):  # each member of the tuned candidate
        spec = catalog.load(f"final.tuned.seed_{seed}.spec")
        assert spec["hidden"]["l2"] == settled["l2"]["value"]
        assert spec["dropout"]["rate"] == settled["dropout"]["value"]
    assert "## The tuned design" in catalog.load("final.report")


def expect_stopped(project, before: list[str], *args: str) -> str:
    result = project.kedro("run", "--pipeline=final", *args)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "Training " not in output and "epoch 1/" not in output
    assert versions(project) == before  # nothing promoted, nothing lost
    return output


def test_bad_inputs_stop_the_final_stage_before_any_training(tiny_study_copy):
    project = tiny_study_copy
    before = versions(project)
    output = expect_stopped(project, before, "--params", "final.members=3")
    assert "FinalStageError: Parameter 'final.members' must be a whole number from 1 to 2" in output
    # a tuning run that settled a value the design cannot use
    folder = project.root / "data/08_reporting/tuning/dropout_settled.json/9999-01-01T00.00.00.000Z"
    folder.mkdir(parents=True)
    (folder / "dropout_settled.json").write_text(json.dumps({"value": 1.5, "reason": "?"}))
    output = expect_stopped(project, before)
    assert "SettledValueError: The tuning run 9999-01-01T00.00.00.000Z settled dropout" in output
    (folder / "dropout_settled.json").unlink()
    folder.rmdir()
    # a candidate's model file, damaged
    model_dir = project.root / "data/06_models/regularization.overfit.seed_43.keras"
    damaged = sorted(model_dir.iterdir())[-1] / "regularization.overfit.seed_43.keras"
    damaged.write_bytes(damaged.read_bytes()[:1000])
    said = "".join(expect_stopped(project, before).split())  # the log wraps long lines
    assert "ModelFileError" in said and "regularization.overfit.seed_43.kerasisdamaged" in said
