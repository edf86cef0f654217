"""Special values: the conventions for a slice with NaN, +inf or only −inf entries.

One rule for :mod:`whysoftmax.numeric` (float64 arrays) and :mod:`whysoftmax.mp`
(lists of mpf), so that the references and the kernels cannot drift apart:

- a NaN anywhere makes the whole slice NaN;
- ``+inf`` entries share probability 1 equally (log-probability ``−log k`` for k of
  them), the other entries get 0 (``−inf``); ``logsumexp`` is ``+inf``;
- a slice of only ``−inf``: ``logsumexp`` is ``−inf`` (as scipy), softmax and
  log_softmax are NaN (0/0 is undefined).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np


def rule(what: str, has_nan: bool, top: int, all_neginf: bool,
         number: Callable = float, log: Callable = math.log):
    """``(value at the +inf entries, value at the other entries)`` of a special slice,
    or None for an ordinary one. ``number`` and ``log`` choose the arithmetic (float or
    mpf). For ``logsumexp`` both values are the result.

    >>> rule("log_softmax", False, 2, False)
    (-0.6931471805599453, -inf)
    >>> rule("softmax", False, 0, False) is None
    True
    """
    nan, inf = number("nan"), number("inf")
    if has_nan:
        return nan, nan
    if top:
        if what == "softmax":
            return number(1) / top, number(0)
        if what == "log_softmax":
            return -log(number(top)), -inf
        return inf, inf
    if all_neginf:
        return (-inf, -inf) if what == "logsumexp" else (nan, nan)
    return None


def classify(z: Sequence) -> tuple[bool, int, bool]:
    """``(has_nan, number of +inf entries, all entries −inf)`` of one slice (any numbers)."""
    has_nan = any(v != v for v in z)
    top = sum(1 for v in z if v == math.inf)
    return has_nan, top, bool(z) and all(v == -math.inf for v in z)


def apply_to_rows(rows: np.ndarray, what: str) -> np.ndarray:
    """The conventions for each row of a 2-D float array of special slices: an array of
    the same shape (one value per row for ``logsumexp``)."""
    top = np.isposinf(rows)
    flags = zip(np.isnan(rows).any(axis=1), top.sum(axis=1),
                np.isneginf(rows).all(axis=1), strict=True)
    values = [rule(what, bool(a), int(b), bool(c)) for a, b, c in flags]
    if what == "logsumexp":
        return np.array([v[0] for v in values], dtype=np.float64).reshape(len(values))
    at_top = np.array([v[0] for v in values], dtype=np.float64)[:, None]
    elsewhere = np.array([v[1] for v in values], dtype=np.float64)[:, None]
    return np.where(top, at_top, elsewhere)
