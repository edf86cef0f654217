"""The book's outline (``derivations/outline.toml``): parts, chapter order, notation,
front-page data; and the keys of its bibliography.

Examples
--------
>>> from pathlib import Path
>>> outline = read_outline(Path("derivations/outline.toml"))
>>> outline.chapters[0]
'short_answer'
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

OUTLINE = "outline.toml"
BIBLIOGRAPHY = "references.bib"


class BookError(ValueError):
    """The outline, a reference or a citation is wrong: one line says which."""


@dataclass(frozen=True)
class Part:
    title: str
    chapters: tuple[str, ...]


@dataclass(frozen=True)
class Outline:
    """The book's parts and chapter order, its notation and front-page data."""

    title: str
    subtitle: str
    author: str
    keywords: str
    parts: tuple[Part, ...]
    proofs_in_appendix: frozenset[str]
    notation: tuple[tuple[str, str], ...]
    folder: Path

    @property
    def chapters(self) -> list[str]:
        return [c for part in self.parts for c in part.chapters]


def read_outline(path: Path) -> Outline:
    """The outline in ``path`` (TOML); a malformed one raises :class:`BookError`."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        parts = tuple(Part(str(p["title"]), tuple(map(str, p["chapters"])))
                      for p in data["parts"])
        outline = Outline(str(data["title"]), str(data.get("subtitle", "")),
                          str(data.get("author", "")), str(data.get("keywords", "")), parts,
                          frozenset(data.get("proofs_in_appendix", ())),
                          tuple((str(a), str(b)) for a, b in data.get("notation", ())),
                          path.parent)
    except (OSError, tomllib.TOMLDecodeError, KeyError, TypeError, ValueError) as error:
        raise BookError(f"{path}: not a book outline ({type(error).__name__}: {error})") from None
    seen = [c for c in outline.chapters]
    twice = sorted({c for c in seen if seen.count(c) > 1})
    if twice:
        raise BookError(f"{path}: chapters listed twice: {', '.join(twice)}")
    return outline


def find_outline(paths: list[Path]) -> Path | None:
    """The outline beside the derivation files (their folder), if there is one."""
    for folder in dict.fromkeys(p.parent if p.is_file() else p for p in paths):
        if (folder / OUTLINE).is_file():
            return folder / OUTLINE
    return None


def bib_keys(path: Path) -> set[str]:
    """The entry keys of a BibTeX file."""
    return set(re.findall(r"@\w+\s*\{\s*([^,\s]+)\s*,", path.read_text(encoding="utf-8")))
