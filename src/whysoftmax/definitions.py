"""Textbook definitions as SymPy expressions, for a vector of general length ``n``.

Every derivation builds its claims from these, so that each formula has one source.
The sums use one shared summation index, :data:`SUM_INDEX`, a ``Dummy`` that no
derivation can declare: differentiating by ``z[j]`` where ``j`` is also the summation
index silently returns a wrong result in SymPy, and a private dummy rules that out.

Examples
--------
>>> from sympy import IndexedBase, Symbol
>>> n = Symbol("n", integer=True, positive=True)
>>> z = IndexedBase("z", real=True)
>>> i = Symbol("i", integer=True, positive=True)
>>> softmax(z, i, n)
exp(z[i])/Sum(exp(z[_j]), (_j, 1, n))
"""

from __future__ import annotations

from collections.abc import Callable

from sympy import Dummy, Expr, IndexedBase, Lambda, Sum, exp, log

from .kernel.vectors import Sparsemax, SparsemaxEntry, VectorMax, VectorMin, entry

__all__ = [
    "SUM_INDEX",
    "Sparsemax",
    "SparsemaxEntry",
    "VectorMax",
    "VectorMin",
    "entry",
    "log_sum_exp",
    "normaliser",
    "sigmoid",
    "softmax",
    "sparsemax",
    "sum_normalize",
    "vector_max",
    "vector_min",
    "vector_sum",
]

#: The summation index shared by every sum built here (``_j`` in text, ``j`` in LaTeX).
SUM_INDEX = Dummy("j", integer=True, positive=True)


#: A vector: an ``IndexedBase`` ``z`` (entries ``z[q]``) or a function of the index,
#: such as ``lambda q: t * a[q] + (1 - t) * b[q]`` for an elementwise combination.
Vector = IndexedBase | Callable[[Expr], Expr]


def normaliser(z: Vector, n: Expr) -> Expr:
    r"""The softmax normaliser :math:`\sum_{j=1}^{n} e^{z_j}`."""
    return Sum(exp(entry(z, SUM_INDEX)), (SUM_INDEX, 1, n))


def softmax(z: Vector, i: Expr, n: Expr) -> Expr:
    r"""Component ``i`` of softmax: :math:`s_i = e^{z_i} / \sum_{j=1}^{n} e^{z_j}`."""
    return exp(entry(z, i)) / normaliser(z, n)


def log_sum_exp(z: Vector, n: Expr) -> Expr:
    r"""Log-sum-exp :math:`\operatorname{lse}(z) = \log \sum_{j=1}^{n} e^{z_j}`."""
    return log(normaliser(z, n))


def vector_sum(z: Vector, n: Expr) -> Expr:
    r"""The plain sum :math:`\sum_{j=1}^{n} z_j` (the denominator of sum normalisation)."""
    return Sum(entry(z, SUM_INDEX), (SUM_INDEX, 1, n))


def sigmoid(x: Expr) -> Expr:
    r"""The logistic sigmoid :math:`\sigma(x) = 1 / (1 + e^{-x})`."""
    return 1 / (1 + exp(-x))


def sum_normalize(z: Vector, i: Expr, n: Expr) -> Expr:
    r"""Component ``i`` of sum normalisation :math:`z_i / \sum_{j=1}^{n} z_j`."""
    return entry(z, i) / vector_sum(z, n)


def _indexable(z: Vector):
    if isinstance(z, IndexedBase):
        return z
    q = Dummy("q", integer=True, positive=True)
    return Lambda(q, z(q))


def vector_max(z: Vector, n: Expr) -> Expr:
    r"""The largest component :math:`\max_j z_j` (see :class:`VectorMax`)."""
    return VectorMax(_indexable(z), n)


def vector_min(z: Vector, n: Expr) -> Expr:
    r"""The smallest component :math:`\min_j z_j` (see :class:`VectorMin`)."""
    return VectorMin(_indexable(z), n)


def sparsemax(z: Vector, i: Expr, n: Expr) -> Expr:
    r"""Component ``i`` of :math:`\operatorname{sparsemax}(z)` (see :class:`Sparsemax`)."""
    return Sparsemax(_indexable(z), n, i)
