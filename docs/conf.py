"""Sphinx configuration: Markdown pages (MyST), the API from docstrings, and the book's
chapters (outline order, claim numbers) generated from derivations/ when the docs are
built."""

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
    """docs/derivations/: a page per chapter and an index, in the book's outline."""
    from whysoftmax.loader import load
    from whysoftmax.output.book import markdown_pages
    from whysoftmax.output.outline import read_outline

    folder = ROOT.parent / "derivations"
    loaded, errors = load([str(folder)])
    if errors:
        raise RuntimeError("; ".join(map(str, errors)))
    PAGES.mkdir(exist_ok=True)
    pages = markdown_pages(read_outline(folder / "outline.toml"),
                           [item.derivation for item in loaded])
    for name, page in pages.items():
        (PAGES / f"{name}.md").write_text(page, encoding="utf-8")


def setup(app):
    app.connect("builder-inited", write_catalog_pages)
