"""The IDX reader: valid files load, every kind of corrupt file gives our clear error."""

from __future__ import annotations

import gzip

import numpy as np
import pytest

from from_data_to_model.datasets import FashionMnistDataset, RawDataError, RawDataMissingError
from from_data_to_model.datasets.idx_dataset import SPLIT_FILES
from tests.raw_files import idx_bytes, write_fashion_mnist, write_gz

IMAGES, LABELS = SPLIT_FILES["train"]


def dataset(folder):
    return FashionMnistDataset(path=str(folder), split="train")


def test_loads_images_and_labels(tmp_path):
    write_fashion_mnist(tmp_path, n=30)
    data = dataset(tmp_path).load()
    assert data["images"].shape == (30, 28, 28)
    assert data["images"].dtype == np.uint8
    assert data["labels"].shape == (30,)
    assert sorted(np.bincount(data["labels"])) == [3] * 10


def test_roundtrip_keeps_pixel_values(tmp_path):
    images = np.arange(2 * 28 * 28, dtype=np.uint32).reshape(2, 28, 28) % 256
    write_gz(tmp_path / IMAGES, idx_bytes(images.astype(np.uint8)))
    write_gz(tmp_path / LABELS, idx_bytes(np.array([9, 0], dtype=np.uint8)))
    data = dataset(tmp_path).load()
    np.testing.assert_array_equal(data["images"], images)
    assert data["labels"].tolist() == [9, 0]


def corrupt_wrong_magic(folder):
    write_gz(folder / IMAGES, idx_bytes(np.zeros((3, 28, 28), np.uint8), magic=2049))


def corrupt_truncated_gzip(folder):
    full = gzip.compress(idx_bytes(np.zeros((3, 28, 28), np.uint8)))
    (folder / IMAGES).write_bytes(full[: len(full) // 2])


def corrupt_truncated_payload(folder):
    write_gz(folder / IMAGES, idx_bytes(np.zeros((3, 28, 28), np.uint8))[:-100])


def corrupt_not_gzip(folder):
    (folder / IMAGES).write_bytes(b"<html>not found</html>")


def corrupt_count_mismatch(folder):
    write_gz(folder / LABELS, idx_bytes(np.zeros(4, np.uint8)))


def corrupt_label_out_of_range(folder):
    write_gz(folder / LABELS, idx_bytes(np.array([1, 2, 10], np.uint8)))


@pytest.mark.parametrize(
    ("corrupt", "message"),
    [
        (corrupt_wrong_magic, "magic number 2049, expected 2051"),
        (corrupt_truncated_gzip, "not a readable gzip file"),
        (corrupt_truncated_payload, "truncated or corrupt"),
        (corrupt_not_gzip, "not a readable gzip file"),
        (corrupt_count_mismatch, "3 images but"),
        (corrupt_label_out_of_range, "label 10 outside 0..9"),
    ],
)
def test_corrupt_files_raise_clear_error(tmp_path, corrupt, message):
    write_fashion_mnist(tmp_path, n=3)
    corrupt(tmp_path)
    with pytest.raises(RawDataError, match=message) as excinfo:
        dataset(tmp_path).load()
    assert excinfo.value.__cause__ is None  # no numpy/gzip traceback chained to ours


def test_missing_files_name_files_folder_and_sources(tmp_path):
    folder = tmp_path / "fashion-mnist"
    with pytest.raises(RawDataMissingError) as excinfo:
        dataset(folder).load()
    message = str(excinfo.value)
    assert IMAGES in message and LABELS in message and str(folder) in message
    assert "python -m from_data_to_model.download" in message
    assert "dataset-fashion-mnist" in message


def test_is_read_only(tmp_path):
    with pytest.raises(Exception, match="read-only"):
        dataset(tmp_path).save({"images": None})


def test_loads_from_an_fsspec_url(tmp_path):
    """Workers on other machines read the raw files from shared storage, by URL."""
    import fsspec

    write_fashion_mnist(tmp_path, n=30)
    shared = fsspec.filesystem("memory")
    for name in SPLIT_FILES["train"]:
        shared.pipe(f"/shared/raw/{name}", (tmp_path / name).read_bytes())
    remote = FashionMnistDataset(path="memory://shared/raw", split="train")
    assert remote.exists()
    np.testing.assert_array_equal(remote.load()["images"], dataset(tmp_path).load()["images"])
    shared.rm(f"/shared/raw/{IMAGES}")
    with pytest.raises(RawDataMissingError, match=f"{IMAGES}. Put them in 'memory://shared/raw/'"):
        remote.load()
