"""Where a model was trained: the same seeds give other digits on another processor."""

from __future__ import annotations

import os
import platform
from pathlib import Path

# The vector extensions that change how fast, and in which order, floating point is summed.
VECTOR_EXTENSIONS = ("sse4_2", "avx", "avx2", "fma", "avx512f", "avx512_bf16", "avx512_vnni",
                     "amx_tile", "neon", "asimd", "sve")  # fmt: skip


def machine_information() -> dict[str, object]:
    """The processor's model and vector extensions (from ``/proc/cpuinfo`` where there is
    one), and the number of cores this process may use."""
    model, flags = platform.processor() or platform.machine(), set()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        for line in cpuinfo.read_text().splitlines():
            key, _, value = line.partition(":")
            key = key.strip()
            if key in ("model name", "Model", "CPU part") and model in ("", platform.machine()):
                model = value.strip()
            elif key in ("flags", "Features") and not flags:
                flags = set(value.split())
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "processor": model or "unknown",
        "vector_extensions": " ".join(x for x in VECTOR_EXTENSIONS if x in flags) or "unknown",
        "cores": cores,
    }
