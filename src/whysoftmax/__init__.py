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

from .checker import CheckOptions, DerivationResult, StepResult, check_derivation, check_step
from .derivation import Derivation, DerivationError, Relation, Step
from .status import Status

__version__ = "0.1.0"

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
