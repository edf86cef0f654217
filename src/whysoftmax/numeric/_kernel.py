"""The softmax / log_softmax / logsumexp kernel on arrays (float64 arithmetic throughout).

Every slice (the entries along the reduced axes) goes through the same steps, each one a
step of ``derivations/stable_forms.py``:

1. ``m = max z`` and a shift ``c ≤ m`` for which every ``z_j − c`` is exact: ``c = 0``
   when ``0 ≤ m ≤ L`` (``L = 708 − log 4n``: nothing overflows), ``c = ⌊m⌋`` when
   ``m ≤ −½`` or ``m ≥ 1491`` (Sterbenz's lemma; gaps beyond 745 underflow anyway), and
   ``c = −2^⌈log₂(−m)⌉`` when ``−½ < m < 0``. In the band ``L < m < 1491``, and for slices
   shorter than :data:`SHORT`, the shift is ``c = m`` and the rounding error ``e_j`` of
   ``z_j − m`` is kept (TwoSum) instead.
2. ``E = e^{m−c}`` in double-double, once per slice; ``p_j = fl(e^{z_j − c})``.
3. ``T = Σ_{j≠k} p_j`` (the arg max term left out; ``+ Σ p_j e_j`` with error terms),
   summed exactly: the parts of ``p_j`` on the grid σ·2^-52 add up without rounding
   (Rump, Ogita & Oishi), only the tiny remainders round.
4. softmax ``p_j · fl(1/(E + T))``, the reciprocal rounded once from double-double (with
   error terms ``(p_j / S_hi)(1 + e_j − ρ)``, ``E + T = S_hi(1 + ρ)``); log_softmax
   ``(z_j − m) − log1p(T/E)``; logsumexp ``m + log1p(T/E)``.

Arrays are visited as panels, ``(rows, n)`` reduced along axis 1 or ``(n, columns)``
reduced along axis 0, never transposed as a whole (short rows are transposed a group at a
time: numpy broadcasts a per-row value along 10 entries slowly). A panel is cut into
groups of at most :data:`GROUP` slices (the per-slice arithmetic runs on small arrays)
and a group into blocks of about :data:`BLOCK` elements for the passes over the data,
with preallocated ``out=`` buffers. float64 rows longer than :data:`CHUNK` (softmax,
logsumexp) first bet on c = 0 and take each block's maximum as the block is read — one
pass over the data instead of two — and start over where the bet is lost (:func:`_fused`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from . import _dd
from ._blocks import (
    BLOCK,
    CHUNK,
    ONES,
    SHORT,
    Buffers,
    Panel,
    finish,
    others_exactly,
    rows,
    sums,
)

#: From here on c = ⌊m⌋ is an exact shift: every z < c/2 has e^{z−c} = 0.
HUGE = 1491.0
#: A group shares one grid σ when its largest terms differ by at most 2^SPREAD: the
#: remainders off the grid then stay below 2^-20 of the sum even for n = CHUNK, and
#: numpy adds a scalar four times faster than a column of per-row values.
SPREAD = 20


@dataclass
class _Slices:
    """Per-slice quantities of one group (1-D arrays)."""

    m: np.ndarray
    c: np.ndarray
    e_hi: np.ndarray
    e_lo: np.ndarray
    p_k: np.ndarray
    sigma: np.ndarray  # (slices, pieces): the grid of each piece of CHUNK entries
    errors: np.ndarray  # c = m, and the TwoSum errors are kept
    special: np.ndarray  # NaN, +inf or only −inf: the conventions of _special
    hi: np.ndarray = field(init=False)
    hi_lo: np.ndarray = field(init=False)
    rest: np.ndarray = field(init=False)

    def __post_init__(self):
        self.hi, self.hi_lo, self.rest = (np.zeros_like(self.m) for _ in range(3))


def shift(m, n: int, ops=_dd.ARRAY):
    """Step 1: the shift ``c`` for slice maxima ``m`` (finite) of length ``n``, and
    whether the rounding errors of ``z − c`` must be kept (then ``c = m``); arrays or
    Python floats (``ops``: one rule for the array kernel and the small-input path)."""
    errors = (m > 708.0 - math.log(4.0 * n)) & (m < HUGE)
    power = -ops.pow2(ops.clip(ops.exponent(m), -42, 0))  # −2^⌈log₂(−m)⌉ for −½ < m < 0
    c = ops.where(m >= 0, 0.0, ops.where(m > -0.5, power, ops.floor(m)))
    return ops.where(errors, m, ops.where(m >= HUGE, ops.floor(m), c)), errors


def _prepare(peaks: np.ndarray, n: int) -> _Slices:
    """Steps 1 and 2 for a group, from the maxima of each slice's pieces (``(slices,
    pieces)``): the shift c, E = e^{m−c}, and a grid σ per piece."""
    m = peaks.max(axis=1)
    special = ~np.isfinite(m)
    m = np.where(special, 0.0, m)
    grid = math.ceil(math.log2(min(n, CHUNK))) + 2
    if n < SHORT:  # c = m everywhere: E = e^0 = 1 and one grid σ = 2^grid
        ones = np.ones_like(m)
        return _Slices(m, m, ones, np.zeros_like(m), ones, np.full((m.size, 1), 2.0**(grid + 1)),
                       np.ones(m.shape, bool), special)
    if m.size == 1:  # one slice: the same rule and e^d with Python floats, 30× cheaper
        c, errors = shift(float(m[0]), n, _dd.SCALAR)
        c, errors = np.array([c]), np.array([errors])
        d = m - c
        e_hi, e_lo = (np.array([v]) for v in _dd.exp(float(d[0]), _dd.SCALAR))
    else:
        c, errors = shift(m, n)
        errors = np.broadcast_to(errors, m.shape)
        d = m - c
        e_hi, e_lo = _dd.exp(d) if d.any() else (np.ones_like(d), np.zeros_like(d))
    p_k = np.exp(d)  # the rounded term at the arg max, exactly as the pass computes it
    exponent = np.frexp(np.exp(np.where(special[:, None], 0.0, peaks - c[:, None])))[1]
    if peaks.shape[1] == 1 and exponent.max() - exponent.min() <= SPREAD:
        exponent[:] = exponent.max()  # one σ for the group: no broadcasting
    sigma = _dd.pow2(exponent + grid)  # ≥ 4n' max p
    return _Slices(m, c, e_hi, e_lo, p_k, sigma, errors, special)


def peaks(panel: Panel, bufs: Buffers) -> np.ndarray:
    """The maximum of each piece of CHUNK entries of each slice: ``(slices, pieces)``."""
    z, axis = panel.z, panel.axis
    pieces = range(0, z.shape[axis], CHUNK)
    if axis == 1:
        peaks = np.maximum.reduceat(z, list(pieces), axis=1) if len(pieces) > 1 else \
            z.max(axis=1, keepdims=True)
        return peaks.astype(np.float64, copy=False)
    return np.stack([_column_max(z[q:q + CHUNK], bufs) for q in pieces], axis=1)


def _column_max(z: np.ndarray, bufs: Buffers) -> np.ndarray:
    """``z.max(axis=0)`` by halving row blocks in a buffer: two to three times numpy's
    reduction along axis 0, which walks the columns one row at a time."""
    rows, cols = z.shape
    half = max(1, min(rows // 2, BLOCK // (2 * cols)))
    top = z[0].copy()
    # in the input's dtype: numpy's maximum casting float32 to float64 is four times slower
    work = bufs.view("halves", (half, cols)).reshape(-1).view(z.dtype)[:half * cols]
    work = work.reshape(half, cols)
    for r in range(0, rows - 2 * half + 1, 2 * half):
        np.maximum(z[r:r + half], z[r + half:r + 2 * half], out=work)
        h = half
        while h > 1:
            h, odd = h // 2, h % 2
            np.maximum(work[:h], work[h:2 * h], out=work[:h])
            if odd:
                np.maximum(work[0], work[2 * h], out=work[0])
        np.maximum(top, work[0], out=top)
    done = (rows // (2 * half)) * 2 * half
    if done < rows:
        np.maximum(top, z[done:].max(axis=0), out=top)
    return top.astype(np.float64, copy=False)


def _first_pass(panel: Panel, sl: _Slices, bufs: Buffers, errors: bool,
                centre: bool = False) -> None:
    """Steps 2–3 over the blocks: p = e^{z−c}, the exact sums of p and, with error terms,
    e_j (into ``panel.e`` when kept) and Σ p_j e_j; with ``centre``, z − m into the output
    while the block is in cache (log_softmax then only subtracts log1p(T/E))."""
    axis, n = panel.axis, panel.z.shape[panel.axis]
    shift = errors or bool(sl.c.any())
    if axis == 1 and n > CHUNK and not errors:
        return _long_rows(panel, sl, bufs, shift, centre)
    parts: dict[int, list] = {}
    shared = sl.sigma[0, 0] if (sl.sigma == sl.sigma[0, 0]).all() else None
    for sel, index in panel.blocks():
        z = panel.z[index]
        if z.dtype != np.float64:  # float32/16: computed in float64, rounded once
            z = bufs.view("z", z.shape)
            np.copyto(z, panel.z[index])
        p = panel.p[index] if panel.p is not None else bufs.view("p", z.shape)
        t = bufs.view("t", z.shape)
        if centre:
            np.subtract(z, panel.per_slice(sl.m[sel]), out=panel.out[index])
        if errors:  # s = z − c, p = e^s; TwoSum: e = (z − (s − b)) − (b + c), b = s − z
            c = panel.per_slice(sl.c[sel])
            e = panel.e[index] if panel.e is not None else bufs.view("e", z.shape)
            np.subtract(z, c, out=e)
            np.exp(e, out=p)
            np.subtract(e, z, out=t)
            np.subtract(e, t, out=e)
            np.subtract(z, e, out=e)
            np.add(t, c, out=t)
            np.subtract(e, t, out=e)
        elif shift:
            np.subtract(z, panel.per_slice(sl.c[sel]), out=p)
            np.exp(p, out=p)
        else:
            np.exp(z, out=p)
        sigma = shared if shared is not None else \
            panel.per_slice(sl.sigma[sel, panel.piece(index)])
        np.add(p, sigma, out=t)
        np.subtract(t, sigma, out=t)  # the part of p on the grid σ·2^-52
        high = sums(t, axis)
        np.subtract(p, t, out=t)
        rest = sums(t, axis)
        if errors:  # e^{s+e} = e^s (1 + e) + O(e²): add Σ p_j e_j
            np.multiply(p, e, out=t)
            correction = sums(t, axis)
            if not np.isfinite(correction).all():  # −inf entries, overflowing gaps
                e[~np.isfinite(e)] = 0.0
                np.multiply(p, e, out=t)
                correction = sums(t, axis)
            rest += correction
        parts.setdefault(sel.start, []).append((high, rest))
    for start, pieces in parts.items():
        high, rest = (np.array(v) for v in zip(*pieces, strict=True))
        where = slice(start, start + high.shape[1])
        sl.rest[where] = rest.sum(axis=0)
        if n <= CHUNK:  # all on one grid and below 2σ: any order adds exactly
            sl.hi[where] = high.sum(axis=0)
        else:  # pieces on their own grids: add them with math.fsum
            for q, column in enumerate(high.T.tolist()):
                sl.hi[start + q] = math.fsum(column)
                sl.hi_lo[start + q] = math.fsum([*column, -sl.hi[start + q]])


def _long_rows(panel: Panel, sl: _Slices, bufs: Buffers, shift: bool, centre: bool) -> None:
    """:func:`_first_pass` for rows longer than CHUNK (no error terms): the same steps on
    1-D blocks of one row, the per-block values as Python floats — numpy's per-call cost
    is a third of a block's otherwise."""
    n = panel.z.shape[1]
    cast = panel.z.dtype != np.float64
    t = bufs.view("t", (1, CHUNK))[0]
    work = bufs.view("z", (1, CHUNK))[0] if cast else None
    scratch = bufs.view("p", (1, CHUNK))[0] if panel.p is None else None
    for r in range(panel.z.shape[0]):
        c, m, sigmas = float(sl.c[r]), float(sl.m[r]), sl.sigma[r].tolist()
        high, rest = [], 0.0
        for j in range(0, n, CHUNK):
            z = panel.z[r, j:j + CHUNK]
            size = z.shape[0]
            if cast:  # float32/16: computed in float64, rounded once
                np.copyto(work[:size], z)
                z = work[:size]
            p = panel.p[r, j:j + size] if scratch is None else scratch[:size]
            if centre:
                np.subtract(z, m, out=panel.out[r, j:j + size])
            if shift:
                np.subtract(z, c, out=p)
                np.exp(p, out=p)
            else:
                np.exp(z, out=p)
            rest += _grid_sums(p, t[:size], sigmas[j // CHUNK], high)
        _row_sums(sl, r, high, rest)


def _grid_sums(p: np.ndarray, t: np.ndarray, sigma: float, high: list) -> float:
    """Step 3 on one block of a long row: appends the exact sum of the parts of ``p`` on
    the grid σ·2^-52 to ``high`` and returns the sum of the remainders."""
    ones = ONES[:p.shape[0]]
    np.add(p, sigma, out=t)
    np.subtract(t, sigma, out=t)
    high.append(float(t @ ones))
    np.subtract(p, t, out=t)
    return float(t @ ones)


def _row_sums(sl: _Slices, r: int, high: list, rest: float) -> None:
    """The pieces' exact sums of one row added with math.fsum (a double-double)."""
    sl.hi[r] = math.fsum(high)
    sl.hi_lo[r] = math.fsum([*high, -sl.hi[r]])
    sl.rest[r] = rest


def _fused(panel: Panel, bufs: Buffers) -> _Slices | None:
    """Steps 1–3 for float64 rows longer than CHUNK in one pass over the data, betting on
    the shift c = 0 (``0 ≤ max z ≤ 708 − log 4n``): each block's maximum, taken as it is
    read, gives its piece's grid σ; steps 1–2 then run on the peaks, as in :func:`group`.
    None, at the block that loses the bet (a first block below 0, a peak past the bound,
    NaN or ±inf) or where a σ differs from :func:`_prepare`'s: the caller starts over."""
    rows_, n = panel.z.shape
    bound = 708.0 - math.log(4.0 * n)
    grid = math.ceil(math.log2(CHUNK)) + 2
    peaks = np.empty((rows_, -(-n // CHUNK)))
    used = np.empty_like(peaks)
    t = bufs.view("t", (1, CHUNK))[0]
    scratch = bufs.view("p", (1, CHUNK))[0] if panel.p is None else None
    sums = []
    for r in range(rows_):
        high, rest = [], 0.0
        for q, j in enumerate(range(0, n, CHUNK)):
            z = panel.z[r, j:j + CHUNK]
            peak = float(z.max())
            if not peak <= bound or (q == 0 and not peak >= 0.0):  # NaN fails both
                return None
            peaks[r, q], used[r, q] = peak, 2.0 ** (math.frexp(math.exp(peak))[1] + grid)
            p = panel.p[r, j:j + z.shape[0]] if scratch is None else scratch[:z.shape[0]]
            np.exp(z, out=p)
            rest += _grid_sums(p, t[:z.shape[0]], used[r, q], high)
        sums.append((high, rest))
    sl = _prepare(peaks, n)
    if sl.c.any() or sl.errors.any() or (sl.sigma != used).any():
        return None
    for r, (high, rest) in enumerate(sums):
        _row_sums(sl, r, high, rest)
    return sl


def _denominator(sl: _Slices):
    """T = Σ_{j≠k} p_j (+ Σ p_j e_j) as a double-double: the sum less the arg max term."""
    sigma = sl.sigma.max(axis=1)  # the piece of the arg max
    t_k = (sl.p_k + sigma) - sigma
    a, b = _dd.two_sum(sl.hi, -t_k)
    return _dd.fast_two_sum(a, b + (sl.hi_lo + (sl.rest - (sl.p_k - t_k))))


def group(panel: Panel, what: str, bufs: Buffers):
    """Steps 1–4 for the slices of one group; returns logsumexp's values (``"state"``: the
    columns m, c, E and T, each double-double a pair, for finite slices)."""
    n = panel.z.shape[panel.axis]
    fused = what in ("softmax", "logsumexp") and panel.axis == 1 and n > CHUNK and \
        panel.z.dtype == np.float64
    sl = _fused(panel, bufs) if fused else None
    errors = False
    centre = what == "log_softmax" and panel.out.dtype == np.float64
    if sl is None:  # not fused, or the bet lost: the maxima first, then the pass
        sl = _prepare(peaks(panel, bufs), n)
        errors = bool(sl.errors.any())
        if errors and what == "softmax":
            panel.e = np.empty(panel.z.shape)
        _first_pass(panel, sl, bufs, errors, centre)
    t_hi, t_lo = _denominator(sl)
    special = np.flatnonzero(sl.special)
    if what == "softmax":
        s_hi, s_lo = _dd.add(sl.e_hi, sl.e_lo, t_hi, t_lo)
        if errors:  # (p / S_hi)(1 + e − ρ): the error terms without an extra rounding
            np.divide(panel.p, panel.per_slice(s_hi), out=panel.p)
            np.subtract(panel.e, panel.per_slice(s_lo / s_hi), out=panel.e)
            np.multiply(panel.e, panel.p, out=panel.e)
            np.add(panel.p, panel.e, out=panel.out, casting="same_kind")
        else:
            r = _dd.reciprocal(s_hi, s_lo)
            np.multiply(panel.p, panel.per_slice(r), out=panel.out, casting="same_kind")
        return finish(panel, what, special)
    # log1p(T/E) ≈ T/E needs T to its last digit, however small: where the first pass's
    # grid may have been too coarse for T (a dominant arg max), T again, exactly
    piece = min(n, CHUNK)
    limit = (piece / 32 + 64) * piece * 2.0**-44 * sl.sigma.max(axis=1)
    redo = np.flatnonzero((t_hi < limit) & ~sl.special)
    if redo.size:
        t_hi[redo], t_lo[redo] = others_exactly(rows(panel, redo), sl.c[redo],
                                                 sl.errors[redo])
    if what == "state":  # a block's state for the online softmax (._online): m, c, E, T
        return np.stack([sl.m, sl.c, sl.e_hi, sl.e_lo, t_hi, t_lo], axis=1)
    log_rest = _dd.log1p(*_dd.div(t_hi, t_lo, sl.e_hi, sl.e_lo))  # log1p(T/E)
    return finish(panel, what, special, sl.m, log_rest, bufs, centre)
