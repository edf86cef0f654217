"""Which concrete functions and values the numeric check tries a claim on.

A claim about a declared function ``f`` holds for every such function: the check tries it
on the function's declared examples. A claim resting on hypotheses holds only where they
do: the check tries it on the hypotheses' examples (substitutions under which they hold),
merged by position. A claim resting on a hypothesis with no example cannot be sampled —
the evidence says so rather than pretending.

Examples
--------
>>> from sympy import Function, IndexedBase, Lambda, Symbol, exp
>>> f, t, x = Function("f"), Symbol("t"), Symbol("x")
>>> substituted(f(x + 1) * f(x), ((f, Lambda(t, exp(2 * t))),))
exp(2*x)*exp(2*x + 2)
>>> z, q = IndexedBase("z"), Symbol("q")
>>> substituted(z[1] + z[2], ((z, Lambda(q, q**2)),))
5
"""

from __future__ import annotations

from itertools import zip_longest

from sympy import Basic, Indexed, IndexedBase, MatrixBase
from sympy.core.function import AppliedUndef, UndefinedFunction

from ..derivation import Derivation
from ..kernel import Claim


def substituted(expr, mapping):
    """``expr`` with symbols, vectors (entry by entry) and functions replaced."""
    if expr is None:
        return None
    if isinstance(expr, MatrixBase):
        return expr.applyfunc(lambda e: substituted(e, mapping))
    for key, value in mapping:
        if isinstance(key, IndexedBase):
            expr = expr.replace(lambda e, key=key: isinstance(e, Indexed) and e.base == key,
                                lambda e, value=value: value(*e.indices))
        elif isinstance(key, UndefinedFunction):
            expr = expr.replace(lambda e, key=key: isinstance(e, AppliedUndef) and e.func == key,
                                lambda e, value=value: value(*e.args))
        else:
            expr = expr.xreplace({key: value})
    return expr


def substituted_claim(claim: Claim, mapping) -> Claim:
    return Claim(claim.relation, substituted(claim.lhs, mapping),
                 substituted(claim.rhs, mapping), claim.variable,
                 substituted(claim.point, mapping), claim.direction)


def _functions(expr) -> set:
    items = list(expr) if isinstance(expr, MatrixBase) else [expr]
    return {a.func for e in items if isinstance(e, Basic) for a in e.atoms(AppliedUndef)}


def substitutions(derivation: Derivation, step, assuming: tuple[str, ...]) -> list | None:
    """The substitutions to sample ``step`` under; None when it cannot be sampled."""
    hypotheses = [derivation.step(name) for name in assuming]
    if hypotheses and not any(h.examples for h in hypotheses):
        return None
    merged = [tuple(pair for example in row if example for pair in example)
              for row in zip_longest(*[h.examples for h in hypotheses])] or [()]
    needed = set()
    for side in step.claim.sides():
        needed |= _functions(side)
    out = []
    for number, mapping in enumerate(merged):
        covered = {key for key, _ in mapping}
        extra = tuple((f, derivation.functions[f][number % len(derivation.functions[f])])
                      for f in sorted(needed - covered, key=str))
        out.append(mapping + extra)
    longest = max((len(derivation.functions[f]) for f in needed), default=1)
    while len(out) < longest and not hypotheses:
        number = len(out)
        out.append(tuple((f, derivation.functions[f][number % len(derivation.functions[f])])
                         for f in sorted(needed, key=str)))
    return out
