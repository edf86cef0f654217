"""LaTeX for derivations: readable mathematics, prose, statuses and numeric checks.

The problem: ``sympy.latex`` prints ``{z}_{i}`` for ``z[i]``, ``\\delta_{ab c}`` for
``KroneckerDelta(ab, c)`` and reorders terms; step justifications are plain text full of
Unicode (σ, ≤, ∂, ᵀ) that pdflatex rejects. :class:`ReportPrinter` fixes the printing,
:func:`escape` turns prose into safe LaTeX, and every non-ASCII character of a document
is declared for pdflatex from one table (unknown ones print as a visible ``?``, never an
error).

A failed step is typeset in red with its counterexample; nothing is hidden.
"""

from __future__ import annotations

from collections.abc import Iterable

import mpmath
from sympy import Indexed, MatrixBase, oo
from sympy.printing.latex import LatexPrinter

from ..derivation import Derivation, Step
from ..engine.results import DerivationResult, StepResult
from ..kernel.claim import Relation
from .figures import Figure, figures_for
from .matrix import property_matrix
from .style import LOOKS, category
from .tex_requirements import usepackage_lines


class ReportPrinter(LatexPrinter):
    """SymPy's LaTeX printer with readable indices, deltas and huge rationals."""

    def __init__(self):
        super().__init__()

    def _print_Indexed(self, expr: Indexed) -> str:
        base = self._print(expr.base.label)
        indices = ",".join(self._print(i) for i in expr.indices)
        return f"{base}_{{{indices}}}"

    def _print_KroneckerDelta(self, expr, exp=None) -> str:
        i, j = (self._print(a) for a in expr.args)
        sep = "" if len(i) == 1 and len(j) == 1 else ","
        tex = rf"\delta_{{{i}{sep}{j}}}"
        return tex if exp is None else rf"\left({tex}\right)^{{{exp}}}"

    def _print_Rational(self, expr) -> str:
        # Exact rationals with hundreds of digits (0.1**324) are shown, marked, to 17
        # significant digits; the step itself was decided on the exact number.
        if max(abs(expr.p).bit_length(), expr.q.bit_length()) <= 133:  # ≤ 40 digits
            return super()._print_Rational(expr)
        with mpmath.workdps(20):
            mantissa, exponent = mpmath.nstr(mpmath.mpf(expr.p) / expr.q, 17).split("e")
        return rf"\left(\approx {mantissa} \cdot 10^{{{int(exponent)}}}\right)"

    def _print_log1p(self, expr, exp=None) -> str:
        tex = rf"\operatorname{{log1p}}\left({self._print(expr.args[0])}\right)"
        return tex if exp is None else rf"{tex}^{{{exp}}}"


_PRINTER = ReportPrinter()


def math(expr) -> str:
    """LaTeX for a SymPy expression or matrix (without the surrounding ``$``)."""
    if isinstance(expr, MatrixBase):
        rows = [" & ".join(_PRINTER.doprint(e) for e in expr.row(r)) for r in range(expr.rows)]
        return r"\begin{pmatrix}" + r" \\ ".join(rows) + r"\end{pmatrix}"
    return _PRINTER.doprint(expr)


#: LaTeX for the non-ASCII characters of prose (declared for pdflatex).
UNICODE = {
    "α": r"\alpha", "β": r"\beta", "γ": r"\gamma", "δ": r"\delta", "ε": r"\varepsilon",
    "η": r"\eta", "θ": r"\theta", "λ": r"\lambda", "μ": r"\mu", "π": r"\pi", "ρ": r"\rho",
    "σ": r"\sigma", "τ": r"\tau", "φ": r"\phi", "ψ": r"\psi", "ω": r"\omega", "Σ": r"\Sigma",
    "Δ": r"\Delta", "∂": r"\partial", "∇": r"\nabla", "≤": r"\le", "≥": r"\ge", "≠": r"\ne",
    "≈": r"\approx", "→": r"\to", "⇒": r"\Rightarrow", "∞": r"\infty", "−": "-",
    "×": r"\times", "·": r"\cdot", "⊙": r"\odot", "‖": r"\|", "⟨": r"\langle",
    "⟩": r"\rangle", "ℝ": r"\mathbb{R}", "∈": r"\in", "∑": r"\sum", "√": r"\surd",
    "±": r"\pm", "…": r"\dots", "ᵀ": r"^{\top}", "ⁿ": "^{n}", "²": "^{2}", "³": "^{3}",
    "¹": "^{1}", "⁻": "^{-}", "₀": "_{0}", "₁": "_{1}", "₂": "_{2}", "ₖ": "_{k}",
    "ᵢ": "_{i}", "ⱼ": "_{j}", "½": r"\tfrac12", "ℓ": r"\ell", "∗": "*", "✓": r"\checkmark",
    "✗": r"\times", "∘": r"\circ", "≪": r"\ll", "≫": r"\gg", "⊂": r"\subset",
    "Φ": r"\Phi",
}
_TEXT = {"§": r"\S{}", "–": "--", "—": "---", "’": "'", "‘": "`", "“": "``", "”": "''", "é": r"\'e",
         "è": r"\`e", "ü": r"\"u", "ö": r"\"o", "ä": r"\"a", "ç": r"\c{c}", "ß": r"\ss{}"}


