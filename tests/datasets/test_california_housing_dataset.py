"""The raw housing file: valid tables load, malformed ones give our clear error."""

from __future__ import annotations

import pytest

from from_data_to_model.datasets import CaliforniaHousingDataset, RawDataError, RawDataMissingError
from from_data_to_model.datasets.california_housing_dataset import RAW_COLUMNS
from tests.raw_files import write_housing


def dataset(path, expected_rows=None):
    return CaliforniaHousingDataset(
        filepath=str(path), archive_url="http://127.0.0.1:9/", expected_rows=expected_rows
    )


def test_loads_named_numeric_columns(tmp_path):
    path = write_housing(tmp_path / "cal_housing.data", n=25)
    frame = dataset(path, expected_rows=25).load()
    assert list(frame.columns) == RAW_COLUMNS
    assert frame.shape == (25, 9)
    assert all(dtype == "float64" for dtype in frame.dtypes)


def replace_line(path, index, new_line):
    lines = path.read_text().splitlines()
    lines[index] = new_line
    path.write_text("\n".join(lines) + "\n")


@pytest.mark.parametrize(
    ("mangle", "message"),
    [
        (lambda p: replace_line(p, 2, "1,2,3,4,5,6,7,8,9,10"), "not a comma-separated table"),
        (lambda p: replace_line(p, 4, "1,2,3,4,abc,6,7,8,9"), "non-numeric cell at line 5"),
        (lambda p: replace_line(p, 3, "1,2,3,4,,6,7,8,9"), "missing value"),
        (lambda p: replace_line(p, 3, "1,2,3,4,nan,6,7,8,9"), "line 4, column 'totalBedrooms'"),
        (lambda p: p.write_text("1,2,3\n4,5,6\n"), "3 columns, expected 9"),
        (lambda p: p.write_bytes(b""), "not a comma-separated table"),
    ],
)
def test_malformed_file_raises_clear_error(tmp_path, mangle, message):
    path = write_housing(tmp_path / "cal_housing.data", n=10)
    mangle(path)
    with pytest.raises(RawDataError, match=message):
        dataset(path).load()


def test_unexpected_row_count(tmp_path):
    path = write_housing(tmp_path / "cal_housing.data", n=10)
    with pytest.raises(RawDataError, match="10 rows, expected 20640"):
        dataset(path, expected_rows=20640).load()


def test_missing_offline_says_where_to_put_it(tmp_path):
    path = tmp_path / "california-housing" / "cal_housing.data"
    with pytest.raises(RawDataMissingError) as excinfo:
        dataset(path).load()
    message = str(excinfo.value)
    assert "cal_housing.data" in message and str(path.parent) in message
    assert "fetch_california_housing" in message
    assert not path.exists()
