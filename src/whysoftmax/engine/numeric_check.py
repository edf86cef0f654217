"""The numeric cross-check: both sides of a claim in mpmath at high precision.

It runs after every proof too, because it double-checks the whole chain: a claim the
kernel proved but the numbers contradict is an engine error. It is independent where it
can be: a derivative is evaluated by numerical differentiation (``mpmath.diff``), never
by SymPy's ``diff``, and a vector maximum from the entries' values.

At each point the violation of the claim is measured relative to ``max(1, |lhs|,
|rhs|)``. A violation above ``10^(10 − dps)`` is re-evaluated at three times the
precision: rounding error shrinks by ``10^(2·dps)``, a genuine difference does not, and
only that counts. ``<`` is checked strictly (equal sides violate it). A point where a
side is undefined is a *finding* — a counterexample — unless one of the claim's stated
side conditions fails there (then the point is excluded, and counted).

Limits: :mod:`whysoftmax.engine.numeric_limits`.
"""

from __future__ import annotations

import functools
import random
from collections.abc import Callable
from dataclasses import dataclass, field

import mpmath
from sympy import (
    Basic,
    Derivative,
    Dummy,
    Indexed,
    IndexedBase,
    Integer,
    Integral,
    MatrixBase,
    Rational,
    Subs,
    Symbol,
)
from sympy import lambdify as sympy_lambdify

from ..kernel import Condition, Evidence, Relation, Signature
from ..kernel.instances import dimensions_of, expand_finite_sums, indices_of
from ..kernel.sums import evaluated
from ..kernel.vectors import VectorMax
from .sampling import (
    ADVERSARIAL,
    QUADRATURE_PATTERNS,
    index_samples,
    sample_points,
    sizes_for,
)


@dataclass
class Counterexample:
    """A point where a claim does not hold, with both sides' values."""

    point: dict[str, str]
    lhs: str
    rhs: str
    reason: str = ""

    def __str__(self) -> str:
        where = ", ".join(f"{k}={v}" for k, v in self.point.items())
        text = f"at {where}: lhs = {self.lhs}, rhs = {self.rhs}"
        return f"{text} ({self.reason})" if self.reason else text


@dataclass
class NumericReport:
    """What the numeric check did and found."""

    dps: int
    points: int = 0
    excluded: int = 0
    sizes: list[int] = field(default_factory=list)
    max_discrepancy: float = 0.0
    counterexample: Counterexample | None = None
    quadrature: bool = False

    def summary(self) -> str:
        if self.counterexample is not None:
            return f"counterexample {self.counterexample}"
        sizes = f", n={','.join(map(str, self.sizes))}" if self.sizes else ""
        excluded = f", {self.excluded} excluded by its conditions" if self.excluded else ""
        how = " (integrals by quadrature, moderate points)" if self.quadrature else ""
        return (f"{self.points} pts, {self.dps} digits{sizes}{how}, "
                f"max Δ {self.max_discrepancy:.1e}{excluded}")

    def merged_into(self, other: NumericReport) -> None:
        self.points += other.points
        self.excluded += other.excluded
        self.sizes += [n for n in other.sizes if n not in self.sizes]
        self.max_discrepancy = max(self.max_discrepancy, other.max_discrepancy)
        self.quadrature = self.quadrature or other.quadrature

    def evidence(self) -> Evidence:
        shown = None if self.counterexample is None else str(self.counterexample)
        return Evidence(self.points, shown, self.summary())


def merged(reports: list[NumericReport]) -> NumericReport:
    """One report for the same claim checked on several substitutions."""
    total = NumericReport(reports[0].dps)
    for report in reports:
        total.merged_into(report)
    return total


def _fmt(value) -> str:
    return mpmath.nstr(value, 12) if isinstance(value, (mpmath.mpf, mpmath.mpc)) else str(value)


# -- instances ----------------------------------------------------------------------------

@functools.lru_cache(maxsize=256)
def _evaluated(expr):
    """:func:`evaluated` once per side, not once per instance."""
    return evaluated(expr)


def _outermost_derivatives(expr) -> list[Derivative]:
    found = list(expr.atoms(Derivative)) if isinstance(expr, Basic) else []
    return [d for d in found if not any(o != d and o.has(d) for o in found)]


