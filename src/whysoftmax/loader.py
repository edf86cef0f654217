"""Find derivation files and load them — each in its own process, under a time limit.

A derivation file is Python that builds :class:`~whysoftmax.derivation.Derivation`
objects at module level. It runs in a forked child process with SymPy's automatic
evaluation *off*, so that what the file wrote (``x/x``, ``exp(log x)``) reaches the
kernel as written; the child sends the derivations back as data (expressions as
``srepr`` text) and the checker rebuilds them through the kernel's whitelist. Whatever
the file does to the modules it imports, or to the process, stays in the child.

What can go wrong — a syntax error, an exception, ``sys.exit``, a loop that never ends,
``d.main()`` without the ``__main__`` guard, a floating-point number, a class of its own
inside an expression, no ``Derivation`` at all — becomes one :class:`LoadError` line
naming the file and the problem; the other files still load.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import multiprocessing
import os
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path

import mpmath  # noqa: F401 - imported before forking, with SymPy's evaluation on
import numpy  # noqa: F401
from sympy import evaluate

from .derivation import LOADING, Derivation, DerivationError
from .kernel.serial import SerialError
from .serialize import derivation_data, derivation_from_data

#: Seconds a derivation file may take to load.
LOAD_TIMEOUT = 60.0


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


def _run(path: Path) -> tuple[str, object]:
    """In the child: run the file unevaluated and serialise what it defines."""
    name = _module_name(path)
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        return "error", "cannot be imported"
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        with evaluate(False):
            spec.loader.exec_module(module)
        found = [v for v in vars(module).values() if isinstance(v, Derivation)]
        if not found:
            return "error", "defines no Derivation at module level"
        unique = list({id(d): d for d in found}.values())
        for d in unique:  # a chapter opens with its file's docstring unless it has its own
            d.intro = d.intro or (module.__doc__ or "").strip()
        return "ok", [derivation_data(d) for d in unique]
    except SyntaxError as error:
        return "error", f"syntax error at line {error.lineno}: {error.msg}"
    except DerivationError as error:
        return "error", f"{_last_frame_in(path, error)}bad derivation: {error}"
    except SerialError as error:
        return "error", f"an expression the kernel cannot read: {error}"
    except SystemExit as error:
        where = _last_frame_in(path, error)
        return "error", f"{where}called sys.exit({error.code!r}) while loading"
    except BaseException as error:  # noqa: BLE001 - any failure of user code is one line
        where = _last_frame_in(path, error)
        return "error", f"{where}{type(error).__name__} while loading: {error}"


def _child(path: Path, connection) -> None:
    os.environ[LOADING] = "1"
    try:
        outcome = json.dumps(_run(path))
    except BaseException as error:  # noqa: BLE001 - e.g. data that is not plain
        outcome = json.dumps(["error", f"{type(error).__name__} while sending the derivation"])
    try:
        connection.send_bytes(outcome.encode())
    finally:
        connection.close()
        os._exit(0)


def load_file(path: Path, timeout: float = LOAD_TIMEOUT) -> list[Loaded] | LoadError:
    """Run one derivation file in a child process and rebuild the derivations it defines."""
    shown = str(path)
    if path.suffix != ".py":
        return LoadError(shown, "not a Python file")
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(path, sender), daemon=True)
    child.start()
    sender.close()
    outcome = None
    if receiver.poll(timeout):
        try:  # JSON, never a pickle: what the child sends is data, not objects
            outcome = json.loads(receiver.recv_bytes().decode())
        except (EOFError, OSError, ValueError, UnicodeDecodeError):
            outcome = None
    child.join(1.0)
    if child.is_alive():
        child.kill()
        child.join()
        if outcome is None:
            return LoadError(shown, f"did not finish loading within {timeout:g} s")
    if outcome is None:
        return LoadError(shown, f"the process loading it ended (exit code {child.exitcode})")
    if not (isinstance(outcome, list) and len(outcome) == 2 and outcome[0] in ("ok", "error")):
        return LoadError(shown, "the process loading it sent something that is not a derivation")
    kind, payload = outcome
    if kind == "error":
        return LoadError(shown, str(payload))
    try:
        return [Loaded(shown, derivation_from_data(data)) for data in payload]
    except (DerivationError, SerialError) as error:
        return LoadError(shown, f"bad derivation: {error}")
    except Exception as error:  # noqa: BLE001 - the data came from untrusted code
        return LoadError(shown, f"malformed derivation data ({type(error).__name__}: {error})")


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
