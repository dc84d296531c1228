"""The Markdown report and the study's figures, from summaries of known learning curves."""

from __future__ import annotations

import numpy as np
import pandas as pd

from from_data_to_model.figures import variant_colours
from from_data_to_model.frames import stack_tables, tabulate_records
from from_data_to_model.pipelines.evaluation.choice import choose_model
from from_data_to_model.pipelines.evaluation.official_test import compare_test_sets
from from_data_to_model.pipelines.evaluation.plots import (
    plot_learning_curves,
    plot_test_metrics,
    plot_validation_vs_original,
)
from from_data_to_model.pipelines.evaluation.report import write_report
from from_data_to_model.pipelines.evaluation.tables import (
    aggregate_validation,
    compile_report_table,
    compile_runs_table,
)
from from_data_to_model.pipelines.modelling.nodes import identity
from from_data_to_model.pipelines.modelling.summary import summarise_validation
from tests.conftest import base_evaluation
from tests.pipelines.modelling.histories import (
    clear_overfit,
    clear_underfit,
    good_fit,
    metadata,
    spec,
)
from tests.promotions import image_promotion

EVALUATION = base_evaluation()
CURVES = {"underfit": clear_underfit(), "overfit": clear_overfit(), "dropout": good_fit()}
SPECS = {
    "underfit": {"hidden": {"units": [10]}},
    "overfit": {},
    "dropout": {"dropout": {"layers": 2}},
}
SEEDS = (42, 43)


def trained():
    """Two seeds per variant, the second one's losses 2 % higher, and their test metrics."""
    for i, (name, h) in enumerate(CURVES.items()):
        for j, seed in enumerate(SEEDS):
            h2 = h.assign(loss=h.loss * (1 + j / 50), val_loss=h.val_loss * (1 + j / 50))
            meta = metadata(h2, variant=name, seed=seed)
            summary, curve = summarise_validation(
                h2, meta, spec(**SPECS[name]), EVALUATION.diagnosis
            )
            k = 2 * i + j
            test = {**identity(meta), "test_loss": 0.3 + k / 100, "test_data_loss": 0.3 + k / 100,
                    "test_accuracy": 0.9 - k / 100, "test_rows": 1234}  # fmt: skip
            yield summary, curve, test


def report_inputs():
    summaries, curves, tests = zip(*trained(), strict=True)
    validation_runs = tabulate_records(*summaries)
    validation = aggregate_validation(validation_runs, EVALUATION)
    runs = compile_runs_table(validation_runs, tabulate_records(*tests))
    report = compile_report_table(validation, runs, EVALUATION)
    choice = choose_model(validation, validation_runs, EVALUATION)
    return report, runs, choice, stack_tables(*curves)


def final_check(runs: pd.DataFrame, choice: dict) -> dict:
    """write_report's inputs after the choice: the promotion and the official test set,
    here with the study's own test figures standing in for the official ones."""
    tests = runs[["namespace", "test_data_loss", "test_accuracy"]]
    classes = ["T-shirt/top", "Trouser"]
    confusion = pd.DataFrame({"true": classes, "T-shirt/top": [40, 3], "Trouser": [10, 47]})
    own = runs[runs["variant"] == choice["variant"]].iloc[0]
    return {
        "promotion": image_promotion(classes, own["namespace"]).model_copy(
            update={"reason": "the reason"}
        ),
        "official": compare_test_sets(runs, tests, EVALUATION),
        "check": {"images": 100, "accuracy": 0.87, "data_loss": 0.36},
        "per_class": pd.DataFrame(
            {
                "class": classes,
                "precision": [0.8, 0.94],
                "recall": [0.93, 0.82],
                "f1": [0.86, 0.88],
                "images": [43, 57],
            }
        ),  # fmt: skip
        "confusion": confusion,
    }


