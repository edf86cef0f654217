"""The ``whysoftmax`` command line: ``list``, ``check``, ``verify`` and ``build``.

Exit codes: 0 when no step failed and every file loaded (``--strict``: and no step is
only ``argued`` or ``checked``); 1 otherwise; 2 for usage errors.
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import replace
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from . import __version__
from .derivation import Derivation
from .engine.cache import DEFAULT_DIR, CertificateStore
from .engine.checker import check_derivation, verify_derivation
from .engine.results import CheckOptions, DerivationResult
from .kernel import Kind
from .loader import Loaded, LoadError, load
from .output.build import build_reports, install_hint
from .output.junit import write_junit
from .output.report import print_results, summary_line
from .output.style import meanings

DEFAULT_PATH = "derivations"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="whysoftmax",
        description="Checked derivations of why softmax, and not dividing by the sum.",
        epilog="Statuses, strongest first:\n" + meanings() + "\n\nThe kernel trusts "
        "SymPy's reductions (doit, refine, cancel, together, expand, expand_log, powsimp, "
        "factor_terms, simplify, minimum, limit, function_range) and its sign logic; see "
        "'python -m pydoc whysoftmax.kernel'.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"whysoftmax {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    listing = sub.add_parser("list", help="list the derivations and their steps")
    listing.add_argument("paths", nargs="*", metavar="PATH", help=f"default: {DEFAULT_PATH}/")

    check = sub.add_parser("check", help="check every step symbolically and numerically")
    check.add_argument("paths", nargs="*", metavar="PATH", help=f"default: {DEFAULT_PATH}/")
    check.add_argument("-k", dest="pattern", metavar="PATTERN",
                       help="only derivations or steps whose name contains PATTERN")
    check.add_argument("--dps", type=int, default=50, metavar="D",
                       help="decimal digits of the numeric check (default 50)")
    check.add_argument("--points", type=int, default=6, metavar="P",
                       help="random points per instance, adversarial ones on top (default 6)")
    check.add_argument("--time-limit", type=float, default=20.0, metavar="S",
                       help="seconds of symbolic work per step (default 20)")
    check.add_argument("--n-max", type=int, default=6, metavar="N",
                       help="largest n of 'proven for n ≤ N' (default 6)")
    check.add_argument("-j", "--jobs", type=int, default=1, metavar="JOBS",
                       help="derivations checked in parallel (default 1)")
    check.add_argument("--junit", metavar="FILE", help="write JUnit XML to FILE")
    check.add_argument("--strict", action="store_true",
                       help="exit 1 also when a step is only 'argued' or 'checked'")
    _cache_options(check)

    verify = sub.add_parser("verify", help="replay the stored certificates with the kernel "
                            "alone (no search, no sampling)")
    verify.add_argument("paths", nargs="*", metavar="PATH", help=f"default: {DEFAULT_PATH}/")
    verify.add_argument("--cache", default=DEFAULT_DIR, metavar="DIR",
                        help=f"where 'check' stored the certificates (default {DEFAULT_DIR})")
    verify.add_argument("--strict", action="store_true",
                        help="exit 1 also when a step is only 'argued' or 'checked'")

    build = sub.add_parser("build", help="write .tex and PDF reports and the book")
    build.add_argument("paths", nargs="*", metavar="PATH", help=f"default: {DEFAULT_PATH}/")
    build.add_argument("--out", default="build", metavar="DIR",
                       help="output folder (default build/)")
    build.add_argument("-j", "--jobs", type=int, default=2, metavar="JOBS",
                       help="derivations checked in parallel (default 2)")
    build.add_argument("--points", type=int, default=6, metavar="P",
                       help="random points per instance (default 6)")
    _cache_options(build)
    return parser


def _cache_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--cache", default=DEFAULT_DIR, metavar="DIR",
                        help=f"certificates kept between runs (default {DEFAULT_DIR}); an "
                        "unchanged step is replayed by the kernel instead of searched")
    parser.add_argument("--no-cache", action="store_true",
                        help="search every step again and store nothing")


def _store(args) -> CertificateStore | None:
    return None if getattr(args, "no_cache", False) else CertificateStore(args.cache)


def _selected(loaded: list[Loaded], pattern: str | None) -> list[tuple[Loaded, object]]:
    """The derivations to check, each with a step filter (``None``: every step).

    A derivation whose id or title contains ``pattern`` is checked whole; otherwise only
    its steps whose name contains it (with their premises), if any.
    """
    if not pattern:
        return [(item, None) for item in loaded]
    needle = pattern.lower()
    chosen = []
    for item in loaded:
        d = item.derivation
        if needle in d.id.lower() or needle in d.title.lower():
            chosen.append((item, None))
        elif any(needle in s.name.lower() for s in d.steps):
            chosen.append((item, lambda step, needle=needle: needle in step.name.lower()))
    return chosen


# Worker processes are forked after this is set, so they inherit the loaded derivations.
_JOBS: list[tuple[Loaded, object]] = []


def _check_job(number: int, options: CheckOptions, store) -> DerivationResult:
    item, select = _JOBS[number]
    result = check_derivation(item.derivation, options, select=select, store=store)
    return replace(result, path=item.path)


def _run_checks(jobs, options: CheckOptions, workers: int, console: Console, store=None):
    total_steps = sum(
        len([s for s in item.derivation.steps if select is None or select(s)])
        for item, select in jobs
    )
    outcomes: dict[int, DerivationResult] = {}
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("checking", total=total_steps)
        if workers <= 1 or len(jobs) <= 1:
            for number, (item, select) in enumerate(jobs):
                progress.update(task, description=f"checking {item.derivation.id}")
                result = check_derivation(
                    item.derivation, options, select=select,
                    on_step=lambda _r: progress.advance(task), store=store,
                )
                outcomes[number] = replace(result, path=item.path)
        else:
            _JOBS[:] = jobs
            context = multiprocessing.get_context("fork")
            with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
                futures = {pool.submit(_check_job, k, options, store): k
                           for k in range(len(jobs))}
                for future in as_completed(futures):
                    result = future.result()
                    outcomes[futures[future]] = result
                    progress.advance(task, len(result.results))
    return [outcomes[k] for k in sorted(outcomes)]


def _error(console: Console, message: str) -> None:
    """One line, never wrapped, so that CI logs and grep see it whole."""
    console.print(f"[bold red]error:[/] {message}", soft_wrap=True)


def _load(paths: Sequence[str], console: Console) -> tuple[list[Loaded], list[LoadError]] | None:
    try:
        loaded, errors = load(list(paths) or [DEFAULT_PATH])
    except FileNotFoundError as error:
        _error(console, str(error))
        return None
    for e in errors:
        _error(console, str(e))
    return loaded, errors


def command_list(args, console: Console) -> int:
    outcome = _load(args.paths, console)
    if outcome is None:
        return 2
    loaded, errors = outcome
    table = Table(title="derivations", title_justify="left")
    for column in ("id", "title", "steps", "file"):
        table.add_column(column)
    for item in loaded:
        d = item.derivation
        table.add_row(d.id, d.title, str(len(d.steps)), item.path)
    console.print(table)
    return 1 if errors else 0


def command_check(args, console: Console) -> int:
    try:
        options = CheckOptions(
            dps=args.dps, points=args.points, time_limit=args.time_limit, n_max=args.n_max
        )
    except ValueError as error:
        _error(console, str(error))
        return 2
    if args.jobs < 1:
        _error(console, f"-j must be at least 1, got {args.jobs}")
        return 2
    outcome = _load(args.paths, console)
    if outcome is None:
        return 2
    loaded, errors = outcome
    jobs = _selected(loaded, args.pattern)
    if not jobs and not errors:
        _error(console, f"no derivation or step matches {args.pattern!r}")
        return 1
    start = time.perf_counter()
    outcomes = _run_checks(jobs, options, args.jobs, console, _store(args))
    seconds = time.perf_counter() - start
    print_results(console, outcomes)
    console.print(summary_line(outcomes, seconds, len(errors)), soft_wrap=True)
    if args.junit:
        write_junit(args.junit, outcomes, errors, strict=args.strict)
    return exit_code(outcomes, errors, strict=args.strict)


def command_build(args, console: Console) -> int:
    outcome = _load(args.paths, console)
    if outcome is None:
        return 2
    loaded, errors = outcome
    if not loaded:
        _error(console, "no derivation to build")
        return 1
    start = time.perf_counter()
    outcomes = _run_checks([(item, None) for item in loaded], CheckOptions(points=args.points),
                           args.jobs, console, _store(args))
    console.print(summary_line(outcomes, time.perf_counter() - start, len(errors)),
                  soft_wrap=True)
    with console.status("typesetting") as status:
        report = build_reports(
            loaded, outcomes, Path(args.out),
            progress=lambda name: status.update(f"latexmk {name}.tex"),
        )
    for path in report.pdfs:
        console.print(f"wrote {path}")
    if report.tex_missing:
        _error(console, install_hint(report.tex_missing))
        return 1
    for failure in report.errors:
        _error(console, str(failure))
    console.print(f"{len(report.pdfs)} PDFs, {len(report.errors)} failed, in "
                  f"{time.perf_counter() - start:.1f} s (.tex files in {args.out}/)")
    failed_steps = exit_code(outcomes, errors, strict=False)
    return 1 if report.errors or failed_steps else 0


def command_verify(args, console: Console) -> int:
    outcome = _load(args.paths, console)
    if outcome is None:
        return 2
    loaded, errors = outcome
    store = CertificateStore(args.cache)
    start = time.perf_counter()
    outcomes = [replace(verify_derivation(item.derivation, store), path=item.path)
                for item in loaded]
    print_results(console, outcomes)
    console.print("verified: " + summary_line(outcomes, time.perf_counter() - start,
                                              len(errors)), soft_wrap=True)
    return exit_code(outcomes, errors, strict=args.strict)


def exit_code(outcomes: list[DerivationResult], errors: list[LoadError], *, strict: bool) -> int:
    """0 when every file loaded and no step failed (strict: none only argued or checked)."""
    kinds = {r.status.kind for o in outcomes for r in o.results}
    if errors or Kind.FAILED in kinds or (strict and kinds & {Kind.ARGUED, Kind.CHECKED}):
        return 1
    return 0


def run(derivation: Derivation, argv: Sequence[str] | None = None) -> int:
    """Check one derivation built in this process and print its table.

    For a derivation file, ``python file.py`` with ``d.main()`` under the ``__main__``
    guard checks the file in isolation (``whysoftmax check file.py``); ``run(d)`` checks
    an object you built yourself, e.g. in a notebook.
    """
    parser = argparse.ArgumentParser(prog="whysoftmax.run", description=derivation.title)
    parser.add_argument("--dps", type=int, default=50)
    parser.add_argument("--points", type=int, default=6)
    parser.add_argument("--strict", action="store_true")
    args = parser.parse_args([] if argv is None else argv)
    console = Console()
    options = CheckOptions(dps=args.dps, points=args.points)
    start = time.perf_counter()
    outcome = check_derivation(derivation, options)
    print_results(console, [outcome])
    console.print(summary_line([outcome], time.perf_counter() - start, 0), soft_wrap=True)
    return exit_code([outcome], [], strict=args.strict)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    console = Console(stderr=False)
    commands = {"list": command_list, "check": command_check, "verify": command_verify,
                "build": command_build}
    return commands[args.command](args, console)


if __name__ == "__main__":
    sys.exit(main())
