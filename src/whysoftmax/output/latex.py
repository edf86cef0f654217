r"""LaTeX building blocks: readable formulas, typeset prose, claims as display maths.

The problem: ``sympy.latex`` prints ``{z}_{i}`` for ``z[i]``, expands softmax into
``e^{z_i}/Σ_j e^{z_j}`` and reorders terms; step names and justifications are plain text
with formulas in them (``s_k − δ_yk``, ``e^{−g}``) that would print their ``^{`` and ``_``
literally. :mod:`.notation` prints in the written order and under the book's names
(``s_i``, ``\operatorname{lse}(z)``, ``\max z``); :func:`prose` typesets the formulas in
plain text as mathematics and escapes the rest; every non-ASCII character of a document
is declared for pdflatex from one table (unknown ones print as a visible ``?``, never an
error).

Examples
--------
>>> prose("each trailing term ≤ e^{−g}, so s_k ≤ 1")
'each trailing term $\\le e^{-g}$, so $s_k \\le 1$'
"""

from __future__ import annotations

import re

from sympy import IndexedBase, oo

from ..derivation import Derivation, Step
from ..kernel.claim import Relation
from .notation import math, written

# -- characters -----------------------------------------------------------------------------

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
    "¹": "^{1}", "⁻": "^{-}", "⁶": "^{6}", "₀": "_{0}", "₁": "_{1}", "₂": "_{2}",
    "ₖ": "_{k}", "ᵢ": "_{i}", "ⱼ": "_{j}", "½": r"\tfrac12", "ℓ": r"\ell", "∗": "*",
    "✓": r"\checkmark", "✗": r"\times", "∘": r"\circ", "≪": r"\ll", "≫": r"\gg",
    "⊂": r"\subset", "Φ": r"\Phi", "⊕": r"\oplus", "′": "'",
    "Γ": r"\Gamma", "̄": "", "⁺": "^{+}", "Π": r"\Pi", "∏": r"\prod", "∫": r"\int",
    "↦": r"\mapsto", "⌊": r"\lfloor", "⌋": r"\rfloor", "⌈": r"\lceil", "⌉": r"\rceil",
    "⁰": "^{0}", "⁷": "^{7}",
}
_TEXT = {"§": r"\S{}", "–": "--", "—": "---", "’": "'", "‘": "`", "“": "``", "”": "''",
         "é": r"\'e", "è": r"\`e", "ü": r"\"u", "ö": r"\"o", "ä": r"\"a", "ç": r"\c{c}",
         "ß": r"\ss{}", "ó": r"\'o", "á": r"\'a", "\u00a0": "~"}


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
    """Plain text as safe LaTeX (every special character printed as itself)."""
    return "".join(_ESCAPES.get(c, c) for c in text)


# -- prose: formulas inside plain text --------------------------------------------------------

#: Words that are mathematics when they stand alone.
_MATH_WORDS = {"log", "exp", "max", "min", "lse", "softmax", "sparsemax", "sin", "cos",
               "tanh", "argmax", "erf", "Var", "KL", "diag", "sign", "E"}
_OPERATORS = set("^_=<>+/*|") | set("≤≥≠≈→∂∇Σ∑√‖⟨⟩·∞±ᵀ⊕−×′∫∏Π↦")
_GREEK = set("αβγδεηθλμπρστφψωΔΓΦℓ")
_FUNCTIONS = {"log": r"\log", "exp": r"\exp", "max": r"\max", "min": r"\min",
              "sin": r"\sin", "cos": r"\cos", "tanh": r"\tanh"}
_OPERATOR_NAMES = ("lse", "softmax", "sparsemax", "argmax", "erf", "Var", "KL", "diag",
                   "sign")


def _strength(token: str) -> int:
    """2: surely mathematics; 1: mathematics next to mathematics (a letter, a number);
    0: a word."""
    core = token.strip(".,;:!?'\"")
    if not core:
        return 0
    letters = re.sub(r"[^A-Za-z]", "", core)
    if "{" in core or "}" in core or re.search(
            r"(?<![A-Za-z])(" + "|".join(_MATH_WORDS) + r")\(", core):
        return 2  # braces, or a function applied: lse(z), log(1 + x)
    if re.fullmatch(r"[A-Za-z]{3,}(_[A-Za-z]{3,})+", core.strip("()")):  # a file's name
        return 0
    if any(c in _OPERATORS or c in _GREEK or c in "²³¹⁻ⁿ₀₁₂ₖᵢⱼ" for c in core):
        return 2 if len(letters) <= 3 or re.search(r"[_^=≤≥<>(]", core) or letters.lower() in \
            _MATH_WORDS or any(w in core for w in _MATH_WORDS) else 0
    if core in _MATH_WORDS or (("(" in core or ")" in core) and len(letters) <= 2):
        return 1
    if len(letters) <= 1 and (letters or core.replace(".", "").isdigit()):
        return 1
    return 0


