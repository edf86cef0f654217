r"""The book and the chapter documents: outline, numbered claims, links, citations.

The problem: a list of checked steps is an audit log, not a text a student can read. The
book follows an outline (``derivations/outline.toml``: parts, chapter order, notation),
numbers every claim (Claim 4.3) and links each premise to it, heads a refutation by what
it shows, cites works from one BibTeX file, quotes only checked numbers in its prose, and
moves the audit data (method, points, digits, time) to an appendix. One Jinja2 template
(``templates/book.tex``) lays out both the book and each chapter's own document.

References inside prose (``d.text``, a ``why``, a chapter's introduction):

* ``[[id:step name]]`` — "Claim 4.3", a link (``[[:step name]]`` in the same chapter);
* ``[[figure:name]]`` — "Figure 9.1", a link;
* ``[[=step name]]`` — the decimal of a proven ``approximately`` step of the chapter.
"""

from __future__ import annotations

import re

from ..derivation import Derivation, Step
from ..engine.results import DerivationResult, StepResult
from ..kernel.claim import Relation
from .figures import figures_for
from .latex import (
    display,
    escape,
    formula,
    markdown,
    prose,
    unicode_declarations,
    witness,
)
from .matrix import property_matrix
from .outline import BIBLIOGRAPHY, OUTLINE, BookError, Outline
from .style import LOOKS, WHERE, category
from .tex_requirements import usepackage_lines

# -- numbering and references ---------------------------------------------------------------

class Numbering:
    """Claim numbers (chapter.k) and labels of every step of the chapters, in order."""

    def __init__(self, chapters: list[Derivation]):
        self.chapter = {d.id: q for q, d in enumerate(chapters, start=1)}
        self.titles = {d.id: d.title or d.id for d in chapters}
        self.number: dict[tuple[str, str], str] = {}
        self.steps: dict[tuple[str, str], Step] = {}
        for d in chapters:
            steps = [item for kind, item in d.items if kind == "step"]
            for k, step in enumerate(steps, start=1):
                self.number[(d.id, step.name)] = f"{self.chapter[d.id]}.{k}"
                self.steps[(d.id, step.name)] = step

    def label(self, chapter: str, step: str) -> str:
        return f"c:{chapter}:{self.number[(chapter, step)]}"

    def link(self, chapter: str, step: str) -> str:
        return rf"Claim~\ref{{{self.label(chapter, step)}}}"


def resolve(text: str, here: Derivation, numbering: Numbering,
            results: dict[tuple[str, str], StepResult]) -> str:
    """Replace ``[[…]]`` references (see the module docstring) by links and checked
    values; an unknown one raises :class:`BookError`."""
    def one(match: re.Match) -> str:
        ref = match.group(1)
        if ref.startswith("figure:"):
            return rf"Figure~\ref{{fig:{ref.removeprefix('figure:')}}}"
        if ref.startswith("="):
            chapter, _, step = ref[1:].partition(":")
            if chapter not in numbering.titles:
                chapter, step = here.id, ref[1:]
            return _value(chapter, step, numbering, results)
        chapter, _, step = ref.partition(":")
        chapter = chapter or here.id
        if (chapter, step) in numbering.number:
            return numbering.link(chapter, step)
        if chapter not in numbering.titles and chapter != here.id:
            return f"a claim of the chapter '{escape(chapter)}' (not in this document)"
        raise BookError(f"{here.id}: unknown reference [[{ref}]]")

    return re.sub(r"\[\[(.+?)\]\]", one, text)


def _value(chapter: str, name: str, numbering: Numbering, results: dict) -> str:
    """The decimal of a proven ``approximately`` step: a number quoted in prose."""
    step, result = numbering.steps.get((chapter, name)), results.get((chapter, name))
    if step is None or step.approx is None:
        raise BookError(f"{chapter}: [[={name}]] names no 'approximately' step")
    if result is not None and category(result.status) != "proven":
        raise BookError(f"{chapter}: the value [[={name}]] is {result.status}, not proven")
    return step.approx[1]


# -- chapters --------------------------------------------------------------------------------

def status_mark(result: StepResult | None, refuted: bool = False) -> str:
    """The compact status after a claim's title (a refutation's: "shown false")."""
    if result is None:
        return r"\statusmark{checkedcolor}{not checked in this build}"
    status = result.status
    look = LOOKS[category(status)]
    text = look.mark.replace("N", str(status.up_to)) if status.up_to else look.mark
    if refuted and status.ok:
        text = "shown false" + ("" if category(status) == "proven" else f" ({text})")
    extra = ""
    if status.where:
        extra += " where " + "; ".join(status.where)
    if status.assuming:
        extra += " assuming " + ", ".join(status.assuming)
    label = escape(text) + (prose(extra) if extra else "")
    return rf"\statusmark{{{look.colour}}}{{{label}}}"


