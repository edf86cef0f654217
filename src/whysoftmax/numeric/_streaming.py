r"""Online softmax: logsumexp, softmax and attention over data that arrive in chunks.

The state of a block of logits (``derivations/online_softmax.py``) is its maximum ``m``
and ``ℓ = Σ_j e^{z_j − m}``; two states merge by

.. math:: (m, \ell) \oplus (m', \ell') = (M,\ \ell e^{m - M} + \ell' e^{m' - M}),
   \quad M = \max(m, m'),

which is commutative and associative with identity ``(−∞, 0)``, so chunks can be added
one at a time (:meth:`OnlineLogSumExp.update`) or summarised in parallel and merged in any
grouping (:meth:`OnlineLogSumExp.merge`). The results are those of the one-shot functions
(``≤ 2 ULP`` on the adversarial suite, whatever the chunking): the state keeps the arg
max term apart from the others and both in (scaled) double-double, a block's terms are
computed with the kernel's exact shifts, and rescalings are double-double and rare (see
:mod:`whysoftmax.numeric._online`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
from numpy.typing import ArrayLike, NDArray

from . import _online
from ._args import as_numbers, normalize_axis_index, result_dtype, scalar_if_0d

__all__ = ["OnlineAttention", "OnlineLogSumExp", "attention_chunks", "logsumexp_chunks",
           "softmax_chunks"]


class _Online:
    """What both accumulators share: the state, the shape of a slice's batch, the dtype."""

    def __init__(self):
        self._state: _online.State | None = None
        self._shape: tuple | None = None
        self._dtype = None

    @property
    def n(self) -> int:
        """Entries seen per slice (0 before the first chunk)."""
        return 0 if self._state is None else self._state.n

    def _check(self, shape: tuple, dtype, func: str, name: str) -> None:
        if self._shape is not None and shape != self._shape:
            raise ValueError(f"{func}: {name} has slices of shape {shape}, the chunks before "
                             f"{self._shape}")
        self._shape = shape
        self._dtype = dtype if self._dtype is None else result_dtype(self._dtype, dtype)

    def _block(self, z: np.ndarray, v: np.ndarray | None, shape: tuple, dtype, func: str,
               name: str) -> None:
        self._check(shape, dtype, func, name)
        with np.errstate(all="ignore"):
            self._state = (_online.of_block(z, v) if self._state is None else
                           _online.add_block(self._state, z, v))

    def _compatible(self, other, func: str) -> None:
        if type(other) is not type(self):
            raise TypeError(f"{func}: can only merge with another {type(self).__name__}, "
                            f"not {type(other).__name__}")

    def merge(self, other):
        """``self ⊕ other``: a new accumulator holding both streams (neither changes)."""
        func = f"{type(self).__name__}.merge"
        self._compatible(other, func)
        new = self._like()
        for part in (self, other):
            if part._state is not None:
                new._check(part._shape, part._dtype, func, "other")
                with np.errstate(all="ignore"):
                    new._state = part._state if new._state is None else \
                        _online.merge(new._state, part._state)
        return new

    def _ready(self, func: str) -> _online.State:
        if self._state is None:
            raise ValueError(f"{func}: no chunk seen yet")
        return self._state

    def logsumexp(self) -> NDArray:
        """``log Σ_j e^{z_j}`` over every entry seen, per slice (``−inf`` with none)."""
        state = self._ready(f"{type(self).__name__}.logsumexp")
        with np.errstate(all="ignore"):
            values = _online.logsumexp(state)
        return scalar_if_0d(values.reshape(self._shape).astype(self._dtype, copy=False))


