"""A change of variables, accepted only with an inverse checked on the whole domain.

Proving ``C(g(u))`` for every ``u`` shows ``C(x)`` for every ``x`` only when every ``x``
is some ``g(u)``. The certificate carries the forward map ``x ↦ g(u)`` and an inverse
``u ↦ h(x)``; the kernel checks ``g(h(x)) = x`` and that ``h(x)`` lies in ``u``'s
domain for every ``x`` in ``x``'s, that ``u`` is new to the claim, and then the
reparametrised claim by the inner certificate. ``d = log(1 + w)`` with ``w ≥ 0`` covers
``d ≥ 0`` (``w = e^d − 1``); ``x = −u`` with ``u > 0`` does not cover a real ``x``.

Examples
--------
>>> import json
>>> from sympy import Symbol, Integer
>>> from whysoftmax.kernel.claim import Claim, Relation, Signature
>>> from whysoftmax.kernel.judgement import attempt
>>> from whysoftmax.kernel.serial import pack
>>> from whysoftmax.kernel.verdict import Certificate
>>> x, u = Symbol("x", real=True), Symbol("u", positive=True)
>>> claim = Claim(Relation.LE, x, Integer(10)**7)
>>> cert = Certificate("substitution", data=(("forward", json.dumps(pack({x: -u}))),
...     ("inverse", json.dumps(pack({u: -x})))), inner=Certificate("rewrite", "identical"))
>>> check_substitution(claim, Signature(scalars=(x, u)), cert, attempt)[:2]
('open', 'the inverse does not map into the domain of u')
"""

from __future__ import annotations

import json
from collections.abc import Callable

from sympy import Indexed, Symbol

from .claim import Claim, Signature
from .domain import holds, side_conditions
from .facts import in_domain, shown_equal
from .serial import unpack
from .sums import evaluated


def variables(expr) -> set:
    """The scalar symbols and vector entries ``expr`` depends on (not vector labels, not
    the indices of its entries)."""
    expr = evaluated(expr)
    entries = expr.atoms(Indexed)
    labels = {e.base.label for e in entries} | {e.base for e in entries}
    indices = {s for e in entries for i in e.indices for s in i.free_symbols}
    scalars = {s for s in expr.free_symbols if isinstance(s, Symbol)}
    return entries | (scalars - labels - indices)


def _atoms(claim: Claim) -> set:
    found: set = set()
    for side in claim.sides():
        found |= variables(side)
        found |= {a.base.label for a in evaluated(side).atoms(Indexed)}
    return found


def check_substitution(claim: Claim, signature: Signature, certificate,
                       attempt: Callable) -> tuple[str, str, int | None]:
    """Outcome (``shown``/``disproved``/``open``), detail and instance bound."""
    forward = unpack(json.loads(certificate.get("forward", '{"t": "map", "v": []}')))
    inverse = unpack(json.loads(certificate.get("inverse", '{"t": "map", "v": []}')))
    if not forward or certificate.inner is None:
        return "open", "a substitution needs its map and a certificate for the result", None
    present = _atoms(claim)
    new = set()
    for value in forward.values():
        new |= {s for s in variables(value)
                if s not in present and s not in signature.index_range}
    for u in new:
        label = u.base.label if isinstance(u, Indexed) else u
        if label in present:
            return "open", f"the new variable {u} already occurs in the claim", None
        if u not in inverse:
            return "open", f"no inverse given for the new variable {u}", None
    ranges = signature.index_range
    for x, g in forward.items():
        if shown_equal(evaluated(g).xreplace({k: evaluated(v) for k, v in inverse.items()}),
                       x, ranges) is None:
            return "open", f"g(h(x)) = x is not shown for {x}", None
    for u in new:
        if not in_domain(inverse[u], u, ranges):
            return "open", f"the inverse does not map into the domain of {u}", None
    for x, g in forward.items():
        for condition in side_conditions(g, signature.length):
            if not holds(condition, signature):
                return "open", f"the map for {x} is not defined on the whole domain", None
    if certificate.inner.get("assume") is not None:
        return "open", "a change of variables is proven without extra hypotheses", None
    swap = {k: v for k, v in forward.items()}
    moved = Claim(claim.relation, claim.lhs.xreplace(swap),
                  None if claim.rhs is None else claim.rhs.xreplace(swap),
                  claim.variable, claim.point, claim.direction)
    inner = attempt(moved, signature, certificate.inner)
    detail = f"substitution with a checked inverse; then {inner.detail}"
    return inner.outcome, detail, inner.up_to
