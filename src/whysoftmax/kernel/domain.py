"""Where a claim is defined: side conditions read from what the author wrote.

The problem: ``cancel`` proves ``(x² − 1)/(x − 1) = x + 1`` — true only where
``x ≠ 1``; ``simplify`` happily differentiates ``|x|``. A rewrite preserves values
*where the expression is defined*, so a proof covers exactly that set. This module reads
the set off the written sides:

* a division by ``b`` needs ``b ≠ 0``; a fractional or symbolic power of a real base
  needs the base ``≥ 0`` (``> 0`` for a negative or symbolic exponent);
* ``log a`` needs ``a > 0`` (``a ≠ 0`` for a complex ``a``);
* a derivative needs its expression to be differentiable: ``|u|``, ``sign u``,
  ``Heaviside u`` need ``u ≠ 0``; ``max``/``min`` of several arguments need them
  distinct; a ``Piecewise`` needs to be off its boundaries;
* inside a sum over ``j = a … b`` a condition must hold for every such ``j``;
* an entry ``z[k]`` must lie in ``z``'s declared range (else the claim is malformed).

:func:`discharge` then tries to prove each condition from the declared assumptions with
cheap rewrites. What it cannot prove is stated in the step's status (``proven where
x − 1 ≠ 0``) and excludes points from the numeric check.

Examples
--------
>>> from sympy import Symbol, log
>>> from sympy.core.parameters import evaluate
>>> x = Symbol("x", real=True)
>>> with evaluate(False):
...     written = (x**2 - 1) / (x - 1)
>>> [str(c) for c in side_conditions(written, {})]
['x ≠ 1']
>>> p = Symbol("p", positive=True)
>>> side_conditions(log(p), {}), [str(c) for c in side_conditions(log(x), {})]
([Condition(expr=p, relation='>', bound=())], ['x > 0'])
"""

from __future__ import annotations

import itertools

from sympy import (
    Abs,
    Basic,
    Derivative,
    Dummy,
    Ei,
    Expr,
    Function,
    Heaviside,
    Indexed,
    Integer,
    KroneckerDelta,
    Lambda,
    MatrixBase,
    Max,
    Min,
    Mod,
    Piecewise,
    Pow,
    S,
    Subs,
    Sum,
    Symbol,
    acos,
    acosh,
    asin,
    atan,
    atanh,
    ceiling,
    conjugate,
    cos,
    cosh,
    cot,
    csc,
    erf,
    exp,
    expint,
    floor,
    gamma,
    im,
    log,
    loggamma,
    re,
    sec,
    sign,
    sin,
    sinh,
    tan,
    tanh,
    uppergamma,
    zeta,
)
from sympy import (
    arg as argument,
)
from sympy.codegen.cfunctions import expm1, log1p
from sympy.core.function import AppliedUndef
from sympy.core.relational import Relational

from .claim import Condition, Signature
from .rewrites import rewrite
from .sums import evaluated, normalise_sums
from .vectors import Sparsemax, SparsemaxEntry, VectorMax

Bound = tuple[tuple[Symbol, Expr, Expr], ...]
_KINKED = (Abs, sign, Heaviside)


class NonSmooth(Condition):
    """A differentiability condition that has no closed form (max of a general-n vector)."""

    def __init__(self, text: str, bound: Bound = ()):
        object.__setattr__(self, "expr", None)
        object.__setattr__(self, "relation", "≠")
        object.__setattr__(self, "bound", bound)
        object.__setattr__(self, "_text", text)

    def __str__(self) -> str:
        return self._text

    def __eq__(self, other) -> bool:
        return isinstance(other, NonSmooth) and other._text == self._text

    def __hash__(self) -> int:
        return hash(self._text)


def _real(expr: Expr) -> bool:
    """Whether ``expr`` is known to be real (then logs and roots need it positive)."""
    return evaluated(expr).is_extended_real is True


