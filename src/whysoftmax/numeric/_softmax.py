"""softmax, log_softmax and logsumexp: scipy.special's signatures, the kernel's accuracy."""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import _dd, _kernel, _run
from ._args import Axis, Slices, as_numbers, axes_of, result_dtype, scalar_if_0d

__all__ = ["log_softmax", "logsumexp", "softmax"]

#: Inputs of at most this many entries are computed with Python floats, slice by slice.
SMALL = 64


def _slice(z: list, what: str):
    """The kernel's steps with Python floats for one short slice: its values (one for
    logsumexp), or None where the array path must take it (special values, an overflowing
    sum, the band that needs error terms)."""
    if not math.isfinite(sum(z)):
        return None
    m = max(z)
    c, errors = _kernel.shift(m, len(z), _dd.SCALAR)
    if errors:
        return None
    e_hi, e_lo = _dd.exp(m - c, _dd.SCALAR)
    p = list(map(math.exp, z)) if c == 0 else [math.exp(v - c) for v in z]
    k = z.index(m)
    others = p[:k] + p[k + 1:]
    if what == "softmax":
        total = math.fsum([e_hi, e_lo, *others])
        return [v / total for v in p]
    t_hi = math.fsum(others)
    t_lo = math.fsum([*others, -t_hi])
    log_rest = _dd.log1p(*_dd.div(t_hi, t_lo, e_hi, e_lo), math.log1p)
    return m + log_rest if what == "logsumexp" else [(v - m) - log_rest for v in z]


def _small(arr: np.ndarray, axis: Axis, what: str, keepdims: bool = False):
    """Inputs of at most :data:`SMALL` entries, with Python floats slice by slice (a call
    costs microseconds instead of the array kernel's fifty); None where they do not
    apply."""
    if not 0 < arr.size <= SMALL or arr.dtype.kind not in "fiu" or arr.dtype.itemsize > 8:
        return None
    dtype = arr.dtype if arr.dtype.kind == "f" else np.dtype(np.float64)
    if axis is None or (arr.ndim == 1 and axis in (0, -1)):  # one slice
        values = _slice(arr.ravel().tolist(), what)
        if values is None:
            return None
        if what == "logsumexp":
            return np.full((1,) * arr.ndim, values, dtype) if keepdims else dtype.type(values)
        return scalar_if_0d(np.array(values, dtype=dtype).reshape(arr.shape))
    if not (isinstance(axis, int) and arr.ndim > 1 and -arr.ndim <= axis < arr.ndim):
        return None
    moved = np.moveaxis(arr, axis, -1)
    values = [_slice(row, what) for row in moved.reshape(-1, moved.shape[-1]).tolist()]
    if any(v is None for v in values):
        return None
    if what == "logsumexp":
        out = np.array(values, dtype=dtype).reshape(moved.shape[:-1])
        return np.expand_dims(out, axis) if keepdims else out
    return np.moveaxis(np.array(values, dtype=dtype).reshape(moved.shape), -1, axis)


def _reduce(x: ArrayLike, axis: Axis, what: str, keepdims: bool = False):
    arr = np.asarray(x)
    small = _small(arr, axis, what, keepdims)
    if small is not None:
        return small
    arr, out_dtype = as_numbers(arr, what)
    if arr.dtype.kind == "c":
        from ._weighted import complex_log_softmax, weighted_logsumexp

        if what == "logsumexp":
            return weighted_logsumexp(arr, axis, None, keepdims, False, out_dtype)
        return complex_log_softmax(arr, axis, what == "softmax", out_dtype)
    slices = Slices(arr, axes_of(arr.ndim, axis, what))
    if slices.n == 0:
        if what != "logsumexp":
            raise ValueError(f"{what}: the slices along axis {axis!r} are empty; "
                             f"{what} of no entries is undefined")
        values = np.full(slices.z.shape[::2], -np.inf)
    else:
        values = _run.run(slices.z, what, np.dtype(out_dtype))
    if what == "logsumexp":
        return scalar_if_0d(slices.reduced(values, keepdims).astype(out_dtype, copy=False))
    return scalar_if_0d(slices.full(values))


