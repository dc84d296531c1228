"""Where a model was trained, as the report and the runs table record it."""

from __future__ import annotations

import os

from from_data_to_model.machine import VECTOR_EXTENSIONS, machine_information


def test_processor_extensions_and_cores():
    info = machine_information()
    assert info["processor"] and isinstance(info["processor"], str)
    assert set(info["vector_extensions"].split()) <= {*VECTOR_EXTENSIONS, "unknown"}
    assert info["cores"] == len(os.sched_getaffinity(0))