def unicode_declarations(text: str) -> str:
    """``\\DeclareUnicodeCharacter`` lines for every non-ASCII character in ``text``."""
    lines = []
    for char in sorted({c for c in text if ord(c) > 127}):
        if char in UNICODE:
            body = rf"\ensuremath{{{UNICODE[char]}}}"
        elif char in _TEXT:
            body = _TEXT[char]
        else:
            body = r"\textbf{?}"
        lines.append(rf"\DeclareUnicodeCharacter{{{ord(char):04X}}}{{{body}}}")
    return "\n".join(lines)


_ESCAPES = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#",
            "_": r"\_", "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}",
            "^": r"\textasciicircum{}"}


def escape(text: str) -> str:
    """Plain text (titles, step names, justifications) as safe LaTeX."""
    return "".join(_ESCAPES.get(c, c) for c in text)


# -- steps ------------------------------------------------------------------------------------

_RELATION = {Relation.EQ: "=", Relation.LE: r"\le", Relation.LT: "<"}
_REFUTED = {"=": "=", "<=": r"\le", "<": "<"}


def claim(step: Step) -> str:
    """The step's claim as display mathematics (no delimiters)."""
    lhs, rhs = math(step.lhs), (math(step.rhs) if step.rhs is not None else "")
    if step.approx is not None:
        expr, decimal = step.approx
        return rf"{math(expr)} \approx {decimal} \quad \text{{(to the digits shown)}}"
    if step.relation is Relation.LIMIT:
        point = r"\infty" if step.point == oo else (r"-\infty" if step.point == -oo
                                                     else math(step.point))
        return rf"\lim_{{{math(step.variable)} \to {point}}} {lhs} = {rhs}"
    if step.relation is Relation.REFUTES:
        if step.refuted == "defined":
            return rf"{lhs} \ \text{{is undefined at the witness}}"
        return rf"{lhs} \;\not{_REFUTED[step.refuted]}\; {rhs}\ \text{{at the witness}}"
    return f"{lhs} {_RELATION[step.relation]} {rhs}"


def fitted(body: str) -> str:
    """Display mathematics scaled down to the line width when it would overflow."""
    return (r"\[\resizebox{\ifdim\width>\linewidth\linewidth\else\width\fi}{!}"
            rf"{{$\displaystyle {body}$}}\]")


def status_line(result: StepResult | None) -> str:
    """The status mark and the numeric cross-check, for the line under a step."""
    if result is None:
        return r"\textit{not checked in this build}"
    colour = LOOKS[category(result.status)].colour
    label = escape(str(result.status)) + (" (engine error)" if result.engine_error else "")
    parts = [rf"\textcolor{{{colour}}}{{\textbf{{{label}}}}}", escape(result.method)]
    if result.detail:
        parts.append(escape(result.detail))
    return r" \quad ".join(parts[:1]) + " --- " + "; ".join(parts[1:])


def step_block(step: Step, result: StepResult | None) -> str:
    """One step: its name, the claim, the justification, the status."""
    failed = result is not None and not result.status.ok
    head = rf"\paragraph{{{escape(step.name)}}}"
    if step.relation is Relation.REFUTES:
        head += " (refutation)"
    body = fitted(claim(step))
    if failed:
        body = rf"{{\color{{failedcolor}}{body}}}"
    lines = [head, body]
    if step.why:
        lines.append(escape(step.why))
    if step.rule:
        lines.append(rf"\emph{{By {escape(step.rule)}}} from: "
                     + ", ".join(escape(p) for p in step.premises) + ".")
    lines.append(r"\par\noindent{\small " + status_line(result) + "}")
    return "\n\n".join(lines)


def figure_float(figure: Figure) -> str:
    """A figure as a float with its caption, labelled ``fig:<name>``."""
    return "\n".join([
        r"\begin{figure}[htbp]\centering",
        rf"\includegraphics[width=0.9\linewidth]{{figures/{figure.name}.pdf}}",
        rf"\caption{{{escape(figure.caption)}}}\label{{fig:{figure.name}}}",
        r"\end{figure}",
    ])


def derivation_body(derivation: Derivation, outcome: DerivationResult | None) -> str:
    """The content of one derivation: sources, prose and steps, in order; the property
    matrix when its steps settle one; its figures."""
    results = {r.name: r for r in outcome.results} if outcome else {}
    parts = []
    if derivation.sources:
        parts.append(r"\noindent\textbf{Sources.} "
                     + "; ".join(escape(s) for s in derivation.sources) + ".")
    if outcome is not None:
        parts.append(r"\noindent\textbf{Summary.} " + escape(summary(outcome)) + ".")
    for kind, item in derivation.items:
        if kind == "text":
            parts.append(item)
        else:
            parts.append(step_block(item, results.get(item.name)))
    matrix = property_matrix(outcome.results) if outcome is not None else None
    if matrix is not None:
        parts.append(matrix_table(matrix))
    for figure in figures_for(derivation.id):
        parts.append(rf"Figure~\ref{{fig:{figure.name}}} shows it numerically."
                     + "\n" + figure_float(figure))
    return "\n\n".join(parts)


