"""The ``kedro`` command line, run in the test's own process: the same arguments through
Kedro's own CLI (``KedroCLI``) as in a terminal, without paying for a new Python that
imports TensorFlow, Kedro and MLflow again (10-15 s a command on 2 cores).

What a separate process would give that this does not: its own interpreter state (a test
of imports, of signals, of two runs at once runs ``kedro`` as a process instead).
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import subprocess
import traceback
from pathlib import Path

import yaml


@contextlib.contextmanager
def _environment(variables: dict[str, str]):
    saved = dict(os.environ)
    os.environ.update(variables)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


@contextlib.contextmanager
def _project_logging(root: Path, stream: io.StringIO):
    """What a ``kedro`` process in ``root`` logs (``conf/logging.yml``'s levels), written
    to ``stream`` and to ``root``'s ``info.log``, one record a line.

    Added beside the test's own handlers rather than through ``logging.config``, which
    would close every handler of this process (pytest's among them).
    """
    config = yaml.safe_load((root / "conf" / "logging.yml").read_text())
    file_config = config["handlers"]["info_file_handler"]
    formatter = logging.Formatter(config["formatters"]["simple"]["format"])
    handlers = [logging.StreamHandler(stream), logging.FileHandler(root / file_config["filename"])]
    handlers[1].setLevel(file_config["level"])
    for handler in handlers:
        handler.setFormatter(formatter)
    levels = {name: logging.getLogger(name).level for name in config["loggers"]}
    for name, logger_config in config["loggers"].items():
        logging.getLogger(name).setLevel(logger_config["level"])
    root_logger, before = logging.getLogger(), logging.getLogger().handlers[:]
    pytests = [h for h in before if type(h).__module__.startswith("_pytest")]
    root_logger.handlers[:] = [*pytests, *handlers]  # this process's own console: not the run's
    try:
        yield
    finally:
        root_logger.handlers[:] = before
        for handler in handlers:
            handler.close()
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)


def run_kedro(root: Path, args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    """``kedro *args`` in ``root``, with ``env`` set, as a finished process: its exit code
    and what it wrote (log lines, and an error's traceback as Python prints it)."""
    from kedro.framework.cli.cli import KedroCLI

    out, err, cwd = io.StringIO(), io.StringIO(), Path.cwd()
    os.chdir(root)
    try:
        with (
            _environment(env),
            contextlib.redirect_stdout(out),
            contextlib.redirect_stderr(err),
            _project_logging(root, err),
        ):
            try:
                KedroCLI(root).main(args=args, prog_name="kedro", standalone_mode=True)
                code = 0
            except SystemExit as exit_:
                code = exit_.code if isinstance(exit_.code, int) else int(bool(exit_.code))
            except Exception as error:  # what an uncaught error prints, and exit code 1
                err.write("".join(traceback.format_exception(error)))
                code = 1
    finally:
        os.chdir(cwd)
    return subprocess.CompletedProcess(["kedro", *args], code, out.getvalue(), err.getvalue())
