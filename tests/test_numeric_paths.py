"""The kernel's fast paths that bet on the data and start over when they lose: the one-pass
long rows of float64 softmax/logsumexp (shift c = 0, the peaks taken block by block) and
float32 softmax without the maxima. Each layout is checked against the same slices taken
through the general path (axis 0, a column), which computes the same exact sums."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from whysoftmax import numeric as wn


def _rows(n: int = 70_000) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(1)
    x = rng.normal(0, 3, n)
    late = x.copy()
    late[-5] = 705.0  # first block fine, a later peak in the error-term band
    nan = x.copy()
    nan[-3] = np.nan
    dead = x.copy()
    dead[40_000:] = -np.inf  # a whole block of −inf: e^z = 0, its grid from e^−inf
    return {"normal": x, "negative": x - 50.0, "late peak": late, "NaN late": nan,
            "−inf block": dead, "huge": x + 1600.0, "tiny": x - 900.0}


@pytest.fixture(autouse=True)
def no_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


@pytest.mark.parametrize("case", list(_rows()))
@pytest.mark.parametrize("name", ["softmax", "logsumexp", "log_softmax"])
def test_long_rows_match_the_general_path(name, case):
    x = _rows()[case]
    fn = getattr(wn, name)
    general = fn(x[:, None], axis=0)
    got = fn(x)
    assert_array_equal(np.isnan(got), np.isnan(general.ravel()))
    assert_allclose(got, general.ravel(), rtol=4.5e-16, atol=0)
    two = np.stack([_rows()["normal"], x])  # one row wins the bet, the other may lose it
    assert_allclose(fn(two, axis=1)[1], got, rtol=4.5e-16, atol=0)


@pytest.mark.parametrize("shift", [0.0, -650.0, 650.0, -80.0])
@pytest.mark.parametrize("shape, axis", [((3000,), -1), ((64, 1024), -1), ((1024, 64), 0)])
def test_float32_softmax_with_and_without_the_maxima(shape, axis, shift):
    x = (np.random.default_rng(2).normal(0, 3, shape) + shift).astype(np.float32)
    got = wn.softmax(x, axis=axis)
    want = wn.softmax(x.astype(np.float64), axis=axis)
    assert got.dtype == np.float32
    assert_allclose(got, want.astype(np.float32), rtol=1.2e-7, atol=1e-45)
    x.flat[5] = np.nan  # a NaN slice: the bet lost, the conventions of the general path
    got = wn.softmax(x, axis=axis)
    assert np.isnan(got).sum() == shape[axis]


@pytest.mark.parametrize("case", ["normal", "dominant", "flat", "shifted", "special"])
@pytest.mark.parametrize("shape, axis", [((3000,), -1), ((64, 1024), -1), ((1024, 64), 0),
                                         ((500, 10), -1)])
def test_float32_log_softmax_in_one_subtraction_and_its_fallbacks(shape, axis, case):
    """float32 log_softmax without the shift: z − (m + log1p(T/E)) in one subtraction where
    |m| ≤ 2^20 log1p(T/E); (z − m) − log1p(T/E) where the max dominates ("dominant": T/E
    about e^-30 with m = 40), the shifted pass where |m| > 600, the special slices."""
    rng = np.random.default_rng(3)
    x = rng.normal(0, 3, shape)
    if case == "dominant":
        x = rng.normal(0, 1, shape) + 10.0
        x[(slice(None),) * (x.ndim - 1 if axis == -1 else 0) + (0,)] = 40.0
    elif case == "flat":
        x = rng.normal(0, 1e-3, shape) + 5.0
    elif case == "shifted":
        x = x + 650.0
    x = x.astype(np.float32)
    if case == "special":
        x.flat[7] = np.inf
    got = wn.log_softmax(x, axis=axis)
    want = wn.log_softmax(x.astype(np.float64), axis=axis)
    assert got.dtype == np.float32
    assert_array_equal(np.isnan(got), np.isnan(want))
    ok = np.isfinite(want)
    spacing = np.spacing(np.abs(want[ok]).astype(np.float32)).astype(np.float64)
    assert (np.abs(got[ok] - want[ok]) <= 0.5001 * spacing).all()
    assert_array_equal(got[~ok], want[~ok].astype(np.float32))
