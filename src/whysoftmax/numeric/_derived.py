"""Functions built on softmax, each through a form without cancellation.

Where a result cancels in the textbook form, the derivation's stable form is computed in
double-double (:mod:`._dd`) and rounded once:

- ``1 − s_i = Σ_{j≠i} s_j`` (Jacobian diagonal, ``s_y − 1`` of the cross-entropy gradient);
- ``v_i − ⟨s, v⟩ = (v_i − v_k) − Σ_{j≠k} s_j (v_j − v_k)`` (Jacobian-vector product);
- the normalising sums of sum_normalize, spherical and Taylor softmax, and sparsemax's
  threshold, summed exactly.

A function of well-conditioned inputs is then within 1 ULP; where the result itself is
ill-conditioned (a sum near 0, an entry near sparsemax's threshold), the error is 1 ULP
plus 2^-100 times the condition number, in ULPs.
"""

from __future__ import annotations

import functools
import math

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import _dd
from ._args import as_numbers, result_dtype
from ._softmax import log_softmax, softmax

__all__ = [
    "cross_entropy",
    "cross_entropy_grad",
    "log_sigmoid",
    "sigmoid",
    "softmax_jacobian",
    "softmax_jvp",
    "sparsemax",
    "spherical_softmax",
    "sum_normalize",
    "taylor_softmax",
]


def _quiet(fn):
    """No RuntimeWarning escapes: infinities and NaN follow the documented conventions."""
    @functools.wraps(fn)
    def quiet(*args, **kwargs):
        with np.errstate(all="ignore"):
            return fn(*args, **kwargs)
    return quiet


def _real(x: ArrayLike, func: str, name: str = "x") -> tuple[np.ndarray, np.dtype]:
    """``x`` as float64, and the dtype of the result."""
    arr, dtype = as_numbers(x, func, name, complex_ok=False)
    return arr.astype(np.float64, copy=False), dtype


def _last(x: ArrayLike, axis: int, func: str) -> tuple[np.ndarray, np.dtype]:
    z, dtype = _real(x, func)
    if z.ndim == 0:
        z = z.reshape(1)
    z = np.moveaxis(z, axis, -1)
    if z.shape[-1] == 0:
        raise ValueError(f"{func}: the slices along axis {axis} are empty")
    return z, dtype


def _dd_softmax(z: np.ndarray):
    """softmax along the last axis of finite rows as double-doubles ``(s_hi, s_lo)``, and
    ``1 − s_i = Σ_{j≠i} s_j`` as ``(o_hi, o_lo)``: the gaps ``z_j − m`` exact (TwoSum),
    ``e^{gap}`` in double-double, the sums exact."""
    k = np.argmax(z, axis=-1)[..., None]
    g_hi, g_lo = _dd.two_sum(z, -np.take_along_axis(z, k, -1))
    e_hi, e_lo = _dd.exp(np.maximum(g_hi, -760.0))  # e^{-760} is 0 in float64
    e_lo = e_lo + e_hi * np.where(np.isfinite(g_lo), g_lo, 0.0)
    others = np.arange(z.shape[-1]) != k  # the arg max term is exactly 1
    t_hi, t_lo = _dd.exact_sum(np.where(others, e_hi, 0.0))
    t_lo = t_lo + np.where(others, e_lo, 0.0).sum(axis=-1)
    total = _dd.add(1.0, 0.0, t_hi[..., None], t_lo[..., None])
    s = _dd.div(e_hi, e_lo, *total)
    rest = _dd.add(*total, -e_hi, -e_lo)  # S − E_i ≥ S/2 when i is not the arg max
    o_hi = np.where(others, rest[0], t_hi[..., None])
    o_lo = np.where(others, rest[1], t_lo[..., None])
    return s, _dd.div(o_hi, o_lo, *total)


def _finite_rows(z: np.ndarray) -> np.ndarray:
    """Rows without NaN or +inf (−inf entries are ordinary: probability 0)."""
    return np.isfinite(z.max(axis=-1))


