"""whysoftmax.numeric's softmax, log_softmax and logsumexp: ULPs against mpmath, the class
of long vectors, scipy's conventions, special values, every layout, bad input."""

from __future__ import annotations

import ast
import math
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
LONG = "n = 2^20, normal(0, 3)"


@pytest.fixture(autouse=True)
def no_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


def _reference(name: str, x, dps: int = 60) -> list:
    value = getattr(mp, name)(x, dps=dps)
    return value if isinstance(value, list) else [value]


# -- accuracy ---------------------------------------------------------------------------------

@pytest.mark.parametrize("name", KERNELS)
def test_at_most_two_ulp_on_the_adversarial_suite(name):
    report = assert_matches_reference(getattr(wn, name), name, max_ulp=2.0)
    assert len(report.rows) == len(ADVERSARIAL)


@pytest.mark.parametrize("name", KERNELS)
def test_float32_inputs_are_within_one_float32_ulp(name):
    report = ulp_report(getattr(wn, name), name, dtype=np.float32)
    assert report.worst <= 1.0, str(report)


def _old_softmax(x: np.ndarray) -> np.ndarray:
    """The kernel before issue 11, reduced to its mistake: S = 1 + hi + rest with hi on the
    grid 2^-52·2n, and (p/S_hi)(1 + e − ρ), ρ = rest/S_hi — which drops ρ², and ρ grows
    with n (ρ = 5.8e-8 at n = 1e6: every entry 3.3e-15 = 31.7 ULP low)."""
    m, k = x.max(), np.argmax(x)
    s = x - m
    b = s - x
    e = (x - (s - b)) - (b + m)  # TwoSum: s + e = x − m exactly
    p = np.exp(s)
    p[k] = 0.0
    sigma = 2.0 ** (math.ceil(math.log2(len(x))) + 1)
    hi = (p + sigma) - sigma
    s_hi, rest = 1.0 + hi.sum(), (p - hi).sum() + (p * e).sum()
    p[k] = 1.0
    return p / s_hi * (1 + e - rest / s_hi)


def test_the_suite_catches_the_long_vector_class():
    """The old kernel passes every short case and fails the 2^20 case; the new one passes."""
    short = [name for name in ADVERSARIAL if len(ADVERSARIAL[name].x) < 2000 and
             np.isfinite(ADVERSARIAL[name].x).all() and ADVERSARIAL[name].x.max() < 700]
    assert ulp_report(_old_softmax, "softmax", cases=short).worst < 2.5
    assert ulp_report(_old_softmax, "softmax", cases=[LONG]).worst > 20
    assert ulp_report(wn.softmax, "softmax", cases=[LONG]).worst <= 2.0


def test_the_issues_long_vector_sums_to_one():
    rng = np.random.default_rng(0)
    for shape in [(2048, 1024), (2048, 1024), (100000, 10), (10, 100000)]:
        rng.normal(0, 3, shape)
    x = rng.normal(0, 3, 1_000_000)
    assert abs(math.fsum(wn.softmax(x)) - 1) < 5e-16  # was −3.33e-15: every entry 31.7 ULP low
    assert abs(math.fsum(_old_softmax(x)) - 1) > 3e-15


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


@pytest.mark.parametrize("x", [
    np.array([38.0] + [1.0] * 16),  # T far below the first pass's grid: summed again
    np.array([0.0] + [-80.0] * 20),
    np.concatenate([[700.0], np.linspace(600, 690, 30)]),  # the band with error terms
    np.concatenate([[1500.0], np.linspace(1450, 1499, 30)]),  # c = ⌊m⌋ above 1491
    np.array([-0.3, -708.1, -0.4] * 6),  # −½ < m < 0: c = −½
])
def test_shift_regimes(x):
    for name in KERNELS:
        assert ulp_errors(np.atleast_1d(getattr(wn, name)(x)), _reference(name, x)).max() <= 2, name


# -- layouts and paths ------------------------------------------------------------------------

