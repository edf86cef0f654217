"""whysoftmax: why softmax, and not just dividing by the sum — with checked mathematics.

The symbolic side (SymPy) lives here and in :mod:`whysoftmax.checker`; the numeric
functions live in :mod:`whysoftmax.numeric`, which does not import SymPy.

Examples
--------
>>> from whysoftmax import Derivation, check_derivation
>>> from sympy import exp
>>> d = Derivation("demo", title="exp turns sums into products")
>>> x, y = d.scalars("x y")
>>> _ = d.equal("exponent law", exp(x + y), exp(x) * exp(y))
>>> print(check_derivation(d).results[0].status)
proven
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

# The symbolic side imports SymPy; load it on first use so that
# ``import whysoftmax.numeric`` stays numpy-only (PEP 562).
_LAZY = {
    "CheckOptions": "checker",
    "DerivationResult": "checker",
    "StepResult": "checker",
    "check_derivation": "checker",
    "check_step": "checker",
    "Derivation": "derivation",
    "DerivationError": "derivation",
    "Relation": "derivation",
    "Step": "derivation",
    "Status": "status",
}


def __getattr__(name: str):
    if name in _LAZY:
        value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'whysoftmax' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_LAZY])

__all__ = [
    "CheckOptions",
    "Derivation",
    "DerivationError",
    "DerivationResult",
    "Relation",
    "Status",
    "Step",
    "StepResult",
    "__version__",
    "check_derivation",
    "check_step",
]