class _Reader:
    def __init__(self, lengths: dict):
        self.lengths = lengths
        self.found: list[Condition] = []
        self.errors: list[str] = []

    def add(self, expr, relation: str, bound: Bound) -> None:
        expr = evaluated(expr)
        bound = tuple(b for b in bound if expr.has(b[0]))
        condition = Condition(expr, relation, bound)
        if expr.is_number:
            truth = {"≠": expr.is_zero is False, ">": expr.is_positive,
                     "≥": expr.is_nonnegative}[relation]
            false = {"≠": expr.is_zero is True, ">": expr.is_nonpositive,
                     "≥": expr.is_negative}[relation]
            if truth:
                return
            if false or expr.has(S.ComplexInfinity, S.NaN):
                self.errors.append(f"{condition} is false: the claim is undefined")
                return
        if condition not in self.found:
            self.found.append(condition)

    def read(self, expr, bound: Bound = (), smooth: tuple = ()) -> None:
        """Collect conditions of ``expr``; ``smooth`` lists variables it is differentiated by."""
        if not isinstance(expr, Basic) or expr.is_Atom:
            return
        if isinstance(expr, Pow):
            self._power(expr, bound, smooth)
        elif isinstance(expr, log):
            for part in expr.args:
                self.add(part, ">" if _real(part) else "≠", bound)
        elif isinstance(expr, Derivative):
            variables = tuple(v for v, _ in expr.variable_count)
            self.read(expr.expr, bound, smooth + variables)
            for part in expr.args[1:]:
                self.read(part, bound, smooth)
            return
        elif isinstance(expr, Sum):
            self._sum(expr, bound, smooth)
            return
        elif isinstance(expr, Indexed):
            self._index(expr, bound)
        elif isinstance(expr, (VectorMax, Sparsemax)):
            self._vector(expr, bound, smooth)
            return
        elif type(expr) in _DOMAINS:
            for condition, relation in _DOMAINS[type(expr)](*expr.args):
                self.add(condition, relation, bound)
        elif isinstance(expr, Function) and not isinstance(expr, _TOTAL):
            self.found.append(NonSmooth(f"{type(expr).__name__}({', '.join(map(str, expr.args))}) "
                                        "is defined here", bound))
        if smooth:
            self._kinks(expr, bound, smooth)
        for part in expr.args:
            self.read(part, bound, smooth)

    def _power(self, expr: Pow, bound: Bound, smooth: tuple) -> None:
        base, exponent = expr.args
        if exponent.is_integer:
            if exponent.is_negative or not exponent.is_nonnegative:
                self.add(base, "≠", bound)
        elif _real(base):
            negative = exponent.is_negative or not exponent.is_number
            self.add(base, ">" if negative or _depends(base, smooth) else "≥", bound)
        elif exponent.is_negative or not exponent.is_number:
            self.add(base, "≠", bound)

    def _sum(self, expr: Sum, bound: Bound, smooth: tuple) -> None:
        inner = bound
        for var, low, high in expr.limits:
            self.read(low, inner, smooth)
            self.read(high, inner, smooth)
            if evaluated(low).is_integer is not True or evaluated(high).is_integer is not True:
                self.errors.append(f"a sum over {var} runs from {low} to {high}: the limits "
                                   "must be integers")
            # a range that runs backwards means −Σ to SymPy (Karr) and 0 to an empty sum:
            # the claim is made only where the two agree
            self.add(high - low + 1, "≥", inner)
            inner = (*inner, (var, low, high))
        self.read(expr.function, inner, smooth)

    def _vector(self, expr, bound: Bound, smooth: tuple) -> None:
        base, n = expr.args[0], expr.args[1]
        if smooth and _depends(expr, smooth):
            what = "max" if isinstance(expr, VectorMax) else "sparsemax"
            self.found.append(NonSmooth(f"{what} is differentiable here (no tie)", bound))
        if isinstance(base, Lambda):
            (q,) = base.variables
            self.read(base.expr, (*bound, (q, Integer(1), n)), smooth)
        for part in expr.args[1:]:
            self.read(part, bound, smooth)

    def _kinks(self, expr, bound: Bound, smooth: tuple) -> None:
        if not _depends(expr, smooth):
            return
        if isinstance(expr, _KINKED):
            self.add(expr.args[0], "≠", bound)
        elif isinstance(expr, (Max, Min)):
            for a, b in itertools.combinations(expr.args, 2):
                self.add(a - b, "≠", bound)
        elif isinstance(expr, Piecewise):
            for _, cond in expr.args:
                relations = [cond] if isinstance(cond, Relational) else list(
                    cond.atoms(Relational))
                for relation in relations:
                    self.add(relation.lhs - relation.rhs, "≠", bound)
        elif isinstance(expr, Function) and not isinstance(expr, _SMOOTH):
            self.found.append(NonSmooth(f"{type(expr).__name__} is differentiable here", bound))

    def _index(self, expr: Indexed, bound: Bound) -> None:
        length = self.lengths.get(expr.base)
        if length is None or len(expr.indices) != 1:
            return
        (k,) = expr.indices
        ranges = {var: (low, high) for var, low, high in bound}
        low, high = ranges.get(k, (k, k))
        if not (_provably_le(Integer(1), low) and _provably_le(high, length)):
            self.errors.append(f"{expr.base}[{k}] may lie outside {expr.base}'s range 1…{length}")


def _bounded_by_one(u):
    return [(1 - u, "≥"), (u + 1, "≥")]


#: Functions defined only on part of their arguments' range: the conditions they impose.
_DOMAINS = {
    tan: lambda u: [(cos(u), "≠")], cot: lambda u: [(sin(u), "≠")],
    sec: lambda u: [(cos(u), "≠")], csc: lambda u: [(sin(u), "≠")],
    gamma: lambda u: [(1 / gamma(u), "≠")], loggamma: lambda u: [(u, ">")],
    asin: _bounded_by_one, acos: _bounded_by_one, atanh: lambda u: [(1 - u**2, ">")],
    acosh: lambda u: [(u - 1, "≥")], Mod: lambda a, b: [(b, "≠")],
    zeta: lambda *u: [(u[0] - 1, "≠")], Ei: lambda u: [(u, "≠")],
    expint: lambda nu, u: [(u, ">")], uppergamma: lambda a, u: [(u, ">")],
}
#: Functions defined for every (real) argument.
_TOTAL = (exp, sin, cos, atan, sinh, cosh, tanh, erf, Abs, Max, Min, sign, Heaviside,
          KroneckerDelta, floor, ceiling, re, im, conjugate, argument, Piecewise, log, log1p, expm1,
          AppliedUndef, SparsemaxEntry, Sparsemax, VectorMax, *_DOMAINS)
