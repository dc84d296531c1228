"""`kedro run --pipeline=predict` as users type it: images and houses scored by the
promoted models of the shared tiny study, without training; and before any promotion."""

from __future__ import annotations

import matplotlib.image
import numpy as np
import pytest
from PIL import Image

from tests.predicting import official_images, predict

pytestmark = pytest.mark.slow


def write_pngs(images: np.ndarray, folder) -> list[str]:
    folder.mkdir()
    names = [f"garment_{i}.png" for i in range(len(images))]
    for name, image in zip(names, images, strict=True):
        Image.fromarray(image).save(folder / name)
    return names


def test_predict_scores_pngs_and_houses_and_never_trains(tiny_study_copy, tmp_path):
    project = tiny_study_copy
    images = official_images(project, 6)
    names = write_pngs(images, tmp_path / "pngs")
    houses = project.catalog().load("california_housing").drop(columns="MedHouseVal").head(3)
    houses.to_csv(tmp_path / "houses.csv", index=False)
    result = project.kedro(
        "run", "--pipeline=predict",
        "--params", f"predict_images={tmp_path / 'pngs'},predict_housing={tmp_path / 'houses.csv'}",
    )  # fmt: skip
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert (
        "Training" not in output
        and "Scored 6 images with final.refit (an ensemble of 2, temperature" in output
    )
    catalog = project.catalog()
    predictions = catalog.load("predict.fashion_mnist.predictions")
    assert predictions["file"].tolist() == names and not predictions["inverted"].any()
    promoted, promotion = (
        catalog.load("fashion_mnist_promoted_model"),
        catalog.load("fashion_mnist_promotion"),
    )
    probabilities = promoted.predict(images.reshape(6, -1).astype(np.float32), verbose=0)
    classes = np.array(promotion.outputs.classes)
    assert predictions["class"].tolist() == classes[probabilities.argmax(axis=1)].tolist()
    np.testing.assert_allclose(predictions["probability"], probabilities.max(axis=1), rtol=1e-5)
    sheet = project.root / "data/08_reporting/predict/fashion_mnist.contact_sheet.png"
    assert matplotlib.image.imread(sheet).shape[:2] == (230, 1600)  # 1 row of 8, 100 dpi
    valued = catalog.load("predict.housing.predictions")
    expected = catalog.load("housing_promoted_model").predict(houses.to_numpy(np.float32))
    np.testing.assert_allclose(valued["predicted_MedHouseVal"], expected.ravel(), rtol=1e-5)


def test_predict_before_any_promotion_says_what_to_run(tiny_project, tmp_path):
    write_pngs(np.zeros((1, 28, 28), np.uint8), tmp_path / "pngs")
    returncode, output = predict(tiny_project, "fashion_mnist", predict_images=tmp_path / "pngs")
    assert returncode != 0
    assert (
        "ModelMissingError: No fashion_mnist model has been promoted yet: run the study" in output
    )
    assert not (tiny_project.root / "data" / "07_model_output").exists()  # nothing written


def test_a_bad_housing_csv_stops_before_anything_is_written(tiny_study_copy, tmp_path):
    (tmp_path / "houses.csv").write_text("MedInc,HouseAge,Rooms\n8.3,41,7\n")
    written = tiny_study_copy.root / "data/07_model_output/predict/housing_predictions.csv"
    before = sorted(written.iterdir())  # the shared study's run scored no house
    returncode, output = predict(
        tiny_study_copy, "housing", predict_housing=tmp_path / "houses.csv"
    )
    assert returncode != 0
    assert "Housing CSV: missing column(s) AveRooms, AveBedrms, Population" in output
    assert "unexpected column(s) Rooms" in output
    assert sorted(written.iterdir()) == before  # no new version, whole or partial


def test_predict_scores_the_official_sizes_10000_images_and_draws_a_sample(
    tiny_study_copy, tmp_path
):
    """The README's own example, at its size: 10000 images, every one scored by the final
    model, the contact sheet a titled sample of them (timings: benchmarks/predict_at_size.py)."""
    import gzip

    from tests.raw_files import idx_bytes

    rng = np.random.default_rng(3)
    images = rng.integers(0, 256, size=(10000, 28, 28), dtype=np.uint8)
    images[:, [0, -1], :], images[:, :, [0, -1]] = 0, 0  # a dark border, as the real ones
    (tmp_path / "big.idx.gz").write_bytes(gzip.compress(idx_bytes(images)))
    returncode, output = predict(
        tiny_study_copy, "fashion_mnist", predict_images=tmp_path / "big.idx.gz"
    )
    assert returncode == 0, output
    assert "Scored 10000 images with final.refit" in output
    predictions = tiny_study_copy.catalog().load("predict.fashion_mnist.predictions")
    assert len(predictions) == 10000 and predictions["file"].is_unique
    sheet = tiny_study_copy.root / "data/08_reporting/predict/fashion_mnist.contact_sheet.png"
    assert matplotlib.image.imread(sheet).shape[0] < 2000  # 64 of them, not 10000
