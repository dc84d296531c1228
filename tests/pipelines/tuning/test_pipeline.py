"""The tuning pipeline: grids from YAML alone, run as a slice through the per-model template."""

from __future__ import annotations

import pytest
from matplotlib.figure import Figure

from from_data_to_model.pipelines import tuning
from from_data_to_model.study import value_name
from tests.conftest import TINY_TUNING_FAMILIES, study_of
from tests.slices import fashion_mnist_inputs, run_slice, study_parameters

TWO_FAMILIES = {"seeds": [1, 2], "families": TINY_TUNING_FAMILIES}


@pytest.fixture(scope="module")
def sweep():
    parameters = study_parameters({"overfit": {}}, seeds=[1]) | {"tuning": TWO_FAMILIES}
    parameters["regularization"]["defaults"]["epochs"] = 3
    pipeline = tuning.create_pipeline(study_of(parameters))
    names = [
        f"tuning.{f}.{o}"
        for f in ("l2", "learning_rate")
        for o in ("curve_table", "settled_value", "learning_curves_table")
    ]
    return pipeline, run_slice(
        pipeline, parameters, keep=tuple(names), **fashion_mnist_inputs(train=90, val=30)
    )


@pytest.mark.slow  # trains models
def test_one_template_per_family_value_and_seed_without_the_test_split(sweep):
    pipeline, _ = sweep
    trained = sorted(n.namespace for n in pipeline.nodes if "training" in n.tags)
    points = [("l2", 1e-6), ("l2", 1e-2), ("learning_rate", 0.0005), ("learning_rate", 0.5)]
    assert trained == sorted(
        f"tuning.{family}.{value_name(v)}.seed_{s}" for family, v in points for s in (1, 2)
    )
    assert not [d for d in pipeline.all_inputs() if "test" in d]


@pytest.mark.slow  # trains models
def test_curves_settled_values_figures_and_report(sweep):
    _, catalog = sweep
    curve = catalog.load("tuning.learning_rate.curve_table")
    assert list(curve["value"]) == ["0.0005", "0.5"] and (curve["seeds"] == 2).all()
    assert curve["model_val_loss_ci_low"].notna().all()
    # a learning rate of 0.5 wrecks RMSprop: the sweep settles on the small one
    assert curve["model_val_loss_mean"].iat[1] > curve["model_val_loss_mean"].iat[0]
    assert catalog.load("tuning.learning_rate.settled_value")["value"] == 0.0005
    settled = catalog.load("tuning.l2.settled_value")
    assert settled["value"] in (1e-6, 1e-2) and "a tie goes to" in settled["reason"]
    report = catalog.load("tuning.report")
    assert "## `hidden.l2` of `overfit`" in report and "**Settled: " in report
    assert len(catalog.load("tuning.curves_table")) == 4
    figure = catalog.load("tuning.l2.validation_curve_plot")
    assert isinstance(figure, Figure) and figure.axes[0].get_xscale() == "log"
    curves = catalog.load("tuning.l2.learning_curves_table")
    assert len(curves) == 2 * 2 * 3 and set(curves["value"]) == {1e-6, 1e-2}
