r"""SymPy expressions in the book's notation: the written term order, and names for what
the derivations spell out.

The problem: ``sympy.latex`` prints ``{z}_{i}`` for ``z[i]``, expands softmax into
``e^{z_i}/Σ_j e^{z_j}``, reorders terms and writes ``f′(0)`` as
``d/dt f(t)|_{t=0}``. :class:`ReportPrinter` prints in the written order, with readable
indices, deltas, primes and huge rationals; :func:`display_names` replaces softmax
entries, log-sum-exp and extrema by ``s_i``, ``\operatorname{lse}(z)``, ``\max z``.

Examples
--------
>>> from sympy import Function, Subs, Derivative, Symbol
>>> f, t = Function("f"), Symbol("t")
>>> math(Subs(Derivative(f(t), t), t, 0) / f(0))
"\\frac{f'(0)}{f{\\left(0 \\right)}}"
"""

from __future__ import annotations

import mpmath
from sympy import (
    Derivative,
    Dummy,
    Indexed,
    IndexedBase,
    MatrixBase,
    Mul,
    Pow,
    Sum,
    Symbol,
    exp,
    log,
)
from sympy.core.function import AppliedUndef
from sympy.printing.latex import LatexPrinter

from ..kernel.vectors import VectorMax, VectorMin

# -- display names --------------------------------------------------------------------------


def _summed_exp(expr) -> tuple | None:
    """``(f, j, n)`` when ``expr`` is ``Σ_{j=1}^{n} e^{f(j)}``."""
    if isinstance(expr, Sum) and len(expr.limits) == 1 and isinstance(expr.function, exp):
        j, low, high = expr.limits[0]
        if low == 1:
            return expr.function.args[0], j, high
    return None


def _vector_name(f, j) -> str | None:
    """How the vector ``(f(1), …, f(n))`` is named: ``z`` for ``f(j) = z_j``, ``cz`` for
    ``c z_j``; None when ``f`` is not a vector's entry transformed."""
    entries = [a for a in f.atoms(Indexed) if a.indices == (j,)]
    if len(entries) != 1 or any(j in a.free_symbols for a in f.atoms(Indexed)
                                if a not in entries):
        return None
    (entry,) = entries
    name = Symbol(str(entry.base.label))
    named = f.xreplace({entry: name})
    return None if named.has(j) else _PLAIN.doprint(named)


def display_names(expr):
    """``expr`` with softmax entries, log-sum-exp and extrema replaced by symbols that
    print as the book's notation: ``s_i`` for ``softmax(z)_i``, ``softmax(cz)_i`` for
    another vector, ``\\operatorname{lse}(z)``, ``\\max z``."""
    if not hasattr(expr, "replace"):
        return expr

    def named(e):
        if isinstance(e, log):
            found = _summed_exp(e.args[0])
            if found is not None:
                f, j, _ = found
                vector = _vector_name(f, j)
                if vector is not None:
                    return Symbol(rf"\operatorname{{lse}}({vector})")
        if isinstance(e, Mul):
            tops = [a for a in e.args if isinstance(a, exp)]
            bottoms = [a for a in e.args if isinstance(a, Pow) and a.exp == -1
                       and _summed_exp(a.base) is not None]
            numbers = [a for a in e.args if a.is_number]
            if len(tops) == 1 and len(bottoms) == 1 and len(e.args) == 3 and numbers:
                rest = [a for a in e.args if not a.is_number]
                return Mul(*numbers, named(Mul(*rest, evaluate=False)) or Mul(
                    *rest, evaluate=False), evaluate=False)
            if len(tops) == 1 and len(bottoms) == 1 and len(e.args) == 2:
                f, j, _ = _summed_exp(bottoms[0].base)
                index = [q for q in tops[0].args[0].free_symbols
                         if f.xreplace({j: q}) == tops[0].args[0]]
                vector = _vector_name(f, j)
                if vector is not None and len(index) == 1:
                    i = _PLAIN.doprint(index[0])
                    return Symbol(f"s_{{{i}}}" if vector == "z" else
                                  rf"\operatorname{{softmax}}({vector})_{{{i}}}")
        if isinstance(e, (VectorMax, VectorMin)) and isinstance(e.args[0], IndexedBase):
            word = r"\min" if isinstance(e, VectorMin) else r"\max"  # VectorMin ⊂ VectorMax
            return Symbol(f"{word} {_PLAIN.doprint(e.args[0].label)}")
        return None

    def walk(e):
        if not hasattr(e, "args") or not e.args or isinstance(e, (Dummy, Symbol)):
            return e
        replacement = named(e)
        if replacement is not None:
            return replacement
        return e.func(*[walk(a) for a in e.args], evaluate=False) \
            if _takes_evaluate(e) else e.func(*[walk(a) for a in e.args])

    return walk(_without_ones(expr))


