"""Terminal tables for check results (rich)."""

from __future__ import annotations

from collections import Counter

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..engine.results import DerivationResult, StepResult
from .matrix import PropertyMatrix, property_matrix
from .style import LOOKS, category


def status_text(result: StepResult) -> Text:
    """The status, coloured; an engine error is named as such."""
    label = str(result.status) + (" (engine error)" if result.engine_error else "")
    return Text(label, style=LOOKS[category(result.status)].terminal)


def derivation_table(outcome: DerivationResult) -> Table:
    """One table per derivation: step, relation, status, method, numeric check, seconds."""
    title = f"{outcome.id} — {outcome.title}" if outcome.title else outcome.id
    table = Table(title=title, title_justify="left", expand=False, show_lines=False)
    table.add_column("step", overflow="fold", max_width=28)
    table.add_column("rel", justify="center")
    table.add_column("status", no_wrap=True)
    table.add_column("method", overflow="fold", max_width=40)
    table.add_column("numeric cross-check", overflow="fold", max_width=60)
    table.add_column("s", justify="right")
    for r in outcome.results:
        method = r.method if not r.rule else f"{r.method} [{', '.join(r.premises)}]"
        cells = (r.name, r.relation, status_text(r), method, r.detail, f"{r.seconds:.2f}")
        table.add_row(*[c if isinstance(c, Text) else Text(c) for c in cells])
    return table


def summary_line(outcomes: list[DerivationResult], seconds: float, load_errors: int) -> str:
    """``12 steps: 10 proven, 1 proven for n ≤ N, 0 argued, 1 checked, 0 failed (3.2 s)``.

    A status with side conditions counts in its category; ``where`` says how many had any.
    """
    counts: Counter[str] = Counter()
    total = conditional = 0
    for outcome in outcomes:
        for r in outcome.results:
            total += 1
            counts[category(r.status)] += 1
            conditional += bool(r.status.where)
    parts = [f"{counts[k]} {k}" for k in LOOKS]
    line = f"{total} steps in {len(outcomes)} derivations: {', '.join(parts)} ({seconds:.1f} s)"
    if conditional:
        line += f"; {conditional} hold only where stated conditions do"
    if load_errors:
        line += f"; {load_errors} file(s) could not be loaded"
    return line


def matrix_table(matrix: PropertyMatrix) -> Table:
    """The property matrix: ✓ has it, ✗ a counterexample, ? undecided; dim when not proven."""
    table = Table(title="property matrix", title_justify="left")
    table.add_column("")
    for column in matrix.columns:
        table.add_column(column, justify="center", overflow="fold", max_width=12)
    for row in matrix.rows:
        marks = []
        for column in matrix.columns:
            cell = matrix.cells.get((row, column))
            if cell is None:
                marks.append(Text("·"))
                continue
            style = "green" if cell.holds else "red" if cell.holds is False else "yellow"
            if category(cell.status) != "proven" or cell.status.where:
                style += " dim"
            marks.append(Text(cell.mark, style=style))
        table.add_row(Text(row), *marks)
    return table


def print_results(console: Console, outcomes: list[DerivationResult]) -> None:
    for outcome in outcomes:
        console.print(derivation_table(outcome))
        matrix = property_matrix(outcome.results)
        if matrix is not None:
            console.print(matrix_table(matrix))
        for r in outcome.results:
            if r.counterexample is not None:
                console.print(
                    Text(f"  ✗ {outcome.id} / {r.name}: {r.counterexample}", style="red"),
                    soft_wrap=True,
                )
