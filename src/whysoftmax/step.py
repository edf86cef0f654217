"""A step of a derivation: a kernel claim, its justification and how to show it.

Examples
--------
>>> from sympy import Symbol
>>> from whysoftmax.kernel import Claim, Relation
>>> x = Symbol("x")
>>> step = Step("trivial", Claim(Relation.EQ, x, x))
>>> step.relation, step.lhs
(<Relation.EQ: '='>, x)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .kernel import Claim


@dataclass(frozen=True)
class Step:
    """One claim of a derivation and how it is justified.

    Attributes
    ----------
    name : unique within the derivation; shown in tables and JUnit reports.
    claim : what is claimed (:class:`whysoftmax.kernel.Claim`).
    why : the justification, in prose.
    rule, premises, using : a rule the kernel checks, the earlier steps it combines and
        its parameters (e.g. ``{"f": Lambda(t, log(1 + t))}`` for ``monotone``).
    substitute, inverse : a change of variables for the proof; the kernel accepts it only
        with an inverse checked on the whole domain (found by the search when not given).
    n_max : the largest n of the instantiation stage for this step.
    cell : ``(row, column)`` of a property matrix this step settles.
    approx : for :meth:`Derivation.approximately`, ``(expr, decimal)``: how to display it.
    hypothesis : made by :meth:`Derivation.assume`; ``examples`` are substitutions under
        which it holds (the numeric check of every step resting on it uses them).
    """

    name: str
    claim: Claim
    why: str = ""
    rule: str | None = None
    premises: tuple[str, ...] = ()
    using: tuple[tuple[str, Any], ...] = ()
    substitute: tuple[tuple[Any, Any], ...] = ()
    inverse: tuple[tuple[Any, Any], ...] = ()
    n_max: int | None = None
    cell: tuple[str, str] | None = None
    approx: tuple[Any, str] | None = None
    hypothesis: bool = False
    examples: tuple[tuple[tuple[Any, Any], ...], ...] = ()

    relation = property(lambda self: self.claim.relation)
    lhs = property(lambda self: self.claim.lhs)
    rhs = property(lambda self: self.claim.rhs)
    variable = property(lambda self: self.claim.variable)
    point = property(lambda self: self.claim.point)
    refuted = property(lambda self: self.claim.refuted)
    witness = property(lambda self: dict(self.claim.witness))

    @property
    def is_matrix(self) -> bool:
        return self.claim.is_matrix
