"""A run's output as the run sees it: its own version first, and remade when asked."""

from __future__ import annotations

from kedro.io import Version
from kedro_datasets.json import JSONDataset

from from_data_to_model.datasets.run_output import RunOutputDataset

MINE, NEWER = "2026-01-01T00.00.00.000Z", "2026-01-02T00.00.00.000Z"


def record(tmp_path, load=None, save=None) -> JSONDataset:
    return JSONDataset(filepath=str(tmp_path / "record.json"), version=Version(load, save))


def as_run_sees_it(tmp_path, remade: bool = False) -> RunOutputDataset:
    return RunOutputDataset(record(tmp_path), own=record(tmp_path, MINE, MINE), remade=remade)


def test_a_run_reads_back_its_own_version_not_a_newer_one(tmp_path):
    output = as_run_sees_it(tmp_path)
    output.save({"run": "mine"})
    record(tmp_path, save=NEWER).save({"run": "another, newer"})  # an overlapping run's
    assert record(tmp_path).load() == {"run": "another, newer"}  # what Kedro alone loads
    assert output.load() == {"run": "mine"}


def test_without_its_own_version_a_run_reads_the_newest(tmp_path):
    """A model the run did not train (--tags=evaluation): the newest saved."""
    record(tmp_path, save=NEWER).save({"run": "earlier"})
    assert as_run_sees_it(tmp_path).load() == {"run": "earlier"}


def test_a_remade_output_never_exists_and_saves_through(tmp_path):
    output = as_run_sees_it(tmp_path, remade=True)
    output.save({"seed": 43})
    assert record(tmp_path).exists() and not output.exists()
    assert output.load() == {"seed": 43}
    assert as_run_sees_it(tmp_path).exists()  # not remade: it exists as saved
