"""Rules about finite sums and the extrema of a vector (each docstring is its sequent)."""

from __future__ import annotations

from sympy import (
    Dummy,
    S,
    Sum,
)

from .claim import Claim, Relation, Signature
from .facts import shown_sign
from .matching import ORDER, Outcome, same
from .sums import evaluated
from .vectors import VectorMax, VectorMin

# -- sums and extrema --------------------------------------------------------------------

def _the_sum(expr) -> Sum | None:
    e = evaluated(expr)
    return e if isinstance(e, Sum) and len(e.limits) == 1 else None


def _range_ok(low, high, dim, ranges) -> bool:
    """1 ≤ low and high ≤ dim: every j of the sum is a valid value of the index."""
    return (shown_sign(evaluated(low) - 1, False, ranges) is not None
            and shown_sign(evaluated(dim - high), False, ranges) is not None)


def termwise(c: Claim, premises: list[Claim], data: dict, sig: Signature) -> Outcome:
    """t(k) ρ u(k) for every index k in 1…n ⊢ Σ_{j=a}^{b} t(j) ρ Σ_{j=a}^{b} u(j), for
    1 ≤ a, b ≤ n and b ≥ a − 1 (b ≥ a when ρ is <; any range when ρ is =). A side may be
    given summed (n − 1)."""
    if len(premises) != 1 or c.relation not in ORDER:
        return False, "needs one premise and a conclusion =, ≤ or <"
    if c.relation is Relation.EQ and premises[0].relation is not Relation.EQ:
        return False, "an equality of sums needs an equality of terms"
    (p,) = premises
    ranges = sig.index_range
    k = data.get("index")
    if k is None:
        candidates = [s for s in (p.lhs - p.rhs).free_symbols
                      if s in ranges and not c.lhs.has(s) and not c.rhs.has(s)]
        if len(candidates) != 1:
            return False, "cannot tell the premise's index (give using={'index': k})"
        (k,) = candidates
    summed = _the_sum(c.lhs) or _the_sum(c.rhs)
    if summed is None:
        return False, "neither side of the conclusion is a single sum"
    j, low, high = summed.limits[0]
    if not _range_ok(low, high, ranges[k], ranges):
        return False, f"the sum's range {low}…{high} is not inside {k}'s range"
    count = evaluated(high - low + 1)
    if c.relation is not Relation.EQ and shown_sign(count, c.relation is Relation.LT,
                                                     ranges) is None:
        return False, "the range may be empty (or run backwards)"
    strict = p.relation is Relation.LT
    if c.relation is Relation.LT and not strict:
        return False, "a strict sum needs strict terms"
    if p.relation not in ORDER:
        return False, "the premise is not a comparison"
    fresh = Dummy("t", integer=True)  # never a variable the premise already binds
    left = Sum(evaluated(p.lhs).xreplace({k: fresh}), (fresh, low, high))
    right = Sum(evaluated(p.rhs).xreplace({k: fresh}), (fresh, low, high))
    if same(left, c.lhs, ranges) and same(right, c.rhs, ranges):
        return True, f"summed over {j} = {low}…{high}"
    return False, "the conclusion's sides are not the premise's sides summed"


def single_term(c: Claim, premises: list[Claim], data: dict, sig: Signature) -> Outcome:
    """f(j) ≥ 0 for every j in a…b, a ≤ k ≤ b ⊢ f(k) ≤ Σ_{j=a}^{b} f(j)."""
    summed = _the_sum(c.rhs)
    if premises or c.relation is not Relation.LE or summed is None:
        return False, "needs no premises and a conclusion f(k) ≤ Σ_j f(j)"
    ranges = sig.index_range
    j, low, high = summed.limits[0]
    term = summed.function
    if shown_sign(term, False, ranges) is None:
        return False, "the terms are not shown ≥ 0"
    for k in sorted(evaluated(c.lhs).free_symbols | {high}, key=str):
        if not same(term.xreplace({j: k}), c.lhs, ranges):
            continue
        first, last = (k, k) if k not in ranges else (S.One, ranges[k])
        if (shown_sign(evaluated(first - low), False, ranges) is not None
                and shown_sign(evaluated(high - last), False, ranges) is not None):
            return True, f"term {k} of a sum of terms ≥ 0"
    return False, "the left side is not a term of the sum in its range"


def _entry_of(extremum, expr, ranges) -> bool:
    n = extremum.args[1]
    for k in sorted(evaluated(expr).free_symbols | {n}, key=str):
        if (k == n or ranges.get(k) == n) and same(extremum.entry(k), expr, ranges):
            return True
    return False


def extremum_bound(c: Claim, premises: list[Claim], data: dict, sig: Signature) -> Outcome:
    """⊢ z_k ≤ max_j z_j and ⊢ min_j z_j ≤ z_k, for an index k in the vector's range."""
    if premises or c.relation is not Relation.LE:
        return False, "needs no premises and a conclusion ≤"
    high, low = evaluated(c.rhs), evaluated(c.lhs)
    if type(high) is VectorMax and _entry_of(high, low, sig.index_range):
        return True, "an entry is at most the maximum"
    if type(low) is VectorMin and _entry_of(low, high, sig.index_range):
        return True, "the minimum is at most an entry"
    return False, "not an entry against the maximum (or the minimum against an entry)"


def least_upper_bound(c: Claim, premises: list[Claim], data: dict, sig: Signature) -> Outcome:
    """z_k ρ B for every index k in 1…n (B free of k) ⊢ max_j z_j ρ B; and
    B ρ z_k for every k ⊢ B ρ min_j z_j (ρ ≤ or <: the extremum is one of the entries)."""
    if len(premises) != 1 or c.relation not in (Relation.LE, Relation.LT):
        return False, "needs one premise and a conclusion ≤ or <"
    (p,) = premises
    ranges = sig.index_range
    if p.relation not in (Relation.LE, Relation.LT) or (
            c.relation is Relation.LT and p.relation is not Relation.LT):
        return False, "the premise does not give the conclusion's relation"
    lhs, rhs = evaluated(c.lhs), evaluated(c.rhs)
    pairs = [(lhs, p.lhs, c.rhs, p.rhs, VectorMax), (rhs, p.rhs, c.lhs, p.lhs, VectorMin)]
    for extremum, entry, bound, p_bound, kind in pairs:
        if type(extremum) is not kind:
            continue
        n = extremum.args[1]
        for k in [s for s in evaluated(entry).free_symbols if ranges.get(s) == n]:
            if (not evaluated(p_bound).has(k) and same(bound, p_bound, ranges)
                    and same(extremum.entry(k), entry, ranges)):
                return True, f"the bound holds for every entry {k}"
    return False, "the premise is not a bound on a generic entry of the extremum"
