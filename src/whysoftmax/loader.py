"""Find derivation files and load them, turning every kind of breakage into one line.

A derivation file is Python that builds :class:`~whysoftmax.derivation.Derivation`
objects at module level. Loading runs the file (it is the project's own or the user's
code, like a test file under pytest); what can go wrong — a syntax error, an exception,
no ``Derivation``, a malformed step — becomes a :class:`LoadError` naming the file and
the problem, and the other files still load.
"""

from __future__ import annotations

import hashlib
import importlib.util
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path

from .derivation import Derivation, DerivationError


@dataclass
class LoadError:
    """A derivation file that could not be loaded, and why (one line)."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


@dataclass
class Loaded:
    """A derivation and the file it came from."""

    path: str
    derivation: Derivation


def discover(paths: list[str]) -> list[Path]:
    """Derivation files under ``paths`` (files are taken as given; folders: ``*.py``).

    Files whose names start with ``_`` are helpers, not derivations.
    """
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found += sorted(p for p in path.glob("*.py") if not p.name.startswith("_"))
        elif path.is_file():
            found.append(path)
        else:
            raise FileNotFoundError(f"{raw}: no such file or folder")
    return found


def _module_name(path: Path) -> str:
    digest = hashlib.sha1(str(path.resolve()).encode()).hexdigest()[:10]
    return f"whysoftmax_derivation_{path.stem}_{digest}"


def _last_frame_in(path: Path, error: BaseException) -> str:
    frames = [f for f in traceback.extract_tb(error.__traceback__) if Path(f.filename) == path]
    return f"line {frames[-1].lineno}: " if frames else ""


def load_file(path: Path) -> list[Loaded] | LoadError:
    """Run one derivation file and collect the derivations it defines."""
    shown = str(path)
    if path.suffix != ".py":
        return LoadError(shown, "not a Python file")
    name = _module_name(path)
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        return LoadError(shown, "cannot be imported")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except SyntaxError as error:
        return LoadError(shown, f"syntax error at line {error.lineno}: {error.msg}")
    except DerivationError as error:
        return LoadError(shown, f"{_last_frame_in(path, error)}bad derivation: {error}")
    except Exception as error:  # noqa: BLE001 - any failure of user code is reported, not raised
        where = _last_frame_in(path, error)
        return LoadError(shown, f"{where}{type(error).__name__} while loading: {error}")
    finally:
        sys.modules.pop(name, None)
    found = [v for v in vars(module).values() if isinstance(v, Derivation)]
    if not found:
        return LoadError(shown, "defines no Derivation at module level")
    unique = list({id(d): d for d in found}.values())
    return [Loaded(shown, d) for d in unique]


def load(paths: list[str]) -> tuple[list[Loaded], list[LoadError]]:
    """Load every derivation under ``paths``; errors are collected, not raised."""
    loaded: list[Loaded] = []
    errors: list[LoadError] = []
    for path in discover(paths):
        outcome = load_file(path)
        if isinstance(outcome, LoadError):
            errors.append(outcome)
        else:
            loaded += outcome
    return loaded, errors
