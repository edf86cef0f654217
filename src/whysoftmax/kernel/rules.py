"""Rules the kernel checks by shape: premises and conclusion are matched, side
obligations proven. Each rule's docstring is its sequent.

A rule gets the conclusion, the premises' claims (in the order the step names them) and
its parameters; it answers ``(True, what matched)`` or ``(False, why not)``. It never
sees the premises' statuses: the judge combines those (the weakest link). A rule name
the kernel does not know is not an error — the step is then ``argued``.

Matching is on evaluated forms (:func:`~whysoftmax.kernel.rewrites.evaluated`); where a
side must *equal* an expression, a fixed list of rewrites may show it
(:func:`~whysoftmax.kernel.facts.shown_equal`).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

from sympy import (
    Indexed,
    KroneckerDelta,
    Lambda,
    S,
    Sum,
    Symbol,
    Union,
    diff,
    oo,
)
from sympy.calculus.util import function_range

from .claim import Claim, Relation, Signature
from .facts import in_domain, shown_equal, shown_nonpositive, shown_sign
from .rewrites import evaluated
from .rules_continuity import continuous_at, smooth_enough
from .vectors import VectorMax, VectorMin

Outcome = tuple[bool, str]
Rule = Callable[[Claim, list[Claim], dict[str, Any], Signature], Outcome]
_ORDER = (Relation.EQ, Relation.LE, Relation.LT)


def _same(a, b, ranges) -> bool:
    return shown_equal(a, b, ranges) is not None


def _compose(relations) -> Relation:
    if Relation.LT in relations:
        return Relation.LT
    return Relation.LE if Relation.LE in relations else Relation.EQ


def _implied(derived: Relation, claimed: Relation) -> bool:
    """``a derived b`` implies ``a claimed b`` (= ⇒ ≤, < ⇒ ≤)."""
    return derived is claimed or (claimed is Relation.LE and derived in _ORDER)


# -- order and equality ------------------------------------------------------------------

def transitivity(c: Claim, premises: list[Claim], data: dict, sig: Signature) -> Outcome:
    """a₀ ρ₁ a₁, a₁ ρ₂ a₂, …, a_{m−1} ρ_m a_m ⊢ a₀ ρ a_m, ρ = < if some ρ_i is <, else ≤ if
    some is ≤, else =; an equality link may be used either way round; ρ may be weakened."""
    if c.relation not in _ORDER or not premises:
        return False, "needs a comparison and at least one premise"
    ranges, current, used = sig.index_range, c.lhs, []
    for number, p in enumerate(premises, start=1):
        if p.relation not in _ORDER:
            return False, f"premise {number} is not =, ≤ or <"
        if _same(p.lhs, current, ranges):
            current = p.rhs
        elif p.relation is Relation.EQ and _same(p.rhs, current, ranges):
            current = p.lhs
        else:
            return False, f"premise {number} does not start where the chain stands"
        used.append(p.relation)
    if not _same(current, c.rhs, ranges):
        return False, "the chain does not end at the conclusion's right side"
    derived = _compose(used)
    if not _implied(derived, c.relation):
        return False, f"the chain gives {derived}, not {c.relation}"
    return True, f"chain of {len(premises)} link(s) gives {derived}"


def _replaced(claim: Claim, swap: dict) -> Claim:
    def r(e):
        return None if e is None else evaluated(e).xreplace(swap)

    return Claim(claim.relation, r(claim.lhs), r(claim.rhs), claim.variable, r(claim.point),
                 claim.direction, claim.refuted, claim.witness)


def _claims_match(a: Claim, b: Claim, ranges) -> bool:
    if (a.relation, a.variable, a.direction) != (b.relation, b.variable, b.direction):
        return False
    if (a.point is None) != (b.point is None) or (a.point is not None and a.point != b.point):
        return False
    return _same(a.lhs, b.lhs, ranges) and (
        (a.rhs is None and b.rhs is None) or _same(a.rhs, b.rhs, ranges))


def substitution(c: Claim, premises: list[Claim], data: dict, sig: Signature) -> Outcome:
    """a₁ = b₁, …, a_k = b_k, P ⊢ C  when P and C become the same claim once every a_i is
    replaced by b_i (or every b_i by a_i): a proven equality may be used anywhere."""
    *equalities, statement = premises or [None]
    if statement is None or any(e.relation is not Relation.EQ or e.is_matrix
                                for e in equalities):
        return False, "needs equalities followed by the statement they rewrite"
    pairs = [(evaluated(e.lhs), evaluated(e.rhs)) for e in equalities]
    for directions in itertools.product((0, 1), repeat=len(pairs)):
        swap = {p[d]: p[1 - d] for p, d in zip(pairs, directions, strict=True)}
        if _claims_match(_replaced(statement, swap), _replaced(c, swap), sig.index_range):
            return True, f"rewrote with {len(pairs)} equalit(y/ies)"
    return False, "the statement and the conclusion differ beyond the equalities"


def _difference(claim: Claim):
    return evaluated(claim.lhs - claim.rhs if claim.relation is Relation.EQ
                     else claim.rhs - claim.lhs)


def combination(c: Claim, premises: list[Claim], data: dict, sig: Signature) -> Outcome:
    """P₁, …, P_k ⊢ C  when (rhs − lhs of C) − Σ c_i·(rhs − lhs of P_i) ≥ 0 with c_i ≥ 0
    for inequalities (any sign for equalities, whose difference is lhs − rhs); = needs
    only equalities and residual 0; < needs a residual > 0 or a strict premise with
    c_i > 0. Coefficients: ``coefficients``; without them, 1 for each inequality and ±1
    for each equality are tried."""
    if c.relation not in _ORDER or not premises:
        return False, "needs a comparison and at least one premise"
    if any(p.relation not in _ORDER or p.is_matrix for p in premises):
        return False, "premises must be scalar =, ≤ or <"
    if "coefficients" in data:
        choices = [[evaluated(x) for x in data["coefficients"]]]
        if len(choices[0]) != len(premises):
            return False, "needs one coefficient per premise"
    else:
        signs = [(1, -1) if p.relation is Relation.EQ else (1,) for p in premises]
        choices = [[S(x) for x in combo] for combo in itertools.product(*signs)]
    reason = ""
    for coefficients in choices:
        ok, reason = _combine(c, premises, coefficients, sig.index_range)
        if ok:
            return True, reason
    return False, reason


def _combine(c: Claim, premises: list[Claim], coefficients: list, ranges) -> Outcome:
    combined = sum((k * _difference(p) for k, p in zip(coefficients, premises, strict=True)),
                   S.Zero)
    if c.relation is Relation.EQ:
        if any(p.relation is not Relation.EQ for p in premises):
            return False, "an equality follows only from equalities"
        ok = _same(_difference(c), combined, ranges)
        return ok, "the combination is the conclusion" if ok else "the combination differs"
    strict_used = False
    for number, (k, p) in enumerate(zip(coefficients, premises, strict=True), start=1):
        if p.relation is Relation.EQ:
            continue
        if shown_sign(k, False, ranges) is None:
            return False, f"coefficient {number} is not shown ≥ 0"
        if p.relation is Relation.LT and shown_sign(k, True, ranges) is not None:
            strict_used = True
    residual = _difference(c) - combined
    strict = c.relation is Relation.LT and not strict_used
    ok = shown_sign(residual, strict, ranges) is not None
    return ok, "residual shown ≥ 0" if ok else "the residual is not shown ≥ 0 (> 0)"


def _monotone(direction: int) -> Rule:
    def rule(c: Claim, premises: list[Claim], data: dict, sig: Signature) -> Outcome:
        f = data.get("f")
        if not isinstance(f, Lambda) or len(f.variables) != 1 or len(premises) != 1:
            return False, "needs one premise a ρ b and a one-variable Lambda f"
        (t,) = f.variables
        (p,) = premises
        ranges = sig.index_range
        if p.relation not in _ORDER or c.relation not in _ORDER:
            return False, "premise and conclusion must be comparisons"
        problem = smooth_enough(f.expr, t, sig)
        if problem:
            return False, problem
        slope = evaluated(diff(evaluated(f.expr), t))
        strict = p.relation is Relation.LT and c.relation is Relation.LT
        shown = (shown_sign(slope, strict, ranges) if direction > 0
                 else shown_nonpositive(slope, strict, ranges))
        if shown is None:
            return False, f"f′ = {slope} is not shown {'>' if strict else '≥'} 0" if direction > 0 \
                else f"f′ = {slope} is not shown {'<' if strict else '≤'} 0"
        if not (in_domain(p.lhs, t, ranges) and in_domain(p.rhs, t, ranges)):
            return False, "a side of the premise is not shown inside f's interval"
        low, high = (f(p.lhs), f(p.rhs)) if direction > 0 else (f(p.rhs), f(p.lhs))
        if c.relation is Relation.EQ and p.relation is not Relation.EQ:
            return False, "an inequality does not give an equality"
        if not (_same(low, c.lhs, ranges) and _same(high, c.rhs, ranges)):
            return False, "the conclusion is not f applied to the premise's sides"
        return True, "f′ " + ("≥ 0" if direction > 0 else "≤ 0") + " on an interval holding both"

    rule.__doc__ = (
        "a ρ b, f′ ≥ 0 on an interval I ∋ a, b (f continuous there) ⊢ f(a) ρ f(b); strict "
        "needs f′ > 0. Parameter ``f``: a Lambda whose variable's assumptions give I."
        if direction > 0 else
        "a ρ b, f′ ≤ 0 on an interval I ∋ a, b (f continuous there) ⊢ f(b) ρ f(a); strict "
        "needs f′ < 0. Parameter ``f``: a Lambda whose variable's assumptions give I."
    )
    return rule


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
    1 ≤ a, b ≤ n and b ≥ a − 1 (b ≥ a when ρ is <). A side may be given summed (n − 1)."""
    if len(premises) != 1 or c.relation not in (Relation.LE, Relation.LT):
        return False, "needs one premise and a conclusion ≤ or <"
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
    if shown_sign(count, c.relation is Relation.LT, ranges) is None:
        return False, "the range may be empty (or run backwards)"
    strict = p.relation is Relation.LT
    if c.relation is Relation.LT and not strict:
        return False, "a strict sum needs strict terms"
    if p.relation not in _ORDER:
        return False, "the premise is not a comparison"
    left = Sum(evaluated(p.lhs).xreplace({k: j}), (j, low, high))
    right = Sum(evaluated(p.rhs).xreplace({k: j}), (j, low, high))
    if _same(left, c.lhs, ranges) and _same(right, c.rhs, ranges):
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
        if not _same(term.xreplace({j: k}), c.lhs, ranges):
            continue
        first, last = (k, k) if k not in ranges else (S.One, ranges[k])
        if (shown_sign(evaluated(first - low), False, ranges) is not None
                and shown_sign(evaluated(high - last), False, ranges) is not None):
            return True, f"term {k} of a sum of terms ≥ 0"
    return False, "the left side is not a term of the sum in its range"