#: Functions differentiable wherever they are defined (kinks are handled one by one).
_SMOOTH = (exp, sin, cos, tan, cot, sec, csc, atan, asin, acos, sinh, cosh, tanh, atanh,
           acosh, erf, log, log1p, expm1, gamma, loggamma, Ei, expint, uppergamma,
           AppliedUndef, Abs, Max, Min, sign,
           Heaviside, Piecewise, KroneckerDelta, VectorMax, Sparsemax)


def _depends(expr, variables: tuple) -> bool:
    return any(expr.has(v) for v in variables)


def _provably_le(a, b) -> bool:
    difference = evaluated(b - a)
    return bool(difference.is_nonnegative)


def side_conditions(expr, lengths: dict, errors: list[str] | None = None,
                    smooth: tuple = ()) -> list[Condition]:
    """The conditions under which the written ``expr`` is defined (and differentiable
    where it is differentiated, and in the symbols or vectors ``smooth``). Out-of-range
    entries are appended to ``errors``."""
    reader = _Reader(lengths)
    for item in (list(expr) if isinstance(expr, MatrixBase) else [expr]):
        reader.read(item, (), smooth)
    if errors is not None:
        errors.extend(reader.errors)
    return reader.found


def _instantiate_bound(condition: Condition, signature: Signature) -> Expr:
    """The condition's expression with bound variables as range-respecting symbols and
    dimensions shifted to their minimum (``n = n' + n_min − 1``)."""
    expr = condition.expr
    for var, low, _high in condition.bound:
        flags = {"integer": True}
        if evaluated(low).is_positive:
            flags["positive"] = True
        elif evaluated(low).is_nonnegative:
            flags["nonnegative"] = True
        expr = expr.xreplace({var: Dummy(str(var), **flags)})
    shift = {d: Dummy(str(d), integer=True, positive=True) + (m - 1)
             for d, m in signature.dimensions if m > 1}
    return expr.xreplace(shift) if shift else expr


#: The cheap rewrites tried to discharge a side condition, in order.
DISCHARGE = ("identical", "sums normalised", "sums normalised + cancel",
             "entries between the extrema")


def _sum_of_signed_terms(expr, relation: str, ranges: dict) -> bool:
    """A sum over a non-empty range of terms > 0 is > 0 (and ≠ 0); of terms ≥ 0, ≥ 0."""
    from .facts import shown_sign

    expr = evaluated(expr)
    if not (isinstance(expr, Sum) and len(expr.limits) == 1):
        return False
    _, low, high = expr.limits[0]
    strict = relation in (">", "≠")
    count = evaluated(high - low + (0 if strict else 1))
    return (shown_sign(count, False, ranges) is not None
            and shown_sign(expr.function, strict, ranges) is not None)


def _real_derivatives(expr):
    """A derivative of a real-valued expression by a real variable is real where it exists:
    a real symbol may stand for it (``f′(0)/f(0)`` for a positive ``f``)."""
    def real_derivative(e) -> bool:
        target = e.expr if isinstance(e, Subs) else e
        return (isinstance(target, Derivative) and bool(target.expr.is_real)
                and all(v.is_real for v, _ in target.variable_count))

    return expr.replace(real_derivative, lambda e: Dummy("d", real=True))


def holds(condition: Condition, signature: Signature) -> bool:
    """Whether the kernel proves ``condition`` from the declared assumptions."""
    if condition.expr is None:
        return False
    expr = _real_derivatives(_instantiate_bound(condition, signature))
    ranges = signature.index_range
    if _sum_of_signed_terms(expr, condition.relation, ranges):
        return True
    for name in DISCHARGE:
        try:
            result = rewrite(name, expr, ranges) if name != "sums normalised" else \
                normalise_sums(expr, ranges)
        except Exception:  # noqa: BLE001 - a rewrite SymPy cannot run proves nothing
            continue
        if condition.relation == "≠" and result.is_zero is False:
            return True
        if condition.relation == ">" and result.is_positive:
            return True
        if condition.relation == "≥" and result.is_nonnegative:
            return True
    return False


def open_conditions(sides: list, signature: Signature,
                    drop: Symbol | None = None) -> tuple[list[Condition], list[str]]:
    """Side conditions of ``sides`` the kernel cannot prove, and malformed entries.

    ``drop`` is a limit's variable: conditions on it describe the approach, not the claim.
    """
    errors: list[str] = []
    lengths = signature.length
    found: list[Condition] = []
    for side in sides:
        for condition in side_conditions(side, lengths, errors):
            if drop is not None and condition.expr is not None and condition.expr.has(drop):
                continue
            if condition not in found:
                found.append(condition)
    return [c for c in found if not holds(c, signature)], errors

