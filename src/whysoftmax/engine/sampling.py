"""Where the numeric check looks: sizes, index tuples and points in every declared domain.

A check is only as good as its points. Every domain a symbol can declare is sampled as
itself: positive, non-negative, negative and non-positive reals and integers (integers
far beyond 1…12), nonzero reals, imaginary and complex numbers. Adversarial patterns
come on top: equal entries (the 0/0 sets of normalisations), near ties 1e-30 apart, a
dominant entry, magnitudes up to 1e6, and spreads of 1e-30 … 1e30 for positive values.
Dimensions are sampled independently of each other and beyond the ``n ≤ N`` of the
instance stage, so a claim true only for ``n ≤ 6`` meets ``n = 7``.

Examples
--------
>>> import random
>>> from sympy import Symbol
>>> kind_of(Symbol("k", integer=True, negative=True))
('integer', 'negative')
>>> kind_of(Symbol("w", complex=True))
('complex', 'any')
>>> sizes_for({Symbol("n"): 1, Symbol("m"): 9}, random.Random(0))[:3]
[{m: 9, n: 1}, {m: 12, n: 2}, {m: 12, n: 3}]
"""

from __future__ import annotations

import itertools
import random
from collections import defaultdict

import mpmath
from sympy import Basic, Indexed, Symbol

#: Dimension values the numeric check uses (beyond the instance stage's default N = 6).
SIZES = (1, 2, 3, 4, 5, 7, 8, 12)
#: Adversarial patterns: all equal, near tie, dominant entry, large and huge magnitudes,
#: small integers with zeros, and very large magnitudes (to ±1e30).
ADVERSARIAL = (0, 1, 2, 3, 4, 5, 6, 7)
#: Patterns used along limits (gaps must stay resolvable as the variable moves).
LIMIT_PATTERNS = (0, 2)
#: Patterns for claims with an integral: quadrature finds an integrand's mass near the
#: origin, not a peak of width 1 at 10^6 — all equal, and small integers with zeros.
QUADRATURE_PATTERNS = (0, 5)


def kind_of(atom: Basic) -> tuple[str, str]:
    """``(number kind, sign class)`` of a symbol or vector entry from its assumptions."""
    if atom.is_integer:
        kind = "integer"
    elif atom.is_extended_real or atom.is_real:
        kind = "real"
    elif atom.is_imaginary:
        return "imaginary", "any"
    else:
        return "complex", "any"
    for sign in ("positive", "nonnegative", "negative", "nonpositive"):
        if getattr(atom, f"is_{sign}"):
            return kind, sign
    return kind, "nonzero" if atom.is_zero is False else "any"


def sizes_for(minimum: dict[Symbol, int], rng: random.Random) -> list[dict[Symbol, int]]:
    """Dimension assignments: each size for each dimension, the others drawn at random."""
    if not minimum:
        return [{}]
    dims = sorted(minimum, key=str)
    options = {d: sorted({minimum[d], *(s for s in (0, *SIZES) if s >= minimum[d])})
               for d in dims}
    longest = max(len(v) for v in options.values())
    out = []
    for q in range(longest):
        chosen = {d: options[d][q] if q < len(options[d]) else rng.choice(options[d])
                  for d in dims}
        if len(dims) > 1 and q % 2:
            lead = dims[q % len(dims)]
            chosen = {d: chosen[d] if d == lead else rng.choice(options[d]) for d in dims}
        out.append(dict(sorted(chosen.items(), key=lambda kv: str(kv[0]))))
    return out


def index_samples(ranges: list[range], rng: random.Random, count: int = 2) -> list[tuple]:
    """The diagonal, one tuple of distinct indices when possible (else a random one)."""
    if not ranges:
        return [()]
    chosen = [tuple(r[0] for r in ranges)]
    top = min(len(r) for r in ranges)
    if top >= len(ranges) > 1:
        chosen.append(tuple(r[k] for k, r in enumerate(ranges)))
    total = 1
    for r in ranges:
        total *= len(r)
    if total <= count:
        return list(itertools.product(*ranges))
    while len(chosen) < count:
        t = tuple(rng.choice(r) for r in ranges)
        if t not in chosen:
            chosen.append(t)
    return chosen


