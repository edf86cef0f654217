"""Sampled points respect every declared domain; the adversarial points are really there."""

import random

import mpmath
from hypothesis import given, settings
from hypothesis import strategies as st
from sympy import IndexedBase, Symbol

from whysoftmax.engine.sampling import ADVERSARIAL, sample_points, sizes_for

KINDS = {
    "positive": (dict(positive=True), lambda v: v > 0),
    "nonnegative": (dict(nonnegative=True), lambda v: v >= 0),
    "negative": (dict(negative=True), lambda v: v < 0),
    "nonpositive": (dict(nonpositive=True), lambda v: v <= 0),
    "real": (dict(real=True), lambda v: mpmath.isfinite(v) and mpmath.im(v) == 0),
    "negative integer": (dict(integer=True, negative=True), lambda v: v < 0 and v == int(v)),
    "imaginary": (dict(imaginary=True), lambda v: mpmath.re(v) == 0 and mpmath.im(v) != 0),
    "complex": (dict(complex=True), lambda v: isinstance(v, mpmath.mpc)),
}


@settings(max_examples=60, deadline=None)
@given(kind=st.sampled_from(sorted(KINDS)), length=st.integers(1, 8), seed=st.integers(0, 10**6))
def test_points_respect_assumptions(kind, length, seed):
    assumptions, holds = KINDS[kind]
    z = IndexedBase("z", **assumptions)
    c = Symbol("c", **assumptions)
    atoms = [z[q] for q in range(1, length + 1)] + [c]
    points = sample_points(atoms, 4, random.Random(seed))
    assert len(points) == 4 + len(ADVERSARIAL)
    for point in points:
        assert set(point) == set(atoms)
        assert all(holds(v) for v in point.values())


def test_adversarial_points_include_ties_zeros_and_huge_values():
    z = IndexedBase("z", real=True)
    atoms = [z[q] for q in range(1, 5)]
    with mpmath.workdps(50):  # the checker samples at its working precision
        points = sample_points(atoms, 0, random.Random(1))
    values = [sorted(p.values()) for p in points]
    assert values[0][0] == values[0][-1]  # all equal
    assert 0 < values[1][-1] - values[1][-2] < mpmath.mpf("1e-29")  # near tie at the top
    assert values[2][-1] - values[2][-2] > 900  # one dominant entry
    assert 0 in values[5]  # an exact zero
    assert min(values[6]) > 1e6 and max(values[7]) < -1e6  # far beyond |x| ≤ 1e6


def test_dimensions_are_sampled_independently_and_beyond_six():
    n, m = Symbol("n"), Symbol("m")
    sizes = sizes_for({n: 1, m: 0}, random.Random(0))
    assert {s[n] for s in sizes} >= {1, 7, 12}
    assert 0 in {s[m] for s in sizes}
    assert any(s[n] != s[m] for s in sizes)
