"""logsumexp with weights ``b`` or complex numbers, through the same log1p path.

``log Σ_j b_j e^{a_j} = m + log1p((b_k − 1) + Σ_{j≠k} b_j e^{a_j − m})`` with ``m`` the
largest real part, at ``k`` (``stable_forms`` / "weighted log-sum-exp"). The gaps
``a_j − m`` keep their rounding errors (TwoSum), the products ``b_j e^{…}`` theirs
(TwoProduct), and the sum is exact, so a sum 1 + tiny keeps the tiny part: the issue's
``a = [0, −g], b = [1, 1]`` was 9e15 ULP off. For complex values the real part is
``m + ½ log1p(|V|² − 1)``, ``V`` the sum divided by ``e^{a_k}``, in double-double.

Slices whose result is not finite (infinite or NaN entries, a sum of exactly 0) take
scipy's direct ``log(Σ b e^a)``, which follows C99 for complex infinities.
"""

from __future__ import annotations

import math

import numpy as np

from . import _dd
from ._args import Axis, axes_of, scalar_if_0d


def _wrap(angle: np.ndarray) -> np.ndarray:
    """Angles into (−π, π], keeping small ones untouched (scipy's ``_wrap_radians``)."""
    wrapped = -((-angle + np.pi) % (2 * np.pi) - np.pi)
    return np.where(np.abs(angle) < np.pi, angle, wrapped)


def _terms(z: np.ndarray, w: np.ndarray, k: np.ndarray, m: np.ndarray):
    """``b_j e^{a_j − a_k}`` for j ≠ k (0 at k), as exact sums per row: ``(re, im)``
    double-doubles (``im`` None for real rows)."""
    rows = np.arange(z.shape[0])
    real = z.real
    s = real - m[:, None]
    bb = s - real
    e = (real - (s - bb)) + (-m[:, None] - bb)  # TwoSum: s + e = a_j − m exactly
    e[~np.isfinite(e)] = 0.0
    p = np.exp(s)
    parts = [w.real, w.imag] if w.dtype.kind == "c" or z.dtype.kind == "c" else [w]
    if z.dtype.kind == "c":
        phase = z.imag - z.imag[rows, k][:, None]
        cos, sin = np.cos(phase), np.sin(phase)
        parts = [parts[0] * cos - parts[1] * sin, parts[0] * sin + parts[1] * cos]
    sums = []
    for weight in parts:
        hi, lo = _dd.two_prod(weight, p)
        lo = lo + hi * e
        hi[rows, k] = lo[rows, k] = 0.0
        t_hi, t_lo = _dd.exact_sum(hi, axis=1)
        sums.append(_dd.fast_two_sum(t_hi, t_lo + lo.sum(axis=1)))
    return sums[0], (sums[1] if len(sums) > 1 else None)


def _log_rows(z: np.ndarray, w: np.ndarray):
    """``(log Σ w e^z, sign)`` per row for rows with a finite largest real part."""
    rows = np.arange(z.shape[0])
    k = np.argmax(z.real, axis=1)
    m = z.real[rows, k]
    (re_hi, re_lo), im = _terms(z, w, k, m)
    b_k = w[rows, k]
    v_hi, v_lo = _dd.add(b_k.real, 0.0, re_hi, re_lo)  # Re V, V = Σ_j b_j e^{a_j − a_k}
    if im is None:  # log|V| = log1p(|V| − 1): the sum 1 + tiny keeps its tiny part
        sign = np.sign(v_hi)
        return m + _dd.log1p(*_dd.add(v_hi * sign, v_lo * sign, -1.0, 0.0)), sign
    w_hi, w_lo = _dd.add(np.imag(b_k), 0.0, *im)  # Im V
    below, above = _dd.add(v_hi, v_lo, -1.0, 0.0), _dd.add(v_hi, v_lo, 1.0, 0.0)
    squares = _dd.add(*_dd.mul(*below, *above), *_dd.mul(w_hi, w_lo, w_hi, w_lo))
    angle = np.imag(z[rows, k]) + np.arctan2(w_hi, v_hi)  # arg V + Im a_k
    value = m + 0.5 * _dd.log1p(*squares)
    return value + 1j * angle, np.where(value == -np.inf, 0.0, np.exp(1j * angle))


def weighted_logsumexp(a: np.ndarray, axis: Axis, b: np.ndarray | None, keepdims: bool,
                       return_sign: bool, dtype: np.dtype):
    """scipy.special.logsumexp for weights or complex numbers (float64/complex128 in)."""
    if b is not None:
        a, b = np.broadcast_arrays(a, b)
    axes = axes_of(a.ndim, axis, "logsumexp")
    n = math.prod(a.shape[i] for i in axes)
    kept = [s for i, s in enumerate(a.shape) if i not in axes]

    def rows(x):
        moved = np.moveaxis(x, axes, range(a.ndim - len(axes), a.ndim))
        return moved.reshape(math.prod(kept), n)

    z = rows(a).copy()
    w = np.ones_like(z) if b is None else rows(b)
    is_complex = z.dtype.kind == "c" or w.dtype.kind == "c"
    value = np.full(z.shape[0], -np.inf, complex if is_complex else float)
    sign = np.zeros(z.shape[0], value.dtype)
    with np.errstate(all="ignore"):
        if n:
            z[w == 0] = -np.inf  # b = 0 drops the entry, even an infinite or NaN one
            finite = np.isfinite(z.real.max(axis=1))
            value[finite], sign[finite] = _log_rows(z[finite], w[finite])
            direct = ~np.isfinite(value)
            terms = np.exp(z[direct])
            total = np.sum(terms if b is None else w[direct] * terms, axis=1)
            sign[direct] = np.sign(total)
            value[direct] = np.log(np.abs(total) if return_sign else total)
        if is_complex and return_sign:
            value = value.real
        if not is_complex and not return_sign:
            value[sign < 0] = np.nan
        if is_complex and not return_sign:
            value = value.real + 1j * _wrap(value.imag)
    shape = [1 if i in axes else s for i, s in enumerate(a.shape)] if keepdims else kept
    value = value.reshape(shape).astype(dtype if not return_sign else
                                        np.empty(0, dtype).real.dtype, copy=False)
    if not return_sign:
        return scalar_if_0d(value)
    return scalar_if_0d(value), scalar_if_0d(sign.reshape(shape).astype(dtype, copy=False))


def complex_log_softmax(x: np.ndarray, axis: Axis, take_exp: bool, dtype: np.dtype):
    """log_softmax (or softmax, ``take_exp``) of complex numbers: ``z − lse(z)``."""
    axes = axes_of(x.ndim, axis, "softmax" if take_exp else "log_softmax")
    if any(x.shape[i] == 0 for i in axes):
        raise ValueError(f"{'softmax' if take_exp else 'log_softmax'}: the slices along "
                         f"axis {axis!r} are empty")
    lse = weighted_logsumexp(x, axes, None, True, False, np.dtype(complex))
    out = x - lse
    return scalar_if_0d((np.exp(out) if take_exp else out).astype(dtype, copy=False))