def softmax(x: ArrayLike, axis: Axis = None) -> NDArray:
    r"""Softmax along ``axis`` (all elements when None), a drop-in for
    ``scipy.special.softmax``.

    .. math:: \operatorname{softmax}(z)_i = \frac{e^{z_i - c}}
       {e^{m - c} + \sum_{j \ne k} e^{z_j - c}}, \quad m = z_k = \max_j z_j

    with a shift ``c`` for which every ``z_j − c`` is exact, the arg max term
    ``e^{m−c}`` in double-double and the sum added exactly (``stable_forms`` / "softmax
    with an exact shift"). At most 2 ULP from the exact value on the adversarial suite
    of :mod:`whysoftmax.testing` (scipy: up to 513). Complex input: ``exp`` of
    :func:`log_softmax`.

    Examples
    --------
    >>> softmax([1.0, 2.0])
    array([0.26894142, 0.73105858])
    >>> softmax([[0.0, float("inf"), float("inf")]], axis=1)
    array([[0. , 0.5, 0.5]])
    >>> softmax(1000)
    np.float64(1.0)
    """
    return _reduce(x, axis, "softmax")


def log_softmax(x: ArrayLike, axis: Axis = None) -> NDArray:
    r"""Logarithm of softmax along ``axis`` (all elements when None), a drop-in for
    ``scipy.special.log_softmax``.

    .. math:: \log \operatorname{softmax}(z)_i = (z_i - m) -
       \operatorname{log1p}\Big(\sum_{j \ne k} e^{z_j - m}\Big)

    (``stable_forms`` / "log-softmax with log1p"): no ``log`` of a sum that rounds to 1,
    so tiny log-probabilities keep all their digits.

    Examples
    --------
    >>> float(log_softmax([0.0, -55.0])[0])  # scipy returns 0.0 here
    -1.29958142500750e-24
    """
    return _reduce(x, axis, "log_softmax")


def logsumexp(
    a: ArrayLike,
    axis: Axis = None,
    b: ArrayLike | None = None,
    keepdims: bool = False,
    return_sign: bool = False,
):
    r"""``log Σ b_j e^{a_j}`` along ``axis``, a drop-in for ``scipy.special.logsumexp``.

    .. math:: \operatorname{lse}(a) = m + \operatorname{log1p}\Big((b_k - 1) +
       \sum_{j \ne k} b_j e^{a_j - m}\Big), \quad m = a_k = \max_j a_j

    (``stable_forms`` / "log-sum-exp with log1p", "weighted log-sum-exp"). Entries with
    ``b = 0`` are left out, even where ``a`` is infinite or NaN (as scipy). With
    ``return_sign=True`` the result is ``(log|Σ|, sign)``; otherwise a negative sum gives
    NaN. Complex ``a`` or ``b``: the principal logarithm, imaginary part in (−π, π].
    Empty slices give ``−inf``.

    Examples
    --------
    >>> float(logsumexp([1000.0, 1000.0]))
    1000.6931471805599
    >>> logsumexp([1.0, 2.0], b=[1.0, -1.0], return_sign=True)
    (np.float64(1.5413248546129181), np.float64(-1.0))
    >>> float(logsumexp([0.0, -40.0], b=[1.0, 1.0]))
    4.24835425529159e-18
    """
    arr = np.atleast_1d(np.asarray(a))
    if b is None and arr.dtype.kind != "c":
        result = _reduce(arr, axis, "logsumexp", keepdims)
        if not return_sign:
            return result
        sign = np.where(result == -np.inf, 0.0, np.where(np.isnan(result), np.nan, 1.0))
        return result, scalar_if_0d(sign.astype(np.result_type(result)))
    from ._weighted import weighted_logsumexp

    arr, _ = as_numbers(arr, "logsumexp", "a")
    weights = None if b is None else np.atleast_1d(as_numbers(b, "logsumexp", "b")[0])
    dtype = result_dtype(np.asarray(a).dtype, *([] if b is None else [np.asarray(b).dtype]))
    return weighted_logsumexp(arr, axis, weights, keepdims, return_sign, dtype)
