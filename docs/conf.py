"""Sphinx configuration: Markdown pages (MyST), the API from docstrings, and a catalog
page per derivation generated from derivations/ when the docs are built."""

from __future__ import annotations

from pathlib import Path

project = "whysoftmax"
author = "whysoftmax developers"
extensions = ["myst_parser", "sphinx.ext.autodoc", "sphinx.ext.napoleon",
              "sphinx.ext.mathjax"]
myst_enable_extensions = ["dollarmath", "amsmath"]
source_suffix = {".md": "markdown"}
exclude_patterns = ["_build"]
html_theme = "alabaster"
autodoc_member_order = "bysource"
autodoc_typehints = "none"
napoleon_numpy_docstring = True
suppress_warnings = ["myst.header"]

ROOT = Path(__file__).resolve().parent
PAGES = ROOT / "derivations"


def write_catalog_pages(app) -> None:
    """docs/derivations/<id>.md for every derivation file, and their index."""
    from whysoftmax.loader import load
    from whysoftmax.output.latex import markdown

    loaded, errors = load([str(ROOT.parent / "derivations")])
    if errors:
        raise RuntimeError("; ".join(map(str, errors)))
    PAGES.mkdir(exist_ok=True)
    names = []
    for item in sorted(loaded, key=lambda i: i.derivation.id):
        d = item.derivation
        page = markdown(d).replace("### ", "# ", 1)
        page += (f"\n\nFile: `{Path(item.path).name}`. Check it with "
                 f"`whysoftmax check {item.path}`; statuses and times are on the catalog "
                 "page.\n")
        (PAGES / f"{d.id}.md").write_text(page, encoding="utf-8")
        names.append(d.id)
    toc = "\n".join(names)
    (PAGES / "index.md").write_text(
        "# Derivations\n\nOne page per file in `derivations/`, generated from the file.\n\n"
        f"```{{toctree}}\n:maxdepth: 1\n\n{toc}\n```\n", encoding="utf-8")


def setup(app):
    app.connect("builder-inited", write_catalog_pages)
