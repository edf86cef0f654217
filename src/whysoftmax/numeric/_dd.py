"""Error-free transformations and double-double numbers: the extra digits, where needed.

A double-double is an unevaluated sum ``hi + lo`` of two float64 numbers, ``|lo| ≤
ulp(hi)/2``: about 106 bits. The kernels use it once per slice (the arg max term
``e^{m−c}``, the denominator, its reciprocal), and the derived functions use it where a
result cancels (``1 − s_i``, ``v_i − ⟨s, v⟩``, ``s_y − 1``). Every function here works
elementwise on numpy arrays and on Python floats alike (only ``+ − ×`` and the
functions of the ``ops`` argument), so the small-input path and the array path share
one implementation.

Sources: Knuth, TAOCP 2 §4.2.2 (TwoSum); Dekker 1971 (FastTwoSum, Veltkamp's split,
TwoProduct); Tang 1989 (table-driven exp).
"""

from __future__ import annotations

import math
from decimal import Decimal, localcontext
from types import SimpleNamespace

import numpy as np


def two_sum(a, b):
    """``(s, e)`` with ``s = fl(a + b)`` and ``s + e = a + b`` exactly (Knuth)."""
    s = a + b
    bb = s - a
    return s, (a - (s - bb)) + (b - bb)


def fast_two_sum(a, b):
    """As :func:`two_sum` when ``|a| ≥ |b|`` (Dekker): three operations instead of six."""
    s = a + b
    return s, b - (s - a)


def split(a):
    """Veltkamp's split ``a = hi + lo``, each half with at most 26 significant bits
    (scaled down by 2^-28 first where ``a·(2^27 + 1)`` would overflow)."""
    scale = 1.0 - (abs(a) > 2.0**995) * (1.0 - 2.0**-28)
    small = a * scale
    t = small * 134217729.0  # 2^27 + 1
    hi = (t - (t - small)) / scale
    return hi, a - hi


def two_prod(a, b):
    """``(p, e)`` with ``p = fl(a·b)`` and ``p + e = a·b`` exactly (Dekker)."""
    p = a * b
    ah, al = split(a)
    bh, bl = split(b)
    return p, ((ah * bh - p) + ah * bl + al * bh) + al * bl


def add(a_hi, a_lo, b_hi, b_lo):
    """Double-double sum, normalised."""
    s, e = two_sum(a_hi, b_hi)
    return fast_two_sum(s, e + (a_lo + b_lo))


def mul(a_hi, a_lo, b_hi, b_lo):
    """Double-double product, normalised."""
    p, e = two_prod(a_hi, b_hi)
    return fast_two_sum(p, e + (a_hi * b_lo + a_lo * b_hi))


def div(a_hi, a_lo, b_hi, b_lo):
    """Double-double quotient ``a / b``, normalised (one Newton correction)."""
    q = a_hi / b_hi
    p, e = two_prod(q, b_hi)
    return fast_two_sum(q, (((a_hi - p) - e) + a_lo - q * b_lo) / b_hi)


def log1p(a_hi, a_lo, log1p_fn=np.log1p):
    """``log1p(a_hi + a_lo)``: ``log1p(hi) + lo/(1 + hi)``, the first-order expansion."""
    return log1p_fn(a_hi) + a_lo / (1.0 + a_hi)


def pow2(e):
    """``2^e`` for an integer array ``e`` in [−1022, 1023], exactly (built from its bits)."""
    return ((e.astype(np.int64) + 1023) << 52).view(np.float64)


def ldexp(x, q):
    """``x · 2^q`` for arrays, rounded once for ``x`` near 1 (numpy's ldexp is a scalar
    loop): a product of two exact powers of two."""
    q = np.clip(q, -2022, 2023)
    first = np.clip(q, -1000, 1000)
    return x * pow2(first) * pow2(q - first)


def reciprocal(a_hi, a_lo):
    """``1/(a_hi + a_lo)`` correctly rounded but for a few units in 2^-100 (arrays,
    ``a_hi > 0``): scaled to [½, 1) so that the exact residual of the Newton step
    cannot overflow."""
    _, e = np.frexp(a_hi)
    down = pow2(-e)
    h, lo = a_hi * down, a_lo * down
    r = 1.0 / h
    p, err = two_prod(r, h)
    return (r + r * (((1.0 - p) - err) - lo * r)) * down


