"""Write one section of docs/benchmarks.md, leaving the other sections as they are."""

from __future__ import annotations

import os
import platform
import re
import tempfile
from pathlib import Path

import numpy as np

DOC = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"
#: Raw results (JSON), read by figure.py.
RESULTS = Path(__file__).resolve().parent / "results"
HEADER = """# Benchmarks

Measured by hand with `benchmarks/accuracy.py`, `benchmarks/speed.py` and
`benchmarks/figure.py` (see the README); each script rewrites its own section below. Not
part of the test suite: the tests assert the accuracy bounds, never timings.
"""


def machine() -> str:
    """One line describing where the numbers were measured."""
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo")
                   if line.startswith("model name"))
    except (OSError, StopIteration):
        cpu = platform.processor() or platform.machine()
    return (f"{cpu} ({platform.machine()}), {os.cpu_count()} cores, Python "
            f"{platform.python_version()}, numpy {np.__version__}")


def write_section(name: str, body: str) -> None:
    """Replace the section ``name`` of docs/benchmarks.md (atomically)."""
    text = DOC.read_text() if DOC.exists() else HEADER
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    block = f"{start}\n{body.rstrip()}\n{end}"
    if start in text:
        text = re.sub(re.escape(start) + ".*?" + re.escape(end), lambda _: block, text,
                      flags=re.S)
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    fd, tmp = tempfile.mkstemp(dir=DOC.parent, suffix=".tmp")
    with os.fdopen(fd, "w") as handle:
        handle.write(text)
    os.replace(tmp, DOC)
