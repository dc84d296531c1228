"""Fetch the raw data into ``data/01_raw``: ``python -m from_data_to_model.download``.

Downloads are an explicit step, not part of a pipeline run: a run never reaches the
network, so it behaves the same online and offline, and a missing file is reported
by the dataset that needs it. Every download is checked against its known checksum
and written atomically (a partial download never lands).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import logging
import shutil
import tarfile
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

from from_data_to_model.datasets.errors import RawDataError, RawDataMissingError
from from_data_to_model.datasets.idx_dataset import IDX_SHA256

logger = logging.getLogger(__name__)

DOWNLOAD_TIMEOUT_S = 60
KERAS_MIRROR = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
# The archive scikit-learn's fetch_california_housing downloads, and its checksum.
SKLEARN_ARCHIVE_URL = "https://ndownloader.figshare.com/files/5976036"
SKLEARN_ARCHIVE_SHA256 = "aaa5c9a6afe2225cc2aed2723682ae403280c4a3695a2ddda4ffb5d8215ea681"
ARCHIVE_MEMBER = "CaliforniaHousing/cal_housing.data"


def download(url: str, target: Path) -> None:
    """Download ``url`` to ``target`` atomically.

    Raises:
        OSError: the download failed (no network, HTTP error, disk).
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    logger.info("Downloading %s to %s", url, target)
    with tempfile.NamedTemporaryFile(dir=target.parent, delete=False, suffix=".part") as tmp:
        tmp_path = Path(tmp.name)
        try:
            with urllib.request.urlopen(url, timeout=DOWNLOAD_TIMEOUT_S) as response:  # noqa: S310
                shutil.copyfileobj(response, tmp)
        except (urllib.error.URLError, OSError, ValueError) as exc:
            reason = f"{url}: {getattr(exc, 'reason', exc)}"
        else:
            reason = None
    if reason is not None:
        tmp_path.unlink(missing_ok=True)
        raise OSError(reason)  # raised outside the handler: no network traceback chained
    tmp_path.replace(target)


def download_fashion_mnist(folder: Path, mirror: str = KERAS_MIRROR) -> None:
    """The four Fashion-MNIST files missing from ``folder``, checked by content."""
    for name, sha256 in IDX_SHA256.items():
        target = folder / name
        if target.is_file():
            continue
        download(mirror + name, target)
        with gzip.open(target, "rb") as f:
            digest = hashlib.sha256(f.read()).hexdigest()
        if digest != sha256:
            target.unlink()
            raise RawDataError(
                f"Downloaded {name} does not match the official Fashion-MNIST content "
                f"(sha256 {digest}); it was deleted. Try again or provide the file by hand."
            )


def download_california_housing(target: Path, url: str = SKLEARN_ARCHIVE_URL) -> None:
    """``cal_housing.data``, extracted from scikit-learn's checksummed archive."""
    if target.is_file():
        return
    with tempfile.TemporaryDirectory() as tmp:
        archive = Path(tmp) / "cal_housing.tgz"
        download(url, archive)
        digest = hashlib.sha256(archive.read_bytes()).hexdigest()
        if digest != SKLEARN_ARCHIVE_SHA256:
            raise RawDataError(f"Downloaded {url} has sha256 {digest}, expected the archive's.")
        with tarfile.open(archive) as tar:
            member = tar.extractfile(ARCHIVE_MEMBER)
            if member is None:
                raise RawDataError(f"{url}: no member {ARCHIVE_MEMBER}.")
            partial = target.with_suffix(".part")
            partial.write_bytes(member.read())
    partial.replace(target)


def download_raw_data(raw_dir: Path, mirror: str = KERAS_MIRROR, url: str = SKLEARN_ARCHIVE_URL):
    """Every raw file the study reads, into ``raw_dir``; files already there are kept.

    Raises:
        RawDataMissingError: a download failed; says where to put the files by hand.
    """
    try:
        download_fashion_mnist(raw_dir / "fashion-mnist", mirror)
        download_california_housing(raw_dir / "california-housing" / "cal_housing.data", url)
    except OSError as exc:
        raise RawDataMissingError(
            f"Downloading the raw data failed ({exc}). Without network, copy the files by "
            f"hand: Fashion-MNIST's four .gz files (from {KERAS_MIRROR}<file> or Debian's "
            f"package 'dataset-fashion-mnist') into '{raw_dir}/fashion-mnist/', and "
            f"'cal_housing.data' (the member '{ARCHIVE_MEMBER}' of {SKLEARN_ARCHIVE_URL}, "
            f"the archive behind scikit-learn's fetch_california_housing) into "
            f"'{raw_dir}/california-housing/'."
        ) from None


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--raw-dir", type=Path, default=Path("data/01_raw"))
    parser.add_argument("--mirror", default=KERAS_MIRROR, help="Fashion-MNIST base URL")
    parser.add_argument("--housing-url", default=SKLEARN_ARCHIVE_URL)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    download_raw_data(args.raw_dir, args.mirror, args.housing_url)
    logger.info("Raw data ready in %s", args.raw_dir)


if __name__ == "__main__":
    main()
