"""The CLI's edges stay light: settings, hooks, the registry and the catalog load no Keras."""

from __future__ import annotations

import json
import textwrap

import pytest

pytestmark = pytest.mark.slow

COMMANDS = [
    ["--help"],
    ["registry", "list"],
    ["catalog", "describe-datasets", "-p", "regularization"],
]

# Each command through Kedro's CLI, one after another in one new process (the modules a
# command imports stay: a command that imported Keras would show in its own line and after).
RUN_COMMANDS = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    from kedro.framework.cli.cli import KedroCLI

    for command in json.loads(sys.argv[1]):
        try:
            KedroCLI(Path.cwd()).main(args=command, prog_name="kedro", standalone_mode=True)
        except SystemExit as stop:
            assert not stop.code, (command, stop.code)
        top = {name.split(".")[0] for name in sys.modules}
        print(json.dumps({"command": command, "project": "from_data_to_model" in top,
                          "heavy": sorted(top & {"keras", "tensorflow", "jax"})}))
    """
)


def test_commands_import_neither_keras_nor_tensorflow(empty_project):
    result = empty_project.python("-c", RUN_COMMANDS, json.dumps(COMMANDS), timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    found = [
        json.loads(line) for line in result.stdout.splitlines() if line.startswith('{"command"')
    ]
    assert [f["command"] for f in found] == COMMANDS
    for finding in found:
        assert finding["project"], finding  # the project was read
        assert not finding["heavy"], finding