def _without_ones(e):
    """``e`` without the factors 1 of unevaluated products (``1·(1·e^{z_j})``)."""
    if not hasattr(e, "args") or not e.args or isinstance(e, (Dummy, Symbol)):
        return e
    if isinstance(e, Mul) and any(a == 1 for a in e.args):
        rest = [a for a in e.args if a != 1]
        return _without_ones(rest[0] if len(rest) == 1 else Mul(*rest, evaluate=False))
    args = [_without_ones(a) for a in e.args]
    return e.func(*args, evaluate=False) if _takes_evaluate(e) else e.func(*args)


def _takes_evaluate(e) -> bool:
    from sympy import Add
    return isinstance(e, (Add, Mul, Pow))


# -- the printer ---------------------------------------------------------------------------

class ReportPrinter(LatexPrinter):
    """SymPy's LaTeX printer in the written term order, with readable indices, deltas and
    huge rationals."""

    def __init__(self, **settings):
        super().__init__({"order": "none", **settings})

    def _print_Indexed(self, expr: Indexed) -> str:
        base = self._print(expr.base.label)
        indices = ",".join(self._print(i) for i in expr.indices)
        return f"{base}_{{{indices}}}"

    def _print_Symbol(self, expr, style="plain") -> str:
        if "\\" in expr.name or "_{" in expr.name:  # a display name, already LaTeX
            return expr.name
        return super()._print_Symbol(expr, style)

    def _print_KroneckerDelta(self, expr, exp=None) -> str:
        i, j = (self._print(a) for a in expr.args)
        sep = "" if len(i) == 1 and len(j) == 1 else ","
        tex = rf"\delta_{{{i}{sep}{j}}}"
        return tex if exp is None else rf"\left({tex}\right)^{{{exp}}}"

    def _print_Rational(self, expr) -> str:
        # Exact rationals with hundreds of digits (0.1**324) are shown to 17 significant
        # digits, marked ≈; the step itself was decided on the exact number.
        if max(abs(expr.p).bit_length(), expr.q.bit_length()) <= 50:  # ≤ 15 digits
            return super()._print_Rational(expr)
        with mpmath.workdps(20):
            mantissa, _, exponent = mpmath.nstr(mpmath.mpf(expr.p) / expr.q, 10,
                                                min_fixed=-4, max_fixed=6).partition("e")
        return mantissa if not exponent else rf"{mantissa} \cdot 10^{{{int(exponent)}}}"

    def _print_Derivative(self, expr) -> str:
        at = _prime_argument(expr)
        if at is not None:
            return self._prime(expr.expr.func, at)
        tex, inner = super()._print_Derivative(expr), self._print(expr.expr)
        if isinstance(expr.expr, Mul) and tex.endswith(" " + inner):  # d/dx (f g), not d/dx f g
            tex = tex[: -len(inner)] + rf"\left({inner}\right)"
        return tex

    def _print_Subs(self, subs) -> str:
        derivative = subs.expr
        if (isinstance(derivative, Derivative) and _prime_argument(derivative) is not None
                and subs.variables == derivative.expr.args):
            return self._prime(derivative.expr.func, subs.point[0])
        return super()._print_Subs(subs)

    def _prime(self, f, at) -> str:
        """f′(at) for a function of one variable."""
        return rf"{self._print(f)}'({self._print(at)})"

    def _print_log1p(self, expr, exp=None) -> str:
        tex = rf"\operatorname{{log1p}}\left({self._print(expr.args[0])}\right)"
        return tex if exp is None else rf"{tex}^{{{exp}}}"


def _prime_argument(derivative: Derivative):
    """``x`` when ``derivative`` is f′(x), the first derivative of a function of one
    variable ``f(x)`` that the derivation left undefined; else None."""
    f = derivative.expr
    if (isinstance(f, AppliedUndef) and len(f.args) == 1 and f.args[0].is_Symbol
            and derivative.variable_count == ((f.args[0], 1),)):
        return f.args[0]
    return None


_PRINTER = ReportPrinter()
_PLAIN = ReportPrinter()


def written(expr) -> str:
    """LaTeX for ``expr`` as written, without the book's names."""
    return _PRINTER.doprint(_without_ones(expr))


def math(expr) -> str:
    """LaTeX for a SymPy expression or matrix (without the surrounding ``$``), in the
    book's notation."""
    if isinstance(expr, MatrixBase):
        rows = [" & ".join(math(e) for e in expr.row(r)) for r in range(expr.rows)]
        return r"\begin{pmatrix}" + r" \\ ".join(rows) + r"\end{pmatrix}"
    return _PRINTER.doprint(display_names(expr))


__all__ = ["ReportPrinter", "display_names", "math", "written"]
