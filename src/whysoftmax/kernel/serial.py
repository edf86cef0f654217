"""Expressions as text, and back — through a whitelist, never ``eval``.

The problem: the kernel must judge what a derivation *says*, not live objects its file
could have patched or subclassed. Derivation files run in a separate process; their
expressions cross over as ``srepr`` text and are rebuilt here by walking the syntax
tree and calling only SymPy's own classes (and the kernel's vocabulary of general-n
objects). A class defined in a derivation file, a Python float, or any other name is
refused with a one-line :class:`SerialError`. The same text is the claim's identity
for certificates and the cache.

Examples
--------
>>> from sympy import Symbol, exp
>>> x = Symbol("x", real=True)
>>> text = dumps(exp(x) / x)
>>> loads(text) == exp(x) / x
True
>>> loads("Float('0.1', precision=53)")
Traceback (most recent call last):
...
whysoftmax.kernel.serial.SerialError: a floating-point number (Float) is not exact; use Rational
>>> loads("__import__('os')")
Traceback (most recent call last):
...
whysoftmax.kernel.serial.SerialError: unknown name '__import__' in an expression
"""

from __future__ import annotations

import ast
import inspect
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sympy
from sympy import Basic, Function, ImmutableMatrix, MatrixBase
from sympy.codegen.cfunctions import expm1, log1p
from sympy.core.function import AppliedUndef
from sympy.core.parameters import evaluate as evaluation
from sympy.printing.repr import ReprPrinter

from .vectors import VOCABULARY


class SerialError(ValueError):
    """Text that is not an expression the kernel accepts."""


class _Printer(ReprPrinter):
    """``srepr`` keeping the assumptions of undefined functions: ``Function('f', real=True)``."""

    def _print_FunctionClass(self, expr) -> str:
        if issubclass(expr, AppliedUndef):
            flags = "".join(f", {k}={v!r}" for k, v in sorted(expr._kwargs.items()))
            return f"Function({expr.__name__!r}{flags})"
        return expr.__name__


@contextmanager
def long_integers() -> Iterator[None]:
    """Exact numbers may have thousands of digits (0.1**1075 in binary64 is exact); lift
    Python's guard on converting such integers to and from text while we do."""
    previous = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(0)
    try:
        yield
    finally:
        sys.set_int_max_str_digits(previous)


def dumps(expr: Any) -> str:
    """The canonical text of an expression or matrix (``srepr``)."""
    if isinstance(expr, MatrixBase):
        expr = ImmutableMatrix(expr)
    with long_integers():
        return _Printer({"order": "none"}).doprint(expr)  # as written, not re-sorted


def _whitelist() -> dict[str, Any]:
    names: dict[str, Any] = {}
    for name, value in vars(sympy).items():
        if inspect.isclass(value) and issubclass(value, Basic):
            names[name] = value
    for name in ("MutableDenseMatrix", "ImmutableDenseMatrix", "Matrix"):
        names[name] = ImmutableMatrix
    names.update({"log1p": log1p, "expm1": expm1, "Function": Function,
                  "ExprCondPair": sympy.functions.elementary.piecewise.ExprCondPair,
                  "Tuple": sympy.Tuple, "Dummy": sympy.Dummy})
    names.update(VOCABULARY)
    for refused in ("Float", "Wild", "WildFunction"):
        names.pop(refused, None)
    return names


_NAMES = _whitelist()
#: The only constructors that take a string, and only as the object's name.
_NAMED = (sympy.Symbol, sympy.Dummy, Function)
_CONSTANTS = {"oo": sympy.oo, "zoo": sympy.zoo, "nan": sympy.nan, "E": sympy.E,
              "pi": sympy.pi, "I": sympy.I, "EulerGamma": sympy.EulerGamma,
              "true": sympy.true, "false": sympy.false, "GoldenRatio": sympy.GoldenRatio,
              "Catalan": sympy.Catalan}


