"""How each status looks and what it means — one table for the terminal, JUnit, LaTeX,
``whysoftmax --help`` and the docs.

Examples
--------
>>> from whysoftmax.kernel import Status
>>> category(Status.argued())
'argued'
>>> LOOKS["failed"].terminal
'bold red'
"""

from __future__ import annotations

from dataclasses import dataclass

from ..kernel.verdict import Kind, Status


@dataclass(frozen=True)
class Look:
    """A status category's terminal style, LaTeX colour, margin mark and meaning."""

    terminal: str
    colour: str
    mark: str
    meaning: str


#: Status categories, strongest first.
LOOKS: dict[str, Look] = {
    "proven": Look(
        "bold green", "provencolor", "proven",
        "every inference was checked by the proof kernel (a named SymPy reduction under "
        "the declared assumptions, or a rule whose premises and conclusion it matched), "
        "for every n"),
    "proven for n ≤ N": Look(
        "green", "provencolor", "proven for n ≤ N",
        "the kernel checked every instance n = n_min … N (default N = 6), not the general "
        "claim"),
    "argued": Look(
        "dark_orange", "arguedcolor", "argued",
        "follows by a recorded rule the kernel did not check (an unknown rule, or one "
        "whose shape did not match); the numbers agree"),
    "checked": Look(
        "yellow", "checkedcolor", "checked",
        "only the numeric cross-check supports it (mpmath at the stated digits and points)"),
    "failed": Look(
        "bold red", "failedcolor", "failed",
        "a counterexample (the point and both sides' values), an exact disproof, or a "
        "proof the numbers contradict"),
}
#: Appended to any status that holds only under side conditions.
WHERE = ("'where …': shown only where the stated side conditions hold (a denominator "
         "nonzero, a log's argument positive); the kernel could not prove them")


def category(status: Status) -> str:
    """The row of :data:`LOOKS` a status belongs to."""
    if status.kind is Kind.PROVEN:
        return "proven" if status.up_to is None else "proven for n ≤ N"
    return status.kind.name.lower()


def meanings() -> str:
    """Every status with its meaning, one per line (for --help and the docs)."""
    lines = [f"  {name:<17} {look.meaning}" for name, look in LOOKS.items()]
    return "\n".join([*lines, f"  {WHERE}"])