@_quiet
def softmax_jacobian(x: ArrayLike, axis: int = -1) -> NDArray:
    r"""The softmax Jacobian, shape ``(…, n, n)`` with the class axis last:
    :math:`J_{ik} = s_i(\delta_{ik} - s_k)`.

    The diagonal is :math:`s_i \sum_{j \ne i} s_j` (``stable_forms`` / "one minus
    softmax"), so it keeps its digits when :math:`s_i \approx 1`; every entry is
    computed in double-double and rounded once (``jacobian`` / "matrix form").

    Examples
    --------
    >>> softmax_jacobian([0.0, 0.0])
    array([[ 0.25, -0.25],
           [-0.25,  0.25]])
    >>> float(softmax_jacobian([0.0, -40.0])[0, 0])  # s(1 − s) = 4.2e-18, not 0
    4.24835425529159e-18
    """
    z, dtype = _last(x, axis, "softmax_jacobian")
    n = z.shape[-1]
    jac = np.empty((*z.shape, n))
    finite = _finite_rows(z)
    (s_hi, s_lo), (o_hi, o_lo) = _dd_softmax(z[finite])
    block = -_dd.mul(s_hi[:, :, None], s_lo[:, :, None], s_hi[:, None, :],
                     s_lo[:, None, :])[0]
    block[:, np.arange(n), np.arange(n)] = _dd.mul(s_hi, s_lo, o_hi, o_lo)[0]
    jac[finite] = block
    s = softmax(z[~finite], axis=-1)  # the special-value conventions
    jac[~finite] = s[..., :, None] * np.eye(n) - s[..., :, None] * s[..., None, :]
    return jac.astype(dtype, copy=False)


@_quiet
def softmax_jvp(x: ArrayLike, v: ArrayLike, axis: int = -1) -> NDArray:
    r"""Jacobian-vector product of softmax, without the n×n matrix:
    :math:`(Jv)_i = s_i (v_i - \langle s, v \rangle)`.

    ``v_i − ⟨s, v⟩`` is computed as :math:`(v_i - v_k) - \sum_{j \ne k} s_j (v_j - v_k)`
    (``stable_forms`` / "Jacobian-vector product, centred at the arg max"), in
    double-double, so it keeps its digits when ``s_k ≈ 1`` (it was 7e15 ULP off).

    Examples
    --------
    >>> softmax_jvp([0.0, 0.0], [1.0, 0.0])
    array([ 0.25, -0.25])
    """
    z, dtype = _real(x, "softmax_jvp")
    w, w_dtype = _real(v, "softmax_jvp", "v")
    z, w = np.broadcast_arrays(z, w)
    dtype = result_dtype(dtype, w_dtype)
    scalar = z.ndim == 0
    z, w = _last(z, axis, "softmax_jvp")[0], np.moveaxis(w.reshape(z.shape or (1,)), axis, -1)
    out = np.empty(z.shape)
    finite = _finite_rows(z) & np.isfinite(w).all(axis=-1)
    zf, wf = z[finite], w[finite]
    s = _dd_softmax(zf)[0]
    k = np.argmax(zf, axis=-1)[..., None]
    dv = _dd.two_sum(wf, -np.take_along_axis(wf, k, -1))  # v_j − v_k, exactly
    terms_hi, terms_lo = _dd.mul(*s, *dv)
    d_hi, d_lo = _dd.exact_sum(terms_hi)
    centred = _dd.add(*dv, -d_hi[..., None], -(d_lo + terms_lo.sum(axis=-1))[..., None])
    out[finite] = _dd.mul(*s, *centred)[0]
    sz, wz = softmax(z[~finite], axis=-1), w[~finite]
    out[~finite] = sz * (wz - np.sum(sz * wz, axis=-1, keepdims=True))
    out = np.moveaxis(out, -1, axis).astype(dtype, copy=False)
    return out[0] if scalar else out


def _targets(logits: ArrayLike, target: ArrayLike, axis: int, func: str):
    z, dtype = _last(logits, axis, func)
    y = np.asarray(target)
    if y.dtype.kind not in "iu":
        raise TypeError(f"{func}: target must hold integer class indices, not {y.dtype}")
    if y.shape != z.shape[:-1]:
        raise ValueError(f"{func}: target has shape {y.shape}; expected {z.shape[:-1]} "
                         "(the logits without the class axis)")
    n = z.shape[-1]
    if y.size and (y.min() < 0 or y.max() >= n):
        raise ValueError(f"{func}: target holds class indices outside 0 … {n - 1}")
    return z, y[..., None], dtype


@_quiet
def cross_entropy(logits: ArrayLike, target: ArrayLike, axis: int = -1) -> NDArray:
    r"""Cross-entropy :math:`-\log \operatorname{softmax}(z)_y` for integer targets.

    Through :func:`log_softmax` (``cross_entropy_gradient``: −log s_y = lse(z) − z_y), so
    a confident wrong prediction costs its full, finite value.

    Examples
    --------
    >>> float(cross_entropy([0.0, 1000.0], 0))
    1000.0
    """
    z, y, dtype = _targets(logits, target, axis, "cross_entropy")
    value = -np.take_along_axis(log_softmax(z, axis=-1), y, -1)[..., 0]
    return value.astype(dtype, copy=False)


