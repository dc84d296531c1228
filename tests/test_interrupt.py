"""A `kedro run` killed mid-training leaves nothing that loads as valid; a resume completes it."""

from __future__ import annotations

import signal
import subprocess

import pytest
from kedro.io import DatasetError

from tests.conftest import VARIANTS, one_seed
from tests.processes import ctrl_c_reaches_children, wait_for

SEEDS = [42]

pytestmark = pytest.mark.slow


def test_killed_run_leaves_no_valid_looking_output_and_resumes(tiny_project):
    # One seed; `overfit` trains long enough to be interrupted in the middle of its epochs.
    tiny_project.local_conf("parameters", one_seed())
    tiny_project.local_conf(
        "parameters_slow_variant",
        {"regularization": {"variants": {"overfit": {"epochs": 5000}}}},
    )
    log = tiny_project.root / "run.log"
    with log.open("w") as out, ctrl_c_reaches_children():
        run = subprocess.Popen(
            [str(tiny_project.kedro_path), "run", "--pipeline=regularization"],
            cwd=tiny_project.root,
            env=tiny_project.env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_for(run, log, "Training regularization.overfit.seed_42")
            wait_for(run, log, "epoch 3/5000")
            run.send_signal(signal.SIGINT)  # Ctrl-C
            assert run.wait(timeout=120) != 0
        finally:
            run.kill()

    catalog = tiny_project.catalog()
    done = ["combined", "dropout", "early_stopping", "l1", "l2"]  # before overfit, in run order
    for variant in done:
        for seed in SEEDS:
            assert catalog.load(f"regularization.{variant}.seed_{seed}.model") is not None
    for variant in ["overfit", "reduced_size", "underfit"]:
        for seed in SEEDS:
            with pytest.raises(DatasetError):
                catalog.load(f"regularization.{variant}.seed_{seed}.model")
            assert not catalog.exists(f"regularization.{variant}.seed_{seed}.training_history")
    for output in ["report", "report_table", "model_choice"]:
        assert not catalog.exists(f"regularization.{output}")

    # Resume: only what is missing (the unfinished variants, every evaluation, the report).
    (tiny_project.root / "conf/local/parameters_slow_variant.yml").unlink()
    resumed = tiny_project.kedro("run", "--pipeline=regularization", "--only-missing-outputs")
    output = resumed.stdout + resumed.stderr
    assert resumed.returncode == 0, output
    for variant in done:  # finished variants are not retrained
        assert f"Training regularization.{variant}." not in output
    for variant in ["overfit", "reduced_size", "underfit"]:
        assert f"Training regularization.{variant}.seed_{SEEDS[-1]} " in output
    catalog = tiny_project.catalog()
    assert list(catalog.load("regularization.report_table")["variant"]) == VARIANTS
    choice = catalog.load("regularization.model_choice")
    validation = catalog.load("regularization.validation_table").set_index("variant")
    assert choice["model_val_loss"] == validation.loc[choice["variant"], "model_val_loss_mean"]