def _math_run(text: str) -> str:
    """A run of plain-text mathematics as LaTeX (without ``$``); a word inside it is
    text, and a parenthesis the author set apart keeps its space (``c = 0 (M ≤ 0)``)."""
    tex = ""
    for word in text.split(" "):
        part = rf"\text{{ {escape(word)} }}" if _strength(word) == 0 and len(
            re.sub(r"[^A-Za-z]", "", word)) > 1 else _math_word(word)
        apart = word.startswith("(") and re.search(r"[\w)}]\s*$", tex)
        tex += (r"\ " if apart else " ") + part
    return tex.strip()


_SUBSCRIPTS = dict(zip("₀₁₂₃₄₅₆₇₈₉ₖᵢⱼ", "0123456789kij", strict=True))
_SUPERSCRIPTS = dict(zip("⁰¹²³⁴⁵⁶⁷⁸⁹⁻ⁿ⁺", "0123456789-n+", strict=True))


def _math_word(word: str) -> str:
    word = re.sub("[₀-₉ₖᵢⱼ]+", lambda m: "_{" + "".join(_SUBSCRIPTS[c] for c in m.group())
                  + "}", word)
    word = re.sub("[⁰¹²³⁴-⁹⁻ⁿ⁺]+", lambda m: "^{" + "".join(_SUPERSCRIPTS[c] for c in m.group())
                  + "}", word)
    word = re.sub(r"\^(-?[0-9A-Za-z.]+)", r"^{\1}", word)  # 2^-1074: the whole exponent
    out = re.sub(r"_([A-Za-z]{3,})", r"_{\\mathrm{\1}}", word)  # n_min: a word as index
    out = re.sub(r"_([A-Za-z0-9]{2})(?![A-Za-z0-9])", r"_{\1}", out)  # δ_ik: two indices
    alone = r"(?<![\\A-Za-z])(?<!\\mathrm{{){word}(?![A-Za-z])"
    for name in _OPERATOR_NAMES:
        out = re.sub(alone.format(word=name), rf"\\operatorname{{{name}}}", out)
    for name, macro in _FUNCTIONS.items():
        out = re.sub(alone.format(word=name), macro.replace("\\", "\\\\"), out)
    symbols = {**UNICODE, "Σ": r"\sum", "Π": r"\prod"}
    out = "".join(symbols.get(c, c) + (" " if symbols.get(c, "").startswith("\\") and
                                         symbols[c][-1].isalpha() else "") for c in out)
    return out.replace("%", r"\%").replace("#", r"\#").replace("&", r"\&")


def formula(text: str) -> str:
    """Plain-text mathematics (``-1000000/1001``, ``E/(1 + E)``) as inline maths."""
    return f"${_math_run(text)}$"


def _open(run: str) -> bool:
    """More brackets opened than closed."""
    return run.count("(") > run.count(")") or run.count("{") > run.count("}")


def prose(text: str) -> str:
    """Plain text with formulas in it, as LaTeX: ``$…$`` is kept as written, runs of
    mathematics (``s_k ≤ 1``, ``e^{−g}``, ``k = i``) become inline maths, the rest is
    escaped."""
    text = re.sub(r"(?<![\w*])\*(\w[^*]*?)\*(?![\w*])", "\x00\\1\x01", text)  # *word*
    pieces = re.split(r"(\$[^$]*\$|\[\[.+?\]\])", text)  # maths, [[references]] kept
    out = []
    for piece in pieces:
        if (piece.startswith("$") and piece.endswith("$") and len(piece) > 1) or (
                piece.startswith("[[") and piece.endswith("]]")):
            out.append(piece)
            continue
        tokens = re.split(r"(\s+)", piece)
        words = tokens[0::2]
        strengths = [_strength(w) for w in words]
        mathy = [s == 2 or (s == 1 and any(
            t == 2 for t in strengths[max(0, q - 1):q + 2])) for q, s in enumerate(strengths)]
        q = 0
        while q < len(words):
            if not mathy[q]:
                out.append(escape(words[q]))
                if 2 * q + 1 < len(tokens):
                    out.append(tokens[2 * q + 1])
                q += 1
                continue
            start = q
            while q + 1 < len(words) and (mathy[q + 1] or _open(" ".join(words[start:q + 1]))):
                q += 1
            run = " ".join(words[start:q + 1])
            trail = re.search(r"[.,;:!?]*$", run).group()
            core = run[: len(run) - len(trail)] if trail else run
            out.append(f"${_math_run(core)}$" + trail)
            if 2 * q + 1 < len(tokens):
                out.append(tokens[2 * q + 1])
            q += 1
    return "".join(out).replace("\x00", r"\emph{").replace("\x01", "}")


