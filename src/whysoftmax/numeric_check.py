"""The numeric cross-check: both sides of a claim in mpmath at high precision.

The check runs after every symbolic proof too, because it double-checks the engine: a
claim SymPy "proves" but the numbers contradict is an engine error. Points respect the
declared assumptions (a ``positive`` symbol is never sampled ≤ 0, so no log of a
negative "positive" symbol) and include adversarial ones: equal entries, near ties
(1e-30 apart), a dominant entry 1000 above the rest, magnitudes up to 1e6; for positive
symbols, relative ties of 1e-30, one entry 1e6 times the rest, and a spread 1e-30 … 1e30.

A point agrees when ``|lhs − rhs| ≤ tol · max(1, |lhs|, |rhs|)`` with ``tol =
10^(−dps/2)``: far above rounding at ``dps`` digits, far below any genuine difference.
Inequalities are checked up to the same tolerance, so a strict ``<`` whose sides differ
by less than ``tol`` numerically reads as ``≤``; strictness is the symbolic proof's job.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

import mpmath
from sympy import Basic, Dummy, Indexed, MatrixBase, Symbol, lambdify, oo

from .definitions import VectorMax
from .derivation import Relation


@dataclass
class Counterexample:
    """A point where a claim does not hold, with both sides' values."""

    point: dict[str, str]
    lhs: str
    rhs: str

    def __str__(self) -> str:
        where = ", ".join(f"{k}={v}" for k, v in self.point.items())
        return f"at {where}: lhs = {self.lhs}, rhs = {self.rhs}"


@dataclass
class NumericReport:
    """What the numeric check did and found."""

    dps: int
    points: int = 0
    undefined: int = 0
    sizes: list[int] = field(default_factory=list)
    max_discrepancy: float = 0.0
    counterexample: Counterexample | None = None

    @property
    def ok(self) -> bool:
        return self.counterexample is None and self.points > 0

    def summary(self) -> str:
        if self.counterexample is not None:
            return f"counterexample {self.counterexample}"
        sizes = f", n={','.join(map(str, self.sizes))}" if self.sizes else ""
        return f"{self.points} pts, {self.dps} digits{sizes}, max Δ {self.max_discrepancy:.1e}"


def _fmt(value) -> str:
    return mpmath.nstr(value, 12) if isinstance(value, (mpmath.mpf, mpmath.mpc)) else str(value)


# -- sampling -------------------------------------------------------------------------------

def _kind(atom: Basic) -> str:
    if atom.is_integer:
        return "integer"
    if atom.is_positive:
        return "positive"
    if atom.is_nonnegative:
        return "nonnegative"
    if atom.is_negative:
        return "negative"
    return "real"


def _real_pattern(pattern: int, length: int, rng: random.Random) -> list:
    base = [mpmath.mpf(rng.gauss(0, 3)) for _ in range(length)]
    if pattern == 0:  # all equal
        return [base[0]] * length
    if pattern == 1 and length >= 2:  # near tie at the top: two entries 1e-30 apart
        top = max(range(length), key=base.__getitem__)
        other = rng.choice([q for q in range(length) if q != top])
        base[other] = base[top] - mpmath.mpf("1e-30")
        return base
    if pattern == 2:  # one dominant entry, gap 1000
        base[rng.randrange(length)] += 1000
        return base
    if pattern == 3:  # large magnitudes
        return [mpmath.mpf(rng.uniform(-1e3, 1e3)) for _ in range(length)]
    return [mpmath.mpf(rng.uniform(-1e6, 1e6)) for _ in range(length)]


#: Adversarial patterns: all equal, near tie, dominant entry, large and huge magnitudes.
ADVERSARIAL_PATTERNS = (0, 1, 2, 3, 4)
#: A limit along c → ∞ (c ≤ 1e12 here) cannot resolve gaps below 1/c, so limits use
#: only the patterns whose gaps stay moderate: all equal and one dominant entry.
LIMIT_PATTERNS = (0, 2)


def _positive_pattern(pattern: int, length: int, rng: random.Random) -> list:
    base = [mpmath.exp(mpmath.mpf(rng.gauss(0, 2))) for _ in range(length)]
    if pattern == 0:  # all equal
        return [base[0]] * length
    if pattern == 1 and length >= 2:  # two entries equal to a relative 1e-30
        top = max(range(length), key=base.__getitem__)
        other = rng.choice([q for q in range(length) if q != top])
        base[other] = base[top] * (1 - mpmath.mpf("1e-30"))
        return base
    if pattern == 2:  # one entry a million times larger
        base[rng.randrange(length)] *= 10**6
        return base
    if pattern == 3:  # large: 1 … 1e6
        return [mpmath.mpf(10) ** rng.uniform(0, 6) for _ in range(length)]
    # spread over 1e-30 … 1e30 (positive symbols often sit inside exp: e^(1e300) would
    # cost minutes and test nothing)
    return [mpmath.mpf(10) ** rng.uniform(-30, 30) for _ in range(length)]


