"""Named sound rewrites, and the tests that decide what a rewrite has shown.

The kernel proves ``lhs = rhs`` by running one *named* rewrite on ``lhs − rhs`` and
accepting only the exact result 0; ``lhs ≤ rhs`` (``<``) by a rewrite of ``rhs − lhs``
whose sign SymPy's assumption system decides. The search (``whysoftmax.engine``) only
chooses which name to try; replaying a certificate runs the same name again.

What is trusted here: SymPy's ``doit``, ``refine``, ``cancel``, ``together``, ``expand``,
``expand_log``, ``powsimp``, ``factor_terms``, ``simplify`` and ``minimum`` — each
preserves the value of an expression wherever the expression is defined — and the
assumption system's signs. On top of them, five rewrites of general-``n`` sums, each an
elementary fact:

1. bound variables are renamed canonically, with exactly the assumptions their range
   implies (a variable summed from 0 is not positive);
2. sums split over ``+`` and constant factors leave the sum (linearity);
3. ``δ_ab f(a, b) = δ_ab f(a, a)``;
4. a sum that remains is replaced by a fresh symbol with the sign its terms and range
   give it — a proof for *every* value of that sign covers the sum's value;
5. (signs only) an entry of ``z`` lies between ``min z`` and ``max z``: ``z_k`` becomes
   ``max z − δ`` with a fresh ``δ ≥ 0`` (for an index ``k`` of ``z``'s range).

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
    And,
    Basic,
    Dummy,
    Expr,
    Heaviside,
    Indexed,
    IndexedBase,
    Interval,
    KroneckerDelta,
    MatrixBase,
    Mul,
    Product,
    Q,
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
    refine,
    simplify,
    together,
)
from sympy.calculus.util import minimum
from sympy.codegen.cfunctions import expm1, log1p
from sympy.core.parameters import evaluate as evaluation
from sympy.simplify.simplify import factor_sum

from .vectors import VectorMax

IndexRange = dict[Symbol, Expr]


# -- evaluation and canonical bound variables --------------------------------------------

_CANONICAL: dict[tuple[int, str], Dummy] = {}


def _bound_assumptions(low: Expr) -> tuple[str, dict[str, bool]]:
    if low.is_positive:
        return "positive", {"integer": True, "positive": True}
    if low.is_nonnegative:
        return "nonnegative", {"integer": True, "nonnegative": True}
    return "integer", {"integer": True}


def canonical_index(depth: int, low: Expr) -> Dummy:
    """The bound variable of nesting ``depth`` for a range starting at ``low``."""
    sign, flags = _bound_assumptions(low)
    key = (depth, sign)
    if key not in _CANONICAL:
        _CANONICAL[key] = Dummy(f"j{depth}", **flags)
    return _CANONICAL[key]


def canonical_sums(expr, depth: int = 0):
    """Split multiple sums (and products) into nested ones and rename every bound variable
    by depth; rebuild every node with SymPy's evaluation on.

    The new variable carries only what its range implies (rewrite 1 above), and it is in
    place *before* the body is evaluated: ``sign(j)`` summed from 0 stays ``sign(j)``
    even when the author declared ``j`` positive. Bound variables are first made unique
    (:func:`_fresh_bound`), so renaming never captures a variable of an inner sum.
    """
    return _by_depth(_fresh_bound(expr), depth)


def _fresh_bound(expr):
    """Every bound variable replaced by a new one of its own (inner sums first)."""
    if not isinstance(expr, Basic) or not expr.args or not expr.has(Sum, Product):
        return expr
    if isinstance(expr, (Sum, Product)):
        body = expr.function
        for limit in expr.limits[:-1]:
            body = type(expr)(body, limit)
        var, low, high = expr.limits[-1]
        fresh = Dummy("b", integer=True)
        inner = _fresh_bound(body).xreplace({var: fresh})
        with evaluation(False):
            return type(expr)(inner, (fresh, _fresh_bound(low), _fresh_bound(high)))
    with evaluation(False):
        return expr.func(*[_fresh_bound(a) for a in expr.args])


def _by_depth(expr, depth: int):
    if isinstance(expr, (Sum, Product)):
        var, low, high = expr.limits[0]
        low, high = _by_depth(low, depth), _by_depth(high, depth)
        new = canonical_index(depth, low)
        if new in expr.function.free_symbols:  # a stray free canonical name: keep ours apart
            new = Dummy(new.name, **new.assumptions0)
        inner = _by_depth(expr.function.xreplace({var: new}), depth + 1)
        return type(expr)(inner, (new, low, high))
    if not isinstance(expr, Basic) or not expr.args or isinstance(expr, (Symbol, IndexedBase)):
        return expr
    return expr.func(*[_by_depth(a, depth) for a in expr.args])


def evaluated(expr):
    """The expression as SymPy evaluates it, with canonical bound variables.

    Claims arrive as written (unevaluated); proofs work on this form.
    """
    if expr is None or not isinstance(expr, (Basic, MatrixBase)):
        return expr
    if isinstance(expr, MatrixBase):
        return expr.applyfunc(evaluated)
    return canonical_sums(expr)


# -- normalisation of sums over a general n ---------------------------------------------

def _split_and_pull(expr: Expr) -> Expr:
    """Linearity of finite sums, innermost first: split over ``+`` and pull out factors
    free of the summation variable (a double sum of a product of two factors becomes the
    product of two sums)."""
    if not isinstance(expr, Basic) or not expr.args or not expr.has(Sum):
        return expr
    if isinstance(expr, Sum):
        body = expr.function
        for limit in expr.limits[:-1]:
            body = Sum(body, limit)
        body = expand(_split_and_pull(body), power_exp=True)
        limit = expr.limits[-1]
        terms = []
        for term in Add.make_args(body):
            inside = [f for f in Mul.make_args(term) if f.has(limit[0])]
            outside = [f for f in Mul.make_args(term) if not f.has(limit[0])]
            terms.append(Mul(*outside) * factor_sum(Sum(Mul(*inside), limit)))
        return Add(*terms)
    return expr.func(*[_split_and_pull(a) for a in expr.args])


def reduce_deltas(expr: Expr) -> Expr:
    """Apply ``δ_ab f(a, b) = δ_ab f(a, a)`` to every product in ``expr``."""
    terms = []
    for term in Add.make_args(expand(expr)):
        for delta in [f for f in Mul.make_args(term) if isinstance(f, KroneckerDelta)]:
            a, b = delta.args
            if not isinstance(b, Symbol):
                a, b = b, a
            if isinstance(b, Symbol):
                rest = Mul(*[f for f in Mul.make_args(term) if f is not delta])
                term = delta * rest.xreplace({b: a})
        terms.append(term)
    return Add(*terms)


def index_facts(expr: Expr, index_range: IndexRange):
    """``1 ≤ i ≤ n`` for every declared index ``i`` that occurs in ``expr``."""
    facts = [Q.ge(i, 1) & Q.le(i, n) for i, n in index_range.items() if i in expr.free_symbols]
    return And(*facts) if facts else True


def normalise_sums(expr: Expr, index_range: IndexRange, keep: Symbol | None = None) -> Expr:
    """Rewrites 1–4: bring general-``n`` sums to a form ``cancel`` can decide.

    Sums that depend on ``keep`` (the variable of a limit) stay sums: only a sum that does
    not move with the limit variable may stand for a constant.
    """
    return opaque_sums(unfolded_sums(expr, index_range), keep)


def unfolded_sums(expr: Expr, index_range: IndexRange) -> Expr:
    """Rewrites 1–3: sums carried out, split, constants pulled out, deltas reduced."""
    for _ in range(6):
        before = expr
        expr = expr.doit()
        expr = refine(expr, index_facts(expr, index_range))
        expr = _refine_in_range(expr)
        expr = canonical_sums(_split_and_pull(expand(expr, power_exp=True)))
        if expr == before:
            break
    return reduce_deltas(expr)


def _refine_in_range(expr: Expr, facts=True) -> Expr:
    """Inside ``Σ_{j=a}^{b}``, refine with ``a ≤ j ≤ b`` (a delta summed over a nested
    range leaves ``Piecewise((…, 1 ≤ j ≤ n), (0, True))``)."""
    if isinstance(expr, Sum) and len(expr.limits) == 1:
        var, low, high = expr.limits[0]
        inner = facts & Q.ge(var, low) & Q.le(var, high)
        return Sum(refine(_refine_in_range(expr.function, inner), inner), expr.limits[0])
    if not isinstance(expr, Basic) or not expr.args or not expr.has(Sum):
        return expr
    return expr.func(*[_refine_in_range(a, facts) for a in expr.args])


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


def opaque_sums(expr: Expr, keep: Symbol | None = None) -> Expr:
    """Rewrite 4: every sum (not moving with ``keep``) becomes a symbol of its sign."""
    return expr.xreplace({s: _opaque(s) for s in expr.atoms(Sum)
                          if keep is None or not s.has(keep)})


def _opaque(s: Sum) -> Dummy:
    """A symbol standing for the sum ``s``, with the sign its terms give it.

    A sum of positive terms over a non-empty range is positive; of non-negative terms over
    a range that may be empty, non-negative; of real terms, real. (By the Karr convention
    ``Sum(1, (j, 5, 3)) = −1``, so a range that may run backwards gets no sign.)
    """
    term = s.function
    count = S.One
    for _, low, high in s.limits:
        count = count * (high - low + 1)
    ranges_ok = all((high - low + 1).is_nonnegative for _, low, high in s.limits)
    if ranges_ok and count.is_positive and term.is_positive:
        return Dummy("S", positive=True)
    if ranges_ok and term.is_nonnegative:
        return Dummy("S", nonnegative=True)
    return Dummy("S", real=True) if term.is_real else Dummy("S")


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
    expr = _plain_symbol(expr.doit())
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
    return cancel(together(powsimp(expand_log(expand(e.doit(), power_exp=True)))))


#: Every rewrite the kernel runs, by name. Each maps an expression to an equal one.
REWRITES: dict[str, Rewrite] = {
    "identical": lambda e, r: e,
    "cancel": lambda e, r: cancel(together(e.doit())),
    "sums normalised": lambda e, r: normalise_sums(e, r),
    "sums normalised + cancel": lambda e, r: cancel(together(normalise_sums(e, r))),
    "expand_log + powsimp": lambda e, r: _logs_and_powers(e),
    "sums normalised + expand_log": lambda e, r: _logs_and_powers(normalise_sums(e, r)),
    "sums normalised + factor_terms + expand_log":
        lambda e, r: expand_log(factor_terms(normalise_sums(e, r))),
    "sums normalised + simplify": lambda e, r: factor_terms(simplify(normalise_sums(e, r))),
    "simplify": lambda e, r: simplify(e.doit()),
    "squares completed": lambda e, r: opaque_sums(completed_squares(canonical_sums(e.doit()))),
    "step functions are ≥ 0": lambda e, r: e.replace(
        lambda x: isinstance(x, Heaviside), lambda x: Dummy("H", nonnegative=True)),
    "entries between the extrema": lambda e, r: cancel(together(
        normalise_sums(between_extrema(canonical_sums(e.doit()), r), r))),
}
#: Sign-only rewrites (their result is a bound, not an equal expression).
SIGN_REWRITES: dict[str, Rewrite] = {"minimum over the domain": minimum_over_domain}


def rewrite(name: str, expr: Expr, index_range: IndexRange) -> Expr:
    """Run the rewrite ``name``; ``log1p``/``expm1`` read as ``log(1 + x)``/``e^x − 1``."""
    table = REWRITES if name in REWRITES else SIGN_REWRITES
    if name not in table:
        raise KeyError(f"unknown rewrite {name!r}")
    expr = expr.replace(lambda e: isinstance(e, (log1p, expm1)), expand_func)
    return table[name](expr, index_range)


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
