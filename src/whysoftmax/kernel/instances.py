"""Concrete instances of a general-``n`` claim: fix the dimensions, then the indices.

``proven for n ≤ N`` means: for *every* assignment of the claim's dimensions, each from
its declared minimum to ``N`` independently, and every tuple of its free indices in
range, a named rewrite reduced the instance. A dimension whose minimum exceeds ``N``
has no instance, so such a claim cannot be ``proven for n ≤ N`` at all.

Examples
--------
>>> from sympy import IndexedBase, Symbol, Derivative
>>> from whysoftmax.kernel.claim import Signature
>>> from whysoftmax.kernel.vectors import VectorMax
>>> n = Symbol("n", integer=True, positive=True)
>>> k = Symbol("k", integer=True, positive=True)
>>> z = IndexedBase("z", real=True)
>>> sig = Signature(dimensions=((n, 1),), indices=((k, n),), vectors=((z, n),))
>>> [v for v in assignments(sig, [z[k]], 2)]
[{n: 1, k: 1}, {n: 2, k: 1}, {n: 2, k: 2}]
>>> evaluate_instance(Derivative(VectorMax(z, n), z[k]), {n: 2, k: 1})
Heaviside(z[1] - z[2])
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from sympy import Add, Basic, Derivative, Dummy, IndexedBase, Integer, Sum, Symbol

from .claim import Signature
from .vectors import VectorMax


def evaluate_instance(expr, values: dict[Symbol, int], *, keep_max: bool = False):
    """``expr`` with ``values`` substituted and sums, maxima and derivatives carried out.

    A vector maximum becomes an *unevaluated* ``Max(z[1], …, z[n])`` (SymPy's evaluated
    ``Max`` compares its arguments pairwise and costs seconds per instance), or stays a
    :class:`VectorMax` with ``keep_max`` (the numeric check passes it as an argument).
    A maximum under a derivative is expanded *before* differentiating, so that
    ``∂ max z / ∂z_k`` is the derivative of ``Max``, not of a placeholder.
    """
    if expr is None:
        return None
    replaced = expr.subs({k: Integer(v) for k, v in values.items()})
    under_derivative = {m for d in replaced.atoms(Derivative) for m in d.atoms(VectorMax)}
    replaced = replaced.xreplace({m: m.entries_extremum() for m in under_derivative})
    maxima = {m: Dummy("max") for m in replaced.atoms(VectorMax)}
    replaced = replaced.xreplace(maxima)
    for _ in range(4):
        done = expand_finite_sums(replaced).doit(integrals=False)
        if done == replaced:
            break
        replaced = done
    back = {d: m if keep_max and isinstance(m.args[0], IndexedBase) else m.entries_extremum()
            for m, d in maxima.items()}
    return replaced.xreplace(back)


def expand_finite_sums(expr):
    """Every sum with integer limits written out term by term (inner sums first).

    ``Sum.doit`` tries symbolic summation first; for a concrete range the terms are all
    there is, and writing them out is both exact and much faster.
    """
    if not isinstance(expr, Basic) or not expr.args or not expr.has(Sum):
        return expr
    if isinstance(expr, Sum):
        body = expand_finite_sums(expr.function)
        for var, low, high in expr.limits:  # innermost first
            if low.is_Integer and high.is_Integer:
                # Karr's convention, as SymPy's: Σ_{a}^{b} = −Σ_{b+1}^{a−1} when b < a − 1
                first, last, sign = ((int(low), int(high), 1) if high >= low - 1
                                     else (int(high) + 1, int(low) - 1, -1))
                body = sign * Add(*[body.xreplace({var: Integer(q)})
                                    for q in range(first, last + 1)])
            else:
                body = Sum(body, (var, low, high))
        # an inner range that depended on an outer variable is concrete now
        return expand_finite_sums(body) if body.has(Sum) and body != expr else body
    return expr.func(*[expand_finite_sums(a) for a in expr.args])


def _free(exprs: list) -> set:
    """Free symbols, including those only in a derivative's variables (∂/∂z_k: k)."""
    free: set = set()
    for e in exprs:
        if e is not None:
            free |= e.free_symbols
            for derivative in e.atoms(Derivative):
                for variable, _ in derivative.variable_count:
                    free |= variable.free_symbols
    return free


def dimensions_of(signature: Signature, exprs: list) -> list[Symbol]:
    """The declared dimensions a claim depends on (directly or through its indices)."""
    free = _free(exprs)
    minimum, ranges = signature.minimum, signature.index_range
    dims = {s for s in free if s in minimum}
    dims |= {ranges[s] for s in free if s in ranges}
    return sorted(dims, key=str)


def indices_of(signature: Signature, exprs: list) -> list[Symbol]:
    """The declared free indices of a claim."""
    ranges = signature.index_range
    return sorted((s for s in _free(exprs) if s in ranges), key=str)


def index_tuples(signature: Signature, indices: list[Symbol], dims: dict[Symbol, int]):
    """Every tuple of the ``indices`` in range for the dimension values ``dims``."""
    ranges = [range(1, dims[signature.index_range[i]] + 1) for i in indices]
    return itertools.product(*ranges)


def assignments(signature: Signature, exprs: list, n_max: int) -> Iterator[dict]:
    """Every assignment of the claim's dimensions (each ``n_min … n_max``, independently)
    and free indices — the instances ``proven for n ≤ n_max`` quantifies over."""
    dims = dimensions_of(signature, exprs)
    idx = indices_of(signature, exprs)
    minimum = signature.minimum
    ranges = [range(minimum.get(d, 1), n_max + 1) for d in dims]
    for values in itertools.product(*ranges):
        chosen = dict(zip(dims, values, strict=True))
        for t in index_tuples(signature, idx, chosen):
            yield {**chosen, **dict(zip(idx, t, strict=True))}