def _done(expr):
    """Carry out sums and other ``doit`` work, keeping each vector maximum as an object
    and each integral as an integral (its integrand done): mpmath integrates it by
    quadrature, SymPy never does."""
    integrals = {g: Dummy("integral") for g in expr.atoms(Integral)
                 if not any(o != g and o.has(g) for o in expr.atoms(Integral))}
    maxima = {m: Dummy("max") for m in expr.atoms(VectorMax)}
    replaced = expr.xreplace(integrals).xreplace(maxima)
    for _ in range(4):
        done = expand_finite_sums(replaced).doit()
        if done == replaced:
            break
        replaced = done
    back = {d: m if isinstance(m.args[0], IndexedBase) else m.entries_extremum()
            for m, d in maxima.items()}
    back.update({d: Integral(_done(g.function), *[(v, *map(_done, ends)) for v, *ends
                                                   in g.limits]) for g, d in integrals.items()})
    return replaced.xreplace(back)


#: Beyond this magnitude an exponent is not worth computing: e^(−10^1000) is 0 next to
#: anything the check compares (and mpmath would build a power of two with 10^1000 bits
#: for e^(−e^(2300)), a value quadrature meets far out on an infinite range).
_HUGE_EXPONENT = mpmath.mpf(10) ** 1000


def _exp(a):
    """mpmath's exp, with e^a for a below −10^1000 taken as 0 and above 10^1000 refused."""
    if mpmath.re(a) < -_HUGE_EXPONENT:
        return mpmath.mpf(0)
    if mpmath.re(a) > _HUGE_EXPONENT:
        raise OverflowError("exponent beyond 10^1000")
    return mpmath.exp(a)


_MODULES = [{"exp": _exp}, "mpmath"]
#: A quadrature at 50 and 150 digits costs ~0.1-1 s: integrals are checked on the first
#: four instances (sizes), at one random point and the quadrature patterns each.
QUADRATURE_INSTANCES = 4


class Evaluator:
    """The sides of one instance as an mpmath function of a point (atom → value).

    Each outermost derivative is a separate function differentiated numerically;
    each vector maximum is computed from the point's entries.
    """

    def __init__(self, sides: list, values: dict[Symbol, int]):
        entries = []
        for side in sides:
            entries += list(side) if isinstance(side, MatrixBase) else [side]
        # xreplace, not subs: subs turns d/dz_k at k = 1 into Subs(d/dξ, ξ, z_1); a
        # derivative at a point (Subs) is taken symbolically first
        entries = [_evaluated(e).xreplace({k: Integer(v) for k, v in values.items()})
                   .replace(lambda x: isinstance(x, Subs), lambda x: x.doit())
                   for e in entries]
        derivatives = sorted({d for e in entries for d in _outermost_derivatives(e)}, key=str)
        self.slots = {d: Dummy("D") for d in derivatives}
        self.flat = [_done(e.xreplace(self.slots)) for e in entries]
        self.inner = [(_done(d.expr), d.variable_count) for d in derivatives]
        exprs = self.flat + [inner for inner, _ in self.inner]
        self.integrates = any(e.has(Integral) for e in exprs)
        self.maxima = sorted({m for e in exprs for m in e.atoms(VectorMax)}, key=str)
        atoms = set()
        for e in exprs:
            atoms |= e.atoms(Indexed) | {s for s in e.free_symbols if isinstance(s, Symbol)}
            for m in e.atoms(VectorMax):
                atoms |= {m.entry(q) for q in range(1, int(m.args[1]) + 1)}
        atoms |= {v for _, counts in self.inner for v, _ in counts}
        atoms -= set(self.slots.values())
        atoms -= {a.base.label for a in atoms if isinstance(a, Indexed)}
        self.atoms = sorted(atoms, key=str)
        self.args = [Dummy() for _ in self.atoms] + [Dummy() for _ in self.maxima]
        swap = dict(zip([*self.atoms, *self.maxima], self.args, strict=True))
        slot_args = list(self.slots.values())
        self.main = sympy_lambdify(self.args + slot_args, [e.xreplace(swap) for e in self.flat],
                                   modules=_MODULES,
                                   cse=not any(e.has(Integral) for e in self.flat))
        self.parts = [(sympy_lambdify(self.args, inner.xreplace(swap), modules=_MODULES),
                       [(self.atoms.index(v), n) for v, n in counts])
                      for inner, counts in self.inner]

    def _base(self, point: dict) -> list:
        values = [point[a] for a in self.atoms]
        values += [m.of_numbers(point[m.entry(q)] for q in range(1, int(m.args[1]) + 1))
                   for m in self.maxima]
        return values

    def exact(self, point: dict, q: int, width: int):
        """``rhs − lhs`` of entry ``q`` at the point, exactly (SymPy, the point's binary
        values as rationals), or None where a derivative makes that impossible."""
        if self.slots:
            return None

        def rational(value):
            man, exp = mpmath.mpf(value).man_exp
            return Rational(man) * Rational(2) ** exp

        swap = {a: rational(point[a]) for a in self.atoms}
        for m in self.maxima:
            swap[m] = m.of_numbers(swap[m.entry(r)] for r in range(1, int(m.args[1]) + 1))
        left, right = (self.flat[i].xreplace(swap) for i in (q, width + q))
        return right - left

    def __call__(self, point: dict) -> list:
        base = self._base(point)
        slots = []
        for fn, wrt in self.parts:
            places = [q for q, _ in wrt]
            orders = [n for _, n in wrt]

            def g(*xs, fn=fn, places=places):
                changed = {self.atoms[q]: x for q, x in zip(places, xs, strict=True)}
                return fn(*self._base({**point, **changed}))

            at = [base[q] for q in places]
            slots.append(mpmath.diff(g, at if len(at) > 1 else at[0],
                                     orders if len(at) > 1 else orders[0]))
        return self.main(*base, *slots)


