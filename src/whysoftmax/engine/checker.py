"""Check every step of a derivation: search, cross-check, and let the kernel judge.

For each step, in order:

1. **search** (:mod:`~whysoftmax.engine.tactics`) — propose certificates to the kernel
   under the step's time limit: named rewrites, limits, a rule over earlier theorems, a
   change of variables with its inverse, every instance up to N. With a certificate
   store, a step whose key is unchanged replays its stored certificate instead;
2. **numeric** (:mod:`~whysoftmax.engine.numeric_check`) — always, also after a proof:
   mpmath at ``dps`` digits at random and adversarial points;
3. **judge** — the kernel turns both into the status (the only place ``proven`` is made).

Examples
--------
>>> from sympy import exp
>>> from whysoftmax import Derivation
>>> d = Derivation("demo")
>>> x = d.scalar("x")
>>> _ = d.equal("right", exp(2 * x), exp(x) ** 2)
>>> _ = d.equal("wrong", exp(2 * x), 2 * exp(x))
>>> [str(r.status) for r in check_derivation(d, CheckOptions(points=3)).results]
['proven', 'failed']
"""

from __future__ import annotations

import random
import time
import zlib
from collections.abc import Callable

from ..derivation import Derivation, Step
from ..kernel import (
    Certificate,
    Condition,
    Evidence,
    Relation,
    Theorem,
    attempt,
    conditions,
    judge,
)
from ..kernel.judgement import ARGUED, OPEN
from ..kernel.serial import long_integers
from .cache import CertificateStore, step_key
from .examples import substituted, substituted_claim, substitutions
from .numeric_check import check_relation, merged
from .numeric_limits import check_limit
from .results import CheckOptions, DerivationResult, StepResult
from .tactics import search


def _rng(derivation: Derivation, step: Step) -> random.Random:
    return random.Random(zlib.crc32(f"{derivation.id}/{step.name}".encode()))


def check_numerically(derivation: Derivation, step: Step, options: CheckOptions,
                      open_conditions: list, assuming: tuple[str, ...] = ()) -> Evidence:
    """Stage 2: the claim at sampled points (limits along paths), on each substitution of
    its functions and hypotheses (see :mod:`~whysoftmax.engine.examples`)."""
    check = check_limit if step.relation is Relation.LIMIT else check_relation
    mappings = substitutions(derivation, step, assuming)
    if mappings is None:
        return Evidence(0, None, "not sampled: it rests on hypotheses without examples",
                        skipped=True)
    reports = []
    for mapping in mappings:
        claim = substituted_claim(step.claim, mapping)
        conditions_here = [Condition(substituted(c.expr, mapping), c.relation, c.bound)
                           if c.expr is not None else c for c in open_conditions]
        report = check(claim, derivation.signature, conditions_here, dps=options.dps,
                       count=options.points, rng=_rng(derivation, step))
        reports.append(report)
        if report.counterexample is not None:
            if mapping:
                shown = ", ".join(f"{k} = {v}" for k, v in mapping)
                report.counterexample.reason = (report.counterexample.reason + "; " if
                                                report.counterexample.reason else "") + shown
            return report.evidence()
    return merged(reports).evidence()


def _result(derivation, step, theorem: Theorem, seconds, numeric: str,
            cached: bool) -> StepResult:
    """The frozen record of a judged step: a failure's reason is its counterexample, a
    refutation's the witness it holds at."""
    ok, note = theorem.status.ok, theorem.note
    refutation = step.relation is Relation.REFUTES
    method = theorem.certificate.describe()
    if note and ok and not refutation and note != theorem.certificate.name:
        method += f" — {note}"
    return StepResult(
        derivation.id, step.name, str(step.relation), theorem.status, method, seconds,
        numeric, None if ok else note.removeprefix("counterexample "),
        note if ok and refutation else None, theorem.engine_error, step.rule,
        step.premises, step.cell, theorem.certificate, theorem.conditions, cached)


def check_step(derivation: Derivation, step: Step, options: CheckOptions | None = None,
               earlier: dict[str, Theorem] | None = None,
               store: CertificateStore | None = None) -> tuple[StepResult, Theorem | None]:
    """Check one step; ``earlier`` holds the theorems of the steps before it (for rules).

    An unexpected error inside the checker does not stop the run: the step is ``failed``
    and flagged as an engine error, with the error in one line.
    """
    options = options or CheckOptions()
    start = time.perf_counter()
    try:
        with long_integers():
            return _check_step(derivation, step, options, earlier or {}, store, start)
    except Exception as error:  # noqa: BLE001 - reported as this step's failure
        from ..kernel import Status

        message = f"checker error: {type(error).__name__}: {error}"[:300]
        return StepResult(derivation.id, step.name, str(step.relation), Status.failed(),
                          message, time.perf_counter() - start, engine_error=True,
                          rule=step.rule, premises=step.premises, cell=step.cell), None