def claim_block(d: Derivation, step: Step, result, numbering, results) -> dict:
    refuted = step.relation is Relation.REFUTES
    premises = [numbering.link(d.id, p) if (d.id, p) in numbering.number else escape(p)
                for p in step.premises]
    return {
        "kind": "claim", "env": "refutation" if refuted else "claim", "name": step.name,
        "title": prose(step.name), "label": numbering.label(d.id, step.name),
        "display": display(step), "witness": witness(step) if refuted else "",
        "why": prose_with_refs(step.why, d, numbering, results),
        "rule": escape(step.rule) if step.rule and step.rule != "transitivity" else "",
        "premises": premises, "mark": status_mark(result, refuted),
        "failed": result is not None and not result.status.ok,
        "counterexample": prose(result.counterexample or "") if result is not None else "",
        "found": witness_values(result.witness) if refuted and result is not None and
        result.witness else "",
    }


def witness_values(found: str) -> str:
    """What the kernel found at a refutation's witness, as a sentence: the exact values
    of both sides (the numbers a reader may quote)."""
    sides = re.search(r"lhs = (.*), rhs = (.*)$", found)
    if sides:
        return (f"At the witness the left side is exactly {formula(sides.group(1))} and the "
                f"right side {formula(sides.group(2))}.")
    return prose(found[:1].upper() + found[1:]) + "."


def _chapter_pattern(numbering: Numbering) -> str | None:
    """A chapter named by its file (``cross_entropy_gradient``, or ``see jacobian``),
    with a "the" before it and a "chapter" after it: the prose gets a link instead."""
    ids = sorted(numbering.titles, key=len, reverse=True)
    named = "|".join(c for c in ids if "_" in c)
    plain = "|".join(ids)
    if not ids:
        return None
    alternatives = [rf"(?<=see )(?:the )?({plain})(?![\w}}:])"] + (
        [rf"(?:the )?(?<![\w\\{{:])({named})(?![\w}}:])(?: chapter(?:'s)?)?"] if named else [])
    return "|".join(alternatives)


def chapter_links(text: str, numbering: Numbering) -> str:
    pattern = _chapter_pattern(numbering)
    return text if pattern is None else re.sub(
        pattern, lambda m: rf"Chapter~\ref{{ch:{m.group(1) or m.group(2)}}}", text)


def prose_with_refs(text: str, d, numbering, results) -> str:
    """Plain prose with ``[[…]]`` references and chapter names: typeset, then linked."""
    holders = {}

    def hold(match):
        key = f"REF{len(holders)}X"
        holders[key] = resolve(match.group(0), d, numbering, results) \
            if match.group(0).startswith("[[") else \
            rf"Chapter~\ref{{ch:{match.group(1) or match.group(2)}}}"
        return key

    pattern = r"\[\[.+?\]\]"
    ids = _chapter_pattern(numbering)
    out = prose(re.sub(pattern + (f"|{ids}" if ids else ""), hold, text))
    for key, tex in holders.items():
        out = out.replace(key, tex)
    return out


def intro_blocks(d: Derivation, numbering, results) -> list[str]:
    """The chapter's introduction: its first paragraph (a summary line) is dropped when it
    repeats the title; indented lines are displays."""
    paragraphs = [p for p in re.split(r"\n\s*\n", d.intro.strip()) if p.strip()]
    out = []
    for q, paragraph in enumerate(paragraphs):
        lines = paragraph.splitlines()
        if all(line.startswith("    ") for line in lines):
            out.append(r"\[ " + prose(" ".join(s.strip() for s in lines)).replace("$", "")
                       + r" \]")
            continue
        text = prose_with_refs(" ".join(s.strip() for s in lines), d, numbering, results)
        out.append(rf"\emph{{{text}}}" if q == 0 else text)
    return out


