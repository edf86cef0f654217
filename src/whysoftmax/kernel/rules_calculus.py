"""Rules of calculus on whole identities (each docstring is its sequent).

A declared function (``d.function``) is differentiable by declaration; every other
function must be one of the smooth elementary ones, and defined on the variable's domain.
"""

from __future__ import annotations

from sympy import Derivative, Integral, Interval, oo

from .claim import Claim, Relation, Signature
from .continuity import differentiable, smooth_enough
from .facts import in_domain, interval_of, shown_equal
from .limits import approachable, directions, limit_value
from .matching import Outcome, same
from .sums import evaluated


def _open_domain(x) -> bool:
    """The variable ranges over an open interval (ℝ, (0, ∞) or (−∞, 0))."""
    domain = interval_of(x)
    return domain is not None and domain.is_open


def differentiate(c: Claim, premises: list[Claim], data: dict, sig: Signature) -> Outcome:
    """A = B for every x in an open interval, A and B differentiable ⊢ ∂A/∂x = ∂B/∂x.
    Parameter ``variable`` (x)."""
    x = data.get("variable")
    if x is None or len(premises) != 1 or premises[0].relation is not Relation.EQ:
        return False, "needs one equality and the variable"
    (p,) = premises
    if c.relation is not Relation.EQ or not _open_domain(x) or x in sig.index_range:
        return False, "needs a conclusion = and a real variable on an open interval"
    for side in (p.lhs, p.rhs):
        problem = differentiable(side, (x,), sig)
        if problem:
            return False, problem
    if same(c.lhs, Derivative(p.lhs, x).doit(integrals=False), sig.index_range) and same(
            c.rhs, Derivative(p.rhs, x).doit(integrals=False), sig.index_range):
        return True, f"both sides differentiated by {x}"
    return False, "the conclusion is not the premise's sides differentiated"


def zero_derivative(c: Claim, premises: list[Claim], data: dict, sig: Signature) -> Outcome:
    """∂h/∂x = 0 for every x in an interval I, h differentiable on I ⊢ h = h(a) for a in I
    (the mean value theorem). Parameters ``variable`` (x) and ``at`` (a)."""
    x, a = data.get("variable"), data.get("at")
    if x is None or a is None or len(premises) != 1:
        return False, "needs one premise, the variable and the point"
    (p,) = premises
    derivative = evaluated(p.lhs)
    if (p.relation is not Relation.EQ or not same(p.rhs, 0, sig.index_range)
            or not isinstance(derivative, Derivative) or derivative.variable_count != ((x, 1),)):
        return False, "the premise is not ∂h/∂x = 0"
    if not _open_domain(x) or not in_domain(a, x, sig.index_range):
        return False, f"{a} is not shown inside {x}'s interval {interval_of(x)}"
    h = derivative.expr
    problem = differentiable(h, (x,), sig)
    if problem:
        return False, problem
    if c.relation is Relation.EQ and same(c.lhs, h, sig.index_range) and same(
            c.rhs, evaluated(h).subs(x, a), sig.index_range):
        return True, f"constant on {interval_of(x)}"
    return False, "the conclusion is not h = h(a)"


def difference_quotient(c: Claim, premises: list[Claim], data: dict,
                        sig: Signature) -> Outcome:
    """F differentiable around a ⊢ lim_{x→a} (F(x) − F(a))/(x − a) = F′(a).
    Parameter ``F`` (an expression in the limit's variable)."""
    F = data.get("F")
    if c.relation is not Relation.LIMIT or premises or F is None or c.point in (oo, -oo):
        return False, "needs a limit at a finite point, no premises and F"
    if approachable(c):
        return False, approachable(c)
    x, a = c.variable, evaluated(c.point)
    problem = differentiable(F, (x,), sig)
    if problem:
        return False, problem
    quotient = (evaluated(F) - evaluated(F).subs(x, a)) / (x - a)
    slope = Derivative(evaluated(F), x).doit(integrals=False).subs(x, a)
    if same(c.lhs, quotient, sig.index_range) and same(c.rhs, slope, sig.index_range):
        return True, "the derivative at the point"
    return False, "the conclusion is not F's difference quotient and derivative"


def antiderivative(c: Claim, premises: list[Claim], data: dict, sig: Signature) -> Outcome:
    """F′ = f on (a, b) ⊆ dom x, F differentiable and f continuous there, F(a⁺) and F(b⁻)
    finite ⊢ ∫_a^b f dx = F(b⁻) − F(a⁺) (the fundamental theorem of calculus; an improper
    Riemann integral where an end is infinite). Parameter ``F``.

    ``F′ = f`` is proven by a rewrite of ``∂F/∂x − f`` to 0; the one-sided limits are
    SymPy's, with the sums that do not move with x standing as symbols of their sign.
    """
    F = data.get("F")
    integral = evaluated(c.lhs)
    if F is None or premises or c.relation is not Relation.EQ:
        return False, "needs an equality, no premises and F"
    if not isinstance(integral, Integral) or len(integral.limits) != 1 or len(
            integral.limits[0]) != 3:
        return False, "the left side is not one definite integral ∫_a^b f dx"
    (x, a, b), f = integral.limits[0], integral.function
    domain = interval_of(x)
    if domain is None or (b - a).is_extended_positive is not True or Interval.open(
            a, b).is_subset(domain) is not True:
        return False, f"({a}, {b}) is not shown to be an interval inside {x}'s domain"
    for problem in (differentiable(F, (x,), sig), smooth_enough(f, x, sig)):
        if problem:
            return False, problem
    if shown_equal(Derivative(evaluated(F), x).doit(integrals=False), f, sig.index_range) is None:
        return False, "F′ = f is not shown"
    ends = [limit_value(F, x, point, None if point in (oo, -oo) else side, sig.index_range)
            for point, side in ((b, "-"), (a, "+"))]
    if any(e is None or e.has(oo, -oo) for e in ends):
        return False, "F has no finite limit at an end of the interval"
    if shown_equal(c.rhs, ends[0] - ends[1], sig.index_range) is None:
        return False, f"the right side is not F(b⁻) − F(a⁺) = {ends[0] - ends[1]}"
    return True, "F′ = f, and F's limits at the ends"


def reciprocal_limit(c: Claim, premises: list[Claim], data: dict, sig: Signature) -> Outcome:
    """lim_{u→0⁺} g(u) = L ⊢ lim_{T→∞} g(1/T) = L  (as T → ∞, 1/T → 0 from above).
    The premise may be two-sided."""
    if len(premises) != 1 or premises[0].relation is not Relation.LIMIT or (
            c.relation is not Relation.LIMIT):
        return False, "needs a limit as premise and as conclusion"
    (p,) = premises
    u, T = p.variable, c.variable
    if evaluated(p.point) != 0 or "+" not in directions(p) or approachable(p):
        return False, "the premise is not a limit at 0 from above"  # (u < 0: from below)
    if c.point != oo or approachable(c) or interval_of(T) is None:
        return False, "the conclusion is not a limit as a real variable → ∞"
    if not (same(c.lhs, evaluated(p.lhs).xreplace({u: 1 / T}), sig.index_range)
            and same(c.rhs, p.rhs, sig.index_range)):
        return False, "the conclusion is not the premise at u = 1/T"
    return True, f"{u} = 1/{T} → 0⁺"