class OnlineLogSumExp(_Online):
    r"""An accumulator for logsumexp, softmax and log_softmax of data seen in chunks.

    Chunks are arrays whose shapes agree but along ``axis`` (``None``: every entry of a
    chunk goes into one slice); each slice of the result reduces over the entries of all
    chunks along that axis, as ``scipy.special.logsumexp(np.concatenate(chunks, axis),
    axis)`` would. ``x``, if given, is the first chunk (as in ``hashlib.sha256(data)``).
    The state is ``(m, ℓ)`` per slice (in double-double, the arg max term apart);
    :meth:`merge` is ``⊕``:

    .. math:: \operatorname{lse}(z \Vert w) = M + \log\big(\ell e^{m-M} + \ell' e^{m'-M}\big)

    (``online_softmax`` / "lse of a concatenation"). Softmax needs the whole stream's sum,
    so it takes a second pass: after every chunk has been added, :meth:`softmax` of each
    chunk gives its entries (:func:`softmax_chunks` does both passes).

    Examples
    --------
    >>> import numpy as np
    >>> acc = OnlineLogSumExp([1000.0, 1000.0])
    >>> for chunk in ([0.0], []):
    ...     _ = acc.update(chunk)
    >>> float(acc.logsumexp())
    1000.6931471805599
    >>> left = OnlineLogSumExp(np.zeros((2, 3)), axis=1)
    >>> right = OnlineLogSumExp([[0.0], [-55.0]], axis=1)
    >>> both = left.merge(right)              # the same as right.merge(left)
    >>> both.logsumexp()                      # log 4 and log(3 + e^-55)
    array([1.38629436, 1.09861229])
    >>> both.softmax([[0.0], [-55.0]])
    array([[2.50000000e-01],
           [4.33193808e-25]])
    """

    def __init__(self, x: ArrayLike | None = None, axis: int | None = -1):
        super().__init__()
        if axis is not None and not isinstance(axis, int | np.integer):
            raise TypeError(f"OnlineLogSumExp: axis must be an integer or None, not "
                            f"{type(axis).__name__}")
        self.axis = axis
        if x is not None:
            self._add(x, "OnlineLogSumExp", "x")

    def _like(self) -> OnlineLogSumExp:
        return OnlineLogSumExp(axis=self.axis)

    def _compatible(self, other, func: str) -> None:
        super()._compatible(other, func)
        if other.axis != self.axis:
            raise ValueError(f"{func}: the accumulators reduce along different axes "
                             f"({self.axis!r} and {other.axis!r})")

    def _rows(self, x: ArrayLike, func: str, name: str):
        """A chunk as float64 rows ``(slices, entries)``, its batch shape, dtype and the
        way back to its own shape."""
        arr, dtype = as_numbers(x, func, name, complex_ok=False)
        if arr.ndim == 0:
            arr = arr.reshape(1)
        if self.axis is None:
            return arr.reshape(1, -1).astype(np.float64), (), dtype, arr.shape, None
        axis = normalize_axis_index(int(self.axis), arr.ndim, msg_prefix=func)
        moved = np.moveaxis(arr, axis, -1)
        rows = moved.reshape(math.prod(moved.shape[:-1]), moved.shape[-1]).astype(np.float64)
        return rows, moved.shape[:-1], dtype, moved.shape, axis

    def _add(self, x: ArrayLike, func: str, name: str) -> OnlineLogSumExp:
        rows, shape, dtype, _, _ = self._rows(x, func, name)
        self._block(rows, None, shape, dtype, func, name)
        return self

    def update(self, x: ArrayLike) -> OnlineLogSumExp:
        """Add a chunk's entries to the stream; returns the accumulator itself."""
        return self._add(x, "OnlineLogSumExp.update", "x")

    def _second_pass(self, x: ArrayLike, what: str, func: str, name: str = "x") -> NDArray:
        state = self._ready(func)
        if state.n == 0:
            raise ValueError(f"{func}: the stream has no entries; {what} of no entries is "
                             "undefined")
        rows, shape, dtype, moved_shape, axis = self._rows(x, func, name)
        if shape != self._shape:
            raise ValueError(f"{func}: {name} has slices of shape {shape}, the stream "
                             f"{self._shape}")
        with np.errstate(all="ignore"):
            out = getattr(_online, what)(state, rows).reshape(moved_shape)
        out = out if axis is None else np.moveaxis(out, -1, axis)
        return scalar_if_0d(out.astype(dtype, copy=False))

    def softmax(self, x: ArrayLike) -> NDArray:
        r"""The entries of a chunk ``x`` (one already added) in the softmax of the whole
        stream: :math:`e^{z_j - c} / \big((E + T) e^{R - c}\big)` with the kernel's exact
        shift ``c`` of the stream's maximum; the chunk's dtype and shape."""
        return self._second_pass(x, "softmax", "OnlineLogSumExp.softmax")

    def log_softmax(self, x: ArrayLike) -> NDArray:
        r"""As :meth:`softmax`, logarithms: :math:`(z_j - m) - \operatorname{log1p}(T/E)`."""
        return self._second_pass(x, "log_softmax", "OnlineLogSumExp.log_softmax")

    n, merge, logsumexp = _Online.n, _Online.merge, _Online.logsumexp  # on the API page

    def __repr__(self) -> str:
        return f"OnlineLogSumExp(axis={self.axis!r}, n={self.n}, slices={self._shape})"


