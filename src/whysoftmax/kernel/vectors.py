"""The kernel's vocabulary beyond SymPy: objects that stand for vectors of general length.

SymPy's ``Max`` takes a fixed list of arguments; a claim about softmax for every ``n``
needs the maximum of ``z_1 … z_n`` with ``n`` a symbol. These classes are part of the
trusted base: their definitions (what ``doit`` returns once ``n`` is a number, the signs
they report) are what the kernel relies on.

Examples
--------
>>> from sympy import IndexedBase, Symbol
>>> z = IndexedBase("z", real=True)
>>> VectorMax(z, 3).doit()
Max(z[1], z[2], z[3])
>>> VectorMin(z, 2).doit()
Min(z[1], z[2])
>>> c = Symbol("c", positive=True)
>>> q = Symbol("q", integer=True, positive=True)
>>> from sympy import Lambda
>>> VectorMax(Lambda(q, c * z[q] + 1), Symbol("n"))
c*VectorMax(z, n) + 1
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
    Symbol,
)

from ..mp import sparsemax_of_numbers

#: A generic entry index (the sign of a vector's entries is read at it).
_GENERIC = Dummy("q", integer=True, positive=True)


def entry(z: IndexedBase | Lambda | Callable[[Expr], Expr], q: Expr) -> Expr:
    """Entry ``q`` of the vector ``z`` (an IndexedBase, a Lambda or a function)."""
    return z[q] if isinstance(z, IndexedBase) else z(q)


def _a_vector(base) -> bool:
    """A vector whose entries can be written out: a named IndexedBase or a Lambda (not what
    is left after SymPy's ``is_constant`` substituted a number for the label)."""
    return isinstance(base, Lambda) or (
        isinstance(base, IndexedBase) and isinstance(base.label, Symbol))


class VectorMax(Function):
    r"""The largest entry :math:`\max_{1 \le j \le n} z_j` of a vector of length ``n``.

    The vector is an ``IndexedBase`` or an elementwise ``Lambda``. On construction (with
    evaluation on) two facts of the maximum are applied: ``max_j (z_j + c) = max_j z_j
    + c`` and ``max_j (c z_j) = c max_j z_j`` for ``c > 0``. Once ``n`` is a number,
    ``doit`` gives ``Max(z[1], …, z[n])``. Its sign is that of the entries (all
    positive ⇒ positive, …). :class:`VectorMin` is the same for the minimum.
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
        # expanded only for a real vector (SymPy's is_constant substitutes numbers for
        # every symbol, the vector's label included)
        if isinstance(self.args[1], Integer) and _a_vector(self.args[0]):
            return self.entries_extremum(evaluate=True)
        return self

    def _generic(self):
        if isinstance(self.args[0], (IndexedBase, Lambda)):
            return self.entry(_GENERIC)
        return None  # simplify may rebuild this with a rewritten first argument

    def _eval_is_real(self):
        e = self._generic()
        return e.is_real if e is not None else None

    def _eval_is_positive(self):
        e = self._generic()
        return True if e is not None and e.is_positive else None

    def _eval_is_nonnegative(self):
        e = self._generic()
        return True if e is not None and e.is_nonnegative else None

    def _eval_is_negative(self):
        e = self._generic()
        return True if e is not None and e.is_negative else None

    def _latex(self, printer):
        return rf"{self.latex_name}_{{j}} {printer._print(self.entry(Symbol('j')))}"


class VectorMin(VectorMax):
    r"""The smallest entry :math:`\min_{1 \le j \le n} z_j` (see :class:`VectorMax`)."""

    extremum = Min
    of_numbers = min
    latex_name = r"\min"


class SparsemaxEntry(Function):
    """Entry ``i`` of sparsemax of the explicit numbers or symbols ``entries``.

    Evaluates whenever the algorithm's comparisons are decidable: always for numbers
    (exactly, for rationals), and for symbols whose assumptions order them (for example
    ``q₂ + 1 + u`` and ``q₂`` with ``u ≥ 0``); otherwise it stays unevaluated and the
    numeric check computes it through ``_imp_``. The algorithm is
    :func:`whysoftmax.mp.sparsemax_of_numbers` (Martins & Astudillo 2016, Alg. 1), the
    same code that computes the mpmath reference.
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

    def _latex(self, printer):
        i, *entries = self.args
        shown = ", ".join(printer._print(e) for e in entries)
        return rf"\operatorname{{sparsemax}}({shown})_{{{printer._print(i)}}}"


class Sparsemax(Function):
    r"""Component ``i`` of sparsemax of a vector of general length ``n``.

    :math:`\operatorname{sparsemax}(z) = \arg\min_{p \in \Delta} \lVert p - z \rVert^2`
    (Martins & Astudillo 2016): the Euclidean projection onto the simplex. Once ``n`` and
    ``i`` are numbers it becomes a :class:`SparsemaxEntry` of the explicit entries.
    """

    nargs = 3

    def doit(self, **hints):
        z, n, i = self.args
        if isinstance(n, Integer) and isinstance(i, Integer) and _a_vector(z):
            return SparsemaxEntry(i, *[entry(z, q) for q in range(1, int(n) + 1)])
        return self

    def _latex(self, printer):
        z, _, i = self.args
        shown = printer._print(z if isinstance(z, IndexedBase) else z.expr)
        return rf"\operatorname{{sparsemax}}({shown})_{{{printer._print(i)}}}"


#: The classes the kernel's reader accepts besides SymPy's own.
VOCABULARY = {cls.__name__: cls for cls in (VectorMax, VectorMin, Sparsemax, SparsemaxEntry)}
