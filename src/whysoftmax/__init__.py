"""whysoftmax: why softmax, and not just dividing by the sum — with checked mathematics.

Layers, each importing only those below it: :mod:`whysoftmax.kernel` (the trusted proof
kernel), the derivation language (:mod:`whysoftmax.derivation`,
:mod:`whysoftmax.definitions`, :mod:`whysoftmax.loader`), :mod:`whysoftmax.engine` (the
untrusted search and the numeric cross-check), :mod:`whysoftmax.output` (tables, LaTeX,
PDFs) and :mod:`whysoftmax.cli` on top. The numeric functions live in
:mod:`whysoftmax.numeric`, which does not import SymPy.

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
import sys

__version__ = "0.1.0"

# The symbolic side imports SymPy; load it on first use so that
# ``import whysoftmax.numeric`` stays numpy-only (PEP 562).
_LAZY = {
    "CheckOptions": "engine.results",
    "DerivationResult": "engine.results",
    "StepResult": "engine.results",
    "check_derivation": "engine.checker",
    "check_step": "engine.checker",
    "verify_derivation": "engine.checker",
    "Derivation": "derivation",
    "DerivationError": "derivation",
    "Relation": "kernel",
    "Step": "derivation",
    "Status": "kernel",
    "run": "cli",
}


def __getattr__(name: str):
    if name in _LAZY:
        value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        if name == "Derivation":
            _register_display()
        return value
    raise AttributeError(f"module 'whysoftmax' has no attribute {name!r}")


def _markdown(derivation) -> str:
    return importlib.import_module(".output.latex", __name__).markdown(derivation)


def _register_display() -> None:
    """In IPython/Jupyter, show a Derivation as Markdown with display mathematics.

    Registered as a formatter (not a method of Derivation), so the derivation language
    does not import the output layer.
    """
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is not None:
        formatter = shell.display_formatter.formatters["text/markdown"]
        formatter.for_type_by_name("whysoftmax.derivation", "Derivation", _markdown)


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
    "run",
    "verify_derivation",
]