def _check_step(derivation, step, options, earlier, store, start):
    signature = derivation.signature
    if conditions(step.claim, signature)[1]:  # malformed: the kernel says why, nothing runs
        theorem = judge(attempt(step.claim, signature, Certificate("none")))
        return _result(derivation, step, theorem, time.perf_counter() - start, "", False), None
    key = step_key(step, signature) if store is not None else None
    stored = store.get(key, options.key()) if store is not None else None
    finding = evidence = None
    if stored is not None:  # replay the certificate: the kernel runs it again, no search
        finding = attempt(step.claim, signature, stored[0], earlier)
        evidence = stored[1]
    if finding is None or finding.outcome in (OPEN, ARGUED):
        finding = search(step, signature, earlier, options.time_limit, options.n_max)
    if evidence is None and step.relation is not Relation.REFUTES:
        open_, _ = conditions(step.claim, signature)
        assuming = tuple(dict.fromkeys(h for s in finding.premises for h in s.assuming))
        if step.hypothesis:
            assuming += (step.name,)
        evidence = check_numerically(derivation, step, options, open_, assuming)
    theorem = judge(finding, evidence)
    if store is not None and (stored is None or stored[1] is not evidence):
        store.put(key, finding.certificate, evidence, options.key())
    numeric = evidence.summary if evidence is not None else ""
    result = _result(derivation, step, theorem, time.perf_counter() - start, numeric,
                     stored is not None)
    return result, theorem


def check_derivation(
    derivation: Derivation,
    options: CheckOptions | None = None,
    *,
    select: Callable[[Step], bool] | None = None,
    on_step: Callable[[StepResult], None] | None = None,
    store: CertificateStore | None = None,
) -> DerivationResult:
    """Check the steps of ``derivation`` (those ``select`` keeps, with their premises)."""
    options = options or CheckOptions()
    wanted = _with_premises(derivation, select)
    start = time.perf_counter()
    done: dict[str, Theorem] = {}
    results = []
    for step in derivation.steps:
        if step.name not in wanted:
            continue
        result, theorem = check_step(derivation, step, options, done, store)
        if theorem is not None:
            done[step.name] = theorem
        results.append(result)
        if on_step is not None:
            on_step(result)
    return DerivationResult(derivation.id, derivation.title, "", tuple(results),
                            seconds=time.perf_counter() - start)


def verify_derivation(derivation: Derivation, store: CertificateStore) -> DerivationResult:
    """Replay every stored certificate with the kernel alone: no search, no sampling.

    A step without a stored certificate fails with "no certificate (run check first)".
    """
    from ..kernel import Status

    signature = derivation.signature
    start = time.perf_counter()
    done: dict[str, Theorem] = {}
    results = []
    for step in derivation.steps:
        begin = time.perf_counter()
        stored = store.get(step_key(step, signature))
        if stored is None:
            results.append(StepResult(derivation.id, step.name, str(step.relation),
                                      Status.failed(), "no certificate (run check first)",
                                      0.0, rule=step.rule, premises=step.premises,
                                      cell=step.cell))
            continue
        certificate, evidence = stored
        theorem = judge(attempt(step.claim, signature, certificate, done), evidence)
        done[step.name] = theorem
        results.append(_result(derivation, step, theorem, time.perf_counter() - begin,
                               evidence.summary if evidence else "", True))
    return DerivationResult(derivation.id, derivation.title, "", tuple(results),
                            seconds=time.perf_counter() - start)


def _with_premises(derivation: Derivation, select: Callable[[Step], bool] | None) -> set[str]:
    steps = {s.name: s for s in derivation.steps}
    wanted = {name for name, s in steps.items() if select is None or select(s)}
    frontier = list(wanted)
    while frontier:
        for premise in steps[frontier.pop()].premises:
            if premise not in wanted:
                wanted.add(premise)
                frontier.append(premise)
    return wanted


__all__ = ["CheckOptions", "DerivationResult", "StepResult", "check_derivation",
           "check_step", "verify_derivation"]
