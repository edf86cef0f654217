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

from sympy import (
    Add,
    Dummy,
    Expr,
    Function,
    Indexed,
    IndexedBase,
    Integer,
    Lambda,
    Max,
    Min,
    Mul,
    Sum,
    Symbol,
    exp,
    log,
)

from .mp import sparsemax_of_numbers

#: The summation index shared by every sum built here (``_j`` in text, ``j`` in LaTeX).
SUM_INDEX = Dummy("j", integer=True, positive=True)


#: A vector: an ``IndexedBase`` ``z`` (entries ``z[q]``) or a function of the index,
#: such as ``lambda q: t * a[q] + (1 - t) * b[q]`` for an elementwise combination.
Vector = IndexedBase | Callable[[Expr], Expr]


def entry(z: Vector | Lambda, q: Expr) -> Expr:
    """Entry ``q`` of the vector ``z`` (an IndexedBase, a Lambda or a function)."""
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
    The vector is an ``IndexedBase`` or an elementwise ``Lambda``. Two elementary facts
    that SymPy's ``Max`` does not apply are applied on construction:
    ``max_j (z_j + c) = max_j z_j + c`` and ``max_j (c z_j) = c max_j z_j`` for ``c > 0``.
    :class:`VectorMin` is the same for the minimum.

    Examples
    --------
    >>> from sympy import IndexedBase, Symbol
    >>> z = IndexedBase("z", real=True)
    >>> VectorMax(z, 3).doit()
    Max(z[1], z[2], z[3])
    >>> VectorMin(z, 2).doit()
    Min(z[1], z[2])
    >>> c = Symbol("c", positive=True)
    >>> vector_max(lambda q: c * z[q] + 1, Symbol("n"))
    c*VectorMax(z, n) + 1
    """

    nargs = 2
    extremum = Max
    #: The Python builtin that computes it from numbers (the numeric check uses it).
    of_numbers = max
    latex_name = r"\max"

    @classmethod
    def eval(cls, base, n):
        if not isinstance(base, Lambda):
            return None
        (q,) = base.variables
        body = base.expr
        shift = Add(*[t for t in Add.make_args(body) if not t.has(q)])
        if shift != 0:
            return cls(Lambda(q, body - shift), n) + shift
        scale = Mul(*[f for f in Mul.make_args(body) if not f.has(q) and f.is_positive])
        if scale != 1:
            return scale * cls(Lambda(q, body / scale), n)
        if isinstance(body, Indexed) and body.indices == (q,):
            return cls(body.base, n)
        return None

    def entry(self, q: Expr) -> Expr:
        """Entry ``q`` of the vector."""
        return entry(self.args[0], q)

    def entries_extremum(self, evaluate: bool = False) -> Expr:
        """``Max(z[1], …, z[n])`` for a numeric ``n`` (unevaluated unless asked)."""
        n = int(self.args[1])
        return self.extremum(*[self.entry(q) for q in range(1, n + 1)], evaluate=evaluate)

    def doit(self, **hints):
        if isinstance(self.args[1], Integer):
            return self.entries_extremum(evaluate=True)
        return self

    def _eval_is_real(self):
        # SymPy's simplify may rebuild this with a rewritten first argument: then unknown.
        if isinstance(self.args[0], (IndexedBase, Lambda)):
            return self.entry(SUM_INDEX).is_real
        return None

    def _latex(self, printer):
        return rf"{self.latex_name}_{{j}} {printer._print(self.entry(Symbol('j')))}"


class VectorMin(VectorMax):
    r"""The smallest component :math:`\min_{1 \le j \le n} z_j` (see :class:`VectorMax`)."""

    extremum = Min
    of_numbers = min
    latex_name = r"\min"


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


class SparsemaxEntry(Function):
    """Entry ``i`` of sparsemax of the explicit numbers or symbols ``entries``.

    Evaluates whenever the algorithm's comparisons are decidable: always for numbers
    (exactly, for rationals), and for symbols whose assumptions order them (for example
    ``q₂ + 1 + u`` and ``q₂`` with ``u ≥ 0``); otherwise it stays unevaluated and the
    numeric check computes it through ``_imp_``.
    """

    @classmethod
    def eval(cls, i, *entries):
        if not (i.is_Integer and entries):
            return None
        try:
            return sparsemax_of_numbers(list(entries))[int(i) - 1]
        except TypeError:  # a comparison SymPy cannot decide
            return None

    @staticmethod
    def _imp_(i, *entries):
        return sparsemax_of_numbers(list(entries))[int(i) - 1]


class Sparsemax(Function):
    r"""Component ``i`` of sparsemax of a vector of general length ``n``.

    :math:`\operatorname{sparsemax}(z) = \arg\min_{p \in \Delta} \lVert p - z \rVert^2`
    (Martins & Astudillo 2016): the Euclidean projection onto the simplex. Once ``n`` and
    ``i`` are numbers it becomes a :class:`SparsemaxEntry` of the explicit entries.
    """

    nargs = 3

    def doit(self, **hints):
        z, n, i = self.args
        if isinstance(n, Integer) and isinstance(i, Integer):
            return SparsemaxEntry(i, *[entry(z, q) for q in range(1, int(n) + 1)])
        return self

    def _latex(self, printer):
        z, _, i = self.args
        shown = printer._print(z if isinstance(z, IndexedBase) else z.expr)
        return rf"\operatorname{{sparsemax}}({shown})_{{{printer._print(i)}}}"


def sparsemax(z: Vector, i: Expr, n: Expr) -> Expr:
    r"""Component ``i`` of :math:`\operatorname{sparsemax}(z)` (see :class:`Sparsemax`)."""
    return Sparsemax(_indexable(z), n, i)
