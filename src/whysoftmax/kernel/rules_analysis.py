"""Rules of analysis: case splits, squeeze, continuity and convexity (each docstring is
its sequent)."""

from __future__ import annotations

from sympy import (
    Derivative,
    Dummy,
    FiniteSet,
    Indexed,
    KroneckerDelta,
    S,
    Sum,
    Union,
    oo,
)
from sympy.calculus.util import function_range

from .claim import Claim, Relation, Signature
from .continuity import continuous_at, differentiable
from .facts import in_domain, interval_of, shown_sign
from .limits import approachable
from .matching import ORDER, Outcome, claims_match, replaced, same
from .sums import evaluated

# -- case splits -------------------------------------------------------------------------

def delta_split(c: Claim, premises: list[Claim], data: dict, sig: Signature) -> Outcome:
    """C[b := a], C[δ_ab := 0] ⊢ C  (the cases a = b and a ≠ b of indices a, b)."""
    ranges = sig.index_range
    deltas = sorted((e for e in evaluated(c.lhs - c.rhs).atoms(KroneckerDelta)
                     if all(arg in ranges for arg in e.args)), key=str) \
        if c.relation in ORDER else []
    if "delta" in data:
        deltas = [evaluated(data["delta"])]
    if len(premises) != 2 or len(deltas) != 1:
        return False, "needs two premises and one Kronecker δ to split on"
    (delta,) = deltas
    a, b = delta.args
    ranges = sig.index_range
    if not (a in ranges and b in ranges):
        return False, "the δ's arguments are not two declared (free) indices"
    equal_case = replaced(c, {b: a})
    other_case = replaced(c, {delta: S.Zero})
    first, second = premises
    for same_case, other in ((first, second), (second, first)):
        if claims_match(same_case, equal_case, ranges, True) or claims_match(
                same_case, replaced(c, {a: b}), ranges, True):
            if claims_match(other, other_case, ranges, True):
                return True, f"cases {a} = {b} and {a} ≠ {b}"
    return False, "the premises are not the two cases of the δ"


def interval_split(c: Claim, premises: list[Claim], data: dict, sig: Signature) -> Outcome:
    """C[x := c + h_i(u_i)] for i = 1…m, ∪_i h_i(dom u_i) = ℝ ⊢ C  (x real). Parameters:
    ``variable`` x, ``cases`` the maps c + h_i (one per premise), ``around`` c (default 0)."""
    x, maps = data.get("variable"), data.get("cases", [])
    around = evaluated(data.get("around", S.Zero))
    if x is None or len(maps) != len(premises) or not premises or not x.is_real:
        return False, "needs a real variable and one case map per premise"
    ranges, images = sig.index_range, []
    own = evaluated(c.lhs - (c.rhs if c.rhs is not None else 0)).free_symbols
    for number, (mapped, p) in enumerate(zip(maps, premises, strict=True), start=1):
        if not claims_match(p, replaced(c, {x: evaluated(mapped)}), ranges, True):
            return False, f"premise {number} is not the claim at its case map"
        offset = evaluated(mapped - around)
        new = [s for s in offset.free_symbols if s not in own]
        if not new:
            if not offset.is_number:
                return False, f"case {number} does not lie at a fixed offset"
            images.append(FiniteSet(offset))
            continue
        if len(new) != 1:
            return False, f"case {number} uses more than one new variable"
        (u,) = new
        domain = interval_of(u)
        if domain is None:
            return False, f"{u} does not range over an interval"
        images.append(function_range(offset, u, domain))
    covered = Union(*images)
    if (S.Reals - covered) is S.EmptySet:
        return True, f"{len(premises)} cases cover ℝ"
    return False, f"the cases cover {covered}, not ℝ"


# -- limits ------------------------------------------------------------------------------

def _direction_covers(premise: Claim, c: Claim) -> bool:
    return premise.direction in ("+-", c.direction) or c.point in (oo, -oo)


def squeeze(c: Claim, premises: list[Claim], data: dict, sig: Signature) -> Outcome:
    """L ≤ f, f ≤ U (for every value), L → v, U → v (a constant bound equal to v needs no
    limit) ⊢ f → v; the same variable, point and direction (two-sided covers one-sided)."""
    if c.relation is not Relation.LIMIT:
        return False, "the conclusion is not a limit"
    problem = approachable(c)
    if problem:
        return False, problem
    ranges, f, value = sig.index_range, c.lhs, c.rhs
    lower = upper = None
    limits = []
    for p in premises:
        if p.relation in (Relation.LE, Relation.LT):
            if same(p.rhs, f, ranges):
                lower = p.lhs
            elif same(p.lhs, f, ranges):
                upper = p.rhs
        elif p.relation is Relation.LIMIT:
            if p.variable == c.variable and p.point == c.point and _direction_covers(p, c):
                limits.append(p)

    def tends(bound) -> bool:
        if not evaluated(bound).has(c.variable) and same(bound, value, ranges):
            return True
        return any(same(q.lhs, bound, ranges) and same(q.rhs, value, ranges) for q in limits)

    if lower is None or upper is None:
        return False, "missing a lower or an upper bound on the expression"
    if not (tends(lower) and tends(upper)):
        return False, "a bound's limit is not among the premises (or differs from the value)"
    return True, "squeezed between two bounds with the same limit"


