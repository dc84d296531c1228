"""Seeds added to a finished study, the run killed mid-training: nothing of it loads as
valid, nothing earlier is touched; a resume trains only what is missing and remakes the
report from every seed."""

from __future__ import annotations

import re

import pytest
from kedro.io import DatasetError

from tests.conftest import VARIANTS
from tests.processes import stopped_with_ctrl_c

pytestmark = pytest.mark.slow

THREE_SEEDS = ("--params", "regularization.seeds=3")  # the shared study trained 42 and 43
DONE = ["combined", "dropout", "early_stopping", "l1", "l2"]  # before overfit, in run order
UNDONE = ["overfit", "reduced_size", "underfit"]


def saved(project, pattern: str) -> dict[str, int]:
    """Each file under the folders matching ``pattern`` (under data/): when it was written."""
    folders = (project.root / "data").glob(pattern)
    return {str(f): f.stat().st_mtime_ns for d in folders for f in d.rglob("*") if f.is_file()}


def test_added_seed_killed_mid_training_leaves_nothing_valid_and_resumes(tiny_study_copy):
    project = tiny_study_copy
    earlier = saved(project, "06_models/regularization.*.seed_4[23].keras")
    reports = saved(project, "08_reporting/regularization")
    # overfit trains long enough to be interrupted in the middle of its epochs
    project.local_conf(
        "parameters_slow_variant", {"regularization": {"variants": {"overfit": {"epochs": 5000}}}}
    )
    command = [str(project.kedro_path), "run", "--pipeline=regularization", *THREE_SEEDS,
               "--only-missing-outputs"]  # fmt: skip
    stopped = stopped_with_ctrl_c(
        command, project.root, project.env, project.root / "run.log",
        "Training regularization.overfit.seed_44", "epoch 3/5000",
    )  # fmt: skip
    assert stopped != 0

    catalog = project.catalog()
    for variant in DONE:
        assert catalog.load(f"regularization.{variant}.seed_44.model") is not None
    for variant in UNDONE:
        with pytest.raises(DatasetError):
            catalog.load(f"regularization.{variant}.seed_44.model")
        assert not catalog.exists(f"regularization.{variant}.seed_44.training_history")
    assert saved(project, "08_reporting/regularization") == reports  # no report written
    assert saved(project, "06_models/regularization.*.seed_4[23].keras") == earlier

    # Resume: only what is missing (the unfinished variants' seed 44), then the report of all
    (project.root / "conf/local/parameters_slow_variant.yml").unlink()
    resumed = project.kedro("run", "--pipeline=regularization", *THREE_SEEDS,
                            "--only-missing-outputs")  # fmt: skip
    output = resumed.stdout + resumed.stderr
    assert resumed.returncode == 0, output
    trained = sorted(re.findall(r"Training (regularization\.\S+) \(", output))
    assert trained == [f"regularization.{v}.seed_44" for v in UNDONE], output[-3000:]
    # the earlier seeds' models keep their scores: only seed 44's are scored (all of them:
    # the killed run scored none of its finished models yet)
    scored = re.findall(r"-> \[(regularization\.\S+)\.official_test_metrics\]", output)
    assert sorted(scored) == sorted(f"regularization.{v}.seed_44" for v in VARIANTS), scored
    assert saved(project, "06_models/regularization.*.seed_4[23].keras") == earlier
    catalog = project.catalog()
    assert list(catalog.load("regularization.report_table")["variant"]) == VARIANTS
    assert (catalog.load("regularization.report_table")["seeds"] == 3).all()
    assert len(catalog.load("regularization.runs_table")) == 3 * len(VARIANTS)
    assert "- seeds: 42, 43, 44" in catalog.load("regularization.report")
    choice = catalog.load("regularization.model_choice")
    validation = catalog.load("regularization.validation_table").set_index("variant")
    assert choice["model_val_loss"] == validation.loc[choice["variant"], "model_val_loss_mean"]
    assert catalog.load("fashion_mnist_study_promotion").reason.startswith(
        f"of {choice['variant']}'s 3 seeds"
    )
