"""`kedro run --pipeline=final` on the shared tiny study: the tuning's values used, and a
new version promoted beside the earlier ones."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow

PROMOTED = "data/06_models/promoted/fashion_mnist.keras"


def versions(project) -> list[str]:
    return sorted(p.name for p in (project.root / PROMOTED).iterdir())


def test_the_final_stage_uses_the_latest_tuning_runs_settled_values(tiny_study_copy):
    project = tiny_study_copy
    before = versions(project)
    result = project.kedro("run", "--pipeline=final")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "Training final.tuned.seed_42 (1 of 4)" in output  # 2 tuned + 2 refit
    catalog = project.catalog()
    design = catalog.load("final.tuned_design")
    settled = catalog.load("final.settled_values")
    assert design["source"] == "tuning" and set(design["settled"]) == {"l2", "dropout"}
    for family in ("l2", "dropout"):
        assert design["settled"][family]["value"] == settled[family]["value"]
        assert f"(tuning run {settled[family]['tuning_run']})" in design["description"]
    spec = catalog.load("final.tuned.seed_42.spec")
    assert spec["hidden"]["l2"] == settled["l2"]["value"]
    assert spec["dropout"]["rate"] == settled["dropout"]["value"]
    assert "## The tuned design" in catalog.load("final.report")
    after = versions(project)
    assert after[: len(before)] == before and len(after) == len(before) + 1  # one more
