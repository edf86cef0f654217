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

from sympy import Dummy, Expr, Function, IndexedBase, Integer, Max, Min, Sum, exp, log

#: The summation index shared by every sum built here (``_j`` in text, ``j`` in LaTeX).
SUM_INDEX = Dummy("j", integer=True, positive=True)


#: A vector: an ``IndexedBase`` ``z`` (entries ``z[q]``) or a function of the index,
#: such as ``lambda q: t * a[q] + (1 - t) * b[q]`` for an elementwise combination.
Vector = IndexedBase | Callable[[Expr], Expr]


def entry(z: Vector, q: Expr) -> Expr:
    """Entry ``q`` of the vector ``z``."""
    return z[q] if isinstance(z, IndexedBase) else z(q)


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


class VectorMax(Function):
    r"""The largest component :math:`\max_{1 \le j \le n} z_j` of a vector of length ``n``.

    SymPy's ``Max`` takes a fixed list of arguments; this stands for the maximum of a
    vector of general length and becomes ``Max(z[1], …, z[n])`` once ``n`` is a number.
    :class:`VectorMin` is the same for the minimum.

    Examples
    --------
    >>> from sympy import IndexedBase
    >>> z = IndexedBase("z", real=True)
    >>> VectorMax(z, 3).doit()
    Max(z[1], z[2], z[3])
    >>> VectorMin(z, 2).doit()
    Min(z[1], z[2])
    """

    nargs = 2
    extremum = Max
    #: The Python builtin that computes it from numbers (the numeric check uses it).
    of_numbers = max
    latex_name = r"\max"

    def entries_extremum(self, evaluate: bool = False) -> Expr:
        """``Max(z[1], …, z[n])`` for a numeric ``n`` (unevaluated unless asked)."""
        z, n = self.args
        return self.extremum(*[z[q] for q in range(1, int(n) + 1)], evaluate=evaluate)

    def doit(self, **hints):
        if isinstance(self.args[1], Integer):
            return self.entries_extremum(evaluate=True)
        return self

    def _eval_is_real(self):
        return self.args[0][SUM_INDEX].is_real

    def _latex(self, printer):
        z = printer._print(self.args[0])
        return rf"{self.latex_name}_{{j}} {z}_{{j}}"


class VectorMin(VectorMax):
    r"""The smallest component :math:`\min_{1 \le j \le n} z_j` (see :class:`VectorMax`)."""

    extremum = Min
    of_numbers = min
    latex_name = r"\min"


def vector_max(z: IndexedBase, n: Expr) -> Expr:
    r"""The largest component :math:`\max_j z_j` (see :class:`VectorMax`)."""
    return VectorMax(z, n)


def vector_min(z: IndexedBase, n: Expr) -> Expr:
    r"""The smallest component :math:`\min_j z_j` (see :class:`VectorMin`)."""
    return VectorMin(z, n)
