"""Helpers for the kernel tests: write a derivation file, load it as the CLI does, check it."""

from __future__ import annotations

import textwrap
from pathlib import Path

from whysoftmax.engine.checker import check_derivation
from whysoftmax.engine.results import CheckOptions, DerivationResult
from whysoftmax.loader import LoadError, load_file

HEADER = """\
from sympy import *
from whysoftmax import Derivation
from whysoftmax.definitions import *
d = Derivation("probe")
"""


def check_source(tmp_path: Path, body: str, *, points: int = 3,
                 time_limit: float = 10.0) -> DerivationResult:
    """Check a derivation whose body follows ``HEADER`` (``d`` is the derivation)."""
    path = tmp_path / "probe.py"
    path.write_text(HEADER + textwrap.dedent(body))
    outcome = load_file(path)
    assert not isinstance(outcome, LoadError), str(outcome)
    (item,) = outcome
    return check_derivation(item.derivation, CheckOptions(points=points, time_limit=time_limit))


def statuses(result: DerivationResult) -> dict[str, str]:
    return {r.name: str(r.status) for r in result.results}


def load_error(tmp_path: Path, source: str, name: str = "bad.py") -> str:
    path = tmp_path / name
    path.write_text(textwrap.dedent(source))
    outcome = load_file(path, timeout=5.0)
    assert isinstance(outcome, LoadError), outcome
    return outcome.message
