"""Softmax and friends in float64, accurate to a couple of ULPs; numpy only.

The problem (Blanchard, Higham & Higham 2021): the textbook stable form
``exp(z − max z) / Σ exp(z − max z)`` rounds ``z_i − max z`` before ``exp`` sees it, and
``exp`` turns that absolute rounding error into a relative one of up to
``|z_i − max z| · 2^-53`` — hundreds of ULPs for gaps of hundreds. ``log_softmax`` computed
as ``log(Σ …)`` loses everything when the sum is 1 + tiny.

What this module does, for every slice along ``axis`` (each step is proven for general n
in ``derivations/stable_forms.py``):

1. ``k = argmax z``, ``m = z_k``; ``z_i − m = s_i + e_i`` exactly (TwoSum), and
   ``exp(z_i − m) = exp(s_i)(1 + e_i)`` up to ``e_i²`` (step "TwoSum correction").
2. ``T = Σ_{j≠k} exp(z_j − m)`` — the arg max term, exactly 1, is left out of the sum.
3. ``softmax_i = exp(z_i − m) / (1 + T)`` (step "max-shifted softmax"),
   ``log_softmax_i = (s_i − log1p(T)) + e_i`` (step "log-softmax with log1p"),
   ``logsumexp = m + log1p(T)`` (step "log-sum-exp with log1p").

Arrays are processed in blocks of rows that fit in cache; large arrays share their blocks
among ``THREADS`` threads (scipy.special uses one).

Special values (no RuntimeWarning escapes): a ``+inf`` entry gets probability 1 (several
share it equally) and log-probability 0 (``−log k`` for k of them), the others 0 and
``−inf``; NaN anywhere in a slice makes the slice NaN; a slice of only ``−inf`` has
``logsumexp = −inf`` (as scipy) and softmax/log_softmax NaN (0/0: undefined).

Importing this module does not import SymPy.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

try:  # numpy ≥ 2.0
    from numpy.lib.array_utils import normalize_axis_index
except ImportError:  # pragma: no cover - numpy 1.x
    from numpy.core.multiarray import normalize_axis_index

__all__ = [
    "cross_entropy",
    "cross_entropy_grad",
    "log_sigmoid",
    "log_softmax",
    "logsumexp",
    "sigmoid",
    "softmax",
    "softmax_jacobian",
    "softmax_jvp",
    "sparsemax",
    "spherical_softmax",
    "sum_normalize",
    "taylor_softmax",
]

#: Elements per block (measured on a 1 MiB L2: see docs/benchmarks.md).
BLOCK = 32768
#: Threads for large inputs (numpy releases the GIL inside its loops; each thread works
#: on its own blocks). Inputs of fewer than 8 blocks run in the calling thread.
THREADS = min(os.cpu_count() or 1, 8)


# -- input handling ---------------------------------------------------------------------------

def _as_float(x: ArrayLike, name: str = "x") -> tuple[NDArray[np.float64], np.dtype]:
    """``x`` as float64 and the dtype to return (scipy's promotion: ints → float64)."""
    arr = np.asarray(x)
    kind = arr.dtype.kind
    if kind == "c":
        raise TypeError(f"{name} is complex ({arr.dtype}); softmax needs real numbers")
    if kind not in "biuf":
        raise TypeError(f"{name} has dtype {arr.dtype}; expected real numbers (int or float)")
    out_dtype = arr.dtype if kind == "f" and arr.dtype.itemsize <= 8 else np.dtype(np.float64)
    return arr.astype(np.float64, copy=False), out_dtype


Axis = int | tuple[int, ...] | None


def _axes(arr: NDArray, axis: Axis) -> tuple[int, ...]:
    """``axis`` as a tuple of distinct non-negative axes (None: all of them)."""
    if axis is None:
        return tuple(range(arr.ndim))
    raw = axis if isinstance(axis, tuple) else (axis,)
    if arr.ndim == 0:
        if any(a not in (0, -1) for a in raw):
            raise np.exceptions.AxisError(raw[0], 0)
        return ()
    axes = tuple(normalize_axis_index(int(a), arr.ndim) for a in raw)  # raises AxisError
    if len(set(axes)) != len(axes):
        raise ValueError(f"repeated axis in {axis!r}")
    return axes


def _rows(arr: NDArray, axes: tuple[int, ...]) -> tuple[NDArray, tuple]:
    """A C-contiguous 2-D array whose rows are the slices along ``axes``, and the shape
    of ``arr`` with those axes moved last (to undo it)."""
    ends = tuple(range(arr.ndim - len(axes), arr.ndim))
    moved = np.moveaxis(arr, axes, ends)
    width = int(np.prod(moved.shape[len(moved.shape) - len(axes):]))
    count = int(np.prod(moved.shape[: len(moved.shape) - len(axes)]))
    return np.ascontiguousarray(moved.reshape(count, width)), moved.shape


def _unrows(rows: NDArray, moved_shape: tuple, axes: tuple[int, ...]) -> NDArray:
    ends = tuple(range(len(moved_shape) - len(axes), len(moved_shape)))
    return np.moveaxis(rows.reshape(moved_shape), ends, axes)


# -- the kernel -------------------------------------------------------------------------------

class _Work:
    """Work arrays for one call, reused block after block (fresh 128 KiB arrays would be
    mmap-ed and page-faulted for every block)."""

    def __init__(self, rows: int, n: int):
        self.s, self.e, self.p, self.t = (np.empty((rows, n)) for _ in range(4))

    def view(self, rows: int):
        return self.s[:rows], self.e[:rows], self.p[:rows], self.t[:rows]


def _shift_block(
    block: NDArray[np.float64], work: _Work, lowest: float, scale_to_sum: bool
):
    """For a block of rows: s + e = z − m exactly, p = exp(s), T = Σ_{j≠k} p_j (1 + e_j).

    ``e`` is the rounding error of ``s = fl(z − m)`` (an error-free transformation):
    FastTwoSum when the magnitudes are ordered — e = z − (m + s) if every |z| ≤ |m|
    (``lowest``, the smallest entry of the whole array, decides this for all rows at
    once), e = (z − s) − m if every |z| ≥ |m| — and Knuth's TwoSum otherwise.

    Returns the *uncorrected* ``p = exp(s)`` (with p_k = 1) and ``T = hi + rest``:
    ``hi`` sums the parts of p_j on the grid 2^-52 σ, which add up exactly
    (Rump–Ogita–Oishi's extraction), ``rest`` the small remainders and the first-order
    corrections Σ p_j e_j. For softmax σ = 2n (then 1 + hi is exact too); for the log
    forms (``scale_to_sum``) σ ≥ n·T, since log1p(T) ≈ T needs T to full relative accuracy.
    """
    rows, n = block.shape
    s, e, p, t = work.view(rows)
    r = np.arange(rows)
    k = block.argmax(axis=1)
    m = block[r, k][:, None]
    with np.errstate(all="ignore"):  # special values are dealt with below
        np.subtract(block, m, out=s)
        m_low = m.min()
        if m_low >= 0 and (lowest >= -m_low or (block.min(axis=1) >= -m[:, 0]).all()):
            np.add(m, s, out=e)  # |z| ≤ |m|
            np.subtract(block, e, out=e)
        elif m.max() <= 0:
            np.subtract(block, s, out=e)  # |z| ≥ |m|
            np.subtract(e, m, out=e)
        else:  # TwoSum(z, −m)
            np.subtract(s, block, out=t)
            np.subtract(s, t, out=e)
            np.subtract(block, e, out=e)
            np.add(t, m, out=t)
            np.subtract(e, t, out=e)
        np.exp(s, out=p)
        p[r, k] = 0.0
        correction = np.einsum("ij,ij->i", p, e)  # exp(s + e) = exp(s)(1 + e) + O(e²)
        if not np.isfinite(correction).all():
            # −inf entries and overflowing gaps make e NaN where p is 0: e is 0 there.
            e[~np.isfinite(e)] = 0.0
            correction = np.einsum("ij,ij->i", p, e)
        if scale_to_sum:  # log1p(T) ≈ T: T needs its own relative accuracy
            rough = p.sum(axis=1)
            sigma = np.ldexp(1.0, np.frexp(rough * n)[1] + 1)
            sigma = np.maximum(np.where(np.isfinite(sigma), sigma, 1.0), 2.0**-900)[:, None]
        else:  # softmax: S = 1 + T ≥ 1, and p_j ≤ 1, so σ = 2n will do
            sigma = float(np.ldexp(1.0, int(np.ceil(np.log2(n))) + 1))
        np.add(p, sigma, out=t)
        np.subtract(t, sigma, out=t)
        hi = t.sum(axis=1)  # exact
        np.subtract(p, t, out=t)
        rest = t.sum(axis=1) + correction
    p[r, k] = 1.0
    special = np.flatnonzero(~np.isfinite(hi) | ~np.isfinite(m[:, 0]))
    return m[:, 0], s, e, p, t, hi, rest, special


def _special_row(z: NDArray[np.float64], what: str) -> NDArray[np.float64] | float:
    """The conventions for a row with NaN, +inf or only −inf (module docstring)."""
    if np.isnan(z).any():
        return np.nan if what == "logsumexp" else np.full_like(z, np.nan)
    top = np.isposinf(z)
    if top.any():
        if what == "logsumexp":
            return np.inf
        count = top.sum()
        if what == "softmax":
            return top / count
        return np.where(top, -np.log(count), -np.inf)
    if np.isneginf(z).all():
        return -np.inf if what == "logsumexp" else np.full_like(z, np.nan)
    raise AssertionError("not a special row")  # pragma: no cover


Kind = Literal["softmax", "log_softmax", "logsumexp"]


def _along_rows(rows: NDArray[np.float64], what: Kind) -> NDArray[np.float64]:
    """The kernel over all rows: block after block, the blocks shared among threads."""
    n = rows.shape[1]
    out = np.empty(rows.shape if what != "logsumexp" else rows.shape[:1])
    if rows.size == 0:
        return out
    with np.errstate(invalid="ignore"):
        lowest = float(rows.min())
    step = max(1, BLOCK // max(n, 1))
    starts = list(range(0, rows.shape[0], step))
    workers = min(THREADS, len(starts) // 4)
    if workers <= 1:
        _blocks(rows, out, what, lowest, starts, step)
        return out
    chunks = [starts[w::workers] for w in range(workers)]
    futures = [_pool().submit(_blocks, rows, out, what, lowest, c, step) for c in chunks]
    for future in futures:
        future.result()
    return out


def _blocks(rows, out, what: Kind, lowest: float, starts: list[int], step: int) -> None:
    work = _Work(min(step, rows.shape[0]), rows.shape[1])
    for start in starts:
        block = rows[start : start + step]
        target = out[start : start + step]
        m, s, e, p, t, hi, rest, special = _shift_block(block, work, lowest, what != "softmax")
        with np.errstate(invalid="ignore"):
            if what == "softmax":
                # S = 1 + hi + rest = S_hi + ρ S_hi, then p(1 + e)/S ≈ (p/S_hi)(1 + e − ρ):
                # three roundings (exp, divide, correct) and no rounded S.
                s_hi = 1.0 + hi
                s_err = (1.0 - (s_hi - (s_hi - 1.0))) + (hi - (s_hi - 1.0))  # TwoSum(1, hi)
                rho = (rest + s_err) / s_hi
                np.divide(p, s_hi[:, None], out=target)
                np.subtract(e, rho[:, None], out=t)
                np.multiply(t, target, out=t)
                np.add(target, t, out=target)
            elif what == "log_softmax":
                np.subtract(s, np.log1p(hi + rest)[:, None], out=target)
                np.add(target, e, out=target)
            else:
                np.add(m, np.log1p(hi + rest), out=target)
        for q in special:
            target[q] = _special_row(block[q], what)


_POOL: ThreadPoolExecutor | None = None


def _pool() -> ThreadPoolExecutor:
    global _POOL
    if _POOL is None:
        _POOL = ThreadPoolExecutor(max_workers=THREADS, thread_name_prefix="whysoftmax")
    return _POOL


def _reduce(x: ArrayLike, axis: Axis, what: Kind):
    """Rows along ``axis``, the kernel applied, and what is needed to put them back."""
    arr, out_dtype = _as_float(x)
    axes = _axes(arr, axis)
    if arr.ndim == 0:  # a scalar is a slice of one entry
        return _along_rows(arr.reshape(1, 1), what).reshape(()), None, axes, out_dtype
    rows, moved = _rows(arr, axes)
    if rows.shape[1] == 0:
        if what == "logsumexp":
            return np.full(rows.shape[0], -np.inf), moved, axes, out_dtype
        raise ValueError(f"{what} of an empty axis is undefined (the slices have no entries)")
    return _along_rows(rows, what), moved, axes, out_dtype


def _put_back(values: NDArray, moved: tuple | None, axes, out_dtype) -> NDArray:
    out = values if moved is None else _unrows(values, moved, axes)
    return out.astype(out_dtype, copy=False)


def softmax(x: ArrayLike, axis: Axis = None) -> NDArray:
    r"""Softmax along ``axis`` (all elements when ``axis`` is None, as in scipy).

    .. math:: \operatorname{softmax}(z)_i = \frac{e^{z_i - m}}{1 + \sum_{j \ne k} e^{z_j - m}},
       \quad m = z_k = \max_j z_j

    Implements ``stable_forms`` / "max-shifted softmax" with the exact gap
    (step "TwoSum correction"). Drop-in for ``scipy.special.softmax``; error ≤ 2 ULP on
    the adversarial suite of :mod:`whysoftmax.testing`.

    Examples
    --------
    >>> softmax([1.0, 2.0])
    array([0.26894142, 0.73105858])
    >>> softmax([[0.0, float("inf"), float("inf")]], axis=1)
    array([[0. , 0.5, 0.5]])
    """
    return _put_back(*_reduce(x, axis, "softmax"))


def log_softmax(x: ArrayLike, axis: Axis = None) -> NDArray:
    r"""Logarithm of softmax along ``axis`` (all elements when None, as in scipy).

    .. math:: \log \operatorname{softmax}(z)_i = (z_i - m) - \operatorname{log1p}
       \Big(\sum_{j \ne k} e^{z_j - m}\Big)

    Implements ``stable_forms`` / "log-softmax with log1p": no ``log`` of a sum that
    rounds to 1, so tiny log-probabilities keep all their digits.

    Examples
    --------
    >>> float(log_softmax([0.0, -55.0])[0])  # scipy returns 0.0 here
    -1.2995814250075031e-24
    """
    return _put_back(*_reduce(x, axis, "log_softmax"))


def logsumexp(
    a: ArrayLike,
    axis: Axis = None,
    b: ArrayLike | None = None,
    keepdims: bool = False,
    return_sign: bool = False,
):
    r"""``log Σ b_j e^{a_j}`` along ``axis``, with scipy.special.logsumexp's signature.

    .. math:: \operatorname{lse}(a) = m + \operatorname{log1p}\Big(\sum_{j \ne k}
       e^{a_j - m}\Big)

    Implements ``stable_forms`` / "log-sum-exp with log1p". With weights ``b`` the sum may
    be negative or zero: ``return_sign=True`` returns ``(log|Σ|, sign)``, otherwise a
    negative sum gives NaN (as scipy). Empty slices give ``−inf``.

    Examples
    --------
    >>> float(logsumexp([1000.0, 1000.0]))
    1000.6931471805599
    >>> logsumexp([1.0, 2.0], b=[1.0, -1.0], return_sign=True)
    (np.float64(1.5413248546129181), np.float64(-1.0))
    """
    if b is not None:
        return _weighted_logsumexp(a, axis, b, keepdims, return_sign)
    values, moved, axes, out_dtype = _reduce(a, axis, "logsumexp")
    result = values.reshape(moved[: len(moved) - len(axes)] if moved is not None else ())
    if keepdims and moved is not None:
        result = np.expand_dims(result, axes)
    result = np.asarray(result).astype(out_dtype, copy=False)
    result = result[()] if result.ndim == 0 else result
    if return_sign:
        sign = np.where(np.isneginf(result), 0.0, 1.0).astype(out_dtype)
        return result, (sign[()] if sign.ndim == 0 else sign)
    return result


def _weighted_logsumexp(a, axis, b, keepdims, return_sign):
    arr, out_dtype = _as_float(a, "a")
    weights, _ = _as_float(b, "b")
    arr, weights = np.broadcast_arrays(arr, weights)
    axis = _axes(arr, axis) or None
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        masked = np.where(weights != 0, arr, -np.inf)
        m = np.max(masked, axis=axis, keepdims=True) if masked.size else np.zeros((1,) * arr.ndim)
        m = np.where(np.isfinite(m), m, 0.0)
        total = np.sum(weights * np.exp(arr - m), axis=axis, keepdims=True)
        sign = np.sign(total)
        result = np.log(np.abs(total)) + m
    if not keepdims:
        result = np.squeeze(result, axis=axis)
        sign = np.squeeze(sign, axis=axis)
    result, sign = np.asarray(result, out_dtype), np.asarray(sign, out_dtype)
    if not return_sign:
        result = np.where(sign < 0, np.nan, result)
    result = result[()] if result.ndim == 0 else result
    sign = sign[()] if sign.ndim == 0 else sign
    return (result, sign) if return_sign else result


# -- derived quantities -----------------------------------------------------------------------

def softmax_jvp(x: ArrayLike, v: ArrayLike, axis: int = -1) -> NDArray:
    r"""Jacobian-vector product of softmax without forming the n×n matrix.

    .. math:: J v = s \odot (v - \langle s, v \rangle)

    Implements ``stable_forms`` / "Jacobian-vector product".

    Examples
    --------
    >>> softmax_jvp([0.0, 0.0], [1.0, 0.0])
    array([ 0.25, -0.25])
    """
    s = softmax(x, axis=axis)
    v = np.asarray(v, dtype=np.result_type(s.dtype, np.float32))
    return s * (v - np.sum(s * v, axis=axis, keepdims=True))


def softmax_jacobian(x: ArrayLike, axis: int = -1) -> NDArray:
    r"""The softmax Jacobian, shape ``(…, n, n)``: :math:`J = \operatorname{diag}(s) - s s^\top`.

    Implements ``jacobian`` / "matrix form".

    Examples
    --------
    >>> softmax_jacobian([0.0, 0.0])
    array([[ 0.25, -0.25],
           [-0.25,  0.25]])
    """
    s = np.moveaxis(softmax(x, axis=axis), axis, -1)
    eye = np.eye(s.shape[-1], dtype=s.dtype)
    return s[..., :, None] * eye - s[..., :, None] * s[..., None, :]


def _class_axis_last(logits: ArrayLike, target: ArrayLike, axis: int):
    z, _ = _as_float(logits, "logits")
    z = np.moveaxis(z, axis, -1)
    y = np.asarray(target)
    if y.dtype.kind not in "iu":
        raise TypeError(f"target must hold integer class indices, not {y.dtype}")
    if y.shape != z.shape[:-1]:
        raise ValueError(f"target has shape {y.shape}; expected {z.shape[:-1]} (logits "
                         "without the class axis)")
    n = z.shape[-1]
    if y.size and (y.min() < 0 or y.max() >= n):
        raise ValueError(f"target holds class indices outside 0 … {n - 1}")
    return z, y


def cross_entropy(logits: ArrayLike, target: ArrayLike, axis: int = -1) -> NDArray:
    r"""Cross-entropy :math:`-\log \operatorname{softmax}(z)_y` for integer targets.

    Implements ``cross_entropy_gradient`` (−log s_y = lse(z) − z_y) through
    :func:`log_softmax`, so a confident wrong prediction costs its full, finite value.

    Examples
    --------
    >>> float(cross_entropy([0.0, 1000.0], 0))
    1000.0
    """
    z, y = _class_axis_last(logits, target, axis)
    logp = log_softmax(z, axis=-1)
    return -np.take_along_axis(logp, y[..., None], axis=-1)[..., 0]


def cross_entropy_grad(logits: ArrayLike, target: ArrayLike, axis: int = -1) -> NDArray:
    r"""Gradient of :func:`cross_entropy` with respect to the logits: :math:`s - e_y`.

    Implements ``cross_entropy_gradient`` / "∂(−log s_y)/∂z_k = s_k − δ_yk".

    Examples
    --------
    >>> cross_entropy_grad([0.0, 0.0], 1)
    array([ 0.5, -0.5])
    """
    z, y = _class_axis_last(logits, target, axis)
    grad = softmax(z, axis=-1)
    np.put_along_axis(grad, y[..., None], np.take_along_axis(grad, y[..., None], -1) - 1, -1)
    return np.moveaxis(grad, -1, axis)


def sigmoid(x: ArrayLike) -> NDArray:
    r"""The logistic sigmoid, two-class softmax: :math:`\sigma(x) = 1/(1 + e^{-x})`.

    For ``x < 0`` it uses :math:`e^{x}/(1 + e^{x})` (``sigmoid`` / "σ(−x) = 1 − σ(x)"), so no
    ``exp`` overflows.

    Examples
    --------
    >>> sigmoid([-800.0, 0.0, 800.0])
    array([0. , 0.5, 1. ])
    """
    z, out_dtype = _as_float(x)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e)).astype(out_dtype, copy=False)


def log_sigmoid(x: ArrayLike) -> NDArray:
    r""":math:`\log\sigma(x) = -\operatorname{log1p}(e^{-x})`, and ``x − log1p(e^x)`` for x < 0.

    Implements ``sigmoid`` / "log σ(x) = −log(1 + e^{−x})".

    Examples
    --------
    >>> log_sigmoid([-800.0, 40.0])
    array([-8.00000000e+02, -4.24835426e-18])
    """
    z, out_dtype = _as_float(x)
    return (np.minimum(z, 0) - np.log1p(np.exp(-np.abs(z)))).astype(out_dtype, copy=False)


def sum_normalize(x: ArrayLike, axis: int | None = None) -> NDArray:
    r"""Sum normalisation :math:`z_i / \sum_j z_j` — for comparison; see ``sum_normalisation``.

    Undefined (inf/NaN, without warnings) where the sum is 0.

    Examples
    --------
    >>> sum_normalize([1.0, 3.0])
    array([0.25, 0.75])
    """
    z, out_dtype = _as_float(x)
    with np.errstate(divide="ignore", invalid="ignore"):
        return (z / np.sum(z, axis=axis, keepdims=True)).astype(out_dtype, copy=False)


def spherical_softmax(x: ArrayLike, axis: int = -1, eps: float = 0.0) -> NDArray:
    r"""Spherical softmax :math:`(z_i^2 + \varepsilon) / \sum_j (z_j^2 + \varepsilon)`.

    See ``spherical_and_taylor``.

    Examples
    --------
    >>> spherical_softmax([1.0, 2.0])
    array([0.2, 0.8])
    """
    z, out_dtype = _as_float(x)
    q = z * z + eps
    with np.errstate(divide="ignore", invalid="ignore"):
        return (q / np.sum(q, axis=axis, keepdims=True)).astype(out_dtype, copy=False)


def taylor_softmax(x: ArrayLike, axis: int = -1) -> NDArray:
    r"""Taylor softmax :math:`(1 + z_i + z_i^2/2) / \sum_j (1 + z_j + z_j^2/2)`.

    The terms are computed as ``((z + 1)² + 1)/2`` (``spherical_and_taylor``), which is
    positive.

    Examples
    --------
    >>> taylor_softmax([0.0, 0.0])
    array([0.5, 0.5])
    """
    z, out_dtype = _as_float(x)
    q = ((z + 1) ** 2 + 1) / 2
    return (q / np.sum(q, axis=axis, keepdims=True)).astype(out_dtype, copy=False)


def sparsemax(x: ArrayLike, axis: int = -1) -> NDArray:
    r"""Sparsemax (Martins & Astudillo 2016): the Euclidean projection onto the simplex.

    :math:`p_i = \max(z_i - \tau, 0)` with :math:`\tau = (\sum_{r \le k} z_{(r)} - 1)/k`, k the
    largest with :math:`1 + k z_{(k)} > \sum_{r \le k} z_{(r)}` (``properties``).

    Examples
    --------
    >>> sparsemax([0.0, 0.5])
    array([0.25, 0.75])
    """
    z, out_dtype = _as_float(x)
    z = np.moveaxis(z, axis, -1)
    ordered = -np.sort(-z, axis=-1)
    cumulative = np.cumsum(ordered, axis=-1)
    ranks = np.arange(1, z.shape[-1] + 1, dtype=np.float64)
    support = np.sum(1 + ranks * ordered > cumulative, axis=-1, keepdims=True)
    tau = (np.take_along_axis(cumulative, support - 1, -1) - 1) / support
    return np.moveaxis(np.maximum(z - tau, 0), -1, axis).astype(out_dtype, copy=False)
