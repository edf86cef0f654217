"""The driver: tasks, threads, short rows, and the float32 path."""

from __future__ import annotations

import math
import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from ._blocks import (
    BLOCK,
    GROUP,
    SHORT,
    Buffers,
    Panel,
    buffers,
    finish,
    others_exactly,
    rows,
    sums,
)
from ._kernel import group, peaks


def _single(panel: Panel, what: str, bufs: Buffers):
    """float32 and float16 input: e^{z − m} (or e^z, where no e^z overflows) in float64 is
    within 2^-43 of the truth and every sum within 2^-40, so one rounding at the end gives
    ≤ 0.5 ULP32 (+ 2^-16); for the log forms T = Σ e^{z − m} − 1 is summed again, exactly,
    where it is below 2^-20. The group's float64 scratch keeps p (softmax) or z − m
    (log_softmax) for the last pass. softmax first tries e^z without the maxima (a pass
    fewer): it stands where every slice has e^-600 ≤ Σ e^z ≤ e^600 (then max z ≤ 600,
    nothing overflows, and every e^{z_j} that reaches the float32 result is normal).
    log_softmax and logsumexp shift only where some |m| > 600; unshifted, the scratch keeps
    z and log_softmax is z − (m + log1p(T/E)) ("log-softmax as z minus lse, with an exact
    shift") in one subtraction (a per-slice value costs
    3× a scalar one along rows of 1024) where |m| ≤ 2^20 log1p(T/E): the rounding of
    m + log1p(T/E), 2^-53 |m + log1p(T/E)|, is then below 2^-32 of |log s_j| ≥ log1p(T/E);
    elsewhere (z − m) − log1p(T/E), as in the float64 kernel."""
    if what != "logsumexp":
        panel.p = bufs.view("scratch", panel.z.shape)
    if what == "softmax":
        total = _exps(panel, what, bufs, None)
        if ((total >= _TINY) & (total <= 1.0 / _TINY)).all():
            return _normalise(panel, total, np.empty(0, np.intp))
    m = peaks(panel, bufs).max(axis=1)
    special = ~np.isfinite(m)
    m[special] = 0.0
    shift = bool(np.abs(m).max(initial=0.0) > 600.0)
    total = _exps(panel, what, bufs, m if shift else None)
    special = np.flatnonzero(special)
    if what == "softmax":
        return _normalise(panel, total, special)
    rest = total * (1.0 if shift else np.exp(-m)) - 1.0  # the arg max term is e^0 = 1
    redo = np.flatnonzero(rest < 2.0**-20)  # 1 + T rounded T away: T again, exactly
    if redo.size:
        rest[redo] = sum(others_exactly(rows(panel, redo), m[redo], np.zeros(redo.size, bool)))
    log_rest = np.log1p(rest)
    if what == "log_softmax" and not shift:  # the scratch holds z: z − (m + log1p(T/E))
        lse = m + log_rest
        if (np.abs(m) <= 2.0**20 * log_rest).all():
            np.subtract(panel.p, panel.per_slice(lse), out=panel.p)
        else:
            np.subtract(panel.p, panel.per_slice(m), out=panel.p)
            np.subtract(panel.p, panel.per_slice(log_rest), out=panel.p)
        np.copyto(panel.out, panel.p, casting="same_kind")
        return finish(panel, "special", special)
    return finish(panel, what, special, m, log_rest, bufs, centred=True)


#: e^-600: the smallest Σ e^z for which softmax of float32 input needs no shift.
_TINY = math.exp(-600.0)


def _exps(panel: Panel, what: str, bufs: Buffers, m) -> np.ndarray:
    """The pass of :func:`_single`: e^{z − m} (e^z where ``m`` is None) in float64, kept in
    the scratch (softmax) and summed per slice; z − m kept for log_softmax."""
    total = np.zeros(panel.z.shape[1 - panel.axis])
    for sel, index in panel.blocks():
        z = panel.z[index]
        kept = panel.p[index] if panel.p is not None else bufs.view("p", z.shape)
        p = kept if what == "softmax" else bufs.view("p", z.shape)
        np.copyto(kept, z)  # numpy's casting inner loops are slower inside a subtraction
        if m is not None:
            np.subtract(kept, panel.per_slice(m[sel]), out=kept)
        np.exp(kept, out=p)
        total[sel] += sums(p, panel.axis)
    return total


