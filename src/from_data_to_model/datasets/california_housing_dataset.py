"""StatLib's ``cal_housing.data`` (the file behind scikit-learn's California housing)."""

from __future__ import annotations

import hashlib
import tarfile
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd
from kedro.io import AbstractDataset, DatasetError

from .download import download
from .errors import RawDataError, RawDataMissingError

# The archive scikit-learn's fetch_california_housing downloads, and its checksum.
SKLEARN_ARCHIVE_URL = "https://ndownloader.figshare.com/files/5976036"
SKLEARN_ARCHIVE_SHA256 = "aaa5c9a6afe2225cc2aed2723682ae403280c4a3695a2ddda4ffb5d8215ea681"
ARCHIVE_MEMBER = "CaliforniaHousing/cal_housing.data"

RAW_COLUMNS = [
    "longitude",
    "latitude",
    "housingMedianAge",
    "totalRooms",
    "totalBedrooms",
    "population",
    "households",
    "medianIncome",
    "medianHouseValue",
]


def validate_raw_housing(frame: pd.DataFrame, source: str, expected_rows: int | None) -> None:
    """Check a raw housing table: 9 numeric columns, no missing cells, the expected rows.

    Raises:
        RawDataError: naming the first offending row and column.
    """
    if frame.shape[1] != len(RAW_COLUMNS):
        raise RawDataError(
            f"{source}: {frame.shape[1]} columns, expected {len(RAW_COLUMNS)} "
            f"({', '.join(RAW_COLUMNS)})."
        )
    numeric = frame.apply(pd.to_numeric, errors="coerce")
    for problem, mask in (
        ("a non-numeric cell", numeric.isna() & frame.notna()),
        ("a missing value (NaN)", frame.isna()),
    ):
        if mask.to_numpy().any():
            row, col = next(zip(*mask.to_numpy().nonzero(), strict=True))
            raise RawDataError(
                f"{source}: {problem} at line {row + 1}, column {RAW_COLUMNS[col]!r} "
                f"({frame.iat[row, col]!r}). Replace the file with the original StatLib copy."
            )
    if expected_rows is not None and len(frame) != expected_rows:
        raise RawDataError(f"{source}: {len(frame)} rows, expected {expected_rows}.")


class CaliforniaHousingDataset(AbstractDataset[None, pd.DataFrame]):
    """``cal_housing.data`` as a validated frame with StatLib's nine column names.

    Where the file is missing it is extracted from the archive scikit-learn's
    ``fetch_california_housing`` downloads (checksum verified); offline, one
    ``RawDataMissingError`` says where to put the file.
    """

    def __init__(
        self,
        *,
        filepath: str,
        archive_url: str | None = SKLEARN_ARCHIVE_URL,
        expected_rows: int | None = 20640,
        metadata: dict[str, Any] | None = None,
    ) -> None:
        self._filepath = Path(filepath)
        self._archive_url = archive_url
        self._expected_rows = expected_rows
        self.metadata = metadata

    def _describe(self) -> dict[str, Any]:
        return {"filepath": str(self._filepath), "expected_rows": self._expected_rows}

    def _exists(self) -> bool:
        return self._filepath.is_file()

    def save(self, data: pd.DataFrame) -> None:
        raise DatasetError("CaliforniaHousingDataset is read-only: raw data is never overwritten.")

    def load(self) -> pd.DataFrame:
        if not self._filepath.is_file():
            self._download()
        try:
            frame = pd.read_csv(self._filepath, header=None, dtype=str, skipinitialspace=True)
        except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as exc:
            raise RawDataError(
                f"{self._filepath}: not a comma-separated table of {len(RAW_COLUMNS)} columns "
                f"({str(exc).strip()})."
            ) from None
        validate_raw_housing(frame, str(self._filepath), self._expected_rows)
        frame = frame.astype(float)
        frame.columns = RAW_COLUMNS
        return frame

    def _download(self) -> None:
        if self._archive_url is None:
            self._raise_missing("downloads are disabled (archive_url: null)")
        with tempfile.TemporaryDirectory() as tmp:
            archive = Path(tmp) / "cal_housing.tgz"
            try:
                download(self._archive_url, archive)
            except OSError as exc:
                failure = str(exc)
            else:
                failure = None
            if failure is not None:
                self._raise_missing(failure)
            digest = hashlib.sha256(archive.read_bytes()).hexdigest()
            if digest != SKLEARN_ARCHIVE_SHA256:
                raise RawDataError(
                    f"Downloaded {self._archive_url} has sha256 {digest}, expected "
                    f"{SKLEARN_ARCHIVE_SHA256}. Try again or provide the file by hand."
                )
            with tarfile.open(archive) as tar:
                member = tar.extractfile(ARCHIVE_MEMBER)
                if member is None:
                    raise RawDataError(f"{self._archive_url}: no member {ARCHIVE_MEMBER}.")
                self._filepath.parent.mkdir(parents=True, exist_ok=True)
                partial = self._filepath.with_suffix(".part")
                partial.write_bytes(member.read())
                partial.replace(self._filepath)

    def _raise_missing(self, reason: str) -> None:
        raise RawDataMissingError(
            f"California housing file missing: put 'cal_housing.data' in "
            f"'{self._filepath.parent}/'. Downloading it failed ({reason}). Get it as the "
            f"member '{ARCHIVE_MEMBER}' of scikit-learn's archive {SKLEARN_ARCHIVE_URL} "
            "(the source of fetch_california_housing), from StatLib, or from any verified copy."
        )
