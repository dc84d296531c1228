"""The download step: checked, atomic, and one clear error when the network is not there."""

from __future__ import annotations

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import numpy as np
import pytest

from from_data_to_model.datasets import FashionMnistDataset, RawDataError, RawDataMissingError
from from_data_to_model.download import download_raw_data, main
from tests.conftest import RAW_DIR, requires_real_data
from tests.raw_files import idx_bytes, write_gz

OFFLINE = "http://127.0.0.1:9/"  # nothing listens there: a download fails at once


@pytest.fixture
def served(tmp_path):
    """A folder served over HTTP on 127.0.0.1, and its base URL."""
    folder = tmp_path / "served"
    folder.mkdir()
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield folder, f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


def test_offline_names_folders_and_sources(tmp_path):
    with pytest.raises(RawDataMissingError) as excinfo:
        download_raw_data(tmp_path / "raw", mirror=OFFLINE, url=OFFLINE)
    message = str(excinfo.value)
    assert "Downloading the raw data failed (http://127.0.0.1:9/" in message
    assert f"'{tmp_path / 'raw'}/fashion-mnist/'" in message and "cal_housing.data" in message
    assert "dataset-fashion-mnist" in message
    assert not [p for p in (tmp_path / "raw").rglob("*") if p.is_file()]  # nothing partial


def test_wrong_content_is_rejected_and_removed(tmp_path, served):
    folder, url = served
    write_gz(folder / "train-images-idx3-ubyte.gz", idx_bytes(np.zeros((1, 28, 28), np.uint8)))
    raw = tmp_path / "raw"
    with pytest.raises(RawDataError, match="does not match the official Fashion-MNIST"):
        download_raw_data(raw, mirror=url, url=OFFLINE)
    assert not list((raw / "fashion-mnist").iterdir())


def test_files_already_there_are_not_downloaded_again(tmp_path):
    from from_data_to_model.datasets.idx_dataset import IDX_SHA256

    raw = tmp_path / "raw"
    for name in IDX_SHA256:
        write_gz(raw / "fashion-mnist" / name, b"")
    (raw / "california-housing").mkdir()
    (raw / "california-housing" / "cal_housing.data").write_text("kept")
    download_raw_data(raw, mirror=OFFLINE, url=OFFLINE)  # would fail if it tried
    assert (raw / "california-housing" / "cal_housing.data").read_text() == "kept"


@requires_real_data
def test_downloads_and_verifies_the_official_files(tmp_path, served):
    folder, url = served
    for source in (RAW_DIR / "fashion-mnist").glob("*.gz"):
        (folder / source.name).write_bytes(source.read_bytes())
    raw = tmp_path / "raw"
    (raw / "california-housing").mkdir(parents=True)
    (raw / "california-housing" / "cal_housing.data").write_text("present")
    main(["--raw-dir", str(raw), "--mirror", url, "--housing-url", OFFLINE])
    data = FashionMnistDataset(path=str(raw / "fashion-mnist")).load()
    assert data["images"].shape == (60000, 28, 28)
