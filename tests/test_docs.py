"""The docs: the README is a door to pages that exist; the outputs page documents every
column of the runs table's typed records; the report links to a page, not a title."""

from __future__ import annotations

import re

from from_data_to_model.pipelines.modelling.records import RunInformation, RunRecord
from tests.conftest import PROJECT_ROOT

DOCS = PROJECT_ROOT / "docs"


def test_the_readme_is_a_door_to_pages_that_exist():
    readme = (PROJECT_ROOT / "README.md").read_text()
    assert len(readme.splitlines()) <= 150
    pages = set(re.findall(r"\]\((docs/[\w.]+\.md)\)", readme))
    for topic in ("statistics", "running", "dask", "mlflow_and_serving", "outputs", "extending"):
        assert f"docs/{topic}.md" in pages
    for page in pages:
        assert (PROJECT_ROOT / page).is_file(), page
    for page in DOCS.glob("*.md"):  # and the pages' links to each other
        for link in re.findall(r"\]\(([\w.]+\.(?:md|png))\)", page.read_text()):
            assert (DOCS / link).is_file(), (page.name, link)


def test_every_runs_table_column_is_documented_as_its_record_says():
    outputs = (DOCS / "outputs.md").read_text()
    for model in (RunRecord, RunInformation):
        for name, field in model.model_fields.items():
            assert f"| `{name}` | {field.description} |" in outputs, name


def test_the_report_and_the_configuration_link_to_pages():
    report = (PROJECT_ROOT / "src/from_data_to_model/pipelines/evaluation/report.py").read_text()
    assert "docs/statistics.md" in report and "README" not in report
    for conf in (PROJECT_ROOT / "conf" / "base").glob("*.yml"):
        assert "README" not in conf.read_text(), conf.name
