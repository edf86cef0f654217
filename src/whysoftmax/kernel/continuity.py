"""Continuity facts the monotone and continuity rules rest on, checked by the form of an
expression: it is built only from functions continuous where they are defined, and the
kernel proves it defined at (or around) the points that matter.

Examples
--------
>>> from sympy import Abs, Symbol, exp, sign, Lambda
>>> from whysoftmax.kernel.claim import Signature
>>> c = Symbol("c", real=True)
>>> continuous_at(exp(c) / (1 + exp(c)), c, 0, Signature()) is None
True
>>> continuous_at(sign(c), c, 0, Signature())
'sign is not continuous'
>>> t = Symbol("t", positive=True)
>>> smooth_enough(1 / t, t, Signature()) is None
True
>>> differentiable(Abs(c), (c,), Signature())
'not shown differentiable everywhere: c ≠ 0'
"""

from __future__ import annotations

from sympy import (
    Abs,
    Add,
    Basic,
    Indexed,
    Max,
    Min,
    Mul,
    Pow,
    Product,
    Sum,
    Symbol,
    Tuple,
    atan,
    cos,
    cosh,
    erf,
    exp,
    log,
    sin,
    sinh,
    tanh,
)
from sympy.codegen.cfunctions import expm1, log1p

from .claim import Condition, Signature
from .domain import holds, side_conditions
from .sums import evaluated
from .vectors import VectorMax, VectorMin

#: Functions continuous wherever they are defined (their domains are read by domain.py).
CONTINUOUS = (Add, Mul, Pow, exp, log, sin, cos, sinh, cosh, tanh, atan, erf, Abs, Max, Min,
              Sum, Product, Indexed, Tuple, VectorMax, VectorMin, log1p, expm1)


def _discontinuity(expr, variable: Symbol) -> str | None:
    """The first function of ``expr`` that moves with ``variable`` and is not continuous."""
    if not isinstance(expr, Basic) or expr.is_Atom or not expr.has(variable):
        return None
    if not isinstance(expr, CONTINUOUS):
        return f"{type(expr).__name__} is not continuous"
    branch = expr.args[0] if isinstance(expr, log) else (
        expr.base if isinstance(expr, Pow) and not expr.exp.is_integer else None)
    if branch is not None and evaluated(branch).is_extended_real is not True:
        return f"{expr} may cross a branch cut"
    for arg in expr.args:
        problem = _discontinuity(arg, variable)
        if problem:
            return problem
    return None


def smooth_enough(body, variable: Symbol, signature: Signature) -> str | None:
    """None when ``body`` is continuous on the whole domain of ``variable`` (its
    assumptions): built from continuous functions and defined there; else why not."""
    problem = _discontinuity(body, variable)
    if problem:
        return problem
    for condition in side_conditions(body, signature.length):
        if not holds(condition, signature):
            return f"f is not shown defined on the whole interval ({condition})"
    return None


def continuous_at(expr, variable: Symbol, point, signature: Signature) -> str | None:
    """None when ``expr`` is continuous at ``variable = point``: built from continuous
    functions, and each of its side conditions holds strictly there (so also nearby)."""
    problem = _discontinuity(expr, variable)
    if problem:
        return problem
    for condition in side_conditions(expr, signature.length):
        if condition.expr is None:
            return str(condition)
        strict = ">" if condition.relation == "≥" else condition.relation
        there = Condition(evaluated(condition.expr).subs(variable, point), strict,
                          condition.bound)
        if not holds(there, signature):
            return f"not shown defined around the point ({there})"
    return None


def differentiable(expr, variables: tuple, signature: Signature) -> str | None:
    """None when ``expr`` is differentiable in each of ``variables`` (symbols, or vectors
    meaning each of their entries) on their whole domain; else why not.

    Built only from the functions the domain reader knows to be smooth where defined
    (a function it does not know, such as ``arg`` — whose SymPy derivative is 0 though it
    jumps by π — never is), with every kink condition (``|u|``: ``u ≠ 0``; ``max``: no tie)
    and every definedness condition proven from the assumptions.
    """
    lengths = signature.length
    for condition in side_conditions(evaluated(expr), lengths, smooth=tuple(variables)):
        if not holds(condition, signature):
            return f"not shown differentiable everywhere: {condition}"
    return None
