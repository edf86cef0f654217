"""Rules the kernel checks by shape: premises and conclusion are matched, side
obligations proven. Each rule's docstring is its sequent.

A rule gets the conclusion, the premises' claims (in the order the step names them) and
its parameters; it answers ``(True, what matched)`` or ``(False, why not)``. It never
sees the premises' statuses: the judge combines those (the weakest link). A rule name
the kernel does not know is not an error — the step is then ``argued``.

Matching is on evaluated forms (:func:`~whysoftmax.kernel.sums.evaluated`); where a
side must *equal* an expression, a fixed list of rewrites may show it
(:func:`~whysoftmax.kernel.facts.shown_equal`).
"""

from __future__ import annotations

import itertools

from sympy import (
    Derivative,
    Lambda,
    S,
    Symbol,
    diff,
)

from .claim import Claim, Relation, Signature
from .continuity import smooth_enough
from .domain import holds, side_conditions
from .facts import in_domain, interval_of, shown_nonpositive, shown_sign
from .matching import (
    ORDER,
    Outcome,
    Rule,
    claims_match,
    compose,
    difference,
    implied,
    replaced,
    same,
)
from .rules_analysis import (
    continuity,
    delta_split,
    interval_split,
    second_order_convexity,
    squeeze,
)
from .rules_calculus import (
    antiderivative,
    difference_quotient,
    differentiate,
    reciprocal_limit,
    zero_derivative,
)
from .rules_norms import lipschitz_from_jacobian, monotone_from_jacobian, schur_test
from .rules_sums import extremum_bound, least_upper_bound, single_term, termwise
from .sums import evaluated

# -- order and equality ------------------------------------------------------------------

def transitivity(c: Claim, premises: list[Claim], data: dict, sig: Signature) -> Outcome:
    """a₀ ρ₁ a₁, a₁ ρ₂ a₂, …, a_{m−1} ρ_m a_m ⊢ a₀ ρ a_m, ρ = < if some ρ_i is <, else ≤ if
    some is ≤, else =; an equality link may be used either way round; ρ may be weakened."""
    if c.relation not in ORDER or not premises:
        return False, "needs a comparison and at least one premise"
    ranges, current, used = sig.index_range, c.lhs, []
    for number, p in enumerate(premises, start=1):
        if p.relation not in ORDER:
            return False, f"premise {number} is not =, ≤ or <"
        if same(p.lhs, current, ranges):
            current = p.rhs
        elif p.relation is Relation.EQ and same(p.rhs, current, ranges):
            current = p.lhs
        else:
            return False, f"premise {number} does not start where the chain stands"
        used.append(p.relation)
    if not same(current, c.rhs, ranges):
        return False, "the chain does not end at the conclusion's right side"
    derived = compose(used)
    if not implied(derived, c.relation):
        return False, f"the chain gives {derived}, not {c.relation}"
    return True, f"chain of {len(premises)} link(s) gives {derived}"


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
        if claims_match(replaced(statement, swap), replaced(c, swap), sig.index_range):
            return True, f"rewrote with {len(pairs)} equalit(y/ies)"
    return False, "the statement and the conclusion differ beyond the equalities"