def chapter(d: Derivation, outcome: DerivationResult | None, numbering: Numbering,
            results: dict, *, proofs_here: bool = True) -> dict:
    """One chapter's view for the template."""
    mine = {r.name: r for r in outcome.results} if outcome else {}
    blocks = [{"kind": "text", "tex": t} for t in intro_blocks(d, numbering, results)]
    proofs = []
    for kind, item in d.items:
        if kind == "text":
            proofs.append({"kind": "text", "tex": chapter_links(
                resolve(item, d, numbering, results), numbering)})
        else:
            proofs.append(claim_block(d, item, mine.get(item.name), numbering, results))
    if proofs_here:
        blocks += proofs
    for figure in figures_for(d.id):
        view = {"kind": "figure", "name": figure.name, "caption": prose(figure.caption)}
        at = next((q for q, b in enumerate(blocks) if b.get("name") == figure.after), None)
        blocks.insert(len(blocks) if at is None else at + 1, view)
    audit = [{"number": numbering.number[(d.id, r.name)], "label": numbering.label(d.id, r.name),
              "status": prose(str(r.status)), "method": prose(r.method),
              "numeric": prose(r.numeric), "seconds": f"{r.seconds:.2f}"}
             for r in (outcome.results if outcome else []) if (d.id, r.name) in numbering.number]
    return {"id": d.id, "title": escape(d.title or d.id), "blocks": blocks,
            "proofs": [] if proofs_here else proofs,
            "sources": citations(d.sources), "audit": audit}


def citations(sources) -> str:
    r"""``\citet[locator]{key}`` for each source."""
    return "; ".join(rf"\citet[{escape(where)}]{{{key}}}" if where else rf"\citet{{{key}}}"
                     for key, where in sources)


def matrix_tex(outcomes: list[DerivationResult], numbering: Numbering) -> str | None:
    """The property matrix of every tagged step, each cell linked to its claim."""
    first = sorted(outcomes, key=lambda o: o.id != "properties")  # its columns first
    results = [r for o in first for r in o.results]
    matrix = property_matrix(results)
    if matrix is None:
        return None
    head = " & ".join(rf"\rotatebox{{90}}{{{prose(c)}}}" for c in matrix.columns)
    rows = []
    for row in matrix.rows:
        cells = []
        for column in matrix.columns:
            cell = matrix.cells.get((row, column))
            if cell is None:
                cells.append("")
                continue
            mark = {True: r"\checkmark", False: r"$\times$", None: "?"}[cell.holds]
            dagger = "" if category(cell.status) == "proven" else r"$^\dagger$"
            colour = "provencolor" if cell.holds else "failedcolor"
            owner = next(o.id for o in outcomes if any(r.name == cell.step for r in o.results))
            link = numbering.label(owner, cell.step) if (owner, cell.step) in \
                numbering.number else None
            tex = rf"\textcolor{{{colour}}}{{{mark}}}{dagger}"
            cells.append(rf"\hyperref[{link}]{{{tex}}}" if link else tex)
        rows.append(escape(row) + " & " + " & ".join(cells) + r" \\")
    return "\n".join([
        r"\begin{table}[htbp]\centering\small",
        rf"\begin{{tabular}}{{l{'c' * len(matrix.columns)}}}", r"\toprule",
        " & " + head + r" \\", r"\midrule", *rows, r"\bottomrule", r"\end{tabular}",
        r"\caption{The property matrix. \checkmark: proven; $\times$: refuted by an exact "
        r"witness; $^\dagger$: argued or checked only. Each mark links to its claim.}",
        r"\label{tab:properties}", r"\end{table}"])


# -- documents -------------------------------------------------------------------------------

def _environment():
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("whysoftmax.output", "templates"),
        block_start_string="((*", block_end_string="*))", variable_start_string="(((",
        variable_end_string=")))", comment_start_string="((#", comment_end_string="#))",
        trim_blocks=True, lstrip_blocks=True, autoescape=False, keep_trailing_newline=True)


def _render(**view) -> str:
    body = _environment().get_template("book.tex").render(
        packages="\n".join(usepackage_lines()), **view)
    declarations = unicode_declarations(body)
    return body.replace("%% UNICODE %%", declarations)


def reading_guide() -> list[dict]:
    """What each status means (from the one status table)."""
    return [{"mark": escape(look.mark), "colour": look.colour, "meaning": prose(look.meaning)}
            for look in LOOKS.values()] + [
        {"mark": "where", "colour": "provencolor", "meaning": prose(WHERE.partition(": ")[2])},
        {"mark": "assuming", "colour": "provencolor", "meaning": prose(
            "'proven assuming H': proven from the hypothesis H, a claim stated as such in the "
            "chapter; the theorem is 'if H, then …' (why exp, Luce, distillation)")},
        {"mark": "shown false", "colour": "provencolor", "meaning": prose(
            "a refutation: the kernel evaluated both sides exactly at the witness and they "
            "contradict the relation")}]


