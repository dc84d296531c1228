"""The housing pipeline as a slice: hold-out, the per-model template, report and figure."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure
from sklearn.preprocessing import StandardScaler

from from_data_to_model.pipelines import housing
from tests.conftest import tiny_parameters
from tests.slices import run_slice

FEATURES = ["MedInc", "HouseAge", "AveRooms", "AveBedrms", "Population", "AveOccup",
            "Latitude", "Longitude"]  # fmt: skip


def split(rows: int, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    x = pd.DataFrame(rng.normal(size=(rows, 8)).astype(np.float32), columns=FEATURES)
    return x, pd.DataFrame({"MedHouseVal": (x["MedInc"] * 0.8 + 2).astype(np.float32)})


@pytest.mark.slow  # trains models
def test_housing_slice_trains_on_the_first_rows_and_reports():
    (x_train, y_train), (x_test, y_test) = split(50, 0), split(20, 1)
    raw = x_train * 3 + 10  # what the scaler would have standardized
    scaler = StandardScaler().set_output(transform="pandas").fit(raw)
    parameters = tiny_parameters()
    catalog = run_slice(
        housing.create_pipeline(),
        parameters,
        keep=("housing.validation_summary", "housing.test_metrics", "housing.training_metadata",
              "housing.model@keras", "housing_promotion", "housing_promoted_model"),
        housing_X_train=x_train, housing_y_train=y_train,
        housing_X_test=x_test, housing_y_test=y_test, housing_scaler=scaler,
    )  # fmt: skip
    metadata = catalog.load("housing.training_metadata")
    assert metadata["train_rows"] == 40 and metadata["namespace"] == "housing"  # floor(50 × 0.8)
    assert metadata["epochs_run"] == 2 and metadata["seed"] == 42
    summary = catalog.load("housing.validation_summary")
    assert (summary["variant"], summary["hidden.units"], summary["loss"]) == (
        "housing",
        "16",
        "mse",
    )
    test = catalog.load("housing.test_metrics")
    assert test["test_rows"] == 20 and test["test_loss"] == test["test_data_loss"]
    report = catalog.load("housing.report")
    assert report.startswith("# California housing: report\n\nValidation MSE after 2 epochs: ")
    assert f"test MSE on 20 rows: {test['test_loss']:.4f}." in report
    assert f"Fit: {summary['diagnosis']}: " in report
    figure = catalog.load("housing.learning_curve_plot")
    assert isinstance(figure, Figure) and figure.axes[0].get_ylabel() == "MSE"
    promotion = catalog.load("housing_promotion")
    assert promotion.namespace == "housing" and promotion.inputs.features == FEATURES
    promoted, model = catalog.load("housing_promoted_model"), catalog.load("housing.model@keras")
    standardized = scaler.transform(raw).to_numpy(np.float32)
    np.testing.assert_allclose(  # raw features in: the scaler inside
        promoted.predict(raw, verbose=0), model.predict(standardized, verbose=0), rtol=1e-5
    )
