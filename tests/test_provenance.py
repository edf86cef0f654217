"""Provenance: the exported functions agree with the proven steps they implement.

Each exported function names a derivation step. Here the step's proven expression is
lambdified (mpmath, at 50 digits) for small n and compared with whysoftmax.mp (the
references) and whysoftmax.numeric (float64). Also: the lambdified mpmath functions
really compute with mp.dps digits.
"""

from __future__ import annotations

import mpmath
import numpy as np
import pytest

from whysoftmax import mp
from whysoftmax import numeric as wn

Z = [mpmath.mpf("0.3"), mpmath.mpf("-1.7"), mpmath.mpf("2.2")]


@pytest.fixture(scope="module")
def steps(derivation_file):
    return {name: derivation_file(name) for name in ("jacobian", "stable_forms", "sigmoid")}


def _agree(a, b, digits=45):
    a, b = np.asarray(a, dtype=object).ravel(), np.asarray(b, dtype=object).ravel()
    assert len(a) == len(b)
    for x, y in zip(a, b, strict=True):
        assert abs(mpmath.mpf(x) - mpmath.mpf(y)) <= mpmath.mpf(10) ** -digits * max(1, abs(y))


def test_softmax_reference_is_the_proven_closed_form(steps):
    f = steps["stable_forms"].lambdify("max-shifted softmax", n=3, modules="mpmath")
    with mpmath.workdps(50):
        _agree(f(z=Z), mp.softmax(Z, dps=50))


def test_jacobian_reference_is_the_proven_matrix(steps):
    f = steps["jacobian"].lambdify("matrix form", n=3, modules="mpmath")
    with mpmath.workdps(50):
        _agree(f(z=Z), mp.softmax_jacobian(Z, dps=50))
    g = steps["jacobian"].lambdify("matrix form", n=3, modules="numpy")
    np.testing.assert_allclose(g(z=[0.3, -1.7, 2.2]), wn.softmax_jacobian([0.3, -1.7, 2.2]),
                               rtol=1e-14)


def test_log_forms_are_the_proven_ones(steps):
    d = steps["stable_forms"]
    lse = d.lambdify("log-sum-exp with log1p, any arg max", n=3, modules="mpmath")
    jvp = d.lambdify("Jacobian-vector product", n=3, modules="mpmath")
    v = [mpmath.mpf(1), mpmath.mpf(2), mpmath.mpf(-1)]
    with mpmath.workdps(50):
        _agree([lse(z=Z)], [mp.logsumexp(Z, dps=50)])
        _agree(jvp(z=Z, v=v), mp.softmax_jvp(Z, v, dps=50))


def test_sigmoid_reference_is_the_proven_one(steps):
    f = steps["sigmoid"].lambdify("σ(−x) = 1 − σ(x)", modules="mpmath")
    with mpmath.workdps(50):
        _agree([f(x=mpmath.mpf("0.7"))], [mp.sigmoid("-0.7", dps=50)])


def test_mpmath_lambdify_really_has_fifty_digits(steps):
    """Rational constants and E must not be 17-digit floats inside the generated code."""
    f = steps["stable_forms"].lambdify("softmax without a rounded denominator", modules="mpmath")
    third = mpmath.mpf(1) / 3
    with mpmath.workdps(50):
        value = f(p=third, e=mpmath.mpf("1e-20"), rho=mpmath.mpf("3e-21"), S_hi=third * 7)
        exact = (third * (1 + mpmath.mpf("1e-20"))) / (third * 7 * (1 + mpmath.mpf("3e-21")))
        assert abs(value - exact) < mpmath.mpf(10) ** -49
    with mpmath.workdps(15):
        assert abs(f(p=third, e=0, rho=0, S_hi=third * 7) - exact) > mpmath.mpf(10) ** -30


def test_lambdify_errors_are_clear(steps):
    d = steps["jacobian"]
    with pytest.raises(ValueError, match="general n: pass n="):
        d.lambdify("jacobian")
    with pytest.raises(ValueError, match="modules must be one of"):
        d.lambdify("jacobian", n=2, modules="torch")
    f = d.lambdify("jacobian", n=2)
    with pytest.raises(TypeError, match="missing"):
        f()
    with pytest.raises(ValueError, match="must have 2 entries"):
        f(z=[1.0, 2.0, 3.0])
    with pytest.raises(KeyError, match="no step named"):
        d.lambdify("nope", n=2)


def test_math_and_numpy_modules_agree(steps):
    d = steps["stable_forms"]
    for modules in ("math", "numpy"):
        f = d.lambdify("log-sum-exp with log1p, any arg max", n=3, modules=modules)
        assert abs(f(z=[0.3, -1.7, 2.2]) - float(mp.logsumexp([0.3, -1.7, 2.2]))) < 1e-15