def _normalise(panel: Panel, total: np.ndarray, special: np.ndarray):
    """softmax = p / Σ p in float64, rounded once to the output's dtype."""
    np.multiply(panel.p, panel.per_slice(1.0 / total), out=panel.p)
    np.copyto(panel.out, panel.p, casting="same_kind")  # the one rounding to float32
    return finish(panel, "softmax", special)


def _short_rows(panel: Panel, lo: int, hi: int, what: str, bufs: Buffers):
    """A group of short rows, transposed into the buffers and reduced along axis 0."""
    part = panel.group(lo, hi)
    shape = part.z.shape[::-1]
    z = bufs.view("rows_in", shape)
    np.copyto(z, part.z.T)
    terms = bufs.view("rows_out", shape) if what == "softmax" else None
    out = None if part.out is None else part.out.T  # the last pass writes it in place
    return _dispatch(Panel(z, 0, out, terms), what, bufs)


def threads() -> int:
    """Worker threads: ``WHYSOFTMAX_NUM_THREADS`` (default 1: a second thread gained
    nothing measurable on the machine of docs/benchmarks.md). Groups of slices are
    shared among them; a single slice is never split."""
    value = os.environ.get("WHYSOFTMAX_NUM_THREADS", "1")
    if not value.isdigit() or int(value) < 1:
        raise ValueError(f"WHYSOFTMAX_NUM_THREADS must be a positive integer, not {value!r}")
    return int(value)


_POOL: list[ThreadPoolExecutor] = []


def run(z: np.ndarray, what: str, out_dtype: np.dtype) -> np.ndarray:
    """The kernel on a C-contiguous ``(P, n, Q)`` array reduced along axis 1: the
    ``(P, n, Q)`` result for softmax/log_softmax, ``(P, Q)`` float64 for logsumexp
    (``(P, Q, 6)`` for ``"state"``: see :func:`._kernel.group`)."""
    P, n, Q = z.shape
    out = None if what in ("logsumexp", "state") else np.empty(z.shape, out_dtype)
    p = out if what == "softmax" and out_dtype == np.float64 else None
    values = np.empty((P, Q, 6) if what == "state" else (P, Q))
    if Q == 1:
        panels = [(Panel(z[:, :, 0], 1, _plane(out), _plane(p)), values[:, 0])]
    else:
        panels = [(Panel(z[q], 0, _item(out, q), _item(p, q)), values[q]) for q in range(P)]
    work = _short_rows if Q == 1 and n < SHORT else _whole
    size = GROUP if work is _whole else 2 * BLOCK // n  # short rows: one block per group
    if z.dtype != np.float64 and work is _whole:  # light per-slice work: rows in cache,
        size = max(1, 4 * BLOCK // n) if Q == 1 else max(1, 128 * BLOCK // n)  # columns whole
    tasks = [(work, panel, lo, min(lo + size, target.size), target)
             for panel, target in panels for lo in range(0, target.size, size)]
    workers = min(threads(), len(tasks))
    if workers <= 1:
        _tasks(tasks, what)
    else:
        if not _POOL or _POOL[0]._max_workers < workers:
            _POOL[:] = [ThreadPoolExecutor(workers, thread_name_prefix="whysoftmax")]
        for future in [_POOL[0].submit(_tasks, tasks[w::workers], what)
                       for w in range(workers)]:
            future.result()
    return values if out is None else out


def _plane(a):
    return None if a is None else a[:, :, 0]


def _item(a, q: int):
    return None if a is None else a[q]


def _whole(panel: Panel, lo: int, hi: int, what: str, bufs: Buffers):
    return _dispatch(panel.group(lo, hi), what, bufs)


def _tasks(tasks, what: str) -> None:
    bufs = buffers()
    with np.errstate(all="ignore"):  # special values are dealt with by the conventions
        for work, panel, lo, hi, target in tasks:
            values = work(panel, lo, hi, what, bufs)
            if values is not None:
                target[lo:hi] = values


def _dispatch(panel: Panel, what: str, bufs: Buffers):
    """float64 through the exact kernel, float32 and float16 through :func:`_single`."""
    return (group if panel.z.dtype == np.float64 else _single)(panel, what, bufs)
