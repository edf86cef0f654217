"""Rules about matrices given by their entries and maps of vectors (each docstring is its
sequent).

A matrix is given by an ``entry`` expression in a ``row`` and a ``column`` index (both
declared indices of the same range n); a map of vectors by its ``a``-th component ``F``,
an expression in a vector ``z`` and the index ``a``. Sums run over 1…n. The conclusions
are the forms a reader knows, written with sums:

* ``‖Av‖² = Σ_a (Σ_b A_ab v_b)²`` and ``‖v‖² = Σ_b v_b²``;
* ``vᵀAv = Σ_a Σ_b v_a A_ab v_b``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from sympy import Derivative, Dummy, Expr, IndexedBase, Sum

from .claim import Claim, Relation, Signature
from .continuity import differentiable
from .facts import shown_equal
from .matching import Outcome, same
from .sums import evaluated


def _bound():
    return tuple(Dummy(name, integer=True, positive=True) for name in ("p", "q"))


def _entry(data: dict, sig: Signature):
    """The matrix as a function of two indices, its size, or why the data is not one."""
    A, a, b = data.get("entry"), data.get("row"), data.get("column")
    ranges = sig.index_range
    if A is None or a not in ranges or b not in ranges or ranges[a] != ranges[b] or a == b:
        return None, None, "needs entry, and row and column: two indices of the same range"
    return (lambda r, c: evaluated(A).xreplace({a: r, b: c})), ranges[a], ""


def _a_vector(v, n, sig: Signature, name: str) -> str:
    """Why ``v`` is not a declared vector of length n ranging over all of ℝⁿ, or ''."""
    if not isinstance(v, IndexedBase) or sig.length.get(v) != n:
        return f"{name} must be a declared vector of length {n}"
    if v[1].is_real is not True or v[1].is_nonnegative is not None or (
            v[1].is_nonpositive is not None):
        return f"{name} must range over all of ℝⁿ (real, no sign)"
    return ""


def _norm_squared(entries, n):
    p, _ = _bound()
    return Sum(entries(p) ** 2, (p, 1, n))


def schur_test(c: Claim, premises: list[Claim], data: dict, sig: Signature) -> Outcome:
    """A_ab = A_ba, −B_ab ≤ A_ab ≤ B_ab, Σ_b B_ab ≤ R for every row a (R free of a)
    ⊢ ‖Av‖² ≤ R²‖v‖² for every real v: the largest absolute row sum of a symmetric
    matrix bounds its operator norm (Schur's test: Cauchy–Schwarz in each row, then the
    column sums, which are the row sums). Parameters ``entry`` (A_ab), ``bound`` (B_ab),
    ``row`` (a), ``column`` (b), ``vector`` (v)."""
    A, n, problem = _entry(data, sig)
    v, B = data.get("vector"), data.get("bound")
    problem = problem or _a_vector(v, n, sig, "vector") or ("" if B is not None else
                                                           "needs the bound B_ab")
    if problem:
        return False, problem
    relations = (Relation.EQ, Relation.LE, Relation.LE, Relation.LE)
    if len(premises) != 4 or any(p.relation is not r for p, r in zip(premises, relations,
                                                                     strict=True)):
        return False, "needs A_ab = A_ba, −B_ab ≤ A_ab, A_ab ≤ B_ab and Σ_b B_ab ≤ R"
    symmetric, lower, upper, rows = premises
    a, b = data["row"], data["column"]
    ranges = sig.index_range
    B = evaluated(B)
    shapes = ((symmetric, A(a, b), A(b, a)), (lower, -B, A(a, b)), (upper, A(a, b), B))
    if not all(same(p.lhs, left, ranges) and same(p.rhs, right, ranges)
               for p, left, right in shapes):
        return False, "the premises are not A_ab = A_ba, −B_ab ≤ A_ab ≤ B_ab"
    R = evaluated(rows.rhs)
    p, q = _bound()
    if R.has(a) or R.has(b) or not same(rows.lhs, Sum(B.xreplace({b: q}), (q, 1, n)), ranges):
        return False, "the last premise is not Σ_b B_ab ≤ R with R free of the row"
    if c.relation is not Relation.LE:
        return False, "the conclusion is ‖Av‖² ≤ R²‖v‖²"
    image = Sum(Sum(A(p, q) * v[q], (q, 1, n)) ** 2, (p, 1, n))
    if same(c.lhs, image, ranges) and same(c.rhs, R**2 * _norm_squared(lambda r: v[r], n),
                                            ranges):
        return True, "symmetric, with absolute row sums ≤ R"
    return False, "the conclusion is not ‖Av‖² ≤ R²‖v‖²"


class _Segment(NamedTuple):
    """What both Jacobian rules read: the map's component F(·, a) of a vector, n, the
    Jacobian entry J(a, b), the direction v, the endpoints x ("to") and y ("from"), and
    the one premise."""

    component: Callable
    n: Expr
    entry: Callable
    v: IndexedBase
    x: IndexedBase
    y: IndexedBase
    premise: Claim


def _segment(data: dict, premises: list[Claim], sig: Signature,
             wanted: str) -> tuple[_Segment | None, str]:
    """The data of a Jacobian rule, or why it is not one (``wanted``: its premise)."""
    A, n, problem = _entry(data, sig)
    F, z = data.get("F"), data.get("vector")
    a, b = data.get("row"), data.get("column")
    problem = problem or _a_vector(z, n, sig, "vector") or (
        "" if F is not None and F.has(a) else "needs F, the a-th component (in the row index)")
    if problem:
        return None, problem
    x, y = data.get("to"), data.get("from")
    if not all(isinstance(e, IndexedBase) and sig.length.get(e) == n for e in (x, y)):
        return None, f"'from' and 'to' must be declared vectors of length {n}"
    derivative = Derivative(evaluated(F), z[b]).doit(integrals=False)
    if shown_equal(derivative, A(a, b), sig.index_range) is None:
        return None, "the entry is not shown to be ∂F_a/∂z_b"
    problem = differentiable(F, (z,), sig)  # in every entry of z, everywhere
    if problem:
        return None, f"F: {problem}"
    v = data.get("direction")
    problem = _a_vector(v, n, sig, "direction")
    if problem or len(premises) != 1 or premises[0].relation is not Relation.LE:
        return None, problem or f"needs one premise {wanted}"
    component = lambda vector, r: evaluated(F).xreplace({z: vector, a: r})  # noqa: E731
    return _Segment(component, n, A, v, x, y, premises[0]), ""


def lipschitz_from_jacobian(c: Claim, premises: list[Claim], data: dict,
                            sig: Signature) -> Outcome:
    """J = ∂F/∂z, ‖J(z)v‖² ≤ L²‖v‖² for every real z and v, F smooth on ℝⁿ ⊢
    ‖F(x) − F(y)‖² ≤ L²‖x − y‖² (the mean value inequality on the segment from y to x).
    Parameters ``F``, ``entry`` (J_ab), ``row`` (a), ``column`` (b), ``vector`` (z),
    ``direction`` (v), ``from`` (y), ``to`` (x)."""
    s, problem = _segment(data, premises, sig, "‖J v‖² ≤ L²‖v‖²")
    if problem:
        return False, problem
    p, q = _bound()
    image = Sum(Sum(s.entry(p, q) * s.v[q], (q, 1, s.n)) ** 2, (p, 1, s.n))
    L2 = evaluated(evaluated(s.premise.rhs) / evaluated(_norm_squared(lambda r: s.v[r], s.n)))
    if not same(s.premise.lhs, image, sig.index_range) or L2.has(s.v, data["vector"]):
        return False, "the premise is not ‖J v‖² ≤ L²‖v‖² with L free of z and v"
    if c.relation is not Relation.LE:
        return False, "the conclusion is ‖F(x) − F(y)‖² ≤ L²‖x − y‖²"
    gap = Sum((s.component(s.x, p) - s.component(s.y, p)) ** 2, (p, 1, s.n))
    if same(c.lhs, gap, sig.index_range) and same(
            c.rhs, L2 * _norm_squared(lambda r: s.x[r] - s.y[r], s.n), sig.index_range):
        return True, "the mean value inequality on the segment"
    return False, "the conclusion is not ‖F(x) − F(y)‖² ≤ L²‖x − y‖²"


def monotone_from_jacobian(c: Claim, premises: list[Claim], data: dict,
                           sig: Signature) -> Outcome:
    """J = ∂F/∂z, 0 ≤ vᵀJ(z)v for every real z and v, F smooth on ℝⁿ ⊢
    0 ≤ ⟨F(x) − F(y), x − y⟩ (F is monotone: h(t) = ⟨F(y + t(x − y)), x − y⟩ has
    h′ ≥ 0). Parameters as for the Lipschitz rule."""
    s, problem = _segment(data, premises, sig, "0 ≤ vᵀJv")
    if problem:
        return False, problem
    p, q = _bound()
    form = Sum(Sum(s.v[p] * s.entry(p, q) * s.v[q], (q, 1, s.n)), (p, 1, s.n))
    if not (same(s.premise.lhs, 0, sig.index_range)
            and same(s.premise.rhs, form, sig.index_range)):
        return False, "the premise is not 0 ≤ vᵀJv"
    inner = Sum((s.component(s.x, p) - s.component(s.y, p)) * (s.x[p] - s.y[p]), (p, 1, s.n))
    if c.relation is Relation.LE and same(c.lhs, 0, sig.index_range) and same(
            c.rhs, inner, sig.index_range):
        return True, "the Jacobian is positive semidefinite everywhere"
    return False, "the conclusion is not 0 ≤ ⟨F(x) − F(y), x − y⟩"
