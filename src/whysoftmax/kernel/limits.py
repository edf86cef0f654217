"""Limits by SymPy's ``limit`` — two-sided at a finite point unless the claim or the
variable's domain says otherwise.

SymPy's ``limit`` is one-sided (from the right) by default, so ``lim_{x→0} |x|/x = 1``
would pass. Here a finite point is approached from both sides when the variable can lie
on both sides of it; each one-sided limit must equal the claimed value, and one that
provably differs refutes the claim.

Examples
--------
>>> from sympy import Abs, Symbol
>>> from whysoftmax.kernel.claim import Claim, Relation, Signature
>>> x = Symbol("x", real=True)
>>> check_limit(Claim(Relation.LIMIT, Abs(x) / x, 1, x, 0), Signature(), "limit")
('disproved', 'the limit from the left is -1, not 1')
"""

from __future__ import annotations

from collections.abc import Callable

from sympy import (
    AccumBounds,
    Dummy,
    Ei,
    Expr,
    I,
    Limit,
    S,
    Sum,
    expint,
    limit,
    nan,
    oo,
    uppergamma,
    zoo,
)

from .claim import Claim, Signature
from .facts import interval_of, shown_equal
from .rewrites import disproves
from .sums import evaluated, normalise_sums, opaque_symbol, unfolded_sums
from .vectors import VectorMax


def _extrema_opaque(expr: Expr, variable) -> Expr:
    swap = {}
    for m in expr.atoms(VectorMax):
        if not m.has(variable):
            flags = {"positive": True} if m.is_positive else {"real": True}
            swap[m] = Dummy("M", **flags)
    return expr.xreplace(swap)


#: How the expression is prepared before ``limit`` (sums and extrema that do not move with
#: the variable are constants: a symbol of their sign stands for them).
FORMS: dict[str, Callable] = {
    "limit": lambda e, x, r: e.doit(),
    "limit with constant sums opaque": lambda e, x, r: normalise_sums(e, r, keep=x),
    "limit with constants opaque":
        lambda e, x, r: _extrema_opaque(normalise_sums(e, r, keep=x), x),
}


def limit_value(expr: Expr, x, point, side: str | None, index_range: dict) -> Expr | None:
    """``lim expr`` as ``x → point`` (from ``side``, ``"+"`` or ``"-"``), or None where
    SymPy's ``limit`` leaves it undetermined or contradicts itself.

    Sums that do not move with ``x`` stand as symbols of their sign during the limit and
    come back in the value. An exponential integral is tried in its three equal spellings
    (``Ei``, ``E₁``, ``Γ(0, ·)``): SymPy resolves a different one at each end. A value that
    is not real for an expression without ``i`` is refused — SymPy's series of ``Ei`` and
    ``Γ(0, ·)`` add ``iπ``, so ``limit`` returns ``γ + iπ`` for the real
    ``lim_{x→∞} x·exp(−e^{−x}) − Γ(0, e^{−x}) = γ`` — and two spellings that give two
    different values give none.
    """
    form = unfolded_sums(evaluated(expr), index_range)
    swap = {s: opaque_symbol(s) for s in form.atoms(Sum) if not s.has(x)}
    form = form.xreplace(swap)
    spellings = [form]
    if form.has(Ei, expint, uppergamma):
        spellings += [form.rewrite(expint), form.rewrite(uppergamma)]
    values = set()
    for spelling in spellings:
        found = limit(spelling, x, point, dir=side) if side else limit(spelling, x, point)
        if found.has(nan, zoo, Limit, Sum, AccumBounds) or (
                not form.has(I) and (found.has(I) or found.is_extended_real is False)):
            continue
        values.add(found)
    if len(values) != 1:
        return None
    return values.pop().xreplace({v: k for k, v in swap.items()})


def approachable(claim: Claim) -> str | None:
    """None when the limit is one the kernel takes: a real variable ranging over an
    interval, approaching a point of that interval's closure; else why not."""
    domain = interval_of(claim.variable)
    if domain is None:
        return f"limits are taken in a real variable ranging over an interval, not {claim.variable}"
    point = evaluated(claim.point)
    inside = (point == oo and domain.sup == oo) or (point == -oo and domain.inf == -oo) or (
        point not in (oo, -oo) and domain.closure.contains(point) is S.true)
    if not inside:
        return f"{point} is not a point (or end) of {claim.variable}'s domain"
    if point not in (oo, -oo) and (
            (claim.direction == "+" and (domain.sup - point).is_extended_positive is not True)
            or (claim.direction == "-" and (point - domain.inf).is_extended_positive is not True)):
        return f"{claim.variable}'s domain does not reach {point} from that side"
    return None


def directions(claim: Claim) -> list[str | None]:
    """The sides from which the point is approached."""
    if claim.point in (oo, -oo):
        return [None]
    if claim.direction != "+-":
        return [claim.direction]
    x = claim.variable
    if x.is_nonnegative:
        return ["+"]
    if x.is_nonpositive:
        return ["-"]
    return ["+", "-"]


def check_limit(claim: Claim, signature: Signature, name: str) -> tuple[str, str]:
    """``shown``, ``disproved`` or ``open``, and why."""
    if name not in FORMS:
        return "open", f"unknown limit form {name!r}"
    problem = approachable(claim)
    if problem:
        return "open", problem
    ranges = signature.index_range
    x, point, value = claim.variable, evaluated(claim.point), evaluated(claim.rhs)
    form = FORMS[name](evaluated(claim.lhs), x, ranges)
    sides = directions(claim)
    for side in sides:
        found = limit(form, x, point, dir=side) if side else limit(form, x, point)
        if found.has(nan, zoo, Limit, Sum, AccumBounds) or (
                not form.has(I) and (found.has(I) or found.is_extended_real is False)):
            return "open", f"{name}: undetermined"
        where = {"+": " from the right", "-": " from the left", None: ""}[side]
        if value in (oo, -oo) or found in (oo, -oo):
            if found == value:
                continue
            if found in (oo, -oo) or found.is_number:
                return "disproved", f"the limit{where} is {found}, not {value}"
            return "open", f"{name}: value not shown equal"
        if shown_equal(found, value, ranges) is None:
            if disproves(evaluated(found - value), "="):
                return "disproved", f"the limit{where} is {found}, not {value}"
            return "open", f"{name}: value not shown equal"
    return "shown", name + (" (both sides)" if len(sides) == 2 else "")