def _entry_of(extremum, expr, ranges) -> bool:
    n = extremum.args[1]
    for k in sorted(evaluated(expr).free_symbols | {n}, key=str):
        if (k == n or ranges.get(k) == n) and _same(extremum.entry(k), expr, ranges):
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
            if (not evaluated(p_bound).has(k) and _same(bound, p_bound, ranges)
                    and _same(extremum.entry(k), entry, ranges)):
                return True, f"the bound holds for every entry {k}"
    return False, "the premise is not a bound on a generic entry of the extremum"


# -- case splits -------------------------------------------------------------------------

def delta_split(c: Claim, premises: list[Claim], data: dict, sig: Signature) -> Outcome:
    """C[b := a], C[δ_ab := 0] ⊢ C  (the cases a = b and a ≠ b of indices a, b)."""
    deltas = sorted(evaluated(c.lhs - c.rhs).atoms(KroneckerDelta), key=str) \
        if c.relation in _ORDER else []
    if "delta" in data:
        deltas = [evaluated(data["delta"])]
    if len(premises) != 2 or len(deltas) != 1:
        return False, "needs two premises and one Kronecker δ to split on"
    (delta,) = deltas
    a, b = delta.args
    ranges = sig.index_range
    if not (isinstance(b, Symbol) and isinstance(a, Symbol)):
        return False, "the δ's arguments are not indices"
    equal_case = _replaced(c, {b: a})
    other_case = _replaced(c, {delta: S.Zero})
    first, second = premises
    for same_case, other in ((first, second), (second, first)):
        if _claims_match(same_case, equal_case, ranges) or _claims_match(
                same_case, _replaced(c, {a: b}), ranges):
            if _claims_match(other, other_case, ranges):
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
        if not _claims_match(p, _replaced(c, {x: evaluated(mapped)}), ranges):
            return False, f"premise {number} is not the claim at its case map"
        offset = evaluated(mapped - around)
        new = [s for s in offset.free_symbols if s not in own]
        if not new:
            if not offset.is_number:
                return False, f"case {number} does not lie at a fixed offset"
            images.append(S(offset).as_set() if hasattr(offset, "as_set") else {offset})
            continue
        if len(new) != 1:
            return False, f"case {number} uses more than one new variable"
        (u,) = new
        images.append(function_range(offset, u, _interval(u)))
    covered = Union(*[i if not isinstance(i, set) else S.Reals.intersect(i) for i in images])
    if (S.Reals - covered) is S.EmptySet:
        return True, f"{len(premises)} cases cover ℝ"
    return False, f"the cases cover {covered}, not ℝ"