@_quiet
def cross_entropy_grad(logits: ArrayLike, target: ArrayLike, axis: int = -1) -> NDArray:
    r"""Gradient of :func:`cross_entropy` with respect to the logits: :math:`s - e_y`.

    At the target, :math:`s_y - 1 = -\sum_{j \ne y} s_j` (``stable_forms`` / "one minus
    softmax"), in double-double where ``s_y > ½``: no cancellation when the prediction
    is confident and right (it was 2e13 ULP off).

    Examples
    --------
    >>> cross_entropy_grad([0.0, 0.0], 1)
    array([ 0.5, -0.5])
    >>> float(cross_entropy_grad([40.0, 0.0], 0)[0])  # −4.2e-18, not 0
    -4.24835425529159e-18
    """
    z, y, dtype = _targets(logits, target, axis, "cross_entropy_grad")
    grad = softmax(z, axis=-1).astype(np.float64, copy=False)
    at_target = np.take_along_axis(grad, y, -1)
    value = at_target - 1.0
    confident = (at_target[..., 0] > 0.5) & _finite_rows(z)
    if confident.any():
        rows = z[confident]
        (_, (o_hi, _)) = _dd_softmax(rows)
        value[confident] = -np.take_along_axis(o_hi, y[confident], -1)
    np.put_along_axis(grad, y, value, -1)
    return np.moveaxis(grad, -1, axis).astype(dtype, copy=False)


@_quiet
def sigmoid(x: ArrayLike) -> NDArray:
    r"""The logistic sigmoid, two-class softmax: :math:`\sigma(x) = 1/(1 + e^{-x})`.

    For ``x < 0`` the form :math:`e^{x}/(1 + e^{x})` (``sigmoid`` / "σ(−x) = 1 − σ(x)"),
    so no ``exp`` overflows; ``e^{−|x|}`` in double-double, rounded once.

    Examples
    --------
    >>> sigmoid([-800.0, 0.0, 800.0])
    array([0. , 0.5, 1. ])
    """
    z, dtype = _real(x, "sigmoid")
    t = _dd.exp(np.maximum(-np.abs(z), -760.0))
    below = _dd.add(1.0, 0.0, *t)
    top = (np.where(z >= 0, 1.0, t[0]), np.where(z >= 0, 0.0, t[1]))
    value = _dd.div(*top, *below)[0]
    return np.where(np.isnan(z), z, value).astype(dtype, copy=False)


@_quiet
def log_sigmoid(x: ArrayLike) -> NDArray:
    r""":math:`\log\sigma(x) = -\operatorname{log1p}(e^{-x})`, and
    :math:`x - \operatorname{log1p}(e^{x})` for ``x < 0`` (``sigmoid`` / "log-sigmoid for
    x < 0"): no overflow, no clipping, ``e^{−|x|}`` in double-double.

    Examples
    --------
    >>> log_sigmoid([-800.0, 40.0])
    array([-8.00000000e+02, -4.24835426e-18])
    """
    z, dtype = _real(x, "log_sigmoid")
    t = _dd.exp(np.maximum(-np.abs(z), -760.0))
    value = np.minimum(z, 0.0) - _dd.log1p(*t)
    return np.where(np.isnan(z), z, value).astype(dtype, copy=False)


def _normalise(terms: tuple, axis, dtype: np.dtype) -> NDArray:
    """``q_i / Σ_j q_j`` for double-double terms, the sum exact and the quotient rounded
    once; both scaled by a power of two first (the sum of 1e308's must not overflow). A
    slice with a non-finite term is NaN."""
    hi, lo = terms
    if axis is None:
        hi, lo = hi.reshape(-1), lo.reshape(-1)
    ax = -1 if axis is None else axis
    e = _dd.magnitude(hi, ax)
    hi, lo = _dd.ldexp(hi, -e), _dd.ldexp(lo, -e)
    s_hi, s_lo = (np.expand_dims(v, ax) for v in _dd.exact_sum(hi, axis=ax))
    total = _dd.fast_two_sum(s_hi, s_lo + lo.sum(axis=ax, keepdims=True))
    value = _dd.div(hi, lo, *total)[0]
    value = np.where(np.isfinite(hi).all(axis=ax, keepdims=True), value, np.nan)
    return value.reshape(terms[0].shape).astype(dtype, copy=False)


@_quiet
def sum_normalize(x: ArrayLike, axis: int | None = None) -> NDArray:
    r"""Sum normalisation :math:`z_i / \sum_j z_j` — for comparison (``sum_normalisation``).

    The sum is exact, so the error is 1 ULP plus :math:`2^{-60}\kappa` ULP with
    :math:`\kappa = \sum|z_j| / |\sum z_j|`; NaN (undefined, no warning) where the
    sum is 0.

    Examples
    --------
    >>> sum_normalize([1.0, 3.0])
    array([0.25, 0.75])
    """
    z, dtype = _real(x, "sum_normalize")
    return _normalise((z, np.zeros_like(z)), axis, dtype)


