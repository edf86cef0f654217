"""LaTeX reports and PDFs: real latexmk, text extracted with pdftotext, atomic output."""

from __future__ import annotations

import re
import subprocess
import textwrap
from pathlib import Path

import pytest

from whysoftmax.cli import main
from whysoftmax.output import build as build_module
from whysoftmax.output import tex_requirements
from whysoftmax.output.latex import escape, markdown

from .conftest import DERIVATIONS


@pytest.fixture(autouse=True, scope="module")
def tex_is_installed():
    """These tests never skip for lack of TeX: 'make test' installs it."""
    lacking = tex_requirements.missing()
    if lacking:
        pytest.fail(f"TeX lacks {', '.join(r.name for r in lacking)}; run 'make test' (it "
                    f"installs TeX) or: {tex_requirements.install_command()}")


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
    for number in range(1, 6):
        assert f"Claim 1.{number}" in text  # numbered, each with its status mark
    assert text.count("proven") >= 10  # after each claim, and in the appendix
    assert "50 digits" in text  # the numeric cross-check is reported (appendix)


def test_book_has_contents_chapters_and_references(built):
    _, out = built
    text = pdf_text(out / "whysoftmax.pdf")
    for expected in ("Contents", "The Jacobian of softmax", "The sigmoid as two-class softmax",
                     "Bibliography", "Ian Goodfellow, Yoshua Bengio, and Aaron Courville"):
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
    lacking = [tex_requirements.Requirement("lmodern.sty", "lmodern")]
    monkeypatch.setattr(build_module, "missing", lambda: lacking)
    (tmp_path / "red.py").write_text(FALSE_STEP.replace("2 * exp(x)", "exp(x) ** 2"))
    code = main(["build", str(tmp_path / "red.py"), "--out", str(tmp_path / "out"),
                 "-j", "1", "--points", "1"])
    assert code == 1
    assert (tmp_path / "out" / "shown_in_red.tex").exists()
    assert not (tmp_path / "out" / "shown_in_red.pdf").exists()
    printed = capsys.readouterr().out
    assert "lmodern.sty" in printed
    assert "apt-get install -y --no-install-recommends lmodern" in printed


def test_escape_and_notebook_display(derivation_file):
    assert escape("a_b & 50% {x}") == r"a\_b \& 50\% \{x\}"
    shown = markdown(derivation_file("jacobian"))
    assert shown.startswith("### The Jacobian of softmax")
    assert shown.count("$$") == 2 * 5


def test_jupyter_shows_a_derivation_as_markdown(monkeypatch, derivation_file):
    """IPython's formatter is registered (the derivation language imports no output code)."""
    import sys
    import types

    import whysoftmax

    registered = {}

    class Formatter:
        def for_type_by_name(self, module, name, function):
            registered[(module, name)] = function

    shell = types.SimpleNamespace(display_formatter=types.SimpleNamespace(
        formatters={"text/markdown": Formatter()}))
    monkeypatch.setitem(sys.modules, "IPython", types.SimpleNamespace(get_ipython=lambda: shell))
    whysoftmax._register_display()
    show = registered[("whysoftmax.derivation", "Derivation")]
    assert show(derivation_file("jacobian")).startswith("### The Jacobian of softmax")


def test_every_package_the_build_loads_is_installed_by_ensure_tex(built):
    """A \\usepackage or \\documentclass without its install step fails here, on any machine."""
    _, out = built
    listed = {name for name, _, _ in tex_requirements.PACKAGES}
    loaded, classes = set(), set()
    for tex in out.glob("*.tex"):
        source = tex.read_text()
        for names in re.findall(r"\\usepackage(?:\[[^\]]*\])?\{([^}]*)\}", source):
            loaded |= {n.strip() for n in names.split(",")}
        classes |= set(re.findall(r"\\documentclass(?:\[[^\]]*\])?\{([^}]*)\}", source))
    assert loaded and classes == set(tex_requirements.CLASSES)
    assert loaded <= listed, f"not in tex_requirements.PACKAGES: {sorted(loaded - listed)}"
    assert classes <= set(tex_requirements.CLASSES)


def test_tex_requirements_name_each_missing_file_with_its_debian_package(monkeypatch, capsys):
    monkeypatch.setattr(tex_requirements, "_found", lambda r: r.name not in {"lmodern.sty",
                                                                            "pdftotext"})
    assert tex_requirements.main(["missing"]) == 0
    assert capsys.readouterr().out.splitlines() == ["pdftotext\tpoppler-utils",
                                                    "lmodern.sty\tlmodern"]
    assert tex_requirements.main(["nonsense"]) == 2
