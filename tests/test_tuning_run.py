"""`kedro run --pipeline=tuning` as users type it: one family, then a resumed sweep. (Seeds
added to a run remake what is made from every run: tests/test_interrupt.py end to end, and
tests/test_isolation.py for which nodes those are, the tuning's among them.)"""

from __future__ import annotations

import matplotlib.image
import pytest

pytestmark = pytest.mark.slow


def test_one_family_then_the_rest_resumed(tiny_project):
    tiny_project.session_run(pipeline_names=["data_ingestion", "data_processing"])
    first = tiny_project.kedro("run", "--pipeline=tuning", "--namespaces=tuning.l2")
    output = first.stdout + first.stderr
    assert first.returncode == 0, output
    assert output.count("Training tuning.l2.") == 2 and "(1 of 2)" in output  # k of n points
    assert "tuning.learning_rate" not in output
    resumed = tiny_project.kedro("run", "--pipeline=tuning", "--only-missing-outputs")
    output = resumed.stdout + resumed.stderr
    assert resumed.returncode == 0, output
    assert "Training tuning.l2." not in output  # its points were kept
    assert output.count("Training tuning.learning_rate.") == 2
    assert output.count("Training tuning.") == 5  # the 3 one-value families and this one
    report = tiny_project.catalog().load("tuning.report")
    assert "`hidden.l2` of `overfit`" in report and "`optimizer.learning_rate`" in report
    figure = tiny_project.root / "data/08_reporting/tuning/l2.validation_curve.png"
    assert matplotlib.image.imread(figure).shape[:2] == (400, 600)  # figsize × 100 dpi
