"""Finite sums over a general ``n``: canonical bound variables, and the rewrites that bring
sums to a form ``cancel`` can decide.

Five elementary facts, each preserving value wherever the expression is defined:

1. bound variables are renamed canonically, with exactly the assumptions their range
   implies (a variable summed from 0 is not positive);
2. sums split over ``+`` and constant factors leave the sum (linearity);
3. ``δ_ab f(a, b) = δ_ab f(a, a)``;
4. a sum that remains is replaced by a fresh symbol with the sign its terms and range
   give it — a proof for *every* value of that sign covers the sum's value;
5. a product of exponentials is the exponential of the sum, ``Π_j e^{a_j} = e^{Σ_j a_j}``.

What is trusted: SymPy's ``doit``, ``refine`` and ``expand``, and its assumption system's
signs of the summed terms.
"""

from __future__ import annotations

from sympy import (
    Add,
    And,
    Basic,
    Dummy,
    Expr,
    Function,
    Indexed,
    IndexedBase,
    Integral,
    KroneckerDelta,
    MatrixBase,
    Mul,
    Product,
    Q,
    S,
    Sum,
    Symbol,
    exp,
    expand,
    refine,
)
from sympy.core.parameters import evaluate as evaluation
from sympy.simplify.simplify import factor_sum

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
    """Rename bound variables by nesting depth. SymPy merges a sum of a sum into one sum
    of several limits (innermost first), so every limit is renamed, outermost at
    ``depth``."""
    if isinstance(expr, (Sum, Product)):
        body, swap, limits = expr.function, {}, []
        for offset, (var, low, high) in enumerate(reversed(expr.limits)):
            level = depth + offset
            low, high = (_by_depth(b.xreplace(swap), level) for b in (low, high))
            new = canonical_index(level, low)
            if new in body.free_symbols:  # a stray free canonical name: keep ours apart
                new = Dummy(new.name, **new.assumptions0)
            swap[var] = new
            limits.append((new, low, high))
        inner = _by_depth(body.xreplace(swap), depth + len(limits))
        return type(expr)(inner, *reversed(limits))
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


def exponentials_of_sums(expr: Expr) -> Expr:
    """Rewrite 5: ``Π_j e^{a_j} = e^{Σ_j a_j}`` (over the same range, Karr's convention
    for both)."""
    return expr.replace(lambda e: isinstance(e, Product) and isinstance(e.function, exp),
                        lambda e: exp(Sum(e.function.args[0], *e.limits)))


def unfolded_sums(expr: Expr, index_range: IndexRange) -> Expr:
    """Rewrites 1–3 and 5: sums carried out, split, constants pulled out, deltas reduced,
    products of exponentials made exponentials of sums."""
    for _ in range(6):
        before = expr
        expr = expr.doit(integrals=False)
        expr = refine(expr, index_facts(expr, index_range))
        expr = _refine_in_range(expr)
        # expand writes e^{Σ a_j} as Π e^{a_j}: split sums first, rewrite 5 after
        expr = _split_and_pull(exponentials_of_sums(expr))
        expr = canonical_sums(exponentials_of_sums(expand(expr, power_exp=True)))
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


def opaque_sums(expr: Expr, keep: Symbol | None = None) -> Expr:
    """Rewrite 4: every sum (not moving with ``keep``) becomes a symbol of its sign."""
    return expr.xreplace({s: opaque_symbol(s) for s in expr.atoms(Sum)
                          if keep is None or not s.has(keep)})


def opaque_integrals(expr: Expr) -> Expr:
    """Every integral becomes an unknown function of what it depends on.

    SymPy's ``integrate`` is not trusted (``simplify`` calls it, and it gives
    ``EulerGamma + I·π`` for the real Gumbel mean ∫x e^{−x} exp(−e^{−x}) dx = γ), so a
    rewrite sees an integral only as ``I₀(x, z₁, …)``: equal integrals cancel, derivatives
    of it stay unknown, and nothing is evaluated.
    """
    swap = {}
    for k, integral in enumerate(sorted(expr.atoms(Integral), key=str)):
        moves = sorted(integral.free_symbols | integral.atoms(Indexed), key=str)
        unknown = Function(f"Integral{k}")
        swap[integral] = unknown(*moves) if moves else Dummy(f"Integral{k}")
    return expr.xreplace(swap) if swap else expr


def opaque_symbol(s: Sum) -> Dummy:
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
