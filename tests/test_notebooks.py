"""The notebooks run top to bottom on the outputs of a tiny run of the project."""

from __future__ import annotations

import json

import pytest

from tests.conftest import PROJECT_ROOT, VARIANTS

pytestmark = pytest.mark.slow

NOTEBOOKS = sorted((PROJECT_ROOT / "notebooks").glob("*.ipynb"))


def test_there_is_a_results_notebook():
    assert PROJECT_ROOT / "notebooks" / "regularization_results.ipynb" in NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_committed_without_outputs(path):
    notebook = json.loads(path.read_text())  # nbformat 4: cells with outputs and counts
    assert notebook["nbformat"] == 4
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            source = "".join(cell["source"])
            assert not cell["outputs"] and cell["execution_count"] is None, source[:60]


@pytest.mark.parametrize("name", [p.name for p in NOTEBOOKS])
def test_notebook_runs_on_a_tiny_run(tiny_study, name, monkeypatch):
    import nbformat  # here: its JSON-schema validator costs seconds to import
    from nbclient import NotebookClient

    path = tiny_study.root / "notebooks" / name
    notebook = nbformat.read(path, as_version=4)
    monkeypatch.delenv("MPLBACKEND", raising=False)  # the notebook's own inline backend
    monkeypatch.setenv("KEDRO_DISABLE_TELEMETRY", "true")
    client = NotebookClient(
        notebook,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()  # raises CellExecutionError on any failing cell
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    figures = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(figures) >= 5  # learning and validation curves, test intervals and images, housing
    assert "validation curves of 5 families" in "".join(o.get("text", "") for o in outputs)
    text = "".join(
        str(o.get("data", {}).get("text/plain", "")) + o.get("text", "") for o in outputs
    )
    assert "validation MSE" in text
    assert f"variants: {', '.join(VARIANTS)}; seeds: 42, 43" in text  # the study's shape