# -- exp in double-double (Tang's method with a 32-entry table) --------------------------------

def _bits(value: Decimal, bits: int) -> float:
    """``value`` rounded to ``bits`` significant bits."""
    _, exponent = math.frexp(float(value))
    scale = 2 ** (bits - exponent)
    return float(round(value * scale)) / scale


def _tables():
    with localcontext() as ctx:
        ctx.prec = 60
        ln2_32 = Decimal(2).ln() / 32
        c1 = _bits(ln2_32, 36)
        c2 = _bits(ln2_32 - Decimal(c1), 36)
        c3 = float(ln2_32 - Decimal(c1) - Decimal(c2))
        high, low = [], []
        for j in range(32):
            value = (Decimal(2) ** (Decimal(j) / 32))
            high.append(_bits(value, 26))
            low.append(float(value - Decimal(high[-1])))
    return 32 / math.log(2), c1, c2, c3, high, low


_INV, _C1, _C2, _C3, _HIGH, _LOW = _tables()
_GRID = 3.0 * 2.0**27  # (r + _GRID) − _GRID rounds r to a multiple of 2^-24

#: What :func:`exp` and the kernel's shift rule need beyond + − ×, for arrays and for
#: Python floats: one algorithm for both. ``table(k)`` gives 2^{j/32} (26-bit head,
#: tail) and 2^q for k = 32q + j.
_HIGH_ARRAY, _LOW_ARRAY = np.array(_HIGH), np.array(_LOW)


def _array_table(k):
    ki = k.astype(np.int64)
    return _HIGH_ARRAY.take(ki & 31), _LOW_ARRAY.take(ki & 31), ki >> 5


def _scalar_table(k):
    ki = int(k)
    return _HIGH[ki & 31], _LOW[ki & 31], ki >> 5


def _scalar_where(condition, a, b):
    return a if condition else b


ARRAY = SimpleNamespace(rint=np.rint, table=_array_table, ldexp=ldexp, where=np.where,
                        floor=np.floor,
                        exponent=lambda x: np.frexp(x)[1], pow2=lambda e: pow2(e),
                        clip=np.clip)
SCALAR = SimpleNamespace(rint=round, table=_scalar_table, ldexp=math.ldexp, where=_scalar_where,
                         floor=lambda x: float(math.floor(x)), exponent=lambda x: math.frexp(x)[1],
                         pow2=lambda e: math.ldexp(1.0, e),
                         clip=lambda x, lo, hi: min(max(x, lo), hi))


def exp(d, ops=ARRAY):
    """``e^d`` as a double-double ``(hi, lo)``, relative error below 2^-62 for
    ``−700 ≤ d ≤ 709`` (below, the result is subnormal and rounded once).

    ``d = (32q + j)·ln2/32 + r`` with ``|r| ≤ ln2/64`` (the reduction in three exact
    parts), ``e^d = 2^q · 2^{j/32} · e^r``; ``2^{j/32}`` comes from a table of 26-bit heads
    and their tails, and ``e^r = (1 + h) + ((r − h) + r²/2 + … + r⁷/5040)`` with ``h`` the
    head of ``r`` on a 2^-24 grid, so the product of the heads is exact.
    """
    k = ops.rint(d * _INV)
    r1 = d - k * _C1  # exact
    kc2 = k * _C2  # exact
    r = r1 - kc2
    r_lo = ((r1 - r) - kc2) - k * _C3
    head = (r + _GRID) - _GRID
    poly = r * r * (0.5 + r * (1 / 6 + r * (1 / 24 + r * (1 / 120 + r * (1 / 720 + r / 5040)))))
    tail = ((r - head) + r_lo) + poly
    one_head = 1.0 + head
    table_high, table_low, q = ops.table(k)
    hi, lo = fast_two_sum(one_head * table_high,
                          one_head * table_low + tail * (table_high + table_low))
    return ops.ldexp(hi, q), ops.ldexp(lo, q)


