"""Named sound rewrites, and the tests that decide what a rewrite has shown.

The kernel proves ``lhs = rhs`` by running one *named* rewrite on ``lhs − rhs`` and
accepting only the exact result 0; ``lhs ≤ rhs`` (``<``) by a rewrite of ``rhs − lhs``
whose sign SymPy's assumption system decides. The search (``whysoftmax.engine``) only
chooses which name to try; replaying a certificate runs the same name again.

What is trusted here: SymPy's ``doit``, ``refine``, ``cancel``, ``together``, ``expand``,
``expand_log``, ``powsimp``, ``factor_terms``, ``simplify`` and ``minimum`` — each
preserves the value of an expression wherever the expression is defined — and the
assumption system's signs; the five rewrites of general-``n`` sums in
:mod:`whysoftmax.kernel.sums`; and, for signs only, a fifth: an entry of ``z`` lies between
``min z`` and ``max z`` (``z_k`` becomes ``max z − δ`` with a fresh ``δ ≥ 0``, for an index
``k`` of ``z``'s range).

Examples
--------
>>> from sympy import IndexedBase, Symbol, Derivative, KroneckerDelta
>>> from whysoftmax.definitions import softmax
>>> n = Symbol("n", integer=True, positive=True)
>>> i, k = (Symbol(c, integer=True, positive=True) for c in "ik")
>>> z = IndexedBase("z", real=True)
>>> s = lambda a: softmax(z, a, n)
>>> claim = Derivative(s(i), z[k]) - s(i) * (KroneckerDelta(i, k) - s(k))
>>> rewrite("sums normalised + cancel", claim, {i: n, k: n})
0
"""

from __future__ import annotations

from collections.abc import Callable

from sympy import (
    Add,
    Basic,
    Dummy,
    Expr,
    Heaviside,
    Indexed,
    IndexedBase,
    Interval,
    S,
    Sum,
    Symbol,
    cancel,
    expand,
    expand_func,
    expand_log,
    factor_terms,
    oo,
    powsimp,
    simplify,
    together,
)
from sympy.calculus.util import minimum
from sympy.codegen.cfunctions import expm1, log1p

from .sums import IndexRange, canonical_sums, normalise_sums, opaque_integrals, opaque_sums
from .vectors import VectorMax

# -- sign-revealing forms -----------------------------------------------------------------

def completed_squares(expr: Expr) -> Expr:
    """Write each quadratic ``a x² + b x + c`` in one variable (numbers a > 0, b, c) as
    ``a (x + b/2a)² + (c − b²/4a)`` — the same value, a form whose sign the assumption
    system reads: ``1 + z + z²/2 = ((z + 1)² + 1)/2 > 0``."""
    def quadratic(e) -> bool:
        if not isinstance(e, Add):
            return False
        atoms = {a for a in e.free_symbols if not isinstance(a, IndexedBase)}
        atoms = (e.atoms(Indexed) | atoms) - {s for i in e.atoms(Indexed) for s in i.free_symbols
                                             if s != i}
        if len(atoms) != 1:
            return False
        poly = e.as_poly(*atoms)
        return poly is not None and poly.degree() == 2 and all(
            c.is_number for c in poly.all_coeffs()) and poly.all_coeffs()[0].is_positive

    def complete(e):
        atoms = (e.atoms(Indexed) | e.free_symbols) - {
            s for i in e.atoms(Indexed) for s in i.free_symbols if s != i}
        (x,) = [a for a in atoms if not isinstance(a, IndexedBase)]
        a, b, c = e.as_poly(x).all_coeffs()
        return a * (x + b / (2 * a)) ** 2 + (c - b**2 / (4 * a))

    return expr.replace(quadratic, complete)


def between_extrema(expr: Expr, index_range: IndexRange) -> Expr:
    """Rewrite 5: every entry ``z_q`` of a vector whose maximum (minimum) occurs becomes
    ``max z − δ_q`` (``min z + δ_q``), with a fresh vector ``δ ≥ 0``.

    Applied to an entry whose index is one of the extremum's own: a declared index of its
    length ``n``, ``n`` itself, or the bound variable of a sum over ``1 … n`` (or a part
    of that range), so that ``z_q`` is one of the entries the extremum ranges over.
    """
    extrema = [m for m in expr.atoms(VectorMax) if isinstance(m.args[0], IndexedBase)]
    if not extrema:
        return expr
    gaps = {m: IndexedBase(Dummy("delta", nonnegative=True)) for m in extrema}

    def inside(q, n, bound) -> bool:
        if q == n or index_range.get(q) == n:
            return True
        if q in bound:
            low, high = bound[q]
            return bool((low - 1).is_nonnegative) and bool((n - high).is_nonnegative)
        return False

    def walk(e, bound):
        if isinstance(e, Indexed) and len(e.indices) == 1:
            for m in extrema:
                base, n = m.args
                if e.base == base and inside(e.indices[0], n, bound):
                    gap = gaps[m][e.indices[0]]
                    return m - gap if type(m) is VectorMax else m + gap
            return e
        if isinstance(e, Sum) and len(e.limits) == 1:
            var, low, high = e.limits[0]
            inner = walk(e.function, {**bound, var: (low, high)})
            return Sum(inner, e.limits[0])
        if isinstance(e, VectorMax) or not isinstance(e, Basic) or not e.args:
            return e
        return e.func(*[walk(a, bound) for a in e.args])

    return walk(expr, {})


