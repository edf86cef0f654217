"""The property matrix, built from check results — never from hand-typed ticks.

A step tagged ``cell=(row, column)`` settles one cell: a refutation that holds means the
row lacks the property (✗), any other step that holds means it has it (✓). A failed
step leaves the cell undecided (?). Each cell carries the status of its step.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..engine.results import StepResult
from ..kernel.claim import Relation
from ..kernel.verdict import Status


@dataclass(frozen=True)
class Cell:
    """One cell: does the row have the property, and how firmly was that shown."""

    holds: bool | None
    status: Status
    step: str

    @property
    def mark(self) -> str:
        return {True: "✓", False: "✗", None: "?"}[self.holds]


@dataclass
class PropertyMatrix:
    """Rows (functions) × columns (properties), in the order the steps first name them."""

    rows: list[str]
    columns: list[str]
    cells: dict[tuple[str, str], Cell]

    def __getitem__(self, key: tuple[str, str]) -> Cell:
        return self.cells[key]


def property_matrix(results: list[StepResult]) -> PropertyMatrix | None:
    """The matrix of the tagged steps in ``results``, or None when no step is tagged."""
    rows: list[str] = []
    columns: list[str] = []
    cells: dict[tuple[str, str], Cell] = {}
    for r in results:
        if r.cell is None:
            continue
        row, column = r.cell
        rows += [row] if row not in rows else []
        columns += [column] if column not in columns else []
        holds = None if not r.status.ok else r.relation != str(Relation.REFUTES)
        cells[(row, column)] = Cell(holds, r.status, r.name)
    return PropertyMatrix(rows, columns, cells) if cells else None