def book(outline: Outline, entries: list[tuple[Derivation, DerivationResult | None]]) -> str:
    """The book: the outline's parts and chapters, in its order."""
    known = {d.id for d, _ in entries}
    stray = sorted(known - set(outline.chapters))
    if stray:
        raise BookError(f"not in the outline {outline.folder / OUTLINE}: {', '.join(stray)}")
    by_id = dict((d.id, (d, o)) for d, o in entries)
    ordered = [by_id[c] for c in outline.chapters if c in by_id]
    numbering = Numbering([d for d, _ in ordered])
    results = {(o.id, r.name): r for _, o in ordered if o for r in o.results}
    outcomes = [o for _, o in ordered if o is not None]
    parts = []
    for part in outline.parts:
        chapters = [chapter(*by_id[c], numbering, results,
                            proofs_here=c not in outline.proofs_in_appendix)
                    for c in part.chapters if c in by_id]
        if chapters:
            parts.append({"title": escape(part.title), "chapters": chapters})
    for part in parts:
        for ch in part["chapters"]:
            if ch["id"] in outline.proofs_in_appendix:
                ch["matrix"] = matrix_tex(outcomes, numbering)
    return _render(book=True, title=escape(outline.title), subtitle=escape(outline.subtitle),
                   author=escape(outline.author), keywords=escape(outline.keywords),
                   parts=parts, notation=outline.notation, guide=reading_guide(),
                   bibliography=BIBLIOGRAPHY.removesuffix(".bib"))


def chapter_document(d: Derivation, outcome: DerivationResult | None, *,
                     cited: bool = True) -> str:
    """One derivation as its own document (claims numbered 1.k; references to other
    chapters become their names)."""
    numbering = Numbering([d])
    results = {(d.id, r.name): r for r in outcome.results} if outcome else {}
    view = chapter(d, outcome, numbering, results)
    matrix = matrix_tex([outcome], numbering) if outcome is not None else None
    view["matrix"] = matrix
    return _render(book=False, title=escape(d.title or d.id), subtitle="", author="",
                   keywords="", parts=[{"title": "", "chapters": [view]}], notation=(),
                   guide=reading_guide(), bibliography=BIBLIOGRAPHY.removesuffix(".bib")
                   if cited and d.sources else "")


def markdown_pages(outline: Outline, derivations: list[Derivation]) -> dict[str, str]:
    """The docs' pages in the book's order: an index with the outline's parts, and one
    page per chapter with the book's claim numbers."""
    by_id = {d.id: d for d in derivations}
    ordered = [by_id[c] for c in outline.chapters if c in by_id]
    numbering = Numbering(ordered)
    pages, toc = {}, []
    for part in outline.parts:
        chapters = [c for c in part.chapters if c in by_id]
        toc.append(f"```{{toctree}}\n:caption: {part.title}\n:maxdepth: 1\n\n"
                   + "\n".join(chapters) + "\n```")
        for c in chapters:
            numbers = {name: number for (chapter, name), number in numbering.number.items()
                       if chapter == c}
            title = f"# {numbering.chapter[c]}. {by_id[c].title or c}"
            page = markdown(by_id[c], numbers).replace("### ", "", 1).replace(
                by_id[c].title or c, title, 1)
            pages[c] = _as_markdown(resolve(page, by_id[c], numbering, {}), numbering)
    pages["index"] = (f"# {outline.title}\n\n{outline.subtitle}\n\nThe chapters of the "
                      "book, in its order, with its claim numbers; the statuses are in the "
                      "PDF and in `whysoftmax check`.\n\n" + "\n\n".join(toc) + "\n")
    return pages


def _as_markdown(text: str, numbering: Numbering) -> str:
    """The book's LaTeX prose commands as Markdown: links become their names."""
    swaps = [(r"Claim~\\ref\{c:[\w]+:([\d.]+)\}", r"Claim \1"),
             (r"Chapter~\\ref\{ch:(\w+)\}",
              lambda m: f"the chapter *{numbering.titles.get(m.group(1), m.group(1))}*"),
             (r"(Figure|Table)~\\ref\{[^}]*\}", r"the \1"),
             (r"\\textbf\{([^}]*)\}", r"**\1**"), (r"\\emph\{([^}]*)\}", r"*\1*"),
             (r"(?<!\\)~", " ")]
    for pattern, replacement in swaps:
        text = re.sub(pattern, replacement, text)
    return text


__all__ = ["Numbering", "book", "chapter_document", "markdown_pages"]