# -- the named rewrites ------------------------------------------------------------------

Rewrite = Callable[[Expr, IndexRange], Expr]


def _plain_symbol(expr: Expr) -> Expr:
    """The single free atom of ``expr`` (a symbol or a vector entry), as a symbol."""
    atoms = expr.atoms(Indexed) | {s for s in expr.free_symbols if isinstance(s, Symbol)}
    atoms -= {a.base.label for a in expr.atoms(Indexed)}
    atoms -= {i for a in expr.atoms(Indexed) for i in a.indices}
    if len(atoms) != 1:
        raise ValueError("not a one-variable expression")
    (atom,) = atoms
    if isinstance(atom, Indexed):
        flags = {k: v for k, v in atom.assumptions0.items() if v is not None}
        return expr.xreplace({atom: Dummy("x", **flags)})
    return expr


def minimum_over_domain(expr: Expr, _: IndexRange) -> Expr:
    """The minimum of a one-variable expression over its variable's domain.

    The domain comes from the variable's assumptions: (0, ∞) for positive, [0, ∞) for
    non-negative, ℝ for real. Decides signs such as ``1 + z + z²/2 > 0`` (minimum 1/2)
    or ``e^d − 1 ≥ 0`` for ``d ≥ 0`` (minimum 0), which the sign logic leaves open.
    """
    expr = _plain_symbol(expr.doit(integrals=False))
    (var,) = expr.free_symbols
    if var.is_positive:
        domain = Interval.open(0, oo)
    elif var.is_nonnegative:
        domain = Interval(0, oo)
    elif var.is_real:
        domain = S.Reals
    else:
        raise ValueError("not a real variable")
    return minimum(expr, var, domain)


def _logs_and_powers(e: Expr) -> Expr:
    return cancel(together(powsimp(expand_log(expand(e.doit(integrals=False), power_exp=True)))))


#: Every rewrite the kernel runs, by name. Each maps an expression to an equal one.
REWRITES: dict[str, Rewrite] = {
    "identical": lambda e, r: e,
    "cancel": lambda e, r: cancel(together(e.doit(integrals=False))),
    "sums normalised": lambda e, r: normalise_sums(e, r),
    "sums normalised + cancel": lambda e, r: cancel(together(normalise_sums(e, r))),
    "expand_log + powsimp": lambda e, r: _logs_and_powers(e),
    "sums normalised + expand_log": lambda e, r: _logs_and_powers(normalise_sums(e, r)),
    "sums normalised + factor_terms + expand_log":
        lambda e, r: expand_log(factor_terms(normalise_sums(e, r))),
    "sums normalised + simplify": lambda e, r: factor_terms(simplify(normalise_sums(e, r))),
    "simplify": lambda e, r: simplify(e.doit(integrals=False)),
    "squares completed": lambda e, r: opaque_sums(completed_squares(canonical_sums(
        e.doit(integrals=False)))),
    "step functions are ≥ 0": lambda e, r: e.replace(
        lambda x: isinstance(x, Heaviside), lambda x: Dummy("H", nonnegative=True)),
    "entries between the extrema": lambda e, r: cancel(together(
        normalise_sums(between_extrema(canonical_sums(e.doit(integrals=False)), r), r))),
}
#: Sign-only rewrites (their result is a bound, not an equal expression).
SIGN_REWRITES: dict[str, Rewrite] = {"minimum over the domain": minimum_over_domain}


def rewrite(name: str, expr: Expr, index_range: IndexRange) -> Expr:
    """Run the rewrite ``name``; ``log1p``/``expm1`` read as ``log(1 + x)``/``e^x − 1``."""
    table = REWRITES if name in REWRITES else SIGN_REWRITES
    if name not in table:
        raise KeyError(f"unknown rewrite {name!r}")
    expr = expr.replace(lambda e: isinstance(e, (log1p, expm1)), expand_func)
    return table[name](opaque_integrals(expr), index_range)


def shows_zero(result: Expr) -> bool:
    """A rewrite proves ``lhs = rhs`` only if it reduces ``lhs − rhs`` to exactly 0."""
    return result == 0


def shows_sign(result: Expr, strict: bool) -> bool:
    """A rewrite of ``rhs − lhs`` proves ``≤`` (``<``) if its result is ≥ 0 (> 0)."""
    return bool(result.is_positive) if strict else bool(result.is_nonnegative)


def disproves(result: Expr, relation: str) -> bool:
    """The rewrite's result contradicts the claim everywhere it is defined.

    ``lhs − rhs`` reducing to something SymPy knows is never 0 (a nonzero constant such
    as 10⁻⁶⁰, or ``e^x/10^45``) refutes ``=``; ``rhs − lhs`` reducing to something always
    negative refutes ``≤`` (always non-positive, ``<``).
    """
    if not isinstance(result, Expr) or result.has(oo, -oo, S.NaN, S.ComplexInfinity):
        return False
    if relation == "=":
        return result.is_zero is False
    if relation == "<=":
        return bool(result.is_negative)
    return bool(result.is_nonpositive)
