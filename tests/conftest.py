"""Shared fixtures: the repository's derivations, loaded by path like the CLI does."""

from __future__ import annotations

from pathlib import Path

import pytest

from whysoftmax.loader import Loaded, load_file

ROOT = Path(__file__).resolve().parent.parent
DERIVATIONS = ROOT / "derivations"


@pytest.fixture(scope="session")
def derivation_file():
    """Load ``derivations/<name>.py`` and return its single Derivation."""

    def load(name: str):
        outcome = load_file(DERIVATIONS / f"{name}.py")
        assert isinstance(outcome, list), str(outcome)
        assert len(outcome) == 1
        item: Loaded = outcome[0]
        return item.derivation

    return load