# -- claims ---------------------------------------------------------------------------------

_RELATION = {Relation.EQ: "=", Relation.LE: r"\le", Relation.LT: "<"}
_REFUTED = {"=": "=", "<=": r"\le", "<": "<"}


def claim(step: Step) -> tuple[str, str, str]:
    """The step's claim as display mathematics: (left side, relation, right side)."""
    if step.approx is not None:
        expr, decimal = step.approx
        mantissa, _, exponent = decimal.lower().partition("e")
        shown = rf"{mantissa} \cdot 10^{{{int(exponent)}}}" if exponent else decimal
        return math(expr), r"\approx", shown
    lhs, rhs = math(step.lhs), (math(step.rhs) if step.rhs is not None else "")
    if lhs == rhs:  # the book's names hid the difference: the left side as written
        lhs = written(step.lhs)
    if step.relation is Relation.LIMIT:
        point = r"\infty" if step.point == oo else (r"-\infty" if step.point == -oo
                                                     else math(step.point))
        return rf"\lim_{{{math(step.variable)} \to {point}}} {lhs}", "=", rhs
    if step.relation is Relation.REFUTES:
        if step.refuted == "defined":
            return lhs, "", r"\text{is undefined at the witness}"
        return lhs, rf"\not{_REFUTED[step.refuted]}", rhs
    return lhs, _RELATION[step.relation], rhs


def _visible_length(tex: str) -> int:
    """Roughly how wide ``tex`` prints, in characters."""
    return len(re.sub(r"\\[A-Za-z]+|[{}^_ ]", "", tex))


def _one_line(lhs: str, relation: str, rhs: str) -> str:
    """The claim on one line; a premise whose two sides print alike (both evaluate to
    one form) is shown once."""
    return rf"{lhs} \qquad \text{{(both sides)}}" if lhs == rhs else f"{lhs} {relation} {rhs}"


def display(step: Step, width: int = 70) -> str:
    """The claim as display mathematics, broken before the relation (``multline``) when
    it would not fit on one line."""
    lhs, relation, rhs = claim(step)
    if lhs == rhs or _visible_length(lhs + rhs) <= width:
        return rf"\[ {_one_line(lhs, relation, rhs)} \]"
    return rf"\begin{{multline*}} {lhs} \\ {relation} {rhs} \end{{multline*}}"


def witness(step: Step) -> str:
    """A refutation's witness as inline mathematics."""
    parts = []
    for key, value in step.witness.items():
        shown = (r"\left(" + ", ".join(math(v) for v in value) + r"\right)"
                 if isinstance(value, tuple) else math(value))
        name = math(key.label) if isinstance(key, IndexedBase) else math(key)
        parts.append(f"{name} = {shown}")
    return "$" + r",\ ".join(parts) + "$"


def markdown(derivation: Derivation, numbers: dict[str, str] | None = None) -> str:
    """The derivation as Markdown (Jupyter, the docs): title, sources, prose and each claim
    as display maths, numbered by ``numbers`` (step name → "4.3") when given.

    Statuses are not shown: displaying does not check (run ``check_derivation``).
    """
    parts = [f"### {derivation.title or derivation.id}"]
    if derivation.sources:
        parts.append("*Sources:* " + "; ".join(
            f"{key} ({where})" if where else key for key, where in derivation.sources))
    parts += [_markdown_prose(" ".join(p.split()))
              for p in re.split(r"\n\s*\n", derivation.intro.strip())[1:] if p.strip()]
    for kind, item in derivation.items:
        if kind == "text":
            parts.append(item)
        else:
            why = f" — {_markdown_prose(item.why)}" if item.why else ""
            number = f"Claim {numbers[item.name]} " if numbers and item.name in numbers else ""
            parts.append(f"**{number}({_markdown_prose(item.name)})**{why}\n\n"
                         f"$$ {_one_line(*claim(item))} $$")
    return "\n\n".join(parts)


def _markdown_prose(text: str) -> str:
    """:func:`prose` for Markdown: the same inline maths; Markdown reads ``\\%``, ``\\_``
    as the characters themselves."""
    return re.sub(r"\\emph\{([^}]*)\}", r"*\1*", prose(text))