def _reals(pattern: int | None, length: int, rng: random.Random) -> list:
    base = [mpmath.mpf(rng.gauss(0, 3)) for _ in range(length)]
    if pattern is None:
        return [mpmath.mpf(rng.gauss(0, 2)) for _ in range(length)]
    if pattern == 0:  # all equal
        return [base[0]] * length
    if pattern == 1 and length >= 2:  # near tie at the top
        top = max(range(length), key=base.__getitem__)
        other = rng.choice([q for q in range(length) if q != top])
        base[other] = base[top] - mpmath.mpf("1e-30")
        return base
    if pattern == 2:  # one dominant entry
        base[rng.randrange(length)] += 1000
        return base
    if pattern == 3:
        return [mpmath.mpf(rng.uniform(-1e3, 1e3)) for _ in range(length)]
    if pattern == 5:  # an exact zero and small integers: where x ≠ 0 style claims break
        return [mpmath.mpf(0)] + [mpmath.mpf(rng.choice((0, 1, -1, 2, -2)))
                                  for _ in range(length - 1)]
    if pattern in (6, 7):  # very large, positive then negative
        return [(1 if pattern == 6 else -1) * mpmath.mpf(10) ** rng.uniform(7, 30)
                for _ in range(length)]
    return [mpmath.mpf(rng.uniform(-1e6, 1e6)) for _ in range(length)]


def _positives(pattern: int | None, length: int, rng: random.Random) -> list:
    if pattern is None:
        return [mpmath.exp(mpmath.mpf(rng.gauss(0, 1.5))) for _ in range(length)]
    base = [mpmath.exp(mpmath.mpf(rng.gauss(0, 2))) for _ in range(length)]
    if pattern == 0:
        return [base[0]] * length
    if pattern == 1 and length >= 2:
        top = max(range(length), key=base.__getitem__)
        other = rng.choice([q for q in range(length) if q != top])
        base[other] = base[top] * (1 - mpmath.mpf("1e-30"))
        return base
    if pattern == 2:
        base[rng.randrange(length)] *= 10**6
        return base
    if pattern == 3:
        return [mpmath.mpf(10) ** rng.uniform(0, 6) for _ in range(length)]
    if pattern == 5:
        return [mpmath.mpf(rng.choice((1, 2, 3))) for _ in range(length)]
    return [mpmath.mpf(10) ** rng.uniform(-30, 30) for _ in range(length)]


def _integers(pattern: int | None, length: int, rng: random.Random, sign: str) -> list:
    if pattern in (3, 4):
        magnitude = [rng.randint(1, 10**6) for _ in range(length)]
    elif pattern == 0:
        magnitude = [rng.randint(1, 30)] * length
    else:
        magnitude = [rng.randint(1, 30) for _ in range(length)]
    values = [mpmath.mpf(v) for v in magnitude]
    if sign == "nonnegative" and pattern in (0, 2):
        values[rng.randrange(length)] = mpmath.mpf(0)
    return values


def values(kind: tuple[str, str], length: int, pattern: int | None,
           rng: random.Random) -> list:
    """``length`` values of one kind; ``pattern`` None draws ordinary random values."""
    number, sign = kind
    if number == "complex":
        return [mpmath.mpc(rng.gauss(0, 2), rng.gauss(0, 2)) for _ in range(length)]
    if number == "imaginary":
        return [mpmath.mpc(0, rng.gauss(0, 2) or 1) for _ in range(length)]
    if sign == "any":
        if number == "integer":
            magnitudes = _integers(pattern, length, rng, "any")
            return [v * rng.choice((-1, 1)) if rng.random() < 0.8 else mpmath.mpf(0)
                    for v in magnitudes]
        return _reals(pattern, length, rng)
    if number == "integer":
        positive = _integers(pattern, length, rng, sign)
    else:
        positive = _positives(pattern, length, rng)
        if sign == "nonnegative" and pattern is not None and pattern % 2 == 0:
            positive[rng.randrange(length)] = mpmath.mpf(0)
    if sign == "nonzero":
        return [v * rng.choice((-1, 1)) for v in positive]
    if sign in ("negative", "nonpositive"):
        if sign == "nonpositive" and pattern is not None and pattern % 2 == 0:
            positive[rng.randrange(length)] = mpmath.mpf(0)
        return [-v for v in positive]
    return positive


def sample_points(atoms: list[Basic], count: int, rng: random.Random,
                  adversarial: tuple[int, ...] = ADVERSARIAL) -> list[dict]:
    """``count`` random points plus the ``adversarial`` ones, each a dict atom → value.

    Entries of one vector are drawn together, so a pattern such as "near tie" applies to
    the vector as a whole.
    """
    groups: dict[object, list[Basic]] = defaultdict(list)
    for atom in atoms:
        groups[atom.base if isinstance(atom, Indexed) else atom].append(atom)
    patterns: list[int | None] = [None] * count + list(adversarial)
    points = []
    for pattern in patterns:
        point = {}
        for members in groups.values():
            drawn = values(kind_of(members[0]), len(members), pattern, rng)
            point.update(zip(members, drawn, strict=True))
        points.append(point)
    return points
