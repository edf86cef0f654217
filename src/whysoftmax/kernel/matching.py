"""What every rule needs: outcomes, relation algebra, and matching claims up to the
kernel's proven equalities."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .claim import Claim, Relation, Signature
from .facts import shown_equal
from .sums import evaluated

Outcome = tuple[bool, str]
Rule = Callable[[Claim, list[Claim], dict[str, Any], Signature], Outcome]
ORDER = (Relation.EQ, Relation.LE, Relation.LT)


def same(a, b, ranges) -> bool:
    return shown_equal(a, b, ranges) is not None


def compose(relations) -> Relation:
    if Relation.LT in relations:
        return Relation.LT
    return Relation.LE if Relation.LE in relations else Relation.EQ


def implied(derived: Relation, claimed: Relation) -> bool:
    """``a derived b`` implies ``a claimed b`` (= ⇒ ≤, < ⇒ ≤)."""
    return derived is claimed or (claimed is Relation.LE and derived in ORDER)


def replaced(claim: Claim, swap: dict) -> Claim:
    def r(e):
        return None if e is None else evaluated(e).xreplace(swap)

    return Claim(claim.relation, r(claim.lhs), r(claim.rhs), claim.variable, r(claim.point),
                 claim.direction, claim.refuted, claim.witness)


def claims_match(a: Claim, b: Claim, ranges, implies: bool = False) -> bool:
    """``a`` and ``b`` are the same claim (``implies``: or ``a`` is the same but stricter)."""
    same_relation = a.relation is b.relation or (implies and implied(a.relation, b.relation))
    if not same_relation or (a.variable, a.direction) != (b.variable, b.direction):
        return False
    if (a.point is None) != (b.point is None) or (a.point is not None and a.point != b.point):
        return False
    return same(a.lhs, b.lhs, ranges) and (
        (a.rhs is None and b.rhs is None) or same(a.rhs, b.rhs, ranges))


def difference(claim: Claim):
    return evaluated(claim.lhs - claim.rhs if claim.relation is Relation.EQ
                     else claim.rhs - claim.lhs)