def _assert_slices(name, x, got, axis):
    reduces = name == "logsumexp"
    fn = getattr(mp, name)
    want = mp.along_axis(fn, x, axis=axis, dps=40, reduces=reduces)
    moved = np.moveaxis(np.asarray(got), axis, -1) if not reduces else np.asarray(got)
    ref = np.moveaxis(want, axis, -1) if not reduces else want
    for row_got, row_ref in zip(moved.reshape(-1, *moved.shape[moved.ndim - (not reduces):]),
                                ref.reshape(-1, *ref.shape[ref.ndim - (not reduces):]),
                                strict=True):
        assert_allclose(row_got, row_ref, rtol=5e-16, atol=0)


@pytest.mark.parametrize("name", KERNELS)
@pytest.mark.parametrize("shape, axis", [((40, 37), -1), ((40, 37), 0), ((3, 20, 5), 1),
                                         ((300, 5), -1), ((5, 300), 0), ((2, 40000), -1)])
def test_every_layout_matches_the_reference(name, shape, axis):
    x = np.random.default_rng(1).normal(0, 20, shape)
    got = getattr(wn, name)(x, axis=axis)
    for variant in (np.asfortranarray(x), x[..., ::1].copy(), np.repeat(x, 2, -1)[..., ::2]):
        assert_equal(getattr(wn, name)(variant, axis=axis), got)  # F-order, strided: same
    if x.size <= 2000:
        _assert_slices(name, x, got, axis)


@pytest.mark.parametrize("name", KERNELS)
@pytest.mark.parametrize("shape", [(3, 4, 5), (30, 4, 5)])  # the Python-float path, arrays
def test_tuple_and_none_axes(name, shape):
    x = np.random.default_rng(2).normal(0, 5, shape)
    fn, reduces = getattr(wn, name), name == "logsumexp"
    rows = np.moveaxis(x, 1, 0).reshape(4, -1)  # the slices of axis=(0, 2) as rows
    got = fn(x, axis=(0, 2))
    got_rows = got if reduces else np.moveaxis(got, 1, 0).reshape(4, -1)
    want = mp.along_axis(getattr(mp, name), rows, dps=40, reduces=reduces)
    assert_allclose(got_rows, want, rtol=5e-16, atol=0)
    whole = mp.along_axis(getattr(mp, name), x.reshape(1, -1), dps=40, reduces=reduces)
    assert_allclose(np.ravel(fn(x)), np.ravel(whole), rtol=5e-16, atol=0)
    if reduces:
        assert fn(x, axis=(0, 2), keepdims=True).shape == (1, 4, 1)


@pytest.mark.parametrize("n", [1, 2, 8, 16, 17, 40])
def test_small_inputs_take_the_fast_path_and_agree(n):
    x = np.random.default_rng(n).normal(0, 30, n)
    for name in KERNELS:
        got = np.atleast_1d(getattr(wn, name)(x))
        in_rows = np.atleast_1d(getattr(wn, name)(np.vstack([x, x]), axis=1)[0])
        reference = _reference(name, x)
        assert ulp_errors(got, reference).max() <= 2 and ulp_errors(in_rows, reference).max() <= 2