def test_markdown_report_content():
    report, runs, choice, _ = report_inputs()
    text = write_report(report, runs, choice, **final_check(runs, choice), evaluation=EVALUATION)
    for name in CURVES:
        assert f"| {name} " in text and f"**{name}**" in text
    assert "## Results on the test split (1234 rows)" in text
    assert "Mean ± standard deviation over 2 seeds (42, 43)" in text
    assert "0.3050 ± 0.0071" in text  # underfit's test data loss: 0.30 and 0.31
    assert f"**{choice['variant']}**, chosen on the validation split only" in text
    assert "## Compared with the original (overfit), on validation" in text
    assert "with Welch's 95% t-interval (the seeds as independent samples)" in text
    assert "seeds would resolve a difference of" in text or "every comparison is settled" in text
    assert "- **overfit**: the baseline." in text
    assert "the original study's test loss 0.433 is outside our 95 % interval" in text
    assert "over-fitting (2 of 2 seeds); seed 42: validation loss rose" in text
    assert "seeds: 42, 43" in text and "Keras backend: tensorflow" in text
    assert "## Parameters" in text and "dropout.layers" in text and "hidden.units" in text
    assert "overfit_min_val_rise 0.05" in text
    assert "choice: tied when the difference to the lowest validation loss has Welch's" in text
    assert "## The promoted model" in text and "the reason" in text
    assert "## The final check: Fashion-MNIST's official test set (100 images)" in text
    assert "accuracy 0.8700, data loss 0.3600" in text
    assert "Most often mixed up: T-shirt/top taken for Trouser 10 times" in text
    assert "- human performance (crowd, 1000 images): 0.835 (ours 0.870, +0.035)" in text


def test_one_seed_report_says_it_cannot_give_intervals():
    report, runs, _, _ = report_inputs()
    runs = runs[runs["seed"] == 42]
    validation_runs = tabulate_records(*(s for s, _, _ in trained() if s["seed"] == 42))
    validation = aggregate_validation(validation_runs, EVALUATION)
    report = compile_report_table(validation, runs, EVALUATION)
    choice = choose_model(validation, validation_runs, EVALUATION)
    text = write_report(report, runs, choice, **final_check(runs, choice), evaluation=EVALUATION)
    assert "One seed per variant: no interval can be given" in text
    assert "| n/a " in text and "from one seed (no interval)" in text
    assert "One seed: no spread to go by, so no estimate of the seeds a comparison needs." in text
    assert "seeds would resolve" not in text


def test_figures_have_titles_labels_bands_and_consistent_colours():
    report, _, _, curves = report_inputs()
    colours = variant_colours(list(CURVES))
    figures = plot_learning_curves(curves)
    assert set(figures) == {"underfit.png", "overfit.png", "dropout.png"}
    ax = figures["dropout.png"].axes[0]
    assert ax.get_title() == "dropout: training vs validation (2 seeds)"
    assert ax.get_xlabel() == "epoch"
    assert {line.get_color() for line in ax.get_lines()} == {colours["dropout"]}
    assert len(ax.collections) == 2  # a band each for training and validation loss
    band = ax.collections[1].get_paths()[0].vertices[:, 1]
    val = np.concatenate([good_fit()["val_loss"], good_fit()["val_loss"] * 1.02])
    assert band.min() == val.min() and band.max() == val.max()
    comparison = plot_validation_vs_original(curves, "overfit")
    assert set(comparison) == {"underfit.png", "dropout.png", "all.png"}
    assert len(comparison["all.png"].axes[0].get_lines()) == 3
    bars = plot_test_metrics(report)
    assert [a.get_ylabel() for a in bars.axes] == ["test data loss", "test accuracy"]
    assert len(bars.axes[0].lines) == 2  # the interval error bars: their lower and upper caps


def test_stopped_runs_leave_their_missing_epochs_out_of_the_band():
    curves = pd.DataFrame({"variant": "v", "seed": [1, 1, 1, 2, 2], "epoch": [1, 2, 3, 1, 2],
                           "train_loss": 0.1, "val_loss": [0.5, 0.4, 0.3, 0.7, 0.6]})  # fmt: skip
    ax = plot_learning_curves(curves)["v.png"].axes[0]
    mean = ax.get_lines()[1].get_ydata()
    assert list(mean) == [0.6, 0.5, 0.3]
