"""The status a step reaches, ordered from strongest to weakest.

A status never claims more than was shown (the project's "honest status" principle):

``proven``
    SymPy showed the claim for general ``n`` (or for the exact expression).
``proven for n ≤ N``
    SymPy showed every instance ``n = n_min … N``, but not the general claim.
``checked``
    only the high-precision numeric check supports the claim.
``failed``
    a counterexample exists (or SymPy and the numeric check disagree).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Kind(enum.IntEnum):
    """Strength of a status; a larger value is a stronger result."""

    FAILED = 0
    CHECKED = 1
    PROVEN_UP_TO = 2
    PROVEN = 3


@dataclass(frozen=True, order=False)
class Status:
    """What was shown for a step.

    Examples
    --------
    >>> weakest([Status.proven(), Status.proven_up_to(6), Status.checked()])
    Status('checked')
    >>> str(weakest([Status.proven(), Status.proven_up_to(6), Status.proven_up_to(4)]))
    'proven for n ≤ 4'
    """

    kind: Kind
    up_to: int | None = None

    @classmethod
    def proven(cls) -> Status:
        return cls(Kind.PROVEN)

    @classmethod
    def proven_up_to(cls, n_max: int) -> Status:
        return cls(Kind.PROVEN_UP_TO, n_max)

    @classmethod
    def checked(cls) -> Status:
        return cls(Kind.CHECKED)

    @classmethod
    def failed(cls) -> Status:
        return cls(Kind.FAILED)

    @property
    def rank(self) -> tuple[int, int]:
        """Sort key: a larger rank is a stronger status."""
        return (int(self.kind), self.up_to or 0)

    @property
    def ok(self) -> bool:
        """True unless the step failed."""
        return self.kind is not Kind.FAILED

    def __str__(self) -> str:
        if self.kind is Kind.PROVEN_UP_TO:
            return f"proven for n ≤ {self.up_to}"
        return self.kind.name.lower()

    def __repr__(self) -> str:
        return f"Status({str(self)!r})"


def weakest(statuses: list[Status]) -> Status:
    """The status of a result that rests on all of ``statuses`` (the weakest link)."""
    if not statuses:
        raise ValueError("weakest() needs at least one status")
    return min(statuses, key=lambda s: s.rank)