def _interval(u: Symbol):
    from sympy import Interval

    if u.is_positive:
        return Interval.open(0, oo)
    if u.is_nonnegative:
        return Interval(0, oo)
    if u.is_negative:
        return Interval.open(-oo, 0)
    if u.is_nonpositive:
        return Interval(-oo, 0)
    return S.Reals


# -- limits ------------------------------------------------------------------------------

def _direction_covers(premise: Claim, c: Claim) -> bool:
    return premise.direction in ("+-", c.direction) or c.point in (oo, -oo)


def squeeze(c: Claim, premises: list[Claim], data: dict, sig: Signature) -> Outcome:
    """L ≤ f, f ≤ U (for every value), L → v, U → v (a constant bound equal to v needs no
    limit) ⊢ f → v; the same variable, point and direction (two-sided covers one-sided)."""
    if c.relation is not Relation.LIMIT:
        return False, "the conclusion is not a limit"
    ranges, f, value = sig.index_range, c.lhs, c.rhs
    lower = upper = None
    limits = []
    for p in premises:
        if p.relation in (Relation.LE, Relation.LT):
            if _same(p.rhs, f, ranges):
                lower = p.lhs
            elif _same(p.lhs, f, ranges):
                upper = p.rhs
        elif p.relation is Relation.LIMIT:
            if p.variable == c.variable and p.point == c.point and _direction_covers(p, c):
                limits.append(p)

    def tends(bound) -> bool:
        if not evaluated(bound).has(c.variable) and _same(bound, value, ranges):
            return True
        return any(_same(q.lhs, bound, ranges) and _same(q.rhs, value, ranges) for q in limits)

    if lower is None or upper is None:
        return False, "missing a lower or an upper bound on the expression"
    if not (tends(lower) and tends(upper)):
        return False, "a bound's limit is not among the premises (or differs from the value)"
    return True, "squeezed between two bounds with the same limit"