def magnitude(x: np.ndarray, axis=-1) -> np.ndarray:
    """The binary exponent of ``max |x|`` along ``axis`` (kept), at least 0: ``x·2^-e``
    is then at most 1 in magnitude, and sums of squares of it cannot overflow."""
    scale = np.max(np.abs(x), axis=axis, keepdims=True, initial=0.0)
    return np.maximum(np.frexp(np.where(np.isfinite(scale), scale, 1.0))[1], 0)


def exact_sum(x: np.ndarray, axis: int = -1):
    """``Σ x`` along ``axis`` as a double-double, for values of either sign.

    The parts of ``x·2^-e`` on the grid σ·2^-53 (σ ≥ 8·n·max|x·2^-e|, a power of two) add
    up without rounding (Rump, Ogita & Oishi's extraction); only the remainders, each below
    2^-53·σ, are summed in floating point. Non-finite values propagate.
    """
    e = magnitude(x, axis)
    x = ldexp(x, -e)
    grid_bits = math.ceil(math.log2(max(x.shape[axis], 1))) + 3
    top = np.max(np.abs(np.where(np.isfinite(x), x, 0.0)), axis=axis, keepdims=True,
                 initial=0.0)
    sigma = pow2(np.maximum(np.frexp(top)[1] + grid_bits, -1021))  # subnormals add exactly
    grid = (x + sigma) - sigma
    e = np.squeeze(e, axis=axis)
    hi, lo = two_sum(np.sum(grid, axis=axis), np.sum(x - grid, axis=axis))
    return ldexp(hi, e), ldexp(lo, e)


# -- scaled double-doubles: (hi + lo)·2^q, for sums that must neither overflow nor go subnormal --
# Per-slice arrays only: numpy's ldexp is a scalar loop, cheap on a few thousand entries.

#: The exponent of a scaled zero: below every other, so that adding it changes nothing.
ZERO_EXPONENT = -(2**40)


def scaled(hi, lo, q=0):
    """``(hi + lo)·2^q`` as ``(h, l, e)`` with ``½ ≤ |h| < 1`` (a zero has exponent
    :data:`ZERO_EXPONENT`), exactly: a scaling by a power of two."""
    h, e = np.frexp(hi)
    e = e.astype(np.int64)
    return h, np.ldexp(lo, -e), np.where(h == 0, ZERO_EXPONENT, e + q)


def scaled_mul(a, b):
    """The product of two scaled double-doubles (relative error about 2^-104)."""
    return scaled(*mul(a[0], a[1], b[0], b[1]), a[2] + b[2])


def scaled_add(a, b):
    """The sum of two scaled double-doubles: the smaller scaled to the larger's exponent
    (what it loses there is below 2^-1074 of the larger), added in double-double."""
    top = np.maximum(a[2], b[2])
    da, db = a[2] - top, b[2] - top
    return scaled(*add(np.ldexp(a[0], da), np.ldexp(a[1], da), np.ldexp(b[0], db),
                       np.ldexp(b[1], db)), top)


def scaled_exp(d_hi, d_lo):
    """``e^{d_hi + d_lo}`` as a scaled double-double for ``−1400 ≤ d_hi ≤ 1400``
    (``|d_lo| ≤ 2^-40``): ``e^{d_hi}(1 + d_lo)``, as ``(e^{d_hi/2})²`` (the halving exact)
    where some ``|d_hi| > 700``; each factor good to 2^-62, the whole to 2^-60 — without
    overflow or subnormal rounding."""
    far = np.abs(d_hi).max(initial=0.0) > 700.0
    e = scaled(*exp(d_hi * 0.5 if far else d_hi))
    e = scaled_mul(e, e) if far else e
    return scaled_mul(e, scaled(*fast_two_sum(1.0, d_lo))) if np.any(d_lo) else e


def unscaled(a):
    """A scaled double-double as a double-double (±inf past the float64 range; the head
    rounded once into the subnormals)."""
    return np.ldexp(a[0], a[2]), np.ldexp(a[1], a[2])