def _values(kind: str, length: int, pattern: int | None, rng: random.Random) -> list:
    """``length`` values of one kind; ``pattern`` None draws ordinary random values."""
    if kind == "integer":
        return [mpmath.mpf(rng.randint(1, 12)) for _ in range(length)]
    if kind == "real":
        if pattern is None:
            return [mpmath.mpf(rng.gauss(0, 2)) for _ in range(length)]
        return _real_pattern(pattern, length, rng)
    if pattern is None:
        positive = [mpmath.exp(mpmath.mpf(rng.gauss(0, 1.5))) for _ in range(length)]
    else:
        positive = _positive_pattern(pattern, length, rng)
    if kind == "nonnegative" and pattern is not None and pattern % 2 == 0:
        positive[rng.randrange(length)] = mpmath.mpf(0)
    return [-x for x in positive] if kind == "negative" else positive


def sample_points(
    atoms: list[Basic],
    count: int,
    rng: random.Random,
    adversarial: tuple[int, ...] = ADVERSARIAL_PATTERNS,
) -> list[dict]:
    """``count`` random points plus the ``adversarial`` ones, each a dict atom → mpf.

    Entries of one vector (``z[1]``, ``z[2]``, …) are drawn together, so a pattern such
    as "near tie" applies to the vector as a whole.
    """
    groups: dict[object, list[Basic]] = defaultdict(list)
    for atom in atoms:
        groups[atom.base if isinstance(atom, Indexed) else atom].append(atom)
    patterns: list[int | None] = [None] * count + list(adversarial)
    points = []
    for pattern in patterns:
        point = {}
        for members in groups.values():
            values = _values(_kind(members[0]), len(members), pattern, rng)
            point.update(zip(members, values, strict=True))
        points.append(point)
    return points


# -- evaluation -----------------------------------------------------------------------------

def _entries(side) -> list:
    if side is None:
        return []
    return list(side) if isinstance(side, MatrixBase) else [side]


def free_atoms(*exprs) -> list[Basic]:
    """The scalar symbols and vector entries a concrete instance depends on."""
    indexed: set[Basic] = set()
    symbols: set[Basic] = set()
    for e in exprs:
        for entry in _entries(e):
            indexed |= entry.atoms(Indexed)
            for vmax in entry.atoms(VectorMax):
                indexed |= {vmax.entry(q) for q in range(1, int(vmax.args[1]) + 1)}
            symbols |= {s for s in entry.free_symbols if isinstance(s, Symbol)}
    symbols -= {a.base.label for a in indexed}
    return sorted(indexed | symbols, key=str)


def compile_sides(atoms: list[Basic], *sides) -> Callable[[dict], list]:
    """One mpmath function of a point (atom → value) returning every side's entries.

    Entries ``z[q]`` become plain arguments; each :class:`VectorMax` becomes an argument
    too, computed from the point (lambdify on a ``Max`` of many entries is slow).
    """
    maxima = sorted(
        {m for side in sides for e in _entries(side) for m in e.atoms(VectorMax)}, key=str
    )
    if not atoms and not maxima:  # exact numbers (perhaps with thousands of digits)
        entries = [entry for side in sides for entry in _entries(side)]
        return lambda point: [mpmath.mpmathify(e.evalf(mpmath.mp.dps)) for e in entries]
    args = [Dummy() for _ in atoms] + [Dummy() for _ in maxima]
    swap = dict(zip([*atoms, *maxima], args, strict=True))
    flat = [entry.xreplace(swap) for side in sides for entry in _entries(side)]
    fn = lambdify(args, flat, modules="mpmath", cse=True)

    def at(point: dict) -> list:
        values = [point[a] for a in atoms]
        values += [
            m.of_numbers(point[m.entry(q)] for q in range(1, int(m.args[1]) + 1))
            for m in maxima
        ]
        return fn(*values)

    return at


def _safe_call(fn, point: dict):
    try:
        return fn(point), None
    except (ZeroDivisionError, ValueError, OverflowError) as error:
        return None, error


def _finite(x) -> bool:
    return bool(mpmath.isfinite(x))


def discrepancy(lhs, rhs) -> mpmath.mpf:
    """``|lhs − rhs| / max(1, |lhs|, |rhs|)``; equal infinities count as agreement."""
    if not (_finite(lhs) and _finite(rhs)):
        return mpmath.mpf(0) if lhs == rhs else mpmath.inf
    return abs(lhs - rhs) / max(1, abs(lhs), abs(rhs))


