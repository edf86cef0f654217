"""What a check run produces: frozen results, so nothing downstream can upgrade a status.

Examples
--------
>>> CheckOptions(dps=10)
Traceback (most recent call last):
...
ValueError: dps must be at least 30, got 10
"""

from __future__ import annotations

from dataclasses import dataclass

from ..kernel.verdict import Certificate, Kind, Status


@dataclass(frozen=True)
class CheckOptions:
    """Settings of a check run (the CLI's flags).

    Attributes
    ----------
    dps : decimal digits of the numeric check (≥ 30).
    points : random points per instance (adversarial ones come on top).
    time_limit : seconds of symbolic search per step before it is stopped.
    n_max : the largest ``n`` of the instantiation stage (``proven for n ≤ N``).
    """

    dps: int = 50
    points: int = 6
    time_limit: float = 20.0
    n_max: int = 6

    def __post_init__(self):
        if self.dps < 30:
            raise ValueError(f"dps must be at least 30, got {self.dps}")
        if self.points < 1:
            raise ValueError(f"points must be at least 1, got {self.points}")
        if self.time_limit <= 0:
            raise ValueError(f"time_limit must be positive, got {self.time_limit}")
        if self.n_max < 2:
            raise ValueError(f"n_max must be at least 2, got {self.n_max}")

    def key(self) -> str:
        """The options that change a result (the cache keys on them)."""
        return f"dps={self.dps};points={self.points};n_max={self.n_max}"


@dataclass(frozen=True)
class StepResult:
    """The outcome of checking one step (plain data, so it crosses process boundaries).

    ``method`` says how it was shown (the certificate and the kernel's note);
    ``numeric`` the cross-check's one-line summary; ``counterexample`` or ``witness`` the
    point that decided it; ``conditions`` the side conditions it holds under.
    """

    derivation: str
    name: str
    relation: str
    status: Status
    method: str
    seconds: float
    numeric: str = ""
    counterexample: str | None = None
    witness: str | None = None
    engine_error: bool = False
    rule: str | None = None
    premises: tuple[str, ...] = ()
    cell: tuple[str, str] | None = None
    certificate: Certificate | None = None
    conditions: tuple = ()
    cached: bool = False

    @property
    def detail(self) -> str:
        """One line for tables: the counterexample if any, else the numeric summary."""
        if self.counterexample is not None:
            if self.counterexample.startswith("at "):
                return f"counterexample {self.counterexample}"
            return self.counterexample
        if self.witness is not None:
            return f"witness: {self.witness}"
        return self.numeric


@dataclass(frozen=True)
class DerivationResult:
    """All step results of one derivation, or the error that stopped it from loading."""

    id: str
    title: str
    path: str
    results: tuple[StepResult, ...] = ()
    error: str | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.error is None and all(r.status.ok for r in self.results)

    def count(self, kind: Kind) -> int:
        return sum(r.status.kind is kind for r in self.results)
