"""whysoftmax.numeric: accuracy in ULPs, scipy's conventions, special values, bad input."""

from __future__ import annotations

import subprocess
import sys
import warnings

import mpmath
import numpy as np
import pytest
import scipy.special
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from numpy.testing import assert_allclose, assert_equal

from whysoftmax import mp
from whysoftmax import numeric as wn
from whysoftmax.testing import ADVERSARIAL, assert_matches_reference, ulp_errors, ulp_report

KERNELS = ["softmax", "log_softmax", "logsumexp"]


@pytest.fixture(autouse=True)
def no_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


# -- accuracy ---------------------------------------------------------------------------------

@pytest.mark.parametrize("name", KERNELS)
def test_at_most_two_ulp_on_the_adversarial_suite(name):
    report = assert_matches_reference(getattr(wn, name), name, max_ulp=2.0)
    assert len(report.rows) == len(ADVERSARIAL)


@pytest.mark.parametrize("name", KERNELS)
def test_float32_inputs_are_within_one_float32_ulp(name):
    report = ulp_report(getattr(wn, name), name, dtype=np.float32,
                        cases=["dominant, gaps 20–750", "normal, scale 30, n = 1000",
                               "−inf entries", "all equal"])
    assert report.worst <= 1.0, str(report)


def test_the_suite_catches_scipy():
    """The same assertion fails on scipy: the test can say no."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(AssertionError, match=r"exceeds 2\.0 ULP"):
            assert_matches_reference(scipy.special.log_softmax, "log_softmax", max_ulp=2.0,
                                     cases=["gap 55"])
        assert ulp_report(scipy.special.softmax, "softmax",
                          cases=["dominant, gaps 20–750"]).worst > 100


def test_gap_55_keeps_its_digits():
    got = wn.log_softmax([0.0, -55.0])[0]
    assert got == -1.2995814250075031e-24  # correctly rounded; scipy returns 0.0
    assert ulp_errors([got], [mp.log_softmax([0.0, -55.0])[0]])[0] <= 0.5


# -- scipy's conventions and its own test cases -------------------------------------------------

def test_scipy_softmax_fixtures():
    x = np.arange(4)
    expected = np.array([0.03205860328008499, 0.08714431874203256, 0.23688281808991013,
                         0.6439142598879722])
    assert_allclose(wn.softmax([1000, 0, 0, 0]), [1, 0, 0, 0], rtol=1e-13)
    assert_allclose(wn.softmax([1, 1]), [0.5, 0.5], rtol=1e-13)
    assert_allclose(wn.softmax([0, 1]), np.array([1, np.e]) / (1 + np.e), rtol=1e-13)
    assert_allclose(wn.softmax(x), expected, rtol=1e-13)
    assert_allclose(wn.softmax(x + 100), expected, rtol=1e-13)
    assert_allclose(wn.softmax(x.reshape(2, 2)), expected.reshape(2, 2), rtol=1e-13)
    assert wn.softmax(x).dtype == np.float64


def test_scipy_softmax_multi_axes():
    x = np.array([[-25, 0, 25, 50], [1, 325, 749, 750]])
    expected = np.array([
        [2.678636961770877e-33, 1.9287498479371314e-22, 1.3887943864771144e-11,
         0.999999999986112],
        [0.0, 1.9444526359919372e-185, 0.2689414213699951, 0.7310585786300048],
    ])
    assert_allclose(wn.softmax([[1000, 0], [1000, 0]], axis=0), [[0.5, 0.5], [0.5, 0.5]])
    assert_allclose(wn.softmax([[1000, 0], [1000, 0]], axis=1), [[1, 0], [1, 0]])
    assert_allclose(wn.softmax(x, axis=1), expected, rtol=1e-13)
    assert_allclose(wn.softmax(x.T, axis=0), expected.T, rtol=1e-13)
    assert_allclose(wn.softmax(x.reshape(2, 2, 2), axis=(1, 2)), expected.reshape(2, 2, 2),
                    rtol=1e-13)


def test_scipy_log_softmax_cases():
    assert_allclose(wn.log_softmax(np.array([1000, 1])), [0, -999], rtol=1e-13)
    expected = np.array([-3.4401896985611953, -2.4401896985611953, -1.4401896985611953,
                         -0.44018969856119533])
    assert_allclose(wn.log_softmax(np.arange(4)), expected, rtol=1e-13)
    assert_allclose(wn.log_softmax(np.arange(8).reshape(2, 4), axis=1),
                    np.vstack([expected, expected]), rtol=1e-13)
    assert wn.log_softmax(1.0) == 0.0


def test_scipy_logsumexp_cases():
    assert_equal(wn.logsumexp([]), -np.inf)
    assert_allclose(wn.logsumexp(np.arange(200)), np.log(np.sum(np.exp(np.arange(200.0)))))
    assert_allclose(wn.logsumexp([1000, 1000]), 1000.0 + np.log(2.0))
    assert_allclose(wn.logsumexp(np.full(1000, 10000.0)), 10000.0 + np.log(1000))
    log_x = np.log(np.full(100_000, 1e-40))
    assert_allclose(np.exp(wn.logsumexp(np.vstack([log_x, log_x]), axis=1)), [1e-35, 1e-35])
    assert_equal(wn.logsumexp(np.inf), np.inf)
    assert_equal(wn.logsumexp(-np.inf), -np.inf)
    assert np.isnan(wn.logsumexp(np.nan))
    assert_equal(wn.logsumexp([-np.inf, -np.inf]), -np.inf)
    a = [[1e10, 1e-10], [-1e10, -np.inf]]
    assert_allclose(wn.logsumexp(a, axis=-1), [1e10, -1e10])
    assert_allclose(wn.logsumexp(a, axis=-1, keepdims=True), [[1e10], [-1e10]])
    assert_allclose(wn.logsumexp(a, axis=(-1, -2)), 1e10)


def test_scipy_logsumexp_weights_and_sign():
    value, sign = wn.logsumexp([1, 2], b=[1, -1], return_sign=True)
    expected, expected_sign = scipy.special.logsumexp([1, 2], b=[1, -1], return_sign=True)
    assert_allclose(value, expected) and sign == expected_sign == -1
    assert np.isnan(wn.logsumexp([1, 2], b=[1, -1]))
    assert_allclose(wn.logsumexp([1, 2, 3], b=[1, 2, 3]), np.log(np.e + 2 * np.e**2 + 3 * np.e**3))
    assert_allclose(wn.logsumexp([[1, 2], [3, 4]], axis=0, b=[[1, 2], [3, 4]]),
                    scipy.special.logsumexp([[1, 2], [3, 4]], axis=0, b=[[1, 2], [3, 4]]))


def test_ints_promote_and_float32_stays():
    assert wn.softmax(np.arange(4)).dtype == np.float64
    assert wn.softmax(np.arange(4, dtype=np.float32)).dtype == np.float32
    assert wn.logsumexp(np.arange(4, dtype=np.float32)).dtype == np.float32
    assert wn.softmax([True, False]).dtype == np.float64


# -- special values ---------------------------------------------------------------------------

def test_infinities_and_nan():
    inf, nan = np.inf, np.nan
    assert_equal(wn.softmax([1.0, inf, 2.0]), [0, 1, 0])
    assert_equal(wn.softmax([inf, 1.0, inf]), [0.5, 0, 0.5])
    assert_allclose(wn.log_softmax([inf, 1.0, inf]), [-np.log(2), -inf, -np.log(2)])
    assert_equal(wn.logsumexp([inf, 1.0]), inf)
    assert np.isnan(wn.softmax([-inf, -inf])).all()  # 0/0: documented convention
    assert np.isnan(wn.log_softmax([-inf, -inf])).all()
    assert_equal(wn.logsumexp([-inf, -inf]), -inf)
    assert np.isnan(wn.softmax([nan, 1.0, inf])).all()
    assert np.isnan(wn.logsumexp([nan, 1.0]))
    assert_allclose(wn.softmax([-inf, 0.0, 1.0]), [0, 0.2689414213699951, 0.7310585786300049])
    assert_equal(wn.softmax([-1e308, 1e308]), [0, 1])
    rows = wn.softmax([[1.0, 2.0], [inf, 0.0], [nan, 0.0], [-inf, -inf]], axis=1)
    assert_allclose(rows[0], [0.2689414213699951, 0.7310585786300049])
    assert_equal(rows[1], [1, 0])
    assert np.isnan(rows[2]).all() and np.isnan(rows[3]).all()


def test_empty_follows_scipy():
    with pytest.raises(ValueError, match="empty axis"):
        wn.softmax([])
    with pytest.raises(ValueError, match="empty axis"):
        wn.log_softmax(np.zeros((2, 0)), axis=1)
    assert_equal(wn.logsumexp(np.zeros((2, 0)), axis=1), [-np.inf, -np.inf])
    assert wn.softmax(np.zeros((0, 3)), axis=1).shape == (0, 3)


@pytest.mark.parametrize("bad", [np.array([1 + 1j]), np.array(["a"]), np.array([object()])])
def test_non_real_input_is_a_type_error(bad):
    with pytest.raises(TypeError, match="real numbers"):
        wn.softmax(bad)


def test_bad_axis_is_numpy_axis_error():
    with pytest.raises(np.exceptions.AxisError):
        wn.softmax(np.zeros((2, 3)), axis=2)
    with pytest.raises(np.exceptions.AxisError):
        wn.logsumexp(np.zeros(3), axis=1)


def test_import_does_not_load_sympy():
    code = "import sys, whysoftmax.numeric; print('sympy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# -- properties (hypothesis) ------------------------------------------------------------------

finite = st.floats(-700, 700, allow_nan=False, allow_infinity=False)
vectors = arrays(np.float64, st.integers(1, 40), elements=finite)


@settings(max_examples=60, deadline=None)
@given(vectors)
def test_sums_to_one_within_two_ulp_per_entry(x):
    total = np.sum(wn.softmax(x))
    assert abs(total - 1) <= 2 * len(x) * np.finfo(float).eps


def _exact_shift(x: np.ndarray, c: float) -> bool:
    """True when x + c is computed exactly (TwoSum error 0 everywhere)."""
    s = x + c
    bb = s - x
    return bool(np.all((x - (s - bb)) + (c - bb) == 0))


@settings(max_examples=60, deadline=None)
@given(vectors, st.integers(-2**20, 2**20).map(float))
def test_shift_invariance(x, c):
    if not _exact_shift(x, c):
        return  # the shift itself rounded the input: a different vector
    shifted = x + c
    assert_equal(wn.softmax(shifted), wn.softmax(x))  # the same gaps, the same result
    assert_equal(wn.log_softmax(shifted), wn.log_softmax(x))


@settings(max_examples=30, deadline=None)
@given(vectors)
def test_agrees_with_mpmath_on_random_draws(x):
    for name in KERNELS:
        reference = getattr(mp, name)(x, dps=60)
        reference = reference if isinstance(reference, list) else [reference]
        assert ulp_errors(getattr(wn, name)(x), reference).max() <= 2.0, name


# -- the other functions ----------------------------------------------------------------------

X = np.array([0.3, -1.7, 2.2, 0.0])


def _close(got, reference, rtol=1e-14):
    assert_allclose(np.asarray(got, float), np.array(reference, dtype=float), rtol=rtol,
                    atol=1e-300)


def test_jacobian_and_jvp_against_mpmath():
    _close(wn.softmax_jacobian(X), mp.softmax_jacobian(X))
    v = np.array([1.0, 2.0, -1.0, 0.5])
    _close(wn.softmax_jvp(X, v), mp.softmax_jvp(X, v))
    _close(wn.softmax_jacobian(X) @ v, mp.softmax_jvp(X, v), rtol=1e-13)
    assert wn.softmax_jacobian(np.zeros((5, 3))).shape == (5, 3, 3)


def test_cross_entropy_and_gradient():
    _close(wn.cross_entropy(X, 2), mp.cross_entropy(X, 2))
    _close(wn.cross_entropy_grad(X, 2), mp.cross_entropy_grad(X, 2))
    assert wn.cross_entropy([0.0, 1000.0], 0) == 1000.0
    assert_allclose(wn.cross_entropy(np.vstack([X, X]), np.array([2, 0])),
                    [float(mp.cross_entropy(X, 2)), float(mp.cross_entropy(X, 0))])
    with pytest.raises(ValueError, match="outside"):
        wn.cross_entropy(X, 4)
    with pytest.raises(TypeError, match="integer class"):
        wn.cross_entropy(X, 1.5)


@pytest.mark.parametrize("x", [-800.0, -30.0, -1e-3, 0.0, 2.5, 40.0, 800.0])
def test_sigmoid_and_log_sigmoid(x):
    _close(wn.sigmoid(x), mp.sigmoid(x))
    _close(wn.log_sigmoid(x), mp.log_sigmoid(x))


def test_alternatives_against_mpmath():
    _close(wn.sum_normalize([1.0, 3.0, 4.0]), mp.sum_normalize([1.0, 3.0, 4.0]))
    _close(wn.spherical_softmax(X, eps=0.5), mp.spherical_softmax(X, eps=0.5))
    _close(wn.taylor_softmax(X), mp.taylor_softmax(X))
    _close(wn.sparsemax(X), mp.sparsemax(X))
    _close(wn.sparsemax([0.0, 0.5]), [0.25, 0.75])
    assert_allclose(wn.sparsemax(np.vstack([X, -X])).sum(axis=1), [1, 1])


def test_mp_honours_dps():
    with mpmath.workdps(60):
        exact = mpmath.exp(1) / (mpmath.exp(1) + mpmath.exp(2))
    value = mp.softmax([1, 2], dps=60)[0]
    assert abs(value - exact) < mpmath.mpf(10) ** -58
    assert abs(mp.softmax([1, 2], dps=20)[0] - exact) > mpmath.mpf(10) ** -40
