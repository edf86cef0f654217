"""Checks a step's fields when it is made, so that a malformed derivation fails at once
with one line naming the step — never later, deep inside the checker.

Examples
--------
>>> from sympy import Float, Symbol
>>> as_side(2, "step 'a'")
2
>>> as_side(0.5, "step 'a'")
Traceback (most recent call last):
...
whysoftmax.validation.DerivationError: step 'a': a side is the Python float 0.5; use sympy.Rational
>>> check_floats(Symbol("x") + Float("1e-30") * Symbol("x"), "step 'b'")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
whysoftmax.validation.DerivationError: step 'b': contains the floating-point number ...
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sympy import (
    Basic,
    Derivative,
    Float,
    ImmutableMatrix,
    Indexed,
    IndexedBase,
    Integer,
    Lambda,
    MatrixBase,
    Rational,
    Sum,
    Symbol,
    sympify,
)
from sympy.core.function import AppliedUndef
from sympy.core.relational import Relational

from .kernel import Claim, Relation


class DerivationError(ValueError):
    """A derivation is malformed (a bad step, an undeclared symbol, a duplicate name)."""


def as_side(side, where: str):
    """A side as a SymPy expression or immutable matrix; refuses floats, lists, relations."""
    if side is None:
        return None
    if isinstance(side, bool):
        raise DerivationError(f"{where}: a side is the Python bool {side!r}")
    if isinstance(side, MatrixBase):
        return ImmutableMatrix(side)
    if isinstance(side, Basic):
        if isinstance(side, Relational):
            raise DerivationError(f"{where}: a side is a relation ({side}); state lhs and rhs")
        return side
    if isinstance(side, float):
        raise DerivationError(
            f"{where}: a side is the Python float {side!r}; use sympy.Rational")
    if isinstance(side, int):
        return Integer(side)
    if isinstance(side, (list, tuple)):
        raise DerivationError(f"{where}: a side is a Python {type(side).__name__}; use Matrix")
    raise DerivationError(f"{where}: a side is a {type(side).__name__}, not a SymPy expression")


def check_floats(expr, where: str) -> None:
    """Refuse a ``Float`` anywhere inside ``expr`` (``x + 1e-30*x`` is already rounded)."""
    items = list(expr) if isinstance(expr, MatrixBase) else [expr]
    for item in items:
        floats = item.atoms(Float) if isinstance(item, Basic) else set()
        if floats:
            raise DerivationError(
                f"{where}: contains the floating-point number {min(floats, key=str)}; "
                "floats are not exact (use Rational)")


def check_derivatives(expr, where: str) -> None:
    """Refuse d/dz[j] where j is also a summation index (SymPy answers wrongly there)."""
    items = list(expr) if isinstance(expr, MatrixBase) else [expr]
    for item in items:
        for der in item.atoms(Derivative):
            for var, _ in der.variable_count:
                if not isinstance(var, Indexed):
                    continue
                bound = {lim[0] for s in der.expr.atoms(Sum) for lim in s.limits}
                clash = set(var.indices) & bound
                if clash:
                    raise DerivationError(
                        f"{where}: differentiates by {var} but {clash.pop()} is also a "
                        "summation index (use a different free index)")


def check_declared(expr, declared: set, vectors: Mapping, where: str) -> None:
    """Every vector and free symbol of ``expr`` is declared."""
    items = list(expr) if isinstance(expr, MatrixBase) else [expr]
    for item in items:
        for base in item.atoms(IndexedBase):
            if base not in vectors:
                raise DerivationError(f"{where}: vector {base} is not declared in this derivation")
        labels = {b.label for b in vectors}
        undeclared = {s for s in item.free_symbols
                      if isinstance(s, Symbol) and s not in declared and s not in labels}
        if undeclared:
            names = ", ".join(sorted(map(str, undeclared)))
            raise DerivationError(f"{where}: uses undeclared symbol(s) {names}")


def same_shape(lhs, rhs, where: str) -> None:
    def describe(side) -> str:
        return f"a {side.rows}×{side.cols} matrix" if isinstance(side, MatrixBase) else "a scalar"

    if isinstance(lhs, MatrixBase) != isinstance(rhs, MatrixBase) or (
            isinstance(lhs, MatrixBase) and lhs.shape != rhs.shape):
        raise DerivationError(f"{where}: compares {describe(lhs)} with {describe(rhs)}")


def witness_value(value, where: str):
    """A witness value as an exact number (a list becomes a tuple of them)."""
    if isinstance(value, (list, tuple)):
        return tuple(witness_value(v, where) for v in value)
    if isinstance(value, bool):
        raise DerivationError(f"{where}: a witness value is the bool {value!r}")
    if isinstance(value, float):
        return Rational(repr(value))  # the decimal the author wrote: 1/1000 for 0.001
    try:
        exact = sympify(value, strict=True)
    except Exception:  # noqa: BLE001 - one line instead of SymPy's message
        raise DerivationError(f"{where}: witness value {value!r} is not a number") from None
    check_floats(exact, where)
    return exact


def text_field(value, name: str, where: str) -> str:
    if not isinstance(value, str):
        raise DerivationError(f"{where}: {name} must be a string, not {value!r}")
    return value


def step_name(name) -> str:
    if not isinstance(name, str) or not name.strip():
        raise DerivationError(f"a step name must be a non-empty string, not {name!r}")
    return name


def cell_field(cell, where: str) -> tuple[str, str] | None:
    if cell is None:
        return None
    if not (isinstance(cell, tuple) and len(cell) == 2 and all(isinstance(c, str) for c in cell)):
        raise DerivationError(f"{where}: cell= must be a (row, column) pair of strings")
    return cell


def n_max_field(n_max, where: str) -> int | None:
    if n_max is None:
        return None
    if isinstance(n_max, bool) or not isinstance(n_max, int) or n_max < 1:
        raise DerivationError(f"{where}: n_max= must be a positive int")
    return n_max


def map_field(mapping, name: str, where: str) -> tuple[tuple[Any, Any], ...]:
    """``substitute=``/``inverse=``: symbols or vector entries to exact expressions."""
    if mapping is None:
        return ()
    if not isinstance(mapping, Mapping):
        raise DerivationError(f"{where}: {name}= must be a dict")
    out = []
    for key, value in mapping.items():
        if not isinstance(key, (Symbol, Indexed)):
            raise DerivationError(f"{where}: {name}= keys must be symbols or vector entries")
        side = as_side(value, where)
        check_floats(side, where)
        out.append((key, side))
    return tuple(out)


def check_functions(expr, functions, where: str) -> None:
    """Every applied undefined function of ``expr`` is declared with ``d.function``."""
    items = list(expr) if isinstance(expr, MatrixBase) else [expr]
    for item in items:
        for applied in item.atoms(AppliedUndef):
            if applied.func not in functions:
                raise DerivationError(f"{where}: function {applied.func} is not declared "
                                      "(use d.function)")


def validated_claim(claim, where: str, declared: set, vectors: Mapping, functions: Mapping):
    """The claim with its sides checked: SymPy values of one shape, no floats, every symbol,
    vector and function declared, no derivative by a summation index."""
    lhs, rhs = as_side(claim.lhs, where), as_side(claim.rhs, where)
    if claim.relation is not Relation.REFUTES or claim.refuted != "defined":
        if rhs is None:
            raise DerivationError(f"{where}: the claim has no right side")
        same_shape(lhs, rhs, where)
    if isinstance(lhs, MatrixBase) and claim.relation not in (Relation.EQ, Relation.REFUTES):
        raise DerivationError(f"{where}: only equalities may compare matrices")
    for side in (lhs, rhs, claim.point):
        if side is None:
            continue
        check_floats(side, where)
        check_declared(side, declared, vectors, where)
        check_functions(side, functions, where)
        check_derivatives(side, where)
    for key, _ in claim.witness:
        if not (key in declared or key in vectors):
            raise DerivationError(f"{where}: the witness fixes {key}, which is not declared")
    return Claim(claim.relation, lhs, rhs, claim.variable, claim.point, claim.direction,
                 claim.refuted, claim.witness)


def check_parameter(value, where: str) -> None:
    """A rule parameter: SymPy values (or lists/maps of them), never floats."""
    values = list(value.values()) + list(value) if isinstance(value, Mapping) else (
        list(value) if isinstance(value, (list, tuple)) else [value])
    for item in values:
        if isinstance(item, float):
            raise DerivationError(f"{where}: a rule parameter is the float {item!r}")
        if isinstance(item, Basic):
            check_floats(item, where)


def example_map(example, where: str, vectors: Mapping, functions: Mapping):
    """A hypothesis example: declared symbols, vectors and functions to exact values."""
    if not isinstance(example, Mapping) or not example:
        raise DerivationError(f"{where}: must be a non-empty dict")
    out = []
    for key, value in example.items():
        known = isinstance(key, Symbol) or key in vectors or key in functions
        if not known:
            raise DerivationError(f"{where}: {key} is not a declared symbol, vector or function")
        if (key in vectors or key in functions) and not isinstance(value, Lambda):
            raise DerivationError(f"{where}: {key} must map to a Lambda")
        side = value if isinstance(value, Lambda) else as_side(value, where)
        check_floats(side, where)
        out.append((key, side))
    return tuple(out)
