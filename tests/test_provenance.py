"""Provenance: the exported functions agree with the proven steps they implement.

Each exported function names a derivation step. Here the step's proven expression is
lambdified (mpmath, at 50 digits) for small n and compared with whysoftmax.mp (the
references) and whysoftmax.numeric (float64, within 2 ULP); every export of
``whysoftmax.numeric.__all__`` has its entry in :data:`PROVENANCE` (``stable_forms``) or
:data:`STREAMING` (``online_softmax``). Also: the lambdified mpmath functions really
compute with mp.dps digits.
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


# -- the streaming exports, tied to derivations/online_softmax.py -----------------------------

#: export: the online_softmax step it computes. (lambdify sizes every dimension with the
#: same n, so a concatenation is tested as two chunks of 3: p = q = 3.)
STREAMING = {
    "logsumexp_chunks": "lse of a concatenation",
    "OnlineLogSumExp": "the merge keeps ℓe^m + ℓ′e^{m′}",
    "softmax_chunks": "merged accumulator / merged ℓ = softmax(z, w)·(v, u)",
    "attention_chunks": "merged accumulator / merged ℓ = softmax(z, w)·(v, u)",
    "OnlineAttention": "the accumulator's merge rescales like ℓ's",
}
ZA, ZB = [0.3, -1.7, 2.2], [-55.0, 1.1, 0.4]  # two chunks: the maximum in the first
VA, VB = [1.0, 2.0, -1.0], [0.5, 3.0, 0.25]


@pytest.fixture(scope="module")
def online(derivation_file):
    return derivation_file("online_softmax")


def test_every_export_names_its_step():
    assert sorted({**PROVENANCE, **STREAMING}) == sorted(wn.__all__)


def test_streaming_steps_exist(online):
    for step in STREAMING.values():
        online.step(step)


def _state(chunk):
    """(m, ℓ) of a chunk at the working precision: m = max, ℓ = Σ e^{z_j − m}."""
    m = max(map(mpmath.mpf, chunk))
    return m, mpmath.fsum(mpmath.exp(mpmath.mpf(v) - m) for v in chunk)


def test_lse_of_chunks_is_the_proven_merged_state(online):
    f = online.lambdify(STREAMING["logsumexp_chunks"], n=3, modules="mpmath")
    with mpmath.workdps(50):
        proven = f(z=_m(ZA), w=_m(ZB))
        _agree([proven], [mp.logsumexp(ZA + ZB, dps=50)])
    for got in (wn.logsumexp_chunks([ZA, ZB]), wn.logsumexp_chunks([ZB, ZA])):
        assert ulp_errors([got], [proven]).max() <= 2.0


def test_merge_keeps_the_number_a_state_stands_for(online):
    """(m, ℓ) ⊕ (m′, ℓ′) stands for ℓe^m + ℓ′e^{m′}: its log is the float64 merge's lse."""
    lhs = online.lambdify(STREAMING["OnlineLogSumExp"], modules="mpmath", side="lhs")
    rhs = online.lambdify(STREAMING["OnlineLogSumExp"], modules="mpmath")
    with mpmath.workdps(50):
        (m1, l1), (m2, l2) = _state(ZA), _state(ZB)
        merged = lhs(m1=m1, l1=l1, m2=m2, l2=l2)
        _agree([merged], [rhs(m1=m1, l1=l1, m2=m2, l2=l2)])
        proven = mpmath.log(merged)
        _agree([proven], [mp.OnlineLogSumExp(ZA, dps=50).merge(
            mp.OnlineLogSumExp(ZB, dps=50)).logsumexp()])
    for a, b in ((ZA, ZB), (ZB, ZA)):
        got = wn.OnlineLogSumExp(a).merge(wn.OnlineLogSumExp(b)).logsumexp()
        assert ulp_errors([got], [proven]).max() <= 2.0


def test_softmax_and_attention_of_chunks_are_the_proven_ratio(online):
    """merged o / merged ℓ = softmax(z, w)·(v, u): with one-hot (v, u), softmax's entries."""
    f = online.lambdify(STREAMING["attention_chunks"], n=3, modules="mpmath")
    with mpmath.workdps(50):
        proven = f(z=_m(ZA), w=_m(ZB), v=_m(VA), u=_m(VB))
        _agree([proven], mp.attention(ZA + ZB, [[v] for v in VA + VB], dps=50))
        one_hot = [f(z=_m(ZA), w=_m(ZB), v=list(e[:3]), u=list(e[3:]))
                   for e in np.eye(6, dtype=int).tolist()]
        _agree(one_hot, mp.softmax(ZA + ZB, dps=50))
    got = wn.attention_chunks([(ZA, [[v] for v in VA]), (ZB, [[v] for v in VB])])
    assert ulp_errors(got, [proven]).max() <= 2.0
    assert ulp_errors(np.concatenate(wn.softmax_chunks([ZA, ZB])), one_hot).max() <= 2.0


def test_attention_merge_rescales_like_ell(online):
    """(o e^{m−M} + o′e^{m′−M}) e^M over (ℓ e^{m−M} + ℓ′e^{m′−M}) e^M: the merged
    OnlineAttention's output, at any common M."""
    o_step = online.lambdify(STREAMING["OnlineAttention"], modules="mpmath", side="lhs")
    l_step = online.lambdify("rescaling to any common M is exact", modules="mpmath", side="lhs")
    with mpmath.workdps(50):
        (m1, l1), (m2, l2) = _state(ZA), _state(ZB)
        o1, o2 = (mpmath.fsum(mpmath.exp(mpmath.mpf(z) - m) * v for z, v in zip(c, vs, strict=True))
                  for c, vs, m in ((ZA, VA, m1), (ZB, VB, m2)))
        for top in (m1, mpmath.mpf(0), mpmath.mpf(-3)):
            proven = (o_step(o1=o1, o2=o2, m1=m1, m2=m2, M=top)
                      / l_step(l1=l1, l2=l2, m1=m1, m2=m2, M=top))
            _agree([proven], mp.OnlineAttention(ZA, [[v] for v in VA], dps=50).merge(
                mp.OnlineAttention(ZB, [[v] for v in VB], dps=50)).output())
    for (a, va), (b, vb) in (((ZA, VA), (ZB, VB)), ((ZB, VB), (ZA, VA))):
        got = wn.OnlineAttention(a, [[v] for v in va]).merge(
            wn.OnlineAttention(b, [[v] for v in vb])).output()
        assert ulp_errors(got, [proven]).max() <= 2.0