def continuity(c: Claim, premises: list[Claim], data: dict, sig: Signature) -> Outcome:
    """f built from continuous functions and defined around a ⊢ lim_{x→a} f = f(a)."""
    if c.relation is not Relation.LIMIT or premises or c.point in (oo, -oo):
        return False, "needs a limit at a finite point and no premises"
    problem = approachable(c) or continuous_at(c.lhs, c.variable, c.point, sig)
    if problem:
        return False, problem
    at = evaluated(c.lhs).subs(c.variable, c.point)
    if not same(at, c.rhs, sig.index_range):
        return False, "the value is not f at the point"
    return True, "continuous at the point"


def _with_vector(expr, base, entry):
    """``expr`` with every entry ``base[q]`` replaced by ``entry(q)``."""
    return evaluated(expr).replace(lambda e: isinstance(e, Indexed) and e.base == base,
                                   lambda e: entry(e.indices[0]))


def second_order_convexity(c: Claim, premises: list[Claim], data: dict,
                           sig: Signature) -> Outcome:
    """∂²F/∂z_i∂z_k = H_ik for every i, k; 0 ≤ Σ_i Σ_k v_i H_ik v_k for every v, z; F
    smooth and defined on ℝⁿ ⊢ F(t a + (1 − t) b) ≤ t F(a) + (1 − t) F(b) for 0 ≤ t ≤ 1.

    Parameters: ``F`` (an expression in the vector ``vector``), ``vector``, the points
    ``a`` and ``b`` (vectors), ``t`` and the direction vector ``v``.
    """
    try:
        F, z, a, b, t, v = (data[key] for key in ("F", "vector", "a", "b", "t", "v"))
    except KeyError as missing:
        return False, f"missing parameter {missing}"
    if len(premises) != 2 or c.relation is not Relation.LE:
        return False, "needs the Hessian and its quadratic form, and a conclusion ≤"
    hessian, form = premises
    ranges, lengths = sig.index_range, sig.length
    n = lengths.get(z)
    if n is None or any(lengths.get(x) != n for x in (a, b, v)):
        return False, "the vectors are not declared with one length"
    for vector in (z, v):
        if interval_of(vector[1]) != S.Reals:
            return False, f"{vector} must range over all of ℝⁿ"
    problem = differentiable(F, (z,), sig)
    if problem:
        return False, f"F: {problem}"
    derivative = evaluated(hessian.lhs)
    if hessian.relation is not Relation.EQ or not isinstance(derivative, Derivative):
        return False, "the first premise is not ∂²F/∂z_i∂z_k = H_ik"
    (i, one), (k, other) = (*derivative.variable_count, (None, 0))[:2]
    if not (one == other == 1 and isinstance(i, Indexed) and isinstance(k, Indexed)
            and i.base == z == k.base and same(derivative.expr, F, ranges)):
        return False, "the first premise is not the Hessian of F"
    i, k = i.indices[0], k.indices[0]
    if ranges.get(i) != n or ranges.get(k) != n or i == k:
        return False, "the Hessian's indices are not two indices of z's range"
    p, r = Dummy("p", integer=True, positive=True), Dummy("r", integer=True, positive=True)
    quadratic = Sum(Sum(v[p] * evaluated(hessian.rhs).xreplace({i: p, k: r}) * v[r],
                        (r, 1, n)), (p, 1, n))
    if form.relation is not Relation.LE or not same(form.lhs, 0, ranges) or not same(
            form.rhs, quadratic, ranges):
        return False, "the second premise is not 0 ≤ vᵀHv"
    if shown_sign(t, False, ranges) is None or shown_sign(1 - t, False, ranges) is None:
        return False, "t is not shown to lie in [0, 1]"
    if any(not in_domain(x[1], z[1], ranges) for x in (a, b)):
        return False, "a or b is not in F's domain"
    mixed = _with_vector(F, z, lambda q: t * a[q] + (1 - t) * b[q])
    chord = t * _with_vector(F, z, lambda q: a[q]) + (1 - t) * _with_vector(F, z, lambda q: b[q])
    if not (same(c.lhs, mixed, ranges) and same(c.rhs, chord, ranges)):
        return False, "the conclusion is not F's convexity inequality at a, b, t"
    return True, "positive semidefinite Hessian on ℝⁿ"
