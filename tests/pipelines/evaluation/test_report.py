"""Runs table, per-variant report and Markdown content; every figure drawn with labels."""

from __future__ import annotations

import numpy as np

from from_data_to_model.pipelines.evaluation.choice import choose_model
from from_data_to_model.pipelines.evaluation.plots import (
    plot_housing_learning_curve,
    plot_learning_curves,
    plot_test_metrics,
    plot_validation_vs_original,
    variant_colours,
)
from from_data_to_model.pipelines.evaluation.report import (
    RUN_COLUMNS,
    compile_runs_table,
    summarise_run,
    write_housing_report,
    write_report,
)
from from_data_to_model.pipelines.evaluation.uncertainty import aggregate_variants
from tests.conftest import base_parameters
from tests.pipelines.evaluation.histories import clear_overfit, clear_underfit, good_fit, metadata

EVALUATION = base_parameters()["evaluation"]
CURVES = {"underfit": clear_underfit(), "overfit": clear_overfit(), "dropout": good_fit()}
SEEDS = (42, 43)


def histories():
    """Two seeds per variant: the second one's losses 2 % higher."""
    return {
        f"{name}.seed_{seed}": h.assign(
            loss=h.loss * (1 + i / 50), val_loss=h.val_loss * (1 + i / 50)
        )
        for name, h in CURVES.items()
        for i, seed in enumerate(SEEDS)
    }


def runs_table():
    summaries = {}
    for i, (key, h) in enumerate(histories().items()):
        test = {"test_loss": 0.3 + i / 100, "test_data_loss": 0.3 + i / 100,
                "test_accuracy": 0.9 - i / 100, "test_rows": 1234}  # fmt: skip
        seed = int(key.rsplit("_", 1)[1])
        summaries[key] = summarise_run(h, metadata(h, seed=seed), test, EVALUATION["diagnosis"])
    return compile_runs_table(**summaries)


def test_runs_table_has_one_row_per_variant_and_seed():
    runs = runs_table()
    assert list(runs["variant"]) == [
        "underfit",
        "underfit",
        "overfit",
        "overfit",
        "dropout",
        "dropout",
    ]
    assert list(runs["seed"]) == [42, 43] * 3
    assert list(runs.columns) == RUN_COLUMNS
    assert list(runs["diagnosis"][::2]) == ["under-fitting", "over-fitting", "good fit"]


def report_inputs():
    runs = runs_table()
    report = aggregate_variants(runs, EVALUATION | {"baseline": "overfit"})
    return report, runs, choose_model(report, EVALUATION["choice"])


def test_markdown_report_content():
    report, runs, choice = report_inputs()
    text = write_report(report, runs, choice, EVALUATION | {"baseline": "overfit"})
    for name in CURVES:
        assert f"| {name} " in text and f"**{name}**" in text
    assert "## Results on the test split (1234 rows)" in text
    assert "Mean ± standard deviation over 2 seeds (42, 43)" in text
    assert "0.3050 ± 0.0071" in text  # underfit's test data loss: 0.30 and 0.31
    assert f"**{choice['variant']}**, chosen on the validation split only" in text
    assert "## Compared with the original (overfit), seed by seed, on validation" in text
    assert "- **overfit**: the baseline." in text
    assert "the original study's test loss 0.433 is outside our 95 % interval" in text
    assert "over-fitting (2 of 2 seeds); seed 42: validation loss rose" in text
    assert "seeds: 42, 43" in text and "Keras backend: tensorflow" in text
    assert "## Parameters" in text and "1e-08" in text
    assert "overfit_min_val_rise 0.05" in text and "overlapping 95% intervals" in text


def test_one_seed_report_says_it_cannot_give_intervals():
    runs = runs_table()
    runs = runs[runs["seed"] == 42]
    report = aggregate_variants(runs, EVALUATION | {"baseline": "overfit"})
    text = write_report(report, runs, choose_model(report, EVALUATION["choice"]), EVALUATION)
    assert "One seed per variant: no interval can be given" in text
    assert "| n/a " in text and "from one seed (no interval)" in text


def test_housing_report():
    text = write_housing_report(
        {"epochs_run": 100, "final_val_loss": 0.36, "best_val_loss": 0.35, "best_epoch": 90},
        {"test_loss": 0.29, "test_rows": 6192},
    )
    assert "Validation MSE after 100 epochs: 0.3600 (lowest 0.3500, epoch 90)" in text
    assert "test MSE on 6192 rows: 0.2900" in text


def test_figures_have_titles_labels_bands_and_consistent_colours():
    colours = variant_colours(list(CURVES))
    curves = plot_learning_curves(**histories())
    assert set(curves) == {"underfit.png", "overfit.png", "dropout.png"}
    ax = curves["dropout.png"].axes[0]
    assert ax.get_title().endswith("(2 seeds)") and ax.get_xlabel() == "epoch"
    assert {line.get_color() for line in ax.get_lines()} == {colours["dropout"]}
    assert len(ax.collections) == 2  # a band each for training and validation loss
    band = ax.collections[1].get_paths()[0].vertices[:, 1]
    val = np.concatenate([good_fit()["val_loss"], good_fit()["val_loss"] * 1.02])
    assert band.min() >= val.min() - 1e-9 and band.max() <= val.max() + 1e-9
    comparison = plot_validation_vs_original("overfit", **histories())
    assert set(comparison) == {"underfit.png", "dropout.png", "all.png"}
    assert len(comparison["all.png"].axes[0].get_lines()) == 3
    report, _, _ = report_inputs()
    bars = plot_test_metrics(report)
    assert [a.get_ylabel() for a in bars.axes] == ["test data loss", "test accuracy"]
    assert len(bars.axes[0].lines) > 0  # interval error bars drawn
    assert plot_housing_learning_curve(good_fit()).axes[0].get_ylabel() == "MSE"
