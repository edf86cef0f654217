"""The numeric cross-check of limits.

Limits are followed along ``10^k`` (to ``10^30``) towards ∞ and ``a ± 10^(−k)``
towards a finite point, from each side the kernel approaches from; a finite value must
be approached (the distance ends below 1e-6 and keeps shrinking), an infinite one
exceeded without the increments dying out.
"""

from __future__ import annotations

import itertools
import random

import mpmath
from sympy import Integer, oo

from ..kernel import Condition, Signature
from ..kernel.limits import directions
from ..kernel.sums import evaluated
from .numeric_check import (
    Evaluator,
    NumericReport,
    counterexample_at,
    evaluate_at,
    is_finite,
    sampled_instances,
)
from .sampling import LIMIT_PATTERNS, sample_points


def approach(point, side: str | None, dps: int) -> list:
    """Values of the limit variable approaching ``point`` (from ``side``)."""
    top = min(30, dps // 2)
    if point == oo:
        return [mpmath.mpf(10) ** e for e in range(1, top + 1)]
    if point == -oo:
        return [-(mpmath.mpf(10) ** e) for e in range(1, top + 1)]
    a = mpmath.mpf(point)
    steps = [mpmath.mpf(10) ** (-e) for e in range(1, top + 1)]
    return [a + h for h in steps] if side == "+" else [a - h for h in steps]


def _converges(values: list, target) -> tuple[bool, float]:
    if target in (oo, -oo):
        sign = 1 if target == oo else -1
        tail = [sign * mpmath.re(v) for v in values[len(values) // 2:]]
        steps = [b - a for a, b in itertools.pairwise(tail)]
        growing = all(s > 0 for s in steps) and tail[-1] > 0
        alive = steps and steps[-1] >= steps[0] * mpmath.mpf("0.1")
        return bool(growing and alive), 0.0
    gaps = [abs(v - target) / max(1, abs(target)) for v in values]
    last, earlier = gaps[-1], gaps[len(gaps) // 2]
    shrinking = last <= earlier * mpmath.mpf("0.5") or last <= mpmath.mpf(10) ** -25
    return bool(last <= mpmath.mpf("1e-6") and shrinking), float(last)


def check_limit(claim, signature: Signature, conditions: list[Condition], *, dps: int,
                count: int, rng: random.Random) -> NumericReport:
    """Follow ``lhs`` along the variable towards the point, at sampled other values."""
    report = NumericReport(dps)
    variable, value = claim.variable, evaluated(claim.rhs)
    for values in sampled_instances(signature, [claim.lhs, claim.rhs], rng):
        with mpmath.workdps(dps):
            ev = Evaluator([claim.lhs], values)
            others = [a for a in ev.atoms if a != variable]
            target = value.subs({k: Integer(v) for k, v in values.items()})
            target_ev = None if target in (oo, -oo) else Evaluator([target], {})
            samples = sample_points(others, count, rng, LIMIT_PATTERNS)
        for sample in samples:
            for side in directions(claim):
                with mpmath.workdps(dps):
                    path = approach(evaluated(claim.point), side, dps)
                seen = []
                for depth, x in enumerate(path, start=1):
                    # 3 more digits per step: differences of nearby values cancel
                    with mpmath.workdps(dps + 3 * depth):
                        out, error = evaluate_at(ev, {**sample, variable: x})
                    if error is not None or not is_finite(out[0]):
                        break
                    seen.append(out[0])
                with mpmath.workdps(dps):
                    if len(seen) < len(path):
                        report.excluded += 1
                        continue
                    goal = target if target_ev is None else target_ev(
                        {a: sample.get(a, 0) for a in target_ev.atoms})[0]
                    ok, gap = _converges(seen, goal)
                report.points += 1
                report.max_discrepancy = max(report.max_discrepancy, gap)
                if not ok:
                    report.counterexample = counterexample_at(
                        values, {**sample, variable: path[-1]}, seen[-1], goal,
                        "does not approach the value along the path")
                    return report
    return report