def _build(node: ast.AST) -> Any:
    if isinstance(node, ast.Constant):
        if isinstance(node.value, float):
            raise SerialError("a floating-point number is not exact; use Rational")
        if node.value is None or isinstance(node.value, (bool, int, str)):
            return node.value
        raise SerialError(f"unexpected constant {node.value!r}")
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        value = _build(node.operand)
        if isinstance(value, bool) or not isinstance(value, (int, Basic)):
            raise SerialError("a minus sign before something that is not a number")
        return -value
    if isinstance(node, (ast.List, ast.Tuple)):
        items = [_build(e) for e in node.elts]
        return items if isinstance(node, ast.List) else tuple(items)
    if isinstance(node, ast.Name):
        if node.id in _CONSTANTS:
            return _CONSTANTS[node.id]
        raise SerialError(f"unknown name {node.id!r} in an expression")
    if isinstance(node, ast.Call):
        return _call(node)
    raise SerialError(f"unexpected syntax ({type(node).__name__}) in an expression")


def _call(node: ast.Call) -> Any:
    if isinstance(node.func, ast.Name):
        name = node.func.id
        if name == "Float":
            raise SerialError("a floating-point number (Float) is not exact; use Rational")
        if name not in _NAMES:
            raise SerialError(f"unknown name {name!r} in an expression")
        func = _NAMES[name]
    elif isinstance(node.func, ast.Call):
        func = _call(node.func)  # Function('f', real=True)(x)
        if not (inspect.isclass(func) and issubclass(func, AppliedUndef)):
            raise SerialError("only an undefined function may be applied to arguments")
    else:
        raise SerialError("unexpected syntax in a call")
    args = [_build(a) for a in node.args]
    kwargs = {}
    for keyword in node.keywords:
        if keyword.arg is None:
            raise SerialError("** arguments are not allowed")
        kwargs[keyword.arg] = _build(keyword.value)
        if not isinstance(kwargs[keyword.arg], (bool, int)):
            raise SerialError(f"keyword {keyword.arg}= must be a flag or an integer")
    # Text is a name and nothing else: several SymPy constructors (Poly, Integer, …) parse
    # a string with sympify, which evaluates Python. Only these take one, as a name.
    if any(isinstance(a, str) for a in args):
        if func not in _NAMED or len(args) != 1:
            raise SerialError(f"{getattr(func, '__name__', func)} may not take text")
    try:
        return func(*args, **kwargs)
    except SerialError:
        raise
    except Exception as error:  # noqa: BLE001 - malformed text, reported in one line
        raise SerialError(f"cannot build {getattr(func, '__name__', func)}: {error}") from None


def loads(text: str, *, evaluate: bool = True) -> Any:
    """Rebuild an expression from :func:`dumps` text, calling only whitelisted classes.

    With ``evaluate=False`` the tree is rebuilt exactly as written (``x/x`` stays a
    quotient), which is what the kernel reads side conditions from.
    """
    with long_integers():
        try:
            tree = ast.parse(text, mode="eval")
        except SyntaxError as error:
            raise SerialError(f"not an expression: {error.msg}") from None
        with evaluation(evaluate):
            return _build(tree.body)


def pack(value: Any) -> Any:
    """A rule parameter as JSON-able data: expressions as text, lists and maps of them."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return {"t": "plain", "v": value}
    if isinstance(value, int):
        return {"t": "int", "v": value}
    if isinstance(value, (list, tuple)):
        return {"t": "list", "v": [pack(v) for v in value]}
    if isinstance(value, dict):
        return {"t": "map", "v": [[pack(k), pack(v)] for k, v in value.items()]}
    if isinstance(value, (Basic, MatrixBase)):
        return {"t": "expr", "v": dumps(value)}
    raise SerialError(f"a rule parameter of type {type(value).__name__} cannot be stored")


def unpack(data: Any) -> Any:
    """The inverse of :func:`pack` (expressions read through the whitelist, unevaluated)."""
    kind, value = data["t"], data["v"]
    if kind == "plain":
        return value
    if kind == "int":
        return sympy.Integer(value)
    if kind == "list":
        return [unpack(v) for v in value]
    if kind == "map":
        return {unpack(k): unpack(v) for k, v in value}
    if kind == "expr":
        return loads(value, evaluate=False)
    raise SerialError(f"unknown parameter kind {kind!r}")