def combination(c: Claim, premises: list[Claim], data: dict, sig: Signature) -> Outcome:
    """P₁, …, P_k ⊢ C  when (rhs − lhs of C) − Σ c_i·(rhs − lhs of P_i) ≥ 0 with c_i ≥ 0
    for inequalities (any sign for equalities, whose difference is lhs − rhs); = needs
    only equalities and residual 0; < needs a residual > 0 or a strict premise with
    c_i > 0. Coefficients: ``coefficients``; without them, 1 for each inequality and ±1
    for each equality are tried."""
    if c.relation not in ORDER or not premises:
        return False, "needs a comparison and at least one premise"
    if any(p.relation not in ORDER or p.is_matrix for p in premises):
        return False, "premises must be scalar =, ≤ or <"
    if "coefficients" in data:
        choices = [[evaluated(x) for x in data["coefficients"]]]
        if len(choices[0]) != len(premises):
            return False, "needs one coefficient per premise"
    else:
        signs = [(1, -1) if p.relation is Relation.EQ else (1,) for p in premises]
        choices = [[S(x) for x in combo] for combo in itertools.product(*signs)]
    for number, k in enumerate(choices[0], start=1):
        for condition in side_conditions(k, sig.length):
            if not holds(condition, sig):
                return False, f"coefficient {number} is not shown defined ({condition})"
    reason = ""
    for coefficients in choices:
        ok, reason = _combine(c, premises, coefficients, sig.index_range)
        if ok:
            return True, reason
    return False, reason


def _combine(c: Claim, premises: list[Claim], coefficients: list, ranges) -> Outcome:
    combined = sum((k * difference(p) for k, p in zip(coefficients, premises, strict=True)),
                   S.Zero)
    if c.relation is Relation.EQ:
        if any(p.relation is not Relation.EQ for p in premises):
            return False, "an equality follows only from equalities"
        ok = same(difference(c), combined, ranges)
        return ok, "the combination is the conclusion" if ok else "the combination differs"
    strict_used = False
    for number, (k, p) in enumerate(zip(coefficients, premises, strict=True), start=1):
        if p.relation is Relation.EQ:
            continue
        if shown_sign(k, False, ranges) is None:
            return False, f"coefficient {number} is not shown ≥ 0"
        if p.relation is Relation.LT and shown_sign(k, True, ranges) is not None:
            strict_used = True
    residual = difference(c) - combined
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
        if interval_of(t) is None:
            return False, f"{t}'s assumptions do not make it range over an interval"
        if p.relation not in ORDER or c.relation not in ORDER:
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
        if not (same(low, c.lhs, ranges) and same(high, c.rhs, ranges)):
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


def instantiation(c: Claim, premises: list[Claim], data: dict, sig: Signature) -> Outcome:
    """P (for every value of the scalar u) ⊢ P[u := t]  for t in u's domain. Parameter
    ``map``. Vectors and functions are never instantiated: a hypothesis is about them, so
    a theorem resting on one must keep them (its scalars are quantified inside it)."""
    mapping = data.get("map", {})
    if len(premises) != 1 or not mapping:
        return False, "needs one premise and a map {symbol: value}"
    ranges = sig.index_range
    for old, new in mapping.items():
        if not isinstance(old, Symbol) or old in ranges or old in sig.minimum:
            return False, f"{old} is not a declared scalar"
        if not in_domain(new, old, ranges):
            return False, f"{new} is not shown inside the domain of {old}"
    swap = {evaluated(k): evaluated(v) for k, v in mapping.items()}
    if claims_match(instantiated(premises[0], swap), c, ranges):
        return True, f"instance at {len(swap)} value(s)"
    return False, "the conclusion is not the premise at those values"


def instantiated(claim: Claim, swap: dict) -> Claim:
    """The claim at the values ``swap`` (derivatives carried out first, so that ∂/∂c at
    c = 0 becomes a derivative at 0, not a derivative by 0)."""
    def at(e):
        if e is None:
            return None
        e = evaluated(e)
        return (e.doit(integrals=False) if e.has(Derivative) else e).subs(swap)

    return Claim(claim.relation, at(claim.lhs), at(claim.rhs), claim.variable,
                 at(claim.point), claim.direction)



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
    "second-order convexity": second_order_convexity,
    "differentiate": differentiate,
    "zero derivative": zero_derivative,
    "difference quotient": difference_quotient,
    "antiderivative": antiderivative,
    "reciprocal limit": reciprocal_limit,
    "Schur test": schur_test,
    "Lipschitz from the Jacobian": lipschitz_from_jacobian,
    "monotone from the Jacobian": monotone_from_jacobian,
}