def evaluate_at(fn: Callable, point: dict):
    try:
        return fn(point), None
    except (ZeroDivisionError, ValueError, OverflowError, TypeError) as error:
        return None, error


def is_finite(x) -> bool:
    return bool(mpmath.isfinite(x))


def _scale(a, b):
    return max(mpmath.mpf(1), abs(a), abs(b))


def _violations(relation: Relation, values: list, width: int) -> list | None:
    """The violation at each entry (0: holds), or None where a side is undefined."""
    out = []
    for left, right in zip(values[:width], values[width:], strict=True):
        if not (is_finite(left) and is_finite(right)):
            return None
        if relation is Relation.EQ:
            out.append(abs(left - right) / _scale(left, right))
            continue
        if mpmath.im(left) != 0 or mpmath.im(right) != 0:
            return None  # an ordering between complex numbers is undefined
        left, right = mpmath.re(left), mpmath.re(right)
        gap = (right - left) / _scale(left, right)
        if relation is Relation.LE:
            out.append(max(mpmath.mpf(0), -gap))
        else:  # equal sides violate <: an exact tie counts as a full violation
            out.append(mpmath.mpf(1) if gap == 0 else max(mpmath.mpf(0), -gap))
    return out


class Exclusions:
    """The claim's open side conditions at one instance: does a point fall outside?"""

    def __init__(self, conditions: list[Condition], values: dict[Symbol, int]):
        self.opaque = any(c.expr is None for c in conditions)
        self.checks = []
        subs = {k: Integer(v) for k, v in values.items()}
        for condition in conditions:
            if condition.expr is None:
                continue
            exprs = [evaluated(condition.expr).subs(subs)]
            for var, low, high in condition.bound:
                lo, hi = int(evaluated(low).subs(subs)), int(evaluated(high).subs(subs))
                exprs = [e.subs(var, q) for e in exprs for q in range(lo, hi + 1)]
            for e in exprs:
                ev = Evaluator([_done(e)], {})
                self.checks.append((ev, condition.relation))

    def excludes(self, point: dict) -> bool:
        if self.opaque:
            return True
        tiny = mpmath.mpf(10) ** (10 - mpmath.mp.dps)
        for ev, relation in self.checks:
            values, error = evaluate_at(ev, {a: point.get(a, 0) for a in ev.atoms})
            if error is not None or not is_finite(values[0]) or mpmath.im(values[0]) != 0:
                return True
            v = mpmath.re(values[0])
            if (relation == "≠" and abs(v) <= tiny) or (relation == ">" and v <= tiny) or (
                    relation == "≥" and v < -tiny):
                return True
        return False


