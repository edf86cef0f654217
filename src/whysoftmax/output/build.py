"""Build the reports: a .tex and a .pdf per derivation, and the book whysoftmax.pdf.

The book follows the outline beside the derivation files (``outline.toml``); without one
only the chapters' own documents are built. Citations come from ``references.bib`` in the
same folder; a key it lacks is a build error for that chapter.

LaTeX runs as ``latexmk -pdf -no-shell-escape -halt-on-error -interaction=nonstopmode``
in a temporary folder; a PDF replaces the old one (by an atomic rename) only when its
build succeeded, so a failed build leaves the last good PDF in place. A LaTeX error is
reported with the derivation it came from and the relevant lines of the log. Without
TeX the .tex files are still written, and the message says how to install it.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..atomic import write_atomically
from ..engine.results import DerivationResult
from ..loader import Loaded
from .book import book, chapter_document
from .figures import write_figures
from .outline import BIBLIOGRAPHY, BookError, bib_keys, find_outline, read_outline
from .tex_requirements import Requirement, install_command, missing

LATEXMK = ["latexmk", "-pdf", "-no-shell-escape", "-halt-on-error", "-interaction=nonstopmode"]


def install_hint(lacking: list[Requirement]) -> str:
    """One line: what the reports need that this machine lacks, and the command to add it."""
    names = ", ".join(r.name for r in lacking)
    packages = sorted({r.debian for r in lacking})
    return (f"TeX lacks what the reports need ({names}); the .tex files are written. "
            f"Install with: {install_command(packages)} (or run 'make pdf', which does)")


@dataclass
class BuildError:
    """A document that did not compile: which one, and what LaTeX said."""

    name: str
    message: str

    def __str__(self) -> str:
        return f"LaTeX failed for {self.name}: {self.message}"


def log_excerpt(log: str, lines: int = 12) -> str:
    """The error lines of a LaTeX log: each ``!`` line with what follows, up to ``l.N``."""
    out: list[str] = []
    rows = log.splitlines()
    for q, row in enumerate(rows):
        if row.startswith("!"):
            out.append(row)
            for follow in rows[q + 1 : q + 6]:
                out.append(follow)
                if follow.startswith("l."):
                    break
    return " | ".join(s.strip() for s in out[:lines] if s.strip()) or "(no error lines in log)"


def compile_pdf(name: str, source: str, out: Path, inputs: list[Path],
                timeout: int = 180) -> Path | BuildError:
    """Compile ``source`` as ``name.tex`` beside ``inputs`` (figure folders, the .bib);
    move ``name.pdf`` into ``out`` only on success."""
    with tempfile.TemporaryDirectory(prefix="whysoftmax-") as tmp:
        work = Path(tmp)
        (work / f"{name}.tex").write_text(source, encoding="utf-8")
        for path in inputs:
            if path.is_dir():
                shutil.copytree(path, work / path.name)
            elif path.is_file():
                shutil.copy(path, work / path.name)
        try:
            done = subprocess.run(
                [*LATEXMK, f"{name}.tex"], cwd=work, capture_output=True, text=True,
                timeout=timeout, stdin=subprocess.DEVNULL,
            )
        except subprocess.TimeoutExpired:
            return BuildError(name, f"latexmk did not finish within {timeout} s")
        pdf = work / f"{name}.pdf"
        if done.returncode != 0 or not pdf.exists():
            log = work / f"{name}.log"
            text = log.read_text(errors="replace") if log.exists() else done.stdout
            return BuildError(name, log_excerpt(text))
        target = out / f"{name}.pdf"
        write_atomically(target, pdf.read_bytes())
        return target


@dataclass
class BuildReport:
    tex: list[Path]
    pdfs: list[Path]
    errors: list[BuildError]
    tex_missing: list[Requirement]


def _uncited(derivation, keys: set[str] | None) -> str | None:
    unknown = [k for k, _ in derivation.sources if keys is None or k not in keys]
    if not unknown:
        return None
    where = f"no {BIBLIOGRAPHY} beside it" if keys is None else f"not in {BIBLIOGRAPHY}"
    return f"cites {', '.join(unknown)}: {where}"


def build_reports(loaded: list[Loaded], outcomes: list[DerivationResult], out: Path,
                  book_name: str = "whysoftmax", progress=None) -> BuildReport:
    """Write every .tex, draw the figures, compile every PDF and (with an outline) the
    book."""
    out.mkdir(parents=True, exist_ok=True)
    figures_dir = out / "figures"
    write_figures(figures_dir)
    by_id = {o.id: o for o in outcomes}
    entries = [(item.derivation, by_id.get(item.derivation.id)) for item in loaded]
    files = [Path(item.path) for item in loaded]
    outline_path = find_outline(files)
    bib = next((p.parent / BIBLIOGRAPHY for p in files
                if (p.parent / BIBLIOGRAPHY).is_file()), None)
    keys = bib_keys(bib) if bib is not None else None
    documents: dict[str, str] = {}
    failures: list[BuildError] = []
    for derivation, outcome in entries:
        problem = _uncited(derivation, keys)
        try:
            if problem:
                raise BookError(problem)
            documents[derivation.id] = chapter_document(derivation, outcome)
        except Exception as error:  # noqa: BLE001 - one document, not the whole build
            failures.append(BuildError(derivation.id, f"could not typeset: {error}"[:300]))
    if outline_path is not None:
        try:
            if len(documents) < len(entries):
                raise BookError("a chapter could not be typeset (see above)")
            documents[book_name] = book(read_outline(outline_path), entries)
        except BookError as error:
            failures.append(BuildError(book_name, str(error)[:300]))
    tex_paths = []
    for name, source in documents.items():
        path = out / f"{name}.tex"
        write_atomically(path, source.encode("utf-8"))
        tex_paths.append(path)
    lacking = missing()
    if lacking:
        return BuildReport(tex_paths, [], failures, tex_missing=lacking)
    pdfs, errors = [], failures
    inputs = [figures_dir] + ([bib] if bib is not None else [])
    for name, source in documents.items():
        if progress is not None:
            progress(name)
        result = compile_pdf(name, source, out, inputs)
        (errors if isinstance(result, BuildError) else pdfs).append(result)
    return BuildReport(tex_paths, pdfs, errors, tex_missing=[])
