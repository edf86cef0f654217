"""Sampled points respect the declared assumptions; the discrepancy measure is sound."""

import random

import mpmath
from hypothesis import given, settings
from hypothesis import strategies as st
from sympy import IndexedBase, Symbol

from whysoftmax.numeric_check import discrepancy, sample_points

KINDS = {
    "positive": (dict(positive=True), lambda v: v > 0),
    "nonnegative": (dict(nonnegative=True), lambda v: v >= 0),
    "negative": (dict(negative=True), lambda v: v < 0),
    "real": (dict(real=True), lambda v: mpmath.isfinite(v) and mpmath.im(v) == 0),
}


@settings(max_examples=40, deadline=None)
@given(kind=st.sampled_from(sorted(KINDS)), length=st.integers(1, 8), seed=st.integers(0, 10**6))
def test_points_respect_assumptions(kind, length, seed):
    assumptions, holds = KINDS[kind]
    z = IndexedBase("z", **assumptions)
    c = Symbol("c", **assumptions)
    atoms = [z[q] for q in range(1, length + 1)] + [c]
    points = sample_points(atoms, 4, random.Random(seed))
    assert len(points) == 4 + 5
    for point in points:
        assert set(point) == set(atoms)
        assert all(holds(v) for v in point.values())


def test_adversarial_points_include_ties_and_huge_gaps():
    z = IndexedBase("z", real=True)
    atoms = [z[q] for q in range(1, 5)]
    with mpmath.workdps(50):  # the checker samples at its working precision
        points = sample_points(atoms, 0, random.Random(1))
    values = [sorted(p.values()) for p in points]
    assert values[0][0] == values[0][-1]  # all equal
    assert 0 < values[1][-1] - values[1][-2] < mpmath.mpf("1e-29")  # near tie at the top
    assert values[2][-1] - values[2][-2] > 900  # one dominant entry
    assert max(abs(v) for v in values[4]) > 1e4  # huge magnitudes


def test_discrepancy_is_relative_above_one_absolute_below():
    assert discrepancy(mpmath.mpf(1e10), mpmath.mpf(1e10 + 1)) < 1e-9
    assert discrepancy(mpmath.mpf(0), mpmath.mpf("1e-3")) == mpmath.mpf("1e-3")
    assert discrepancy(mpmath.inf, mpmath.inf) == 0
    assert discrepancy(mpmath.mpf(1), mpmath.inf) == mpmath.inf