def summary(outcome: DerivationResult) -> str:
    counts: dict[str, int] = {}
    for r in outcome.results:
        key = str(r.status)
        counts[key] = counts.get(key, 0) + 1
    return f"{len(outcome.results)} steps: " + ", ".join(f"{v} {k}" for k, v in counts.items())


PREAMBLE = "\n".join([
    *usepackage_lines(),
    r"\definecolor{provencolor}{RGB}{0,110,40}",
    r"\definecolor{checkedcolor}{RGB}{170,110,0}",
    r"\definecolor{arguedcolor}{RGB}{200,90,0}",
    r"\definecolor{failedcolor}{RGB}{200,0,0}",
    r"\setlength{\parindent}{0pt}",
    r"\setlength{\parskip}{0.5em}",
    "",
])


def document(title: str, body: str, klass: str = "article", front: str = "",
             subtitle: str = "") -> str:
    """A complete document around ``body``, declaring the Unicode it uses; ``subtitle``
    goes on the title page, ``front`` (say a table of contents) right after it."""
    text = body + title + front + subtitle
    return "\n".join([
        rf"\documentclass[11pt]{{{klass}}}",
        PREAMBLE,
        unicode_declarations(text),
        rf"\title{{{escape(title)}}}",
        r"\author{whysoftmax}",
        rf"\date{{{subtitle}}}",
        r"\begin{document}",
        r"\maketitle",
        front,
        body,
        r"\end{document}",
        "",
    ])


def derivation_document(derivation: Derivation, outcome: DerivationResult | None) -> str:
    """A standalone document for one derivation."""
    return document(derivation.title or derivation.id, derivation_body(derivation, outcome))


def matrix_table(matrix) -> str:
    """The property matrix as a booktabs table (✓ has it, ✗ refuted; † not proven)."""
    cols = matrix.columns
    head = " & ".join(rf"\rotatebox{{70}}{{{escape(c)}}}" for c in cols)
    rows = []
    for row in matrix.rows:
        cells = []
        for column in cols:
            cell = matrix.cells.get((row, column))
            if cell is None:
                cells.append("")
                continue
            mark = {True: r"\checkmark", False: r"$\times$", None: "?"}[cell.holds]
            dagger = "" if category(cell.status) == "proven" else r"$^\dagger$"
            colour = "provencolor" if cell.holds else "failedcolor"
            cells.append(rf"\textcolor{{{colour}}}{{{mark}}}{dagger}")
        rows.append(escape(row) + " & " + " & ".join(cells) + r" \\")
    return "\n".join([
        r"\begin{table}[h]\centering\small",
        rf"\begin{{tabular}}{{l{'c' * len(cols)}}}",
        r"\toprule",
        " & " + head + r" \\",
        r"\midrule",
        *rows,
        r"\bottomrule",
        r"\end{tabular}",
        r"\caption{The property matrix, built from the checked steps above. "
        r"\checkmark: proven; $\times$: refuted by an exact witness; $^\dagger$: the cell's "
        r"step is only checked numerically (or rests on such a step).}",
        r"\end{table}",
    ])


def book(entries: Iterable[tuple[Derivation, DerivationResult | None]]) -> str:
    """The book: a chapter per derivation (the property matrix in its own), references."""
    entries = list(entries)
    chapters = []
    for derivation, outcome in entries:
        chapters.append(rf"\chapter{{{escape(derivation.title or derivation.id)}}}")
        chapters.append(derivation_body(derivation, outcome))
    sources = sorted({s for d, _ in entries for s in d.sources})
    chapters.append(r"\chapter*{References}\addcontentsline{toc}{chapter}{References}")
    if sources:
        chapters.append(r"\begin{itemize}" + "".join(rf"\item {escape(s)}" for s in sources)
                        + r"\end{itemize}")
    else:
        chapters.append("No sources are cited.")
    subtitle = (r"Why softmax, and not just dividing by the sum?\\[1ex] Every claim in this "
                r"book was checked by SymPy and mpmath when it was built.")
    return document("whysoftmax: checked derivations", "\n\n".join(chapters), "report",
                    r"\tableofcontents", subtitle)


def markdown(derivation: Derivation) -> str:
    """The derivation for Jupyter: title, sources, prose and each claim as display math.

    Statuses are not shown: displaying does not check (run ``check_derivation``).
    """
    parts = [f"### {derivation.title or derivation.id}"]
    if derivation.sources:
        parts.append("*Sources:* " + "; ".join(derivation.sources))
    for kind, item in derivation.items:
        if kind == "text":
            parts.append(item)
        else:
            why = f" — {item.why}" if item.why else ""
            parts.append(f"**{item.name}**{why}\n\n$$ {claim(item)} $$")
    return "\n\n".join(parts)