class OnlineAttention(_Online):
    r"""Attention for queries against key/value blocks: ``softmax(x)·v`` from a state
    ``(m, ℓ, o)`` per query, ``o = Σ_j e^{x_j − m} v_j``.

    Each :meth:`update` takes a block's scores ``x`` (``(..., n)``: the logits ``q·k_j`` of
    the queries against the block's n keys — scaled and masked as you like, ``−inf`` for a
    masked key) and values ``v`` (``(..., n, d)``, broadcast against the queries' batch);
    ``OnlineAttention(x, v)`` starts with a first block. Accumulators merge like ℓ:

    .. math:: o \oplus o' = o e^{m - M} + o' e^{m' - M}, \qquad
       \text{output} = \frac{o \oplus o'}{\ell \oplus \ell'} = \operatorname{softmax}(x)\cdot v

    (``online_softmax`` / "merged accumulator / merged ℓ = softmax(z, w)·(v, u)"). The terms
    ``e^{x_j − c} v_j`` are double-double products summed exactly, so with values of one
    sign the output is within 2 ULP of the exact one; where ``Σ s_j v_j`` cancels, the
    error grows with ``Σ s_j |v_j| / |Σ s_j v_j|`` times 2^-60.

    Examples
    --------
    >>> import numpy as np
    >>> acc = OnlineAttention([0.0, 1.0], [[1.0], [2.0]])  # one query, keys 1–2, d = 1
    >>> _ = acc.update([-np.inf, 2.0], [[5.0], [3.0]])     # keys 3–4, the first masked
    >>> acc.output()
    array([2.57521038])
    >>> import mpmath
    >>> e = mpmath.e                                       # softmax([0, 1, 2]) · [1, 2, 3], exactly
    >>> exact = (1 + 2 * e + 3 * e**2) / (1 + e + e**2)
    >>> bool(abs(acc.output()[0] - exact) <= 2 * np.spacing(float(exact)))
    True
    """

    def __init__(self, x: ArrayLike | None = None, v: ArrayLike | None = None):
        super().__init__()
        self._d: int | None = None
        if x is not None or v is not None:
            self._add(x, v, "OnlineAttention")

    def _like(self) -> OnlineAttention:
        new = OnlineAttention()
        new._d = self._d
        return new

    def _compatible(self, other, func: str) -> None:
        super()._compatible(other, func)
        if None not in (self._d, other._d) and self._d != other._d:
            raise ValueError(f"{func}: the values have {self._d} and {other._d} columns")

    def merge(self, other: OnlineAttention) -> OnlineAttention:
        new = super().merge(other)
        new._d = self._d if self._d is not None else other._d
        return new

    merge.__doc__ = _Online.merge.__doc__

    def _add(self, x: ArrayLike, v: ArrayLike, func: str, label: str = "") -> OnlineAttention:
        z, z_dtype = as_numbers(x, func, f"{label}x", complex_ok=False)
        if v is None:
            raise TypeError(f"{func}: the values v are missing")
        v, v_dtype = as_numbers(v, func, f"{label}v", complex_ok=False)
        z = z.reshape(1) if z.ndim == 0 else z
        if v.ndim < 2 or v.shape[-2] != z.shape[-1]:
            raise ValueError(f"{func}: {label}v has shape {v.shape} for scores of shape "
                             f"{z.shape}; expected (..., {z.shape[-1]}, d)")
        batch, (n, d) = z.shape[:-1], v.shape[-2:]
        if self._d is not None and d != self._d:
            raise ValueError(f"{func}: {label}v has {d} columns, the values before {self._d}")
        try:
            v = np.broadcast_to(v, (*batch, n, d))
        except ValueError:
            raise ValueError(f"{func}: {label}v of shape {v.shape} does not broadcast to the "
                             f"scores' batch {batch}") from None
        size = math.prod(batch)
        self._block(z.reshape(size, n).astype(np.float64),
                    v.reshape(size, n, d).astype(np.float64), batch,
                    result_dtype(z_dtype, v_dtype), func, f"{label}x")
        self._d = d
        return self

    def update(self, x: ArrayLike, v: ArrayLike) -> OnlineAttention:
        """Add a block of keys: their scores ``x`` and values ``v``; returns the
        accumulator."""
        return self._add(x, v, "OnlineAttention.update")

    def output(self) -> NDArray:
        """``softmax(x)·v`` over every key seen, shape ``(..., d)`` (NaN for a query whose
        keys are all masked; the mean of the values at ``+inf`` scores where there are)."""
        func = "OnlineAttention.output"
        state = self._ready(func)
        if state.n == 0:
            raise ValueError(f"{func}: no keys seen; attention over no keys is undefined")
        with np.errstate(all="ignore"):
            out = _online.attention(state)
        return out.reshape((*self._shape, self._d)).astype(self._dtype, copy=False)

    n, logsumexp = _Online.n, _Online.logsumexp  # on the API page

    def __repr__(self) -> str:
        return f"OnlineAttention(n={self.n}, queries={self._shape}, d={self._d})"


