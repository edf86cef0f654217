"""The book as a reader gets it: the outline's order, typeset mathematics, numbered and
referred-to figures, one entry per work, metadata and linked premises (issue 13).

The whole catalog is checked and typeset once for this module (about 90 s).
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from sympy import Derivative, Function, Subs, Symbol

from whysoftmax.cli import main
from whysoftmax.output.book import book
from whysoftmax.output.latex import prose
from whysoftmax.output.notation import math
from whysoftmax.output.outline import BookError, bib_keys, read_outline

from .conftest import DERIVATIONS


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("book")
    code = main(["build", str(DERIVATIONS), "--out", str(out), "--points", "2",
                 "--no-cache"])
    assert code == 0
    return out


def test_chapters_follow_the_outline(built):
    outline = read_outline(DERIVATIONS / "outline.toml")
    tex = (built / "whysoftmax.tex").read_text()
    order = re.findall(r"\\chapter\{.*?\}\\label\{ch:(\w+)\}", tex)
    assert order == outline.chapters
    files = {p.stem for p in DERIVATIONS.glob("*.py")}
    assert files == set(outline.chapters)  # every derivation has its place


def test_the_short_answer_and_the_notation_come_first(built):
    text = pdf_text(built / "whysoftmax.pdf")
    reading, notation = text.index("How to read this book"), text.index("Notation\n")
    assert text.index("The short answer", notation) > notation > reading


def test_no_raw_tex_reaches_the_reader(built):
    text = pdf_text(built / "whysoftmax.pdf")
    for raw in ("^{", "_{", "\\", "$"):
        assert raw not in text, f"{raw!r} printed in the book"
    for leak in ("zoo", "None", "lhs =", "2ˆ", "object at 0x", "built-in"):
        assert leak not in text


def test_no_display_shows_the_same_formula_on_both_sides(built):
    tex = (built / "whysoftmax.tex").read_text()
    displays = re.findall(r"\\\[ (.*?) = (.*?) \\\]", tex)
    assert len(displays) > 150
    same = [lhs for lhs, rhs in displays if lhs.strip() == rhs.strip()]
    assert not same, same[:3]
    assert r"\left. \frac{d}" not in tex  # f′(0), not d/dt f(t) at t = 0


def test_figures_are_numbered_captioned_and_referred_to(built):
    text = pdf_text(built / "whysoftmax.pdf")
    captions = re.findall(r"Figure (\d+\.\d+):", text)
    assert len(captions) >= 6
    for number in captions:
        assert text.count(f"Figure {number}") >= 2  # the caption and a sentence


def test_every_work_is_listed_once(built):
    bib = (DERIVATIONS / "references.bib").read_text()
    titles = re.findall(r"(?<!book)title = \{(.+?)\},", bib)
    assert len(titles) == len(set(titles))
    text = pdf_text(built / "whysoftmax.pdf")
    references = " ".join(text[text.rindex("Bibliography"):].split())
    assert references.count("Deep Learning. MIT Press") == 1
    assert references.count("Accurately computing the") == 1


def test_metadata_and_linked_premises(built):
    info = subprocess.run(["pdfinfo", str(built / "whysoftmax.pdf")], capture_output=True,
                          text=True, check=True).stdout
    assert re.search(r"^Title:\s+Why softmax\?", info, re.M)
    tex = (built / "whysoftmax.tex").read_text()
    premises = re.findall(r"\\from (.*?)\.(?:\\end|\n)", tex)
    assert premises and all(re.fullmatch(r"(Claim~\\ref\{c:[\w:.]+\}(, |, by .*|$))+", p)
                            for p in premises), "a premise that is not a link"
    xml = subprocess.run(["pdftohtml", "-xml", "-i", "-stdout", str(built / "whysoftmax.pdf")],
                         capture_output=True, text=True, check=True).stdout
    linked = re.findall(r'<a href="[^"]*#\d+">(\d+\.\d+)</a>', xml)
    assert len(linked) >= sum(p.count("\\ref{c:") for p in premises)


def test_a_derivation_outside_the_outline_is_an_error(tmp_path):
    outline = tmp_path / "outline.toml"
    outline.write_text('title = "T"\n[[parts]]\ntitle = "P"\nchapters = ["a"]\n')
    from whysoftmax import Derivation

    with pytest.raises(BookError, match="not in the outline"):
        book(read_outline(outline), [(Derivation("stray"), None)])


def test_a_bad_outline_and_an_unknown_reference_say_so(tmp_path):
    bad = tmp_path / "outline.toml"
    bad.write_text("title = 1\n[[parts]]\n")
    with pytest.raises(BookError, match="not a book outline"):
        read_outline(bad)
    good = tmp_path / "good.toml"
    good.write_text('title = "T"\n[[parts]]\ntitle = "P"\nchapters = ["a"]\n')
    from whysoftmax import Derivation

    d = Derivation("a")
    d.text("see [[:no such claim]]")
    with pytest.raises(BookError, match="unknown reference"):
        book(read_outline(good), [(d, None)])


def test_citation_keys_exist():
    keys = bib_keys(DERIVATIONS / "references.bib")
    assert len(keys) == len(set(keys))
    for path in DERIVATIONS.glob("*.py"):
        cited = re.search(r"sources=\[(.*?)\]", path.read_text(), re.S)
        for key in re.findall(r'\("(\w+)", "[^"]*"\)', cited.group(1) if cited else ""):
            assert key in keys, f"{path.name} cites {key}"


def test_first_derivatives_print_with_a_prime():
    f, t, x = Function("f"), Symbol("t"), Symbol("x")
    assert math(Subs(Derivative(f(t), t), t, 0)) == "f'(0)"
    assert math(Derivative(f(x), x) * f(x)) == r"f'(x) f{\left(x \right)}"
    assert math(Derivative(f(x) * x, x)) == r"\frac{d}{d x} \left(x f{\left(x \right)}\right)"


def test_prose_typesets_formulas_and_escapes_text():
    assert prose("s_k ≤ 1 and 50% of #3") == r"$s_k \le  1$ and 50\% of \#3"
    assert prose("a log's argument (the rest)") == "a log's argument (the rest)"
    assert r"0\ (M" in prose("c = 0 (M ≤ 0)")  # the author's space before "(" is kept
    assert "^{" not in prose("e^{−g}").replace("$e^{-g}$", "")
