"""Data to score, as the catalog reads it: image folders of any format, IDX files, CSVs."""

from __future__ import annotations

import gzip
import logging

import numpy as np
import pytest
from PIL import Image

from from_data_to_model.datasets import ImageInputDataset, InputDataError, RowsInputDataset
from tests.raw_files import idx_bytes


def test_a_folder_of_images_of_any_mode_loads_in_name_order(tmp_path):
    Image.fromarray(np.zeros((30, 20, 3), np.uint8)).save(tmp_path / "b.jpg")
    Image.fromarray(np.full((28, 28), 9, np.uint8)).save(tmp_path / "a.png")
    Image.fromarray(np.zeros((5, 5), np.uint8)).convert("P").save(tmp_path / "c.gif")
    (tmp_path / ".hidden").write_text("ignored")
    loaded = ImageInputDataset(path=str(tmp_path)).load()
    assert loaded["names"] == ["a.png", "b.jpg", "c.gif"]
    assert [image.shape for image in loaded["images"]] == [(28, 28, 4), (30, 20, 4), (5, 5, 4)]
    assert loaded["images"][0][0, 0].tolist() == [9, 9, 9, 255]


@pytest.mark.parametrize("packed", [True, False], ids=["gzipped", "plain"])
def test_an_idx_file_loads_as_grayscale_images(tmp_path, packed):
    images = np.arange(3 * 28 * 28, dtype=np.uint32).reshape(3, 28, 28) % 256
    payload = idx_bytes(images)
    path = tmp_path / "images.idx"
    path.write_bytes(gzip.compress(payload) if packed else payload)
    loaded = ImageInputDataset(path=str(path)).load()
    assert loaded["names"] == ["images.idx[0]", "images.idx[1]", "images.idx[2]"]
    np.testing.assert_array_equal(loaded["images"][2], images[2])


def test_bad_inputs_name_what_is_wrong(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(InputDataError, match="holds no file to score"):
        ImageInputDataset(path=str(empty)).load()
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "readme.txt").write_text("not an image")
    with pytest.raises(InputDataError, match="'readme.txt' in .* is not an image"):
        ImageInputDataset(path=str(notes)).load()
    cut = tmp_path / "cut"
    cut.mkdir()
    Image.fromarray(np.random.default_rng(0).integers(0, 256, (64, 64), np.uint8)).save(
        cut / "shirt.png"
    )
    (cut / "shirt.png").write_bytes((cut / "shirt.png").read_bytes()[:200])
    with pytest.raises(InputDataError, match="'shirt.png' in .* is a damaged image"):
        ImageInputDataset(path=str(cut)).load()
    (tmp_path / "labels.idx").write_bytes(idx_bytes(np.zeros(3, np.uint8)))
    with pytest.raises(InputDataError, match="neither a folder of images nor an IDX images"):
        ImageInputDataset(path=str(tmp_path / "labels.idx")).load()


def test_nothing_at_the_place_loads_empty_and_says_so(tmp_path, caplog):
    with caplog.at_level(logging.WARNING):
        assert ImageInputDataset(path=str(tmp_path / "none")).load() == {"names": [], "images": []}
        assert RowsInputDataset(filepath=str(tmp_path / "none.csv")).load().empty
    assert "No images to score at" in caplog.text and "No rows to score at" in caplog.text
    (tmp_path / "houses.csv").write_text("MedInc,HouseAge\n1.5,20\n")
    assert RowsInputDataset(filepath=str(tmp_path / "houses.csv")).load().shape == (1, 2)
