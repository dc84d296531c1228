"""Report table and Markdown content; every figure drawn with labels."""

from __future__ import annotations

import yaml

from from_data_to_model.pipelines.evaluation.choice import choose_model
from from_data_to_model.pipelines.evaluation.plots import (
    plot_housing_learning_curve,
    plot_learning_curves,
    plot_test_metrics,
    plot_validation_vs_original,
    variant_colours,
)
from from_data_to_model.pipelines.evaluation.report import (
    REPORT_COLUMNS,
    compile_report_table,
    summarise_variant,
    write_housing_report,
    write_report,
)
from tests.conftest import PROJECT_ROOT
from tests.pipelines.evaluation.histories import clear_overfit, clear_underfit, good_fit, metadata

EVALUATION = yaml.safe_load((PROJECT_ROOT / "conf/base/parameters_evaluation.yml").read_text())[
    "evaluation"
]
CURVES = {"underfit": clear_underfit(), "overfit": clear_overfit(), "dropout": good_fit()}


def report_table():
    summaries = {
        name: summarise_variant(
            h,
            metadata(h),
            {"test_loss": 0.3 + i / 10, "test_accuracy": 0.9 - i / 100, "test_rows": 1234},
            EVALUATION["diagnosis"],
        )
        for i, (name, h) in enumerate(CURVES.items())
    }
    return compile_report_table(**summaries)


def test_table_has_one_row_per_variant_in_documented_columns():
    table = report_table()
    assert list(table["variant"]) == ["underfit", "overfit", "dropout"]
    assert list(table.columns) == REPORT_COLUMNS
    assert list(table["diagnosis"]) == ["under-fitting", "over-fitting", "good fit"]


def test_markdown_report_content():
    table = report_table()
    choice = choose_model(table, EVALUATION["choice"])
    text = write_report(table, choice, EVALUATION)
    for name in CURVES:
        assert f"| {name} " in text and f"**{name}**" in text
    assert "## Results on the test split (1234 rows)" in text
    assert f"**{choice['variant']}**, chosen on the validation split only" in text
    assert "report written (UTC)" in text and "Keras backend: tensorflow" in text
    assert "seeds: 42" in text and "Keras: 3.x" in text
    assert "under-fitting" in text and "over-fitting" in text
    assert "## Parameters" in text and "1e-08" in text
    assert "models trained (UTC): 2026-01-01T00:00:00+00:00 to 2026-01-01T00:00:00+00:00" in text
    assert "overfit_min_val_rise 0.05" in text and "tie tolerance 0.005" in text


def test_report_numbers_come_from_the_table():
    table = report_table()
    table.loc[table["variant"] == "overfit", "test_loss"] = 0.123456
    text = write_report(table, choose_model(table, EVALUATION["choice"]), EVALUATION)
    results, parameters = [line for line in text.splitlines() if line.startswith("| overfit ")]
    assert "0.1235" in results and "0.1235" not in parameters


def test_housing_report():
    text = write_housing_report(
        {"epochs_run": 100, "final_val_loss": 0.36, "best_val_loss": 0.35, "best_epoch": 90},
        {"test_loss": 0.29, "test_rows": 6192},
    )
    assert "Validation MSE after 100 epochs: 0.3600 (lowest 0.3500, epoch 90)" in text
    assert "test MSE on 6192 rows: 0.2900" in text


def test_figures_have_titles_labels_and_consistent_colours():
    colours = variant_colours(list(CURVES))
    curves = plot_learning_curves(**CURVES)
    assert set(curves) == {"underfit.png", "overfit.png", "dropout.png"}
    ax = curves["dropout.png"].axes[0]
    assert ax.get_title() and ax.get_xlabel() == "epoch" and ax.get_legend() is not None
    assert {line.get_color() for line in ax.get_lines()} == {colours["dropout"]}
    comparison = plot_validation_vs_original("overfit", **CURVES)
    assert set(comparison) == {"underfit.png", "dropout.png", "all.png"}
    assert len(comparison["all.png"].axes[0].get_lines()) == 3
    bars = plot_test_metrics(report_table())
    assert [a.get_ylabel() for a in bars.axes] == ["test loss", "test accuracy"]
    assert plot_housing_learning_curve(good_fit()).axes[0].get_ylabel() == "MSE"
