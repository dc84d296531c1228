"""The raw housing file as the catalog reads it (``pandas.CSVDataset``), then validated."""

from __future__ import annotations

import pytest
import yaml
from kedro.io import DatasetError
from kedro_datasets.pandas import CSVDataset

from from_data_to_model.pipelines.data_ingestion.nodes import validate_housing_table
from tests.conftest import PROJECT_ROOT
from tests.pipelines.data_processing.test_pipeline import RAW_COLUMNS
from tests.raw_files import write_housing

ENTRY = yaml.safe_load((PROJECT_ROOT / "conf/base/catalog.yml").read_text())[
    "california_housing_raw"
]


def load(path):
    """``california_housing_raw`` exactly as configured, on another file."""
    return CSVDataset(filepath=str(path), load_args=ENTRY["load_args"]).load()


def replace_line(path, index, new_line):
    lines = path.read_text().splitlines()
    lines[index] = new_line
    path.write_text("\n".join(lines) + "\n")


def test_valid_file_gives_named_numeric_columns(tmp_path):
    table = validate_housing_table(load(write_housing(tmp_path / "h.data", n=25)), 25)
    assert list(table.columns) == RAW_COLUMNS
    assert table.shape == (25, 9) and all(t == "float64" for t in table.dtypes)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("1,2,3,4,abc,6,7,8,9", "non-numeric cell at line 5, column 'totalBedrooms' .'abc'."),
        ("1,2,3,4,,6,7,8,9", "missing or non-numeric cell at line 5, column 'totalBedrooms'"),
        ("1,2,3", "line 5, column 'totalRooms'"),  # too few fields: the rest are missing
    ],
)
def test_malformed_file_is_explained(tmp_path, line, message):
    path = write_housing(tmp_path / "h.data", n=10)
    replace_line(path, 4, line)
    with pytest.raises(ValueError, match=message):
        validate_housing_table(load(path), None)


def test_extra_columns_are_explained(tmp_path):
    path = write_housing(tmp_path / "h.data", n=10)
    path.write_text("".join(f"0,{line}\n" for line in path.read_text().splitlines()))
    with pytest.raises(ValueError, match="more than 9 columns"):
        validate_housing_table(load(path), None)
    replace_line(path, 4, "1,2,3,4,5,6,7,8,9,10,11")  # one line longer than the others
    with pytest.raises(DatasetError, match="Expected 10 fields in line 5, saw 11"):
        load(path)  # pandas' own message, raised by the catalog's load


def test_unexpected_row_count(tmp_path):
    with pytest.raises(ValueError, match="10 rows, expected 20640"):
        validate_housing_table(load(write_housing(tmp_path / "h.data", n=10)), 20640)
