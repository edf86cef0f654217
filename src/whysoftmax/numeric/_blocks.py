"""Blocks, panels and buffers: how the kernels walk an array (numpy only).

An array reduced along one axis is seen as panels — ``(rows, n)`` reduced along axis 1
or ``(n, columns)`` reduced along axis 0, never transposed as a whole — cut into groups
of slices (the per-slice arithmetic runs on small arrays) and the groups into blocks of
about :data:`BLOCK` elements for the passes over the data, with preallocated buffers:
fresh large numpy arrays are page-faulted every time they are allocated.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np

from . import _dd
from ._special import apply_to_rows

#: Elements per block of a pass over the data (a few float64 blocks fit a 1 MiB L2).
BLOCK = 32768
#: Slices per group: the per-slice arrays stay at 16 KiB.
GROUP = 2048
#: Rows shorter than this are transposed a group at a time, and keep the rounding errors
#: of z − max z instead of computing e^{m−c} in double-double (cheaper per slice).
SHORT = 16
#: Slices longer than this are summed in pieces, and the pieces added with math.fsum.
CHUNK = 32768
#: Work arrays up to this many float64 entries (64 MiB) are kept between calls.
KEEP = 2**23


class Buffers:
    """Work arrays of one thread, by name, grown when a larger one is asked for and kept
    from call to call (fresh large arrays would be page-faulted every time) — up to
    :data:`KEEP` entries each; larger ones are allocated for the call."""

    def view(self, name: str, shape: tuple[int, int]) -> np.ndarray:
        size = shape[0] * shape[1]
        if size > KEEP:
            return np.empty(shape)
        if getattr(self, name, np.empty(0)).size < size:
            setattr(self, name, np.empty(max(size, BLOCK)))
        return getattr(self, name)[:size].reshape(shape)


_LOCAL = threading.local()


def buffers() -> Buffers:
    if not hasattr(_LOCAL, "buffers"):
        _LOCAL.buffers = Buffers()
    return _LOCAL.buffers


@dataclass
class Panel:
    """A 2-D C-contiguous array reduced along ``axis``, its output and the terms p."""

    z: np.ndarray
    axis: int
    out: np.ndarray | None  # softmax / log_softmax output (any float dtype)
    p: np.ndarray | None  # float64 terms p_j, kept for softmax (may be ``out``)
    e: np.ndarray | None = None  # float64 TwoSum errors, kept for softmax

    def cut(self, a, lo: int, hi: int):
        return None if a is None else (a[lo:hi] if self.axis == 1 else a[:, lo:hi])

    def group(self, lo: int, hi: int) -> Panel:
        return Panel(self.cut(self.z, lo, hi), self.axis, self.cut(self.out, lo, hi),
                      self.cut(self.p, lo, hi))

    def piece(self, index) -> int:
        """Which piece of CHUNK entries along the reduced axis a block lies in."""
        return (index[self.axis].start or 0) // CHUNK

    def per_slice(self, values: np.ndarray) -> np.ndarray:
        """A per-slice array shaped to broadcast along the reduced axis."""
        return values[:, None] if self.axis == 1 else values[None, :]

    def blocks(self):
        """``(slices, index into the panel)`` for each block."""
        rows, cols = self.z.shape
        if self.axis == 1 and cols > CHUNK:
            for r in range(rows):
                for j in range(0, cols, CHUNK):
                    yield slice(r, r + 1), (slice(r, r + 1), slice(j, j + CHUNK))
        elif self.axis == 1:
            step = max(1, BLOCK // cols)
            for r in range(0, rows, step):
                yield slice(r, r + step), (slice(r, r + step), slice(None))
        elif rows * cols <= 4 * BLOCK and rows < SHORT:  # a group of short rows, transposed
            yield slice(0, cols), (slice(None), slice(None))
        else:
            width = min(cols, BLOCK)
            step = 1 << (max(1, BLOCK // width).bit_length() - 1)  # divides CHUNK
            for j in range(0, cols, width):
                for r in range(0, rows, step):
                    yield slice(j, j + width), (slice(r, r + step), slice(j, j + width))


#: Ones to sum with (a matrix-vector product), read-only.
ONES = np.ones(max(BLOCK, CHUNK))
ONES.flags.writeable = False


def sums(block: np.ndarray, axis: int) -> np.ndarray:
    """Sums along ``axis`` as a matrix-vector product (numpy's short-row sums are slow)."""
    return block @ ONES[: block.shape[1]] if axis == 1 else ONES[: block.shape[0]] @ block


def rows(panel: Panel, slices: np.ndarray) -> np.ndarray:
    """Some slices of a panel as rows of a float64 array."""
    z = panel.z[slices] if panel.axis == 1 else panel.z[:, slices].T
    return z.astype(np.float64)


def others_exactly(rows: np.ndarray, c: np.ndarray, errors: np.ndarray, drop=None):
    """T = Σ_{j≠k} e^{z_j − c} for slices whose T lies below the first pass's grid (a
    dominant arg max): the arg max term removed first, so the grid follows T itself.
    ``drop`` (per slice, default all): where to leave the arg max term out."""
    s = rows - c[:, None]
    p = np.exp(s)
    b = s - rows  # TwoSum error of z − c, kept where the shift was not exact
    e = np.where(errors[:, None], (rows - (s - b)) - (b + c[:, None]), 0.0)
    at = np.arange(len(rows)) if drop is None else np.flatnonzero(drop)
    p[at, np.argmax(rows[at], axis=1)] = 0.0
    hi, lo = _dd.exact_sum(p, axis=1)
    return _dd.fast_two_sum(hi, lo + np.sum(p * np.where(np.isfinite(e), e, 0.0), axis=1))


def finish(panel: Panel, what: str, special: np.ndarray, m=None, log_rest=None, bufs=None,
           centred: bool = False):
    """log_softmax = (z − m) − log1p(T/E) (``centred``: z − m is in the output already),
    logsumexp = m + log1p(T/E); the special slices' conventions. Returns logsumexp's
    values."""
    if what == "logsumexp":
        values = m + log_rest
        values[special] = apply_to_rows(rows(panel, special), what)
        return values
    if centred:  # z − m is in the output, or (float32 output) in float64 in panel.p
        exact = panel.out if panel.out.dtype == np.float64 else panel.p
        np.subtract(exact, panel.per_slice(log_rest), out=exact)
        if exact is not panel.out:
            np.copyto(panel.out, exact, casting="same_kind")  # the one rounding
    elif what == "log_softmax":
        m, log_rest = panel.per_slice(m), panel.per_slice(log_rest)
        for sel, index in panel.blocks():  # numpy's casting loops are slow: cast apart
            per = (sel, slice(None)) if panel.axis == 1 else (slice(None), sel)
            z, out = panel.z[index], panel.out[index]
            t = bufs.view("t", z.shape)
            if z.dtype == np.float64:
                np.subtract(z, m[per], out=t)
            else:
                np.copyto(t, z)
                np.subtract(t, m[per], out=t)
            np.subtract(t, log_rest[per], out=out if out.dtype == np.float64 else t)
            if out.dtype != np.float64:
                np.copyto(out, t, casting="same_kind")  # the one rounding to float32
    if what == "special":  # log_softmax written by the caller: the special slices only
        what = "log_softmax"
    if special.size:
        values = apply_to_rows(rows(panel, special), what)
        if panel.axis == 1:
            panel.out[special] = values
        else:
            panel.out[:, special] = values.T
    return None