def _gaps(relation: Relation, values: list, width: int) -> list | None:
    """The violation of the claim at each entry, or None where both sides are undefined."""
    gaps = []
    for left, right in zip(values[:width], values[width:], strict=True):
        if not (_finite(left) or _finite(right)) and left != right:
            return None
        if relation is Relation.EQ:
            gaps.append(discrepancy(left, right))
        elif not (_finite(left) and _finite(right)):
            gaps.append(mpmath.mpf(0) if left <= right else mpmath.inf)
        else:
            gaps.append(max(mpmath.mpf(0), (left - right) / max(1, abs(left), abs(right))))
    return gaps


def _counterexample(labels: dict, point: dict, left, right) -> Counterexample:
    """The instance (dimensions, indices), the point's values and both sides."""
    shown = {str(k): str(v) for k, v in labels.items()}
    shown.update({str(a): _fmt(v) for a, v in point.items()})
    return Counterexample(shown, _fmt(left), _fmt(right))


def check_relation_at_points(
    relation: Relation,
    lhs,
    rhs,
    *,
    dps: int,
    count: int,
    rng: random.Random,
    report: NumericReport,
    labels: dict[Basic, int],
) -> None:
    """Evaluate ``lhs relation rhs`` at sampled points, updating ``report`` in place.

    A point that seems to violate the claim is evaluated again at three times the
    precision: an ill-conditioned evaluation (say e^(1e29) at 50 digits) improves, a
    genuine counterexample does not. ``labels`` are the dimension and index values of
    this instance, shown in a counterexample.
    """
    atoms = free_atoms(lhs, rhs)
    fn = compile_sides(atoms, lhs, rhs)
    width = len(_entries(lhs))
    tol = mpmath.mpf(10) ** (-(dps // 2))
    with mpmath.workdps(dps):
        points = sample_points(atoms, count, rng) if atoms else [{}]
    for point in points:
        with mpmath.workdps(dps):
            values, error = _safe_call(fn, point)
            gaps = None if error is not None else _gaps(relation, values, width)
        if gaps is not None and max(gaps) > tol:
            with mpmath.workdps(3 * dps):
                values, error = _safe_call(fn, point)
                gaps = None if error is not None else _gaps(relation, values, width)
        if gaps is None:
            report.undefined += 1
            continue
        report.points += len(gaps)
        worst = max(gaps)
        report.max_discrepancy = max(report.max_discrepancy, float(worst))
        if worst > tol and report.counterexample is None:
            q = gaps.index(worst)
            report.counterexample = _counterexample(
                labels, point, values[q], values[width + q]
            )


def approach(point, positive: bool) -> list:
    """Values of the limit variable approaching ``point`` (from the right when ``positive``)."""
    if point == oo:
        return [mpmath.mpf(10) ** e for e in range(1, 13)]
    if point == -oo:
        return [-(mpmath.mpf(10) ** e) for e in range(1, 13)]
    a = mpmath.mpf(point)
    steps = [mpmath.mpf(10) ** (-e) for e in range(1, 13)]
    return [a + h for h in steps] if positive else [a - h for h in steps]


def check_limit_at_points(
    expr,
    value,
    variable: Symbol,
    point,
    *,
    dps: int,
    count: int,
    rng: random.Random,
    report: NumericReport,
    labels: dict[Basic, int],
) -> None:
    """Evaluate ``expr`` along ``variable → point`` at sampled values of the other symbols.

    The claim holds numerically at a point when the distance to ``value`` at the last
    (closest) approach value is ≤ 1e-8 · max(1, |value|) and did not grow along the way
    (growth within rounding noise, 10^(−dps/2), does not count).
    """
    atoms = [a for a in free_atoms(expr, value) if a != variable]
    fn = compile_sides([*atoms, variable], expr, value)
    sides = [True] if point in (oo, -oo) or variable.is_nonnegative else [True, False]
    with mpmath.workdps(dps):
        for sample in sample_points(atoms, count, rng, LIMIT_PATTERNS):
            for from_right in sides:
                path = approach(point, from_right)
                gaps = []
                for x in path:
                    values, error = _safe_call(fn, {**sample, variable: x})
                    if error is not None:
                        break
                    gaps.append(discrepancy(values[0], values[1]))
                if len(gaps) < len(path):
                    report.undefined += 1
                    continue
                report.points += 1
                last = gaps[-1]
                report.max_discrepancy = max(report.max_discrepancy, float(last))
                noise = mpmath.mpf(10) ** (-(dps // 2))
                diverging = last > gaps[0] and last > noise  # growth above rounding noise
                if (last > mpmath.mpf("1e-8") or diverging) and report.counterexample is None:
                    at = {**sample, variable: path[-1]}
                    values, _ = _safe_call(fn, at)
                    report.counterexample = _counterexample(labels, at, values[0], values[1])
