"""Statuses, certificates and theorems — the kernel's verdicts.

A :class:`Status` says how firmly a claim was shown, from strongest to weakest:

``proven``
    every inference behind it was checked by this kernel: a named sound rewrite that
    reduced the claim under the declared assumptions, a rule whose premises and
    conclusion the kernel matched, or (``proven for n ≤ N``) every instance up to N.
``argued``
    it follows by a recorded rule that the kernel did not check (an unknown rule name,
    or a rule whose shape did not match); the numbers still agree.
``checked``
    only the high-precision numeric cross-check supports it.
``failed``
    a counterexample (or the proof and the numbers disagree).

Any status may carry ``where`` conditions: the claim was shown only where they hold
(for example ``x − 1 ≠ 0`` for a proof that cancels a factor), and ``assuming``
hypotheses: the claim was shown from the derivation's stated hypotheses (a theorem of the
form "if H then C"; the hypothesis step itself is ``proven assuming`` itself).

A ``proven`` status is *sealed*: only :func:`issue_proven`, called by the judge, can
make one, and the seal records the exact values it was issued for, so that
``dataclasses.replace`` cannot upgrade ``proven for n ≤ 6`` to ``proven``. A test scans
the package so that no module outside ``kernel/`` calls it.

Examples
--------
>>> str(weakest([issue_proven(), issue_proven(up_to=6), Status.checked()]))
'checked'
>>> str(weakest([issue_proven(where=("x − 1 ≠ 0",)), issue_proven(up_to=4)]))
'proven for n ≤ 4 where x − 1 ≠ 0'
>>> Status(Kind.PROVEN)
Traceback (most recent call last):
...
TypeError: only the proof kernel issues 'proven' statuses
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .claim import Claim


class Kind(enum.IntEnum):
    """Strength of a status; a larger value is a stronger result."""

    FAILED = 0
    CHECKED = 1
    ARGUED = 2
    PROVEN = 3


@dataclass(frozen=True)
class _Seal:
    """Proof that the kernel issued a ``proven`` status with exactly these values."""

    up_to: int | None
    where: tuple[str, ...]
    assuming: tuple[str, ...] = ()


@dataclass(frozen=True)
class Status:
    """What was shown for a claim (see the module docstring for the kinds).

    Attributes
    ----------
    kind : the strength.
    up_to : for ``proven`` only: shown for every dimension value ≤ ``up_to`` (None: all).
    where : conditions under which the claim was shown (empty: everywhere).
    assuming : names of the hypothesis steps it rests on (empty: none).
    """

    kind: Kind
    up_to: int | None = None
    where: tuple[str, ...] = ()
    assuming: tuple[str, ...] = ()
    seal: _Seal | None = field(default=None, repr=False, compare=False)

    def __post_init__(self):
        if self.kind is Kind.PROVEN:
            if self.seal != _Seal(self.up_to, self.where, self.assuming):
                raise TypeError("only the proof kernel issues 'proven' statuses")
        elif self.up_to is not None:
            raise ValueError("up_to belongs to a 'proven' status only")

    @classmethod
    def argued(cls, where: tuple[str, ...] = (), assuming: tuple[str, ...] = ()) -> Status:
        return cls(Kind.ARGUED, where=tuple(where), assuming=tuple(assuming))

    @classmethod
    def checked(cls, where: tuple[str, ...] = (), assuming: tuple[str, ...] = ()) -> Status:
        return cls(Kind.CHECKED, where=tuple(where), assuming=tuple(assuming))

    @classmethod
    def failed(cls) -> Status:
        return cls(Kind.FAILED)

    @property
    def rank(self) -> tuple[int, int, int]:
        """Sort key: a larger rank is a stronger status."""
        general = 10**9 if self.up_to is None else self.up_to
        return (int(self.kind), general, -len(self.where) - len(self.assuming))

    @property
    def ok(self) -> bool:
        """True unless the claim failed."""
        return self.kind is not Kind.FAILED

    @property
    def label(self) -> str:
        """The status without its conditions: ``proven for n ≤ 6``."""
        if self.kind is Kind.PROVEN and self.up_to is not None:
            return f"proven for n ≤ {self.up_to}"
        return self.kind.name.lower()

    def __str__(self) -> str:
        text = self.label
        if self.assuming:
            text += " assuming " + ", ".join(f"'{h}'" for h in self.assuming)
        if self.where:
            text += f" where {'; '.join(self.where)}"
        return text

    def __repr__(self) -> str:
        return f"Status({str(self)!r})"

    def to_data(self) -> dict[str, Any]:
        return {"kind": self.kind.name, "up_to": self.up_to, "where": list(self.where),
                "assuming": list(self.assuming)}


def issue_proven(up_to: int | None = None, where: tuple[str, ...] = (),
                 assuming: tuple[str, ...] = ()) -> Status:
    """A sealed ``proven`` status. Called only by the kernel's judge and rules."""
    where, assuming = tuple(where), tuple(assuming)
    return Status(Kind.PROVEN, up_to, where, assuming, _Seal(up_to, where, assuming))