@_quiet
def spherical_softmax(x: ArrayLike, axis: int = -1, eps: float = 0.0) -> NDArray:
    r"""Spherical softmax :math:`(z_i^2 + \varepsilon) / \sum_j (z_j^2 + \varepsilon)`
    (``spherical_and_taylor``); squares and sum exact, rounded once.

    Examples
    --------
    >>> spherical_softmax([1.0, 2.0])
    array([0.2, 0.8])
    """
    z, dtype = _real(x, "spherical_softmax")
    e = _dd.magnitude(z, axis)  # scaled by 2^-e (and ε by 2^-2e): no square overflows
    z = _dd.ldexp(z, -e)
    return _normalise(_dd.add(*_dd.two_prod(z, z), _dd.ldexp(eps, -2 * e), 0.0), axis, dtype)


@_quiet
def taylor_softmax(x: ArrayLike, axis: int = -1) -> NDArray:
    r"""Taylor softmax :math:`(1 + z_i + z_i^2/2) / \sum_j (1 + z_j + z_j^2/2)`.

    The terms are ``((z + 1)² + 1)/2`` (``spherical_and_taylor``), which is positive,
    in double-double.

    Examples
    --------
    >>> taylor_softmax([0.0, 0.0])
    array([0.5, 0.5])
    """
    z, dtype = _real(x, "taylor_softmax")
    e = _dd.magnitude(z, axis)  # all terms scaled by 2^-2e: no square overflows
    shifted = (_dd.ldexp(v, -e) for v in _dd.two_sum(z, 1.0))
    shifted = tuple(shifted)
    hi, lo = _dd.add(*_dd.mul(*shifted, *shifted), _dd.ldexp(1.0, -2 * e), 0.0)
    return _normalise((hi / 2, lo / 2), axis, dtype)


@_quiet
def sparsemax(x: ArrayLike, axis: int = -1) -> NDArray:
    r"""Sparsemax (Martins & Astudillo 2016): the Euclidean projection onto the simplex.

    :math:`p_i = \max(z_i - \tau, 0)`, :math:`\tau = (\sum_{r \le k} z_{(r)} - 1)/k` with
    k the largest support size that passes :math:`1 + k z_{(k)} > \sum_{r \le k} z_{(r)}`
    (``properties``). Computed from the gaps to the largest entry (``stable_forms`` /
    "sparsemax from the gaps"), :math:`g_r = z_{(1)} - z_{(r)}`: the test is
    :math:`1 + \sum_{r \le k} g_r > k g_k` and :math:`p_i = (z_i - z_{(1)}) +
    (1 + \sum_{r \le k} g_r)/k`, with exact partial sums, so nothing overflows or cancels
    beyond the condition :math:`|z_i|/|z_i - \tau|` of an entry near the threshold.

    Examples
    --------
    >>> sparsemax([0.0, 0.5])
    array([0.25, 0.75])
    >>> sparsemax([1e308, 5e307])  # τ = 1e308 − 1
    array([1., 0.])
    """
    z, dtype = _last(x, axis, "sparsemax")
    valid = ~np.isnan(z).any(axis=-1) & ~np.isposinf(z).any(axis=-1) \
        & ~np.isneginf(z).all(axis=-1)
    z = np.where(valid[..., None], z, 0.0)
    ordered = -np.sort(-z, axis=-1)
    top = ordered[..., :1]
    g_hi, g_lo = _dd.two_sum(top, -ordered)
    far = ~(g_hi <= 1.0)  # a gap beyond 1 never passes the test: keep the sums small
    g_hi, g_lo = np.where(far, 2.0, g_hi), np.where(far, 0.0, g_lo)
    n = z.shape[-1]
    sigma = 2.0 ** (math.ceil(math.log2(n)) + 3)
    grid = (g_hi + sigma) - sigma  # partial sums of the grid parts are exact
    c_hi = np.cumsum(grid, axis=-1)
    c_lo = np.cumsum((g_hi - grid) + g_lo, axis=-1)
    ranks = np.arange(1.0, n + 1)
    p_hi, p_lo = _dd.two_prod(ranks, g_hi)
    d_hi, d_lo = _dd.two_sum(c_hi, -p_hi)
    passes = d_hi + ((d_lo + c_lo) - (p_lo + ranks * g_lo)) > -1.0
    k = np.sum(passes, axis=-1, keepdims=True)
    total = (np.take_along_axis(c_hi, k - 1, -1), np.take_along_axis(c_lo, k - 1, -1))
    offset = _dd.div(*_dd.add(*total, 1.0, 0.0), k.astype(np.float64), 0.0)  # z_(1) − τ
    value = _dd.add(*_dd.two_sum(z, -top), *offset)[0]
    value = np.where(valid[..., None], np.fmax(value, 0.0), np.nan)  # −inf − top: 0
    return np.moveaxis(value, -1, axis).astype(dtype, copy=False)
