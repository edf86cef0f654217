"""The judge: checks a proposed certificate, then issues the one status a claim gets.

Two functions are the kernel's interface:

* :func:`attempt` runs a certificate — a named rewrite, a limit, every instance up to N,
  a checked rule over earlier theorems, a substitution with its inverse, a refutation at
  a witness — and returns a sealed :class:`Finding`: shown, disproved, argued (a rule
  the kernel could not check) or open. The search calls it with proposals; ``verify``
  calls it with stored certificates.
* :func:`judge` turns a finding and the numeric evidence into a :class:`Theorem`. It is
  the only place a ``proven`` status is issued.

Examples
--------
>>> from sympy import Symbol
>>> from sympy.core.parameters import evaluate
>>> from whysoftmax.kernel import Certificate, Claim, Evidence, Relation, Signature
>>> x = Symbol("x", real=True)
>>> with evaluate(False):
...     claim = Claim(Relation.EQ, (x**2 - 1) / (x - 1), x + 1)
>>> found = attempt(claim, Signature(scalars=(x,)), Certificate("rewrite", "cancel"))
>>> str(judge(found, Evidence(points=11)).status)
'proven where x ≠ 1'
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field

from sympy import Derivative, Dummy, Expr, Integral, Limit, MatrixBase, Subs

from .claim import Claim, Condition, Relation, Signature, claim_key
from .domain import open_conditions
from .instances import assignments, evaluate_instance
from .limits import check_limit, coefficient_conditions
from .refutation import refute
from .rewrites import REWRITES, SIGN_REWRITES, disproves, rewrite, shows_sign, shows_zero
from .rules import RULES
from .serial import pack, unpack
from .substitution import check_substitution
from .sums import evaluated
from .text import plain
from .verdict import (
    _KERNEL,
    Certificate,
    Evidence,
    Status,
    Theorem,
    _Sealed,
    issue_proven,
    weakest,
)

SHOWN, DISPROVED, ARGUED, OPEN = "shown", "disproved", "argued", "open"
#: Rules that sum, bound, instantiate, differentiate or take limits over a variable: their
#: premises must hold for every value of it, so a premise with side conditions will not do.
BINDING = {"termwise", "instantiation", "squeeze", "least upper bound", "differentiate",
           "zero derivative", "difference quotient", "continuity", "second-order convexity",
           "interval case split", "Schur test", "Lipschitz from the Jacobian",
           "monotone from the Jacobian", "reciprocal limit"}
#: Rules that quantify over whole vectors: a premise resting on a hypothesis (about
#: those vectors, or functions of them) will not do either.
OVER_VECTORS = {"Schur test", "Lipschitz from the Jacobian", "monotone from the Jacobian"}


@dataclass(frozen=True)
class Finding(_Sealed):
    """What running a certificate found (sealed: only :func:`attempt` makes one).

    ``certificate`` is the certificate as it can be replayed (for instances, with the
    rewrite that decided each one); ``premises`` the statuses of the theorems a rule used;
    ``conditions`` what the method's proof needs beyond the claim's own side conditions
    (a limit's nonzero coefficients).
    """

    claim: Claim
    signature: Signature
    certificate: Certificate
    outcome: str
    detail: str = ""
    up_to: int | None = None
    premises: tuple[Status, ...] = ()
    conditions: tuple[Condition, ...] = ()
    token: object = field(default=None, repr=False, compare=False)


def _finding(claim, signature, certificate, outcome, detail="", **kw) -> Finding:
    return Finding(claim, signature, certificate, outcome, detail, token=_KERNEL, **kw)


# -- side conditions -----------------------------------------------------------------------

_CONDITIONS: dict[str, tuple[list[Condition], list[str]]] = {}


def conditions(claim: Claim, signature: Signature) -> tuple[list[Condition], list[str]]:
    """The claim's side conditions the kernel cannot prove, and malformed entries."""
    if claim.relation is Relation.REFUTES:
        return [], []
    key = claim_key(claim, signature)
    if key not in _CONDITIONS:
        drop = claim.variable if claim.relation is Relation.LIMIT else None
        _CONDITIONS[key] = open_conditions(claim.sides(), signature, drop)
    return _CONDITIONS[key]


# -- rewrites ------------------------------------------------------------------------------

def _entries(claim: Claim) -> list[tuple[Expr, Expr]]:
    lhs, rhs = evaluated(claim.lhs), evaluated(claim.rhs)
    if isinstance(lhs, MatrixBase):
        return list(zip(lhs, rhs, strict=True))
    return [(lhs, rhs)]


def hypotheses(open_: list[Condition], index_range: dict) -> dict:
    """Stated conditions as hypotheses: each ``E ≠ 0`` (``E > 0``) without bound
    variables becomes a fresh symbol with that sign — positive where ``E ≥ 0`` is shown.

    A proof for *every* value of the fresh symbol covers ``E``'s values on the set where
    the conditions hold, which is exactly the set the status says the claim holds on.
    """
    from .facts import shown_nonpositive, shown_sign

    swap = {}
    for condition in open_:
        if condition.expr is None or condition.bound or condition.relation == "≥":
            continue
        expr = evaluated(condition.expr)
        if condition.relation == ">" or shown_sign(expr, False, index_range):
            swap[expr] = Dummy("P", positive=True)
        elif shown_nonpositive(expr, False, index_range):
            swap[expr] = Dummy("N", negative=True)
        else:
            swap[expr] = Dummy("E", real=True, nonzero=True) if expr.is_real else Dummy(
                "E", nonzero=True)
    return swap


def decide(claim: Claim, name: str, index_range: dict,
           assume: dict | None = None) -> tuple[str, str]:
    """Run rewrite ``name`` on an (in)equality: shown, disproved or open, and why.

    ``assume`` maps expressions to symbols standing for them under the stated conditions
    (see :func:`hypotheses`).
    """
    if name not in REWRITES and name not in SIGN_REWRITES:
        return OPEN, f"unknown rewrite {name!r}"
    relation = {Relation.EQ: "=", Relation.LE: "<=", Relation.LT: "<"}[claim.relation]
    for left, right in _entries(claim):
        difference = left - right if claim.relation is Relation.EQ else right - left
        if assume:
            # an expression may stand for a symbol only where nothing differentiates,
            # integrates or takes a limit through it
            difference = difference.doit(integrals=False)
            if difference.has(Derivative, Subs, Integral, Limit):
                return OPEN, "the stated conditions cannot stand in for a derivative's parts"
            difference = difference.xreplace(assume)
        result = rewrite(name, difference, index_range)
        if claim.relation is Relation.EQ:
            if shows_zero(result):
                continue
        elif shows_sign(result, claim.relation is Relation.LT):
            continue
        if name in REWRITES and disproves(result, relation):
            side, never = {"=": ("lhs − rhs", "never 0"), "<=": ("rhs − lhs", "always < 0"),
                           "<": ("rhs − lhs", "always ≤ 0")}[relation]
            return DISPROVED, f"{side} reduces to {plain(result)}, which is {never} ({name})"
        return OPEN, f"{name}: not decided"
    return SHOWN, name


def _instances(claim: Claim, signature: Signature, certificate: Certificate) -> Finding:
    n_max = int(certificate.get("n_max", "0"))
    ladder = json.loads(certificate.get("ladder", "[]"))
    fixed = json.loads(certificate.get("names", "null"))
    used, count = [], 0
    for number, values in enumerate(assignments(signature, claim.sides(), n_max)):
        concrete = Claim(claim.relation, evaluate_instance(evaluated(claim.lhs), values),
                         evaluate_instance(evaluated(claim.rhs), values))
        names = [fixed[number]] if fixed is not None and number < len(fixed) else ladder
        for name in names:
            outcome, detail = decide(concrete, name, {})
            if outcome == SHOWN:
                used.append(name)
                break
            if outcome == DISPROVED:
                shown = ", ".join(f"{k}={v}" for k, v in values.items())
                return _finding(claim, signature, certificate, DISPROVED,
                                f"at {shown}: {detail}")
        else:
            shown = ", ".join(f"{k}={v}" for k, v in values.items())
            return _finding(claim, signature, certificate, OPEN, f"undecided at {shown}")
        count += 1
    if count == 0:
        return _finding(claim, signature, certificate, OPEN, f"no instance with n ≤ {n_max}")
    replay = Certificate("instances", certificate.name, data=(
        ("n_max", str(n_max)), ("names", json.dumps(used))))
    return _finding(claim, signature, replay, SHOWN,
                    f"all {count} instances up to n = {n_max}", up_to=n_max)


def _rule(claim, signature, certificate, premises: Mapping[str, Theorem]) -> Finding:
    """A rule step; one the rule does not carry is argued — or failed, where the claim
    itself reduces to a contradiction (``e^w = e^w + 1``), whatever its premises."""
    finding = _rule_outcome(claim, signature, certificate, premises)
    if finding.outcome == ARGUED and claim.relation in (Relation.EQ, Relation.LE, Relation.LT):
        outcome, detail = decide(claim, "cancel", signature.index_range)
        if outcome == DISPROVED:
            return _finding(claim, signature, certificate, DISPROVED, detail,
                            premises=finding.premises)
    return finding


def _rule_outcome(claim, signature, certificate, premises: Mapping[str, Theorem]) -> Finding:
    missing = [p for p in certificate.premises if p not in premises]
    if missing:
        return _finding(claim, signature, certificate, ARGUED,
                        f"premises not checked in this run: {', '.join(missing)}")
    used = [premises[p] for p in certificate.premises]
    statuses = tuple(t.status for t in used)
    rule = RULES.get(certificate.name)
    if rule is None:
        return _finding(claim, signature, certificate, ARGUED,
                        f"rule '{certificate.name}' is recorded, not checked by the kernel",
                        premises=statuses)
    conditional = [name for name, t in zip(certificate.premises, used, strict=True)
                   if t.status.where or (certificate.name in OVER_VECTORS
                                         and t.status.assuming)]
    if conditional and (certificate.name in BINDING or claim.relation is Relation.LIMIT):
        return _finding(claim, signature, certificate, ARGUED,
                        f"rule '{certificate.name}' quantifies over a variable, but "
                        f"{', '.join(conditional)} holds only where its conditions do",
                        premises=statuses)
    data = {key: unpack(json.loads(text)) for key, text in certificate.data}
    ok, detail = rule(claim, [t.claim for t in used], data, signature)
    outcome = SHOWN if ok else ARGUED
    if not ok:
        detail = f"rule '{certificate.name}' did not check: {detail}"
    return _finding(claim, signature, certificate, outcome, detail, premises=statuses)


def rule_certificate(name: str, premises, parameters: Mapping) -> Certificate:
    """The certificate of a rule step (parameters stored as text)."""
    data = tuple((key, json.dumps(pack(value))) for key, value in sorted(parameters.items()))
    return Certificate("rule", name, tuple(premises), data)


def attempt(claim: Claim, signature: Signature, certificate: Certificate,
            premises: Mapping[str, Theorem] | None = None) -> Finding:
    """Run ``certificate`` on ``claim``: the kernel does all the checking itself."""
    method = certificate.method
    if method == "rewrite" and claim.relation in (Relation.EQ, Relation.LE, Relation.LT):
        ranges = signature.index_range
        assume = (hypotheses(conditions(claim, signature)[0], ranges)
                  if certificate.get("assume") == "conditions" else None)
        outcome, detail = decide(claim, certificate.name, ranges, assume)
        if assume and outcome == DISPROVED:
            outcome = OPEN  # a contradiction for *some* value of a hypothesis symbol only
        return _finding(claim, signature, certificate, outcome, detail)
    if method == "limit" and claim.relation is Relation.LIMIT:
        outcome, detail = check_limit(claim, signature, certificate.name)
        needed = coefficient_conditions(claim, signature) if outcome == SHOWN else []
        return _finding(claim, signature, certificate, outcome, detail,
                        conditions=tuple(needed))
    if method == "instances" and claim.relation in (Relation.EQ, Relation.LE, Relation.LT):
        return _instances(claim, signature, certificate)
    if method == "rule":
        return _rule(claim, signature, certificate, premises or {})
    if method == "refutation" and claim.relation is Relation.REFUTES:
        ok, detail = refute(claim, signature)
        statuses = tuple(premises[p].status for p in certificate.premises
                         if premises and p in premises)
        return _finding(claim, signature, certificate, SHOWN if ok else DISPROVED, detail,
                        premises=statuses)
    if method == "hypothesis" and claim.relation in (Relation.EQ, Relation.LE, Relation.LT):
        return _finding(claim, signature, certificate, SHOWN,
                        f"hypothesis '{certificate.name}': steps resting on it are proven "
                        "assuming it")
    if method == "substitution":
        outcome, detail, up_to = check_substitution(claim, signature, certificate, attempt)
        return _finding(claim, signature, certificate, outcome, detail, up_to=up_to)
    tried = certificate.get("tried")
    return _finding(claim, signature, certificate, OPEN,
                    f"no proof: {tried}" if tried else "no symbolic proof proposed")


# -- the verdict ---------------------------------------------------------------------------

def judge(finding: Finding, evidence: Evidence | None = None) -> Theorem:
    """The status of a claim: the kernel's finding, weakened by what the numbers found.

    This is the only function that issues ``proven``: for a finding ``shown`` that the
    numbers do not contradict, with the claim's unproven side conditions as ``where`` and,
    for a rule, no stronger than its weakest premise.
    """
    if not isinstance(finding, Finding):
        raise TypeError("judge() takes a Finding made by attempt()")
    claim, certificate = finding.claim, finding.certificate
    open_, errors = conditions(claim, finding.signature)
    open_ = open_ + [c for c in finding.conditions if c not in open_]
    where = tuple(str(c) for c in open_)

    def theorem(status: Status, note: str, engine_error: bool = False) -> Theorem:
        return Theorem(claim, status, certificate, note, tuple(open_), engine_error,
                       token=_KERNEL)

    if errors:
        return theorem(Status.failed(), "malformed: " + "; ".join(errors))
    if finding.outcome == DISPROVED:
        return theorem(Status.failed(), finding.detail)
    refutation = claim.relation is Relation.REFUTES
    if not refutation:
        if evidence is not None and evidence.counterexample is not None:
            shown = finding.outcome == SHOWN
            note = f"counterexample {evidence.counterexample}"
            if shown:
                note = "ENGINE ERROR: the proof is contradicted by the numbers; " + note
            return theorem(Status.failed(), note, engine_error=shown)
        if evidence is not None and evidence.points == 0 and not evidence.skipped:
            return theorem(Status.failed(), "no point where the claim is defined was found")
    if finding.outcome == SHOWN:
        assumed = (certificate.name,) if certificate.method == "hypothesis" else ()
        status = weakest([issue_proven(finding.up_to, where, assumed), *finding.premises])
    elif finding.outcome == ARGUED:
        status = weakest([Status.argued(where), *finding.premises])
    elif evidence is None and not refutation:
        return theorem(Status.failed(), "neither a proof nor numeric evidence")
    else:
        status = Status.checked(where)
    return theorem(status, finding.detail)


__all__ = ["ARGUED", "DISPROVED", "OPEN", "SHOWN", "Finding", "attempt", "conditions",
           "decide", "judge", "rule_certificate"]