@pytest.mark.parametrize("name", KERNELS)
def test_short_suite_cases_through_the_array_kernel(name):
    """Inputs of ≤ 64 entries take the Python-float path: the same cases, as rows of an
    array too large for it, through the array kernel."""
    fn = getattr(wn, name)
    for case in ADVERSARIAL.values():
        if len(case.x) <= 64:
            rows = np.tile(case.x, (64 // len(case.x) + 2, 1))
            got = np.atleast_1d(fn(rows, axis=1)[0])
            assert ulp_errors(got, _reference(name, case.x)).max() <= 2.0, case.name


def test_threads_give_the_same_bits(monkeypatch):
    x = np.random.default_rng(3).normal(0, 3, (5000, 40))
    one = [wn.softmax(x, axis=1), wn.log_softmax(x, axis=0), wn.logsumexp(x, axis=1)]
    monkeypatch.setenv("WHYSOFTMAX_NUM_THREADS", "2")
    two = [wn.softmax(x, axis=1), wn.log_softmax(x, axis=0), wn.logsumexp(x, axis=1)]
    for a, b in zip(one, two, strict=True):
        assert_equal(a, b)
    monkeypatch.setenv("WHYSOFTMAX_NUM_THREADS", "many")
    with pytest.raises(ValueError, match="WHYSOFTMAX_NUM_THREADS must be a positive integer"):
        wn.softmax(x)


def test_exp_is_a_function_of_its_argument():
    """The kernel recomputes the arg max term as exp of one number and subtracts it from
    sums taken over blocks: numpy's exp must not depend on where a value sits."""
    x = np.random.default_rng(4).uniform(-745, 709, 4099)
    blocks = np.exp(x.reshape(1, -1)[:, 1:4097].reshape(64, 64))
    assert_equal(blocks.ravel(), np.exp(x[1:4097]))
    assert_equal(np.exp(x[::7]), [np.exp(x[q:q + 1])[0] for q in range(0, len(x), 7)])


# -- scipy's conventions ----------------------------------------------------------------------

def test_dtypes_and_scalars_follow_scipy():
    assert wn.softmax(np.arange(4)).dtype == np.float64
    assert wn.softmax(np.arange(4, dtype=np.float32)).dtype == np.float32
    assert wn.softmax(np.arange(40, dtype=np.float16)).dtype == np.float16
    assert wn.logsumexp(np.arange(4, dtype=np.float32)).dtype == np.float32
    assert wn.softmax([True, False]).dtype == np.float64
    assert type(wn.softmax(1000)) is np.float64 and wn.softmax(1000) == 1.0
    assert type(wn.logsumexp([1.0, 2.0])) is np.float64
    assert wn.logsumexp(np.ones(3, np.complex64)).dtype == np.complex64
    assert wn.logsumexp([1, 2], b=np.array([1, 1], np.float32)).dtype == np.float64
    assert wn.logsumexp(np.array([1, 2], np.float32), b=np.array([1, 1], np.float32)).dtype \
        == np.float32


def test_weights_follow_scipy_and_keep_the_log1p_path():
    value, sign = wn.logsumexp([1, 2], b=[1, -1], return_sign=True)
    assert (value, sign) == scipy.special.logsumexp([1, 2], b=[1, -1], return_sign=True)
    assert np.isnan(wn.logsumexp([1, 2], b=[1, -1]))
    assert wn.logsumexp([1.0, 10000.0], b=[1, 0]) == 1.0  # b = 0 drops the entry
    assert wn.logsumexp([1.0, np.nan], b=[1, 0]) == 1.0
    assert wn.logsumexp([1.0, 1.0], b=[1, -1], return_sign=True) == (-np.inf, 0.0)
    for g in (40.0, 300.0):  # the issue's a = [0, −g], b = 1: was 9e15 ULP off
        got = wn.logsumexp([0.0, -g], b=[1.0, 1.0])
        assert ulp_errors([got], [mp.logsumexp([0.0, -g])])[0] <= 0.5


def test_weighted_accuracy_on_random_positive_weights():
    rng = np.random.default_rng(5)
    for _ in range(20):
        a, b = rng.normal(0, 10, 30), rng.uniform(0.1, 3, 30)
        with_b = wn.logsumexp(a, b=b)
        with mpmath.workdps(60):
            exact = mpmath.log(mpmath.fsum(mpmath.mpf(w) * mpmath.exp(mpmath.mpf(v))
                                           for v, w in zip(a, b, strict=True)))
        assert ulp_errors([with_b], [exact])[0] <= 2


def test_complex_numbers():
    a = np.array([1 + 1j, 2 - 1j, -2 + 3j])
    assert_allclose(wn.logsumexp(a), np.log(np.sum(np.exp(a))), rtol=1e-15)
    value, sign = wn.logsumexp(a, return_sign=True)
    assert_allclose(sign * np.exp(value), np.sum(np.exp(a)), rtol=1e-15)
    assert_allclose(wn.softmax(a), scipy.special.softmax(a), rtol=1e-14)
    small = wn.logsumexp(np.array([0, 2.2204460492503132e-17j]))
    assert small.imag == 1.1102230246251566e-17 and small.real == math.log(2)


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
    assert_equal(wn.softmax([-1e308, 1e308]), [0, 1])
    rows = wn.softmax([[1.0, 2.0], [inf, 0.0], [nan, 0.0], [-inf, -inf]] * 20, axis=1)
    assert_allclose(rows[0], [0.2689414213699951, 0.7310585786300049], rtol=0)
    assert_equal(rows[1], [1, 0])
    assert np.isnan(rows[2]).all() and np.isnan(rows[3]).all()
    columns = wn.log_softmax(np.array([[inf, 0.0, nan], [inf, 1.0, 0.0]] * 10), axis=0)
    assert_allclose(columns[:, 0], -np.log(20)) and np.isnan(columns[:, 2]).all()


def test_empty_follows_scipy():
    with pytest.raises(ValueError, match=r"^softmax: the slices along axis None are empty"):
        wn.softmax([])
    with pytest.raises(ValueError, match=r"^log_softmax: the slices along axis 1 are empty"):
        wn.log_softmax(np.zeros((2, 0)), axis=1)
    assert_equal(wn.logsumexp(np.zeros((2, 0)), axis=1), [-np.inf, -np.inf])
    assert wn.softmax(np.zeros((0, 3)), axis=1).shape == (0, 3)


@pytest.mark.parametrize("bad", [np.array(["a"]), np.array([object()])])
def test_non_numbers_are_a_type_error_naming_the_function(bad):
    with pytest.raises(TypeError, match=r"^softmax: x has dtype .*; expected real or complex"):
        wn.softmax(bad)
    with pytest.raises(TypeError, match=r"^logsumexp: b has dtype"):
        wn.logsumexp([1.0], b=bad)


def test_bad_axis_is_numpy_axis_error():
    with pytest.raises(np.exceptions.AxisError):
        wn.softmax(np.zeros((2, 3)), axis=2)
    with pytest.raises(np.exceptions.AxisError):
        wn.logsumexp(np.zeros(3), axis=1)
    with pytest.raises(ValueError, match=r"^log_softmax: repeated axis"):
        wn.log_softmax(np.zeros((2, 3)), axis=(1, -1))


def test_the_numeric_wing_imports_nothing_symbolic():
    """numeric, mp, testing and the pytest plugin load neither SymPy nor any module of the
    symbolic side of the package."""
    code = ("import sys, whysoftmax.numeric, whysoftmax.mp, whysoftmax.testing, "
            "whysoftmax.pytest_plugin; print(sorted(m for m in sys.modules if m == 'sympy' "
            "or m.startswith('whysoftmax.')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = ast.literal_eval(out.stdout)
    wing = ("whysoftmax.numeric", "whysoftmax.mp", "whysoftmax.testing",
            "whysoftmax.pytest_plugin")
    assert [m for m in loaded if not m.startswith(wing)] == []


# -- properties (hypothesis) ------------------------------------------------------------------

finite = st.floats(-700, 700, allow_nan=False, allow_infinity=False)
vectors = arrays(np.float64, st.integers(1, 60), elements=finite)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(vectors)
def test_sums_to_one_within_two_ulp_per_entry(x):
    total = np.sum(wn.softmax(x))
    assert abs(total - 1) <= 2 * len(x) * np.finfo(float).eps


@settings(max_examples=40, deadline=None, derandomize=True)
@given(vectors, st.integers(-2**20, 2**20).map(float))
def test_shift_invariance_within_the_bound(x, c):
    """Shifting by an exactly representable c changes nothing but the shift chosen inside,
    so both results stay within 2 ULP of the same reference."""
    shifted = x + c
    if not np.array_equal(shifted - c, x):
        return  # the shift itself rounded the input: a different vector
    reference = _reference("softmax", x)
    assert ulp_errors(wn.softmax(shifted), reference).max() <= 2.0


@settings(max_examples=40, deadline=None, derandomize=True)
@given(vectors)
def test_agrees_with_mpmath_on_random_draws(x):
    for name in KERNELS:
        assert ulp_errors(np.atleast_1d(getattr(wn, name)(x)), _reference(name, x)).max() <= 2.0
