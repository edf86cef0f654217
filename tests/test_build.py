"""LaTeX reports and PDFs: real latexmk, text extracted with pdftotext, atomic output."""

from __future__ import annotations

import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest

from whysoftmax import build as build_module
from whysoftmax.cli import main
from whysoftmax.latex import escape, markdown

from .conftest import DERIVATIONS


@pytest.fixture(autouse=True, scope="module")
def tex_is_installed():
    """These tests never skip for lack of TeX: 'make test' installs it."""
    if shutil.which("latexmk") is None or shutil.which("pdftotext") is None:
        pytest.fail(f"TeX is missing; run 'make test' (it installs TeX) or: sudo apt-get "
                    f"install -y {build_module.TEX_PACKAGES}")


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("build")
    code = main(["build", str(DERIVATIONS / "jacobian.py"), str(DERIVATIONS / "sigmoid.py"),
                 "--out", str(out), "-j", "1", "--points", "2"])
    return code, out


def test_build_writes_tex_pdfs_and_the_book(built):
    code, out = built
    assert code == 0
    for name in ("jacobian", "sigmoid", "whysoftmax"):
        assert (out / f"{name}.tex").exists()
        assert (out / f"{name}.pdf").read_bytes().startswith(b"%PDF")


def test_pdf_shows_title_formula_and_every_status(built):
    _, out = built
    text = pdf_text(out / "jacobian.pdf")
    assert "The Jacobian of softmax" in text
    assert "∂" in text and "δ" in text  # the Jacobian's formula was typeset
    for step in ("jacobian", "diagonal", "symmetric", "rows sum to zero", "matrix form"):
        assert step in text
    assert text.count("proven —") == 5
    assert "50 digits" in text  # the numeric cross-check is reported


def test_book_has_contents_chapters_and_references(built):
    _, out = built
    text = pdf_text(out / "whysoftmax.pdf")
    for expected in ("Contents", "The Jacobian of softmax", "The sigmoid as two-class softmax",
                     "References", "Goodfellow, Bengio & Courville 2016"):
        assert expected in text


FALSE_STEP = '''
from sympy import exp
from whysoftmax import Derivation
d = Derivation("shown_in_red", title="A false claim stays visible")
x = d.scalar("x", real=True)
d.equal("wrong", exp(2 * x), 2 * exp(x), why="it is not")
'''


def test_failed_step_is_visible_and_fails_the_build(tmp_path):
    (tmp_path / "red.py").write_text(FALSE_STEP)
    code = main(["build", str(tmp_path / "red.py"), "--out", str(tmp_path / "out"),
                 "-j", "1", "--points", "2"])
    assert code == 1
    text = pdf_text(tmp_path / "out" / "shown_in_red.pdf")
    assert "failed" in text and "counterexample" in text
    assert r"\color{failedcolor}" in (tmp_path / "out" / "shown_in_red.tex").read_text()


def _source(paragraph: str) -> str:
    return textwrap.dedent(f'''
        from sympy import exp
        from whysoftmax import Derivation
        d = Derivation("fragile", title="Fragile")
        x = d.scalar("x", real=True)
        d.text(r"{paragraph}")
        d.equal("law", exp(2 * x), exp(x) ** 2)
    ''')


def test_latex_error_is_reported_and_keeps_the_last_good_pdf(tmp_path, capsys):
    source = tmp_path / "fragile.py"
    out = tmp_path / "out"
    source.write_text(_source("All is well."))
    assert main(["build", str(source), "--out", str(out), "-j", "1", "--points", "1"]) == 0
    before = (out / "fragile.pdf").read_bytes()
    capsys.readouterr()

    source.write_text(_source(r"Here \undefinedcommandxyz breaks."))
    assert main(["build", str(source), "--out", str(out), "-j", "1", "--points", "1"]) == 1
    printed = capsys.readouterr().out
    assert "LaTeX failed for fragile" in printed
    assert "Undefined control sequence" in printed
    assert (out / "fragile.pdf").read_bytes() == before  # byte-identical
    assert r"\undefinedcommandxyz" in (out / "fragile.tex").read_text()


def test_missing_tex_still_writes_tex_and_says_how_to_install(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(build_module, "tex_available", lambda: False)
    (tmp_path / "red.py").write_text(FALSE_STEP.replace("2 * exp(x)", "exp(x) ** 2"))
    code = main(["build", str(tmp_path / "red.py"), "--out", str(tmp_path / "out"),
                 "-j", "1", "--points", "1"])
    assert code == 1
    assert (tmp_path / "out" / "shown_in_red.tex").exists()
    assert not (tmp_path / "out" / "shown_in_red.pdf").exists()
    assert "apt-get install" in capsys.readouterr().out


def test_escape_and_notebook_display(derivation_file):
    assert escape("a_b & 50% {x}") == r"a\_b \& 50\% \{x\}"
    shown = markdown(derivation_file("jacobian"))
    assert shown.startswith("### The Jacobian of softmax")
    assert shown.count("$$") == 2 * 5
    assert derivation_file("jacobian")._repr_latex_().count("$$") == 2 * 5