def _iterable(x, func: str, what: str = "arrays") -> Iterable:
    """``x`` to iterate over: an array is checked as a whole first (its rows are the
    chunks), anything else must be iterable."""
    if isinstance(x, np.ndarray):
        as_numbers(x, func, "x", complex_ok=False)
    elif isinstance(x, str | bytes) or not isinstance(x, Iterable):
        raise TypeError(f"{func}: x must be an iterable of {what}, not {type(x).__name__}")
    return x


def logsumexp_chunks(x: Iterable[ArrayLike], axis: int | None = -1) -> NDArray:
    r"""``log Σ e^z`` over the concatenation of the chunks ``x`` along ``axis`` — one pass,
    one chunk in memory at a time (:class:`OnlineLogSumExp`).

    .. math:: \operatorname{lse}(z^{(1)} \Vert \cdots \Vert z^{(k)}) = M + \log L,
       \quad (M, L) = (m_1, \ell_1) \oplus \cdots \oplus (m_k, \ell_k)

    Examples
    --------
    >>> float(logsumexp_chunks([[0.0], [-55.0]]))   # log(1 + e^-55): scipy gives 0.0
    1.29958142500750e-24
    >>> logsumexp_chunks(np.zeros((3, 2, 4)), axis=0)   # an array: its rows are the chunks
    array([1.79175947, 1.79175947, 1.79175947, 1.79175947])
    """
    func = "logsumexp_chunks"
    acc = OnlineLogSumExp(axis=axis)
    for q, chunk in enumerate(_iterable(x, func)):
        acc._add(chunk, func, f"chunk {q}")
    acc._ready(f"{func}: no chunks")
    return acc.logsumexp()


def softmax_chunks(x: Iterable[ArrayLike], axis: int | None = -1) -> list[NDArray]:
    r"""The softmax of the concatenation of the chunks ``x`` along ``axis``, as one array
    per chunk (each in its chunk's shape and dtype).

    Two passes: the first merges the chunks' states (:meth:`OnlineLogSumExp.update`), the
    second computes each chunk's entries from the whole stream's sum
    (:meth:`OnlineLogSumExp.softmax`). ``x`` must therefore be iterable twice (a list, an
    array, or any object whose ``iter()`` starts again); a one-shot iterator or generator
    is read into a list first, holding every chunk in memory.

    .. math:: \operatorname{softmax}(z)_j = \frac{e^{z_j - c}}{(E + T)\,e^{R - c}}

    Examples
    --------
    >>> softmax_chunks([[1.0, 2.0], [3.0]])
    [array([0.09003057, 0.24472847]), array([0.66524096])]
    """
    func = "softmax_chunks"
    chunks = _iterable(x, func)
    if iter(chunks) is chunks:
        chunks = list(chunks)
    acc = OnlineLogSumExp(axis=axis)
    for q, chunk in enumerate(chunks):
        acc._add(chunk, func, f"chunk {q}")
    acc._ready(f"{func}: no chunks")
    return [acc._second_pass(chunk, "softmax", func, f"chunk {q}")
            for q, chunk in enumerate(chunks)]


def attention_chunks(x: Iterable[tuple[ArrayLike, ArrayLike]]) -> NDArray:
    r"""``softmax(z)·V`` over key/value blocks: ``x`` yields pairs ``(scores, values)``,
    scores ``(..., n_i)`` and values ``(..., n_i, d)`` (:class:`OnlineAttention`; a
    generator computes each block when it is needed).

    Examples
    --------
    >>> scores, values = [[0.0, 1.0], [2.0]], [[[1.0], [2.0]], [[3.0]]]
    >>> attention_chunks(zip(scores, values))
    array([2.57521038])
    """
    func = "attention_chunks"
    acc = OnlineAttention()
    for q, block in enumerate(_iterable(x, func, "(scores, values) pairs")):
        if not isinstance(block, tuple | list) or len(block) != 2:
            raise TypeError(f"{func}: block {q} is not a pair (scores, values)")
        acc._add(*block, func, f"block {q}: ")
    if acc.n == 0:
        raise ValueError(f"{func}: no keys; attention over no keys is undefined")
    return acc.output()
