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
    Basic,
    Dummy,
    Ei,
    Expr,
    I,
    Integral,
    Limit,
    Mul,
    Product,
    S,
    Sum,
    expint,
    limit,
    nan,
    oo,
    uppergamma,
    zoo,
)

from .claim import Claim, Condition, Signature
from .continuity import continuous_at
from .domain import holds
from .facts import interval_of, shown_equal
from .rewrites import disproves
from .sums import evaluated, normalise_sums, opaque_integrals, opaque_symbol, unfolded_sums
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
    "limit": lambda e, x, r: e.doit(integrals=False),
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
    form = opaque_integrals(unfolded_sums(evaluated(expr), index_range))
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


def vanishing_coefficients(expr: Expr, x, bound: tuple = ()) -> list[Condition]:
    """``κ ≠ 0`` for each factor ``κ`` free of ``x`` that multiplies a part moving with
    ``x`` (with the sums it sits in as its range).

    SymPy's ``limit`` treats parameters as generic: it cancels ``(c − 1/3)`` from
    ``(c − 1/3)x / ((c − 1/3)x + 1)`` and answers 1, which is false at ``c = 1/3``
    (there the expression is 0). A limit proof covers the parameters where each such
    coefficient is nonzero; the kernel proves that or states it.

    >>> from sympy import Rational, Symbol
    >>> x, c = Symbol("x", real=True), Symbol("c", real=True)
    >>> [str(k) for k in vanishing_coefficients((c - Rational(1, 3)) * x, x)]
    ['c ≠ 1/3']
    """
    if not isinstance(expr, Basic) or expr.is_Atom or not expr.has(x):
        return []
    found = []
    if isinstance(expr, Mul):
        k = _coefficient(expr, x)
        if not k.is_number:
            found.append(Condition(k, "≠", tuple(b for b in bound if k.has(b[0]))))
    inner = bound
    if isinstance(expr, (Sum, Product, Integral)):
        inner = bound + tuple(tuple(limits) for limits in expr.limits if len(limits) == 3)
    for arg in expr.args:
        found += [c for c in vanishing_coefficients(arg, x, inner) if c not in found]
    return found


def _coefficient(product: Mul, x) -> Expr:
    """The product of the factors of ``product`` that do not move with ``x``."""
    return Mul(*[f for f in product.args if not f.has(x)])


def _without(expr: Expr, k: Expr, x) -> Expr:
    """``expr`` on the set ``κ = 0``: each product whose coefficient is ``κ`` is 0 (the
    others keep theirs: each is checked in its turn)."""
    if not isinstance(expr, Basic) or expr.is_Atom or not expr.has(x):
        return expr
    if isinstance(expr, Mul) and _coefficient(expr, x) == k:
        return S.Zero
    return expr.func(*[_without(a, k, x) for a in expr.args])


def coefficient_conditions(claim: Claim, signature: Signature) -> list[Condition]:
    """The conditions ``κ ≠ 0`` (:func:`vanishing_coefficients`) that a limit found by
    SymPy's ``limit`` needs and the kernel cannot discharge.

    None are needed where the expression is continuous at a finite point for every value
    of the parameters (its limit is its value there). Otherwise ``κ ≠ 0`` is discharged
    when it is proven, or when on the set ``κ = 0`` — each product with the factor ``κ``
    set to 0, the other parameters left free — the limit is again the claimed value and
    that expression needs no further condition.
    """
    x, point = claim.variable, evaluated(claim.point)
    expr = evaluated(claim.lhs)
    if point not in (oo, -oo) and continuous_at(expr, x, point, signature) is None:
        return []
    value, ranges, sides = evaluated(claim.rhs), signature.index_range, directions(claim)

    def needed(e: Expr, depth: int) -> list[Condition]:
        found = []
        for condition in vanishing_coefficients(e, x):
            if holds(condition, signature):
                continue
            if not condition.bound and depth < 4:
                degenerate = _without(e, condition.expr, x)
                if degenerate == e:
                    found.append(condition)
                    continue
                try:
                    limits = [limit_value(degenerate, x, point, side, ranges) for side in sides]
                except (ArithmeticError, NotImplementedError, TypeError, ValueError):
                    limits = [None]
                if all(v is not None and shown_equal(v, value, ranges) is not None
                       for v in limits) and not needed(degenerate, depth + 1):
                    continue
            found.append(condition)
        return found

    return needed(expr, 0)


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
    form = opaque_integrals(FORMS[name](evaluated(claim.lhs), x, ranges))
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