def counterexample_at(labels: dict, point: dict, left, right, reason="") -> Counterexample:
    shown = {str(k): str(v) for k, v in labels.items()}
    shown.update({str(a): _fmt(v) for a, v in point.items()})
    return Counterexample(shown, _fmt(left), _fmt(right), reason)


def sampled_instances(signature: Signature, sides: list, rng: random.Random):
    dims = dimensions_of(signature, sides)
    idx = indices_of(signature, sides)
    minimum = {d: signature.minimum.get(d, 1) for d in dims}
    for chosen in sizes_for(minimum, rng):
        ranges = [range(1, chosen[signature.index_range[i]] + 1) for i in idx]
        if any(len(r) == 0 for r in ranges):
            continue  # a dimension of size 0 has no index
        for t in index_samples(ranges, rng):
            yield {**chosen, **dict(zip(idx, t, strict=True))}


# -- relations ----------------------------------------------------------------------------

def check_relation(claim, signature: Signature, conditions: list[Condition], *, dps: int,
                   count: int, rng: random.Random) -> NumericReport:
    """Evaluate ``lhs ρ rhs`` at sampled instances and points."""
    report = NumericReport(dps)
    width = len(claim.lhs) if isinstance(claim.lhs, MatrixBase) else 1
    sides = [claim.lhs, claim.rhs]
    for number, values in enumerate(sampled_instances(signature, sides, rng)):
        if report.quadrature and number >= QUADRATURE_INSTANCES:
            break
        size = next((v for k, v in values.items() if k in signature.minimum), None)
        if size is not None and size not in report.sizes:
            report.sizes.append(size)
        with mpmath.workdps(dps):
            ev = Evaluator(sides, values)
            exclusions = Exclusions(conditions, values)
            report.quadrature = report.quadrature or ev.integrates
            patterns, drawn = ((QUADRATURE_PATTERNS, 1) if ev.integrates
                               else (ADVERSARIAL, count))
            points = sample_points(ev.atoms, drawn, rng, patterns) if ev.atoms else [{}]
        for point in points:
            _check_point(claim.relation, ev, exclusions, point, width, dps, values, report)
            if report.counterexample is not None:
                return report
    return report


def _check_point(relation, ev, exclusions, point, width, dps, labels, report) -> None:
    with mpmath.workdps(dps):
        values, error = evaluate_at(ev, point)
        gaps = None if error is not None else _violations(relation, values, width)
    if gaps is not None and max(gaps) <= mpmath.mpf(10) ** (10 - dps):
        report.points += len(gaps)
        report.max_discrepancy = max(report.max_discrepancy, float(max(gaps)))
        return
    with mpmath.workdps(3 * dps):
        values_hi, error_hi = evaluate_at(ev, point)
        gaps_hi = None if error_hi is not None else _violations(relation, values_hi, width)
        if gaps_hi is None:
            if exclusions.excludes(point):
                report.excluded += 1
                return
            shown = values_hi or [None, None]
            report.counterexample = counterexample_at(
                labels, point, shown[0], shown[width] if len(shown) > width else None,
                "undefined here, and no stated condition excludes this point")
            return
    worst_hi = max(gaps_hi)
    worst_lo = max(gaps) if gaps is not None else worst_hi
    genuine = worst_hi > mpmath.mpf(10) ** (10 - 3 * dps) and (
        worst_hi > worst_lo * mpmath.mpf(10) ** (-dps) or relation is Relation.LT)
    q = gaps_hi.index(worst_hi)
    if genuine and relation is Relation.LT and worst_hi == 1:
        genuine = not _strict_exactly(ev, point, q, width)
    report.points += len(gaps_hi)
    if not genuine:
        report.max_discrepancy = max(report.max_discrepancy, float(worst_hi))
        return
    report.counterexample = counterexample_at(labels, point, values_hi[q], values_hi[width + q])


def _strict_exactly(ev: Evaluator, point: dict, q: int, width: int) -> bool:
    """A tie at every working precision may be a gap no precision resolves (e^(−10³⁰)):
    decide ``lhs < rhs`` at the point exactly, with SymPy's sign logic."""
    difference = ev.exact(point, q, width)
    return difference is not None and bool(difference.is_positive)
