"""What the reports need from TeX, in one table: the preamble is generated from it and
``scripts/ensure-tex`` installs and checks exactly it.

The problem: a preamble that says ``\\usepackage{lmodern}`` while the install step does
not install Debian's ``lmodern`` works on every machine that happens to have it and
fails on a fresh one. Here each LaTeX package the documents load, each class and font
file they need and each program the build runs is listed once, with the Debian package
that provides it. :data:`PACKAGES` *is* the preamble's package list; :func:`missing`
asks ``kpsewhich`` (files) and ``PATH`` (programs) for each entry.

This module imports nothing from the package, so the set-up script can run it with the
system Python before anything is installed::

    python3 src/whysoftmax/output/tex_requirements.py missing    # one "name<TAB>debian" per line
    python3 src/whysoftmax/output/tex_requirements.py packages   # every Debian package, one line

Examples
--------
>>> usepackage_lines()[0]
'\\\\usepackage[T1]{fontenc}'
>>> "lmodern" in debian_packages()
True
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass


@dataclass(frozen=True)
class Requirement:
    """One thing the build needs: a TeX file (found by kpsewhich) or a program (on PATH)."""

    name: str
    debian: str
    program: bool = False


#: The LaTeX packages every document loads, in preamble order: (name, options, Debian).
PACKAGES: tuple[tuple[str, str, str], ...] = (
    ("fontenc", "T1", "texlive-latex-base"),
    ("inputenc", "utf8", "texlive-latex-base"),
    ("lmodern", "", "lmodern"),
    ("amsmath", "", "texlive-latex-base"),
    ("amssymb", "", "texlive-base"),
    ("graphicx", "", "texlive-latex-base"),
    ("booktabs", "", "texlive-latex-recommended"),
    ("xcolor", "dvipsnames", "texlive-latex-recommended"),
    ("geometry", "margin=2.2cm", "texlive-latex-base"),
    ("amsthm", "", "texlive-latex-base"),
    ("mathtools", "", "texlive-latex-recommended"),
    ("longtable", "", "texlive-latex-base"),
    ("natbib", "authoryear,round", "texlive-latex-base"),
    ("hyperref", "hidelinks", "texlive-latex-base"),
    ("bookmark", "", "texlive-latex-base"),
)

#: Document classes the build uses (the book and each chapter's own document).
CLASSES: dict[str, str] = {"report": "texlive-latex-base"}

#: Other files the build reads: the fonts behind ``lmodern`` in T1 encoding (the .sty
#: alone is not enough) and the bibliography style.
FILES: dict[str, str] = {"t1lmr.fd": "lmodern", "ec-lmr10.tfm": "lmodern",
                         "plainnat.bst": "texlive-latex-base"}

#: Programs: the build runs latexmk (→ pdflatex); the tests read PDFs with pdftotext.
PROGRAMS: dict[str, str] = {
    "kpsewhich": "texlive-binaries",
    "latexmk": "latexmk",
    "pdflatex": "texlive-latex-base",
    "bibtex": "texlive-binaries",
    "pdftotext": "poppler-utils",
}


def requirements() -> list[Requirement]:
    """Every requirement: programs first (kpsewhich answers for the files)."""
    out = [Requirement(name, deb, program=True) for name, deb in PROGRAMS.items()]
    out += [Requirement(f"{name}.sty", deb) for name, _, deb in PACKAGES]
    out += [Requirement(f"{name}.cls", deb) for name, deb in CLASSES.items()]
    out += [Requirement(name, deb) for name, deb in FILES.items()]
    return out


def debian_packages() -> list[str]:
    """The Debian packages that provide every requirement (sorted, each once)."""
    return sorted({r.debian for r in requirements()})


def usepackage_lines() -> list[str]:
    r"""The ``\usepackage`` lines of the preamble, generated from :data:`PACKAGES`."""
    return [
        rf"\usepackage[{options}]{{{name}}}" if options else rf"\usepackage{{{name}}}"
        for name, options, _ in PACKAGES
    ]


def _found(requirement: Requirement) -> bool:
    if requirement.program:
        return shutil.which(requirement.name) is not None
    if shutil.which("kpsewhich") is None:
        return False
    done = subprocess.run(["kpsewhich", requirement.name], capture_output=True, text=True)
    return done.returncode == 0 and bool(done.stdout.strip())


def missing() -> list[Requirement]:
    """The requirements this machine lacks."""
    return [r for r in requirements() if not _found(r)]


def install_command(packages: list[str] | None = None) -> str:
    """The exact command that installs ``packages`` (default: all of them)."""
    chosen = " ".join(packages if packages is not None else debian_packages())
    return f"sudo apt-get install -y --no-install-recommends {chosen}"


def main(argv: list[str]) -> int:
    if argv == ["missing"]:
        for r in missing():
            print(f"{r.name}\t{r.debian}")
        return 0
    if argv == ["packages"]:
        print(" ".join(debian_packages()))
        return 0
    print("usage: tex_requirements.py missing|packages", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
