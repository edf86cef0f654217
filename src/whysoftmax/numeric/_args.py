"""Input handling shared by every function: dtypes, axes, and the shape of results.

scipy.special's rules: integers and booleans are computed as float64; float16, float32,
float64 and complex64/128 come back in their own dtype; ``axis=None`` means all axes; a
bad axis is numpy's ``AxisError``; 0-d results are NumPy scalars. Extended precision
(float128) and non-numbers are refused with a ``TypeError`` naming the function.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike

try:  # numpy ≥ 2.0
    from numpy.lib.array_utils import normalize_axis_index
except ImportError:  # pragma: no cover - numpy 1.x
    from numpy.core.multiarray import normalize_axis_index

Axis = int | tuple[int, ...] | None


def as_numbers(x: ArrayLike, func: str, name: str = "x",
               complex_ok: bool = True) -> tuple[np.ndarray, np.dtype]:
    """``x`` as an array to compute with (float64, float32, float16 or complex128) and the
    dtype of the result."""
    arr = np.asarray(x)
    kind = arr.dtype.kind
    if kind in "biu":
        return arr.astype(np.float64), np.dtype(np.float64)
    if kind == "f" and arr.dtype.itemsize <= 8:
        return arr, arr.dtype
    if kind == "c" and arr.dtype.itemsize <= 16 and complex_ok:
        return arr.astype(np.complex128, copy=False), arr.dtype
    if kind in "fc":
        what = "complex numbers" if kind == "c" else f"{arr.dtype} (extended precision)"
        raise TypeError(f"{func}: {name} has dtype {arr.dtype}; {what} not supported "
                        "(whysoftmax computes in float64)")
    raise TypeError(f"{func}: {name} has dtype {arr.dtype}; expected real or complex "
                    "numbers")


def result_dtype(*dtypes: np.dtype) -> np.dtype:
    """scipy's promotion: numpy's result type, integers and booleans to float64."""
    dtype = np.result_type(*dtypes)
    return dtype if dtype.kind in "fc" else np.dtype(np.float64)


def axes_of(ndim: int, axis: Axis, func: str) -> tuple[int, ...]:
    """``axis`` as sorted distinct non-negative axes (None: all of them)."""
    if axis is None:
        return tuple(range(ndim))
    raw = axis if isinstance(axis, tuple) else (axis,)
    axes = tuple(sorted(normalize_axis_index(int(a), ndim) for a in raw))
    if len(set(axes)) != len(axes):
        raise ValueError(f"{func}: repeated axis in {axis!r}")
    return axes


class Slices:
    """An array seen as ``(P, n, Q)``: P·Q slices of n entries along axis 1.

    No copy when the reduced axes are adjacent in a C-contiguous (or, transposed, an
    F-contiguous) array; otherwise the reduced axes are moved last and copied.
    """

    def __init__(self, arr: np.ndarray, axes: tuple[int, ...]):
        self.shape, self.axes = arr.shape, axes
        self.transposed = arr.ndim > 1 and arr.flags.f_contiguous and not arr.flags.c_contiguous
        if self.transposed:
            arr, axes = arr.T, tuple(sorted(arr.ndim - 1 - a for a in axes))
        run = bool(axes) and axes == tuple(range(axes[0], axes[-1] + 1))
        self.moved = not run and bool(axes) and axes != tuple(range(arr.ndim))
        if self.moved:
            arr = np.moveaxis(arr, axes, range(arr.ndim - len(axes), arr.ndim))
            axes = tuple(range(arr.ndim - len(axes), arr.ndim))
        arr = arr if arr.flags.c_contiguous else arr.copy(order="C")
        first, last = (axes[0], axes[-1] + 1) if axes else (arr.ndim, arr.ndim)
        self.work_shape = arr.shape
        self.kept_shape = arr.shape[:first] + arr.shape[last:]
        self.z = arr.reshape(math.prod(arr.shape[:first]), math.prod(arr.shape[first:last]),
                             math.prod(arr.shape[last:]))

    @property
    def n(self) -> int:
        return self.z.shape[1]

    def full(self, out: np.ndarray) -> np.ndarray:
        """A ``(P, n, Q)`` result in the input's shape."""
        out = out.reshape(self.work_shape)
        if self.moved:
            ndim, k = len(self.shape), len(self.axes)
            out = np.moveaxis(out, range(ndim - k, ndim), self.axes)
        return out.T if self.transposed else out

    def reduced(self, values: np.ndarray, keepdims: bool) -> np.ndarray:
        """A ``(P, Q)`` result with the reduced axes removed (or kept as 1)."""
        out = values.reshape(self.kept_shape)
        out = out.T if self.transposed else out
        return np.expand_dims(out, self.axes) if keepdims else out


def scalar_if_0d(value: np.ndarray):
    """NumPy scalars for 0-d results, as scipy returns them."""
    return value[()] if value.ndim == 0 else value
