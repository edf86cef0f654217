"""Short plain-text forms of expressions for statuses, notes and error lines.

``sstr`` writes ``Sum(z[_j], (_j, 1, n))``; a status line should say ``Σ_{j=1..n} z_j``.

Examples
--------
>>> from sympy import IndexedBase, Sum, Symbol, Dummy
>>> z = IndexedBase("z")
>>> j, n = Dummy("j"), Symbol("n")
>>> plain(Sum(z[j], (j, 1, n)) + 1)
'1 + Σ_{j=1..n} z_j'
"""

from __future__ import annotations

from sympy import Symbol
from sympy.printing.str import StrPrinter

_J = Symbol("j")


class _Plain(StrPrinter):
    printmethod = "_whysoftmax_plain"  # not Indexed._sympystr, which prints z[j]

    def _print_Dummy(self, expr) -> str:
        # the kernel's canonical bound variables j0, j1, … print as j, j', …
        if expr.name[:1] == "j" and expr.name[1:].isdigit():
            return "j" + "'" * int(expr.name[1:])
        return expr.name

    def _print_Indexed(self, expr) -> str:
        indices = ",".join(self._print(i) for i in expr.indices)
        shown = indices if len(indices) == 1 else "{" + indices + "}"
        return f"{self._print(expr.base.label)}_{shown}"

    def _print_Sum(self, expr) -> str:
        text = self._print(expr.function)
        for var, low, high in expr.limits:
            text = f"Σ_{{{self._print(var)}={self._print(low)}..{self._print(high)}}} {text}"
        return text

    def _print_VectorMax(self, expr) -> str:
        return f"{expr.latex_name[1:]}_j {self._print(expr.entry(_J))}"

    _print_VectorMin = _print_VectorMax

    def _print_Derivative(self, expr) -> str:
        over = "".join(f"∂{self._print(v)}" + (f"^{n}" if n != 1 else "")
                       for v, n in expr.variable_count)
        return f"∂({self._print(expr.expr)})/{over}"


def plain(expr) -> str:
    """A short one-line text form of ``expr``."""
    return _Plain({"order": "none"}).doprint(expr)
