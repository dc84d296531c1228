"""The CLI's edges stay light: settings, hooks, the registry and the catalog load no Keras."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow


@pytest.mark.parametrize(
    "command",
    [["--help"], ["registry", "list"], ["catalog", "describe-datasets", "-p", "regularization"]],
    ids=" ".join,
)
def test_command_imports_neither_keras_nor_tensorflow(command, empty_project):
    result = empty_project.python("-X", "importtime", "-m", "kedro", *command, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    imported = {
        line.rsplit("|", 1)[-1].strip().split(".")[0]
        for line in result.stderr.splitlines()
        if line.startswith("import time:")
    }
    assert "from_data_to_model" in imported  # the project was read
    assert not imported & {"keras", "tensorflow", "jax"}
