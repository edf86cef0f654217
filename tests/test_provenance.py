"""Provenance: the exported functions agree with the proven steps they implement.

Each exported function names a derivation step. Here the step's proven expression is
lambdified (mpmath, at 50 digits) for small n and compared with whysoftmax.mp (the
references) and whysoftmax.numeric (float64, within 2 ULP); every export of
``whysoftmax.numeric.__all__`` has its entry in :data:`PROVENANCE`. Also: the lambdified
mpmath functions really compute with mp.dps digits.
"""

from __future__ import annotations

import mpmath
import numpy as np
import pytest

from whysoftmax import mp
from whysoftmax import numeric as wn
from whysoftmax.testing import ulp_errors

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


# -- every export, tied to the step it computes (issue 11) ------------------------------------

ZL = [0.3, -1.7, 2.2]  # the arg max last, as the steps place it (z_n = M)
VL = [1.0, 2.0, -1.0]
SP = [1.0, 1.2, 0.7, 1.1]  # sparsemax: support {1.2, 1.1, 1.0}, k = 3
ZL_POSITIVE = [0.3, 1.7, 2.2]  # sum normalisation is stated for positive entries


def _m(values):
    return [mpmath.mpf(v) for v in values]


def _shift():
    return {"z": _m(ZL), "M": mpmath.mpf(ZL[2]), "c": mpmath.mpf(2)}


def _scaled():
    return {"z": _m(ZL), "lambda": mpmath.mpf(2) ** -3}


def _sparse_tau(tau):
    return [max(mpmath.mpf(v) - tau[2], 0) for v in SP]  # τ at k = 3


def _jvp(centred):
    s = mp.softmax(ZL, dps=50)
    return [s[q] * centred[q][2] for q in range(3)]  # centred at k = 3, the arg max


#: export: (step of stable_forms, n, its arguments, its value → the export's value,
#:          the mpmath reference, the float64 function) — all at the same inputs.
PROVENANCE = {
    "softmax": ("softmax with an exact shift", 3, _shift, list,
                lambda: mp.softmax(ZL, dps=50), lambda: wn.softmax(ZL)),
    "log_softmax": ("log-softmax with an exact shift", 3, _shift, list,
                    lambda: mp.log_softmax(ZL, dps=50), lambda: wn.log_softmax(ZL)),
    "logsumexp": ("log-sum-exp with an exact shift", 3, _shift, lambda v: [v],
                  lambda: [mp.logsumexp(ZL, dps=50)], lambda: [wn.logsumexp(ZL)]),
    "softmax_jacobian": ("one minus softmax", 3, lambda: {"z": _m(ZL), "M": mpmath.mpf(ZL[2])},
                         lambda v: [mp.softmax(ZL, dps=50)[2] * v],
                         lambda: [mp.softmax_jacobian(ZL, dps=50)[2][2]],
                         lambda: [wn.softmax_jacobian(ZL)[2, 2]]),
    "softmax_jvp": ("Jacobian-vector product, centred at the arg max", 3,
                    lambda: {"z": _m(ZL), "v": _m(VL)}, _jvp,
                    lambda: mp.softmax_jvp(ZL, VL, dps=50), lambda: wn.softmax_jvp(ZL, VL)),
    "cross_entropy": ("log-softmax with an exact shift", 3, _shift, lambda v: [-v[0]],
                      lambda: [mp.cross_entropy(ZL, 0, dps=50)],
                      lambda: [wn.cross_entropy(ZL, 0)]),
    "cross_entropy_grad": ("cross-entropy gradient", 3, lambda: {"z": _m(ZL)},
                           lambda v: [row[2] for row in v],  # target y = 3
                           lambda: mp.cross_entropy_grad(ZL, 2, dps=50),
                           lambda: wn.cross_entropy_grad(ZL, 2)),
    "sigmoid": ("sigmoid for x < 0", None, lambda: {"x": mpmath.mpf(-0.7)}, lambda v: [v],
                lambda: [mp.sigmoid(-0.7, dps=50)], lambda: [wn.sigmoid(-0.7)]),
    "log_sigmoid": ("log-sigmoid for x < 0", None, lambda: {"x": mpmath.mpf(-0.7)},
                    lambda v: [v], lambda: [mp.log_sigmoid(-0.7, dps=50)],
                    lambda: [wn.log_sigmoid(-0.7)]),
    "sum_normalize": ("sum normalisation, rescaled", 3,
                      lambda: {"b": _m(ZL_POSITIVE), "lambda": mpmath.mpf(2) ** -3}, list,
                      lambda: mp.sum_normalize(ZL_POSITIVE, dps=50),
                      lambda: wn.sum_normalize(ZL_POSITIVE)),
    "spherical_softmax": ("spherical softmax, rescaled", 3,
                          lambda: {**_scaled(), "epsilon": mpmath.mpf(0.5)}, list,
                          lambda: mp.spherical_softmax(ZL, eps=0.5, dps=50),
                          lambda: wn.spherical_softmax(ZL, eps=0.5)),
    "taylor_softmax": ("Taylor softmax, rescaled", 3, _scaled, list,
                       lambda: mp.taylor_softmax(ZL, dps=50), lambda: wn.taylor_softmax(ZL)),
    "sparsemax": ("sparsemax threshold from the gaps", 4,
                  lambda: {"w": _m(sorted(SP, reverse=True))}, _sparse_tau,
                  lambda: mp.sparsemax(SP, dps=50), lambda: wn.sparsemax(SP)),
}


def test_every_export_names_its_step():
    assert sorted(PROVENANCE) == sorted(wn.__all__)


@pytest.mark.parametrize("name", sorted(PROVENANCE))
def test_export_computes_its_proven_form(steps, name):
    """The step's right-hand side, lambdified at 50 digits, is the mpmath reference; the
    float64 function is within 2 ULP of it."""
    step, n, arguments, value, reference, function = PROVENANCE[name]
    f = steps["stable_forms"].lambdify(step, n=n, modules="mpmath")
    with mpmath.workdps(50):
        proven = value(f(**arguments()))
        _agree(proven, reference())
    assert ulp_errors(np.ravel(function()), proven).max() <= 2.0
