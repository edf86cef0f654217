"""Refutations: a claim is false at a witness, decided exactly.

A witness counts only if it is a point the claim speaks about: every value satisfies its
symbol's declared assumptions (a positive vector is not refuted at ``[−1, 2]``), every
dimension is at least its minimum, every index lies in its range, and every free symbol
is fixed. Then both sides are evaluated exactly: a claimed relation must be contradicted
by exact numbers where both sides are defined; "defined" is refuted where a side
condition of the written expression fails exactly (a denominator that is 0).

Examples
--------
>>> from sympy import IndexedBase, Symbol, Integer
>>> from whysoftmax.kernel.claim import Claim, Relation, Signature
>>> n, i = Symbol("n", integer=True, positive=True), Symbol("i", integer=True, positive=True)
>>> p = IndexedBase("p", positive=True)
>>> sig = Signature(dimensions=((n, 1),), indices=((i, n),), vectors=((p, n),))
>>> bad = Claim(Relation.REFUTES, Integer(0), p[i], refuted="<=",
...             witness=((p, (Integer(-1), Integer(2))), (i, Integer(1))))
>>> refute(bad, sig)
(False, 'the witness is outside the declared domain: p[1] = -1')
"""

from __future__ import annotations

from sympy import Basic, Expr, IndexedBase, Integer, MatrixBase, nan, simplify, zoo

from .claim import Claim, Signature
from .domain import side_conditions
from .facts import in_domain
from .instances import evaluate_instance
from .sums import evaluated


class _Invalid(ValueError):
    pass


def _split(claim: Claim, sig: Signature) -> tuple[dict, dict]:
    """Dimension/index values and entry values of the witness, checked against ``sig``."""
    sizes: dict = {}
    entries: dict = {}
    minimum, ranges, lengths = sig.minimum, sig.index_range, sig.length
    for key, value in claim.witness:
        if isinstance(key, IndexedBase):
            if key not in lengths:
                raise _Invalid(f"{key} is not a declared vector")
            values = value if isinstance(value, tuple) else (value,)
            length = lengths[key]
            if isinstance(length, int):
                if len(values) != length:
                    raise _Invalid(f"{key} has length {length}, the witness gives {len(values)}")
            elif sizes.setdefault(length, len(values)) != len(values):
                raise _Invalid(f"the witness gives {length} two different values")
            for q, v in enumerate(values, start=1):
                if not in_domain(v, key[q], {}):
                    raise _Invalid(f"the witness is outside the declared domain: {key[q]} = {v}")
                entries[key[q]] = v
        elif key in minimum or key in ranges:
            if not (isinstance(value, Basic) and value.is_Integer):
                raise _Invalid(f"{key} must be an integer")
            sizes[key] = int(value)
        else:
            if not in_domain(value, key, {}):
                raise _Invalid(f"the witness is outside the declared domain: {key} = {value}")
            entries[key] = value
    for dim, value in sizes.items():
        if dim in minimum and value < minimum[dim]:
            raise _Invalid(f"{dim} = {value} is below its minimum {minimum[dim]}")
    for index, dim in ranges.items():
        if index in sizes:
            top = sizes.get(dim)
            if top is None:
                raise _Invalid(f"the witness fixes {index} but not {dim}")
            if not 1 <= sizes[index] <= top:
                raise _Invalid(f"{index} = {sizes[index]} is outside 1…{top}")
    return sizes, entries


def _value(expr, sizes: dict, entries: dict):
    return evaluate_instance(evaluated(expr), sizes).xreplace(entries).doit(integrals=False)


def _violated(expr, sizes: dict, entries: dict) -> list[str]:
    """The written side conditions of ``expr`` that fail exactly at the witness."""
    failing = []
    for condition in side_conditions(expr, {}):
        if condition.expr is None:
            continue
        points = [dict()]
        for var, low, high in condition.bound:
            lo, hi = (int(_value(e, sizes, entries)) for e in (low, high))
            points = [{**p, var: Integer(q)} for p in points for q in range(lo, hi + 1)]
        for extra in points:
            value = simplify(_value(condition.expr.xreplace(extra), sizes, entries))
            fails = {"≠": value.is_zero, ">": value.is_nonpositive, "≥": value.is_negative}
            if fails[condition.relation]:
                failing.append(f"{condition} fails")
                break
    return failing


def refute(claim: Claim, sig: Signature) -> tuple[bool, str]:
    """Whether the witness refutes the claim, and why (one line)."""
    try:
        sizes, entries = _split(claim, sig)
    except _Invalid as error:
        return False, str(error)
    sides = [s for s in (claim.lhs, claim.rhs) if s is not None]
    if claim.refuted == "defined":
        broken = _violated(claim.lhs, sizes, entries)
        if broken:
            return True, "undefined at the witness: " + broken[0]
        value = _value(claim.lhs, sizes, entries)
        if isinstance(value, Expr) and (value.has(zoo, nan) or value.is_finite is False):
            return True, "undefined at the witness"
        return False, f"defined at the witness (value {value})"
    for side in sides:
        broken = _violated(side, sizes, entries)
        if broken:
            return False, "a side is undefined at the witness: " + broken[0]
    left, right = (_value(s, sizes, entries) for s in sides)
    pairs = zip(left, right, strict=True) if isinstance(left, MatrixBase) else [(left, right)]
    for a, b in pairs:
        free = (a - b).free_symbols
        if free:
            return False, f"the witness leaves {', '.join(sorted(map(str, free)))} free"
        difference = simplify(a - b)
        if (claim.refuted == "=" and difference.is_zero is False) or (
                claim.refuted == "<=" and difference.is_positive) or (
                claim.refuted == "<" and difference.is_nonnegative):
            return True, f"exact values contradict '{claim.refuted}': lhs = {a}, rhs = {b}"
    return False, f"the witness does not contradict '{claim.refuted}'"