def continuity(c: Claim, premises: list[Claim], data: dict, sig: Signature) -> Outcome:
    """f built from continuous functions and defined around a ⊢ lim_{x→a} f = f(a)."""
    if c.relation is not Relation.LIMIT or premises or c.point in (oo, -oo):
        return False, "needs a limit at a finite point and no premises"
    problem = continuous_at(c.lhs, c.variable, c.point, sig)
    if problem:
        return False, problem
    at = evaluated(c.lhs).subs(c.variable, c.point)
    if not _same(at, c.rhs, sig.index_range):
        return False, "the value is not f at the point"
    return True, "continuous at the point"


def instantiation(c: Claim, premises: list[Claim], data: dict, sig: Signature) -> Outcome:
    """P (for every value of u) ⊢ P[u := t]  for t in u's domain. Parameter ``map``."""
    mapping = data.get("map", {})
    if len(premises) != 1 or not mapping:
        return False, "needs one premise and a map {symbol: value}"
    ranges = sig.index_range
    for old, new in mapping.items():
        if not isinstance(old, (Symbol, Indexed)) or old in ranges or old in sig.minimum:
            return False, f"{old} is not a declared scalar or vector entry"
        if not in_domain(new, old, ranges):
            return False, f"{new} is not shown inside the domain of {old}"
    swap = {evaluated(k): evaluated(v) for k, v in mapping.items()}
    if _claims_match(_replaced(premises[0], swap), c, ranges):
        return True, f"instance at {len(swap)} value(s)"
    return False, "the conclusion is not the premise at those values"


#: The rules by name, with the names the catalog's prose used for them.
RULES: dict[str, Rule] = {
    "transitivity": transitivity,
    "weakening": transitivity,
    "substitution": substitution,
    "positive combination": combination,
    "monotone": _monotone(+1),
    "increasing": _monotone(+1),
    "decreasing": _monotone(-1),
    "termwise": termwise,
    "termwise comparison of sums": termwise,
    "single term": single_term,
    "extremum bound": extremum_bound,
    "least upper bound": least_upper_bound,
    "delta case split": delta_split,
    "interval case split": interval_split,
    "squeeze": squeeze,
    "continuity": continuity,
    "instantiation": instantiation,
}