def weakest(statuses: list[Status]) -> Status:
    """The status of a result that rests on all of ``statuses`` (the weakest link).

    The kind is the weakest kind, ``up_to`` the smallest bound, and the conditions are
    all of theirs.
    """
    if not statuses:
        raise ValueError("weakest() needs at least one status")
    kind = min(s.kind for s in statuses)
    where = tuple(dict.fromkeys(c for s in statuses for c in s.where))
    assuming = tuple(dict.fromkeys(h for s in statuses for h in s.assuming))
    if kind is Kind.PROVEN:
        bounds = [s.up_to for s in statuses if s.up_to is not None]
        return issue_proven(min(bounds) if bounds else None, where, assuming)
    if kind is Kind.FAILED:
        return Status.failed()
    return Status(kind, where=where, assuming=assuming)


def status_from_data(data: dict[str, Any]) -> Status:
    """Rebuild a status written by :meth:`Status.to_data` — never stronger than ``argued``
    unless the kernel re-derives it (a file cannot grant ``proven``)."""
    kind = Kind[data["kind"]]
    where = tuple(data.get("where", ()))
    assuming = tuple(data.get("assuming", ()))
    if kind is Kind.PROVEN:
        raise ValueError("a stored 'proven' status must be replayed by the kernel")
    if kind is Kind.FAILED:
        return Status.failed()
    return Status(kind, where=where, assuming=assuming)


@dataclass(frozen=True)
class Certificate:
    """How a claim was shown, in enough detail to replay it with the kernel alone.

    Attributes
    ----------
    method : ``"rewrite"``, ``"instances"``, ``"rule"``, ``"limit"``, ``"refutation"``,
        ``"substitution"`` or ``"none"`` (nothing symbolic: numeric evidence only).
    name : the rewrite's or rule's name.
    premises : names of the steps a rule rests on.
    data : rule parameters and instance lists, as (key, text) pairs (expressions as
        ``srepr`` text, read back by :mod:`whysoftmax.kernel.serial`).
    inner : the certificate of a reparametrised claim (for substitutions).
    """

    method: str
    name: str = ""
    premises: tuple[str, ...] = ()
    data: tuple[tuple[str, str], ...] = ()
    inner: Certificate | None = None

    def get(self, key: str, default: str | None = None) -> str | None:
        return dict(self.data).get(key, default)

    def to_data(self) -> dict[str, Any]:
        return {"method": self.method, "name": self.name, "premises": list(self.premises),
                "data": [list(p) for p in self.data],
                "inner": self.inner.to_data() if self.inner is not None else None}

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Certificate:
        inner = data.get("inner")
        return cls(data["method"], data.get("name", ""), tuple(data.get("premises", ())),
                   tuple((str(k), str(v)) for k, v in data.get("data", ())),
                   cls.from_data(inner) if inner else None)

    def describe(self) -> str:
        """One line for tables: ``rewrite 'sums normalised + cancel'``."""
        if self.method == "none":
            return "no symbolic proof"
        text = f"{self.method} '{self.name}'" if self.name else self.method
        if self.get("assume") == "conditions":
            text += " (assuming the stated conditions)"
        if self.premises:
            text += f" from {len(self.premises)} step(s)"
        if self.inner is not None:
            text += f"; then {self.inner.describe()}"
        return text


#: Only the kernel holds this; sealed records refuse to be built without it.
_KERNEL = object()


class _Sealed:
    """A frozen record only the kernel can construct (``token`` must be its private key)."""

    def __post_init__(self):
        if self.token is not _KERNEL:
            raise TypeError(f"only the proof kernel makes {type(self).__name__} records")


@dataclass(frozen=True)
class Theorem(_Sealed):
    """A claim with the status the kernel gave it and the certificate behind it.

    Made only by the kernel; rules take theorems, never bare statuses, as premises.
    ``note`` is the kernel's one-line account (what matched, what was left open);
    ``engine_error`` marks a proof that the numbers contradicted.
    """

    claim: Claim
    status: Status
    certificate: Certificate
    note: str = ""
    conditions: tuple = ()
    engine_error: bool = False
    token: object = field(default=None, repr=False, compare=False)


@dataclass(frozen=True)
class Evidence:
    """What the numeric cross-check found (it can only weaken a status)."""

    points: int
    counterexample: str | None = None
    summary: str = ""
    skipped: bool = False  # not sampled (a hypothesis without examples): no evidence either way
