"""The search: which certificates to propose, in what order, with what time budget.

Nothing here decides anything. Each proposal goes to the kernel's ``attempt``, which runs
it; the first that shows (or disproves) the claim wins. The ladders are ordered cheapest
first; ``simplify`` comes last because it is slow and can hang, and every attempt runs
under a time limit.

Examples
--------
>>> from sympy import Symbol, log
>>> u = Symbol("u", nonnegative=True)
>>> d = Symbol("d", nonnegative=True)
>>> propose_inverse({d: log(1 + u)}, set())
{u: exp(d) - 1}
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping

from sympy import Dummy, Eq, Indexed, solve

from ..kernel import (
    Certificate,
    Claim,
    Finding,
    Relation,
    Signature,
    Theorem,
    attempt,
    conditions,
)
from ..kernel.instances import dimensions_of
from ..kernel.judgement import DISPROVED, OPEN, SHOWN, rule_certificate
from ..kernel.serial import pack
from ..kernel.substitution import variables
from ..kernel.sums import evaluated
from .timebox import Deadline, TimeLimitExceeded, time_limit

#: Rewrites proposed for ``lhs = rhs``, cheapest first.
ZERO_LADDER = ("cancel", "sums normalised + cancel", "expand_log + powsimp",
               "sums normalised + expand_log", "sums normalised + factor_terms + expand_log",
               "sums normalised + simplify", "simplify")
#: Rewrites proposed for ``lhs ≤ rhs`` and ``lhs < rhs``.
SIGN_LADDER = ("identical", "sums normalised", *ZERO_LADDER, "entries between the extrema",
               "squares completed", "minimum over the domain")
#: Preparations proposed before SymPy's ``limit``.
LIMIT_LADDER = ("limit", "limit with constant sums opaque", "limit with constants opaque")


def _new_atoms(value, present: set) -> list:
    return sorted((a for a in variables(value) if a not in present), key=str)


def propose_inverse(forward: Mapping, present: set) -> dict:
    """An inverse of ``forward`` found by ``solve`` (one new variable per old one).

    The kernel checks it; a wrong or partial inverse only means no proof.
    """
    inverse = {}
    for old, value in forward.items():
        new = _new_atoms(value, present | set(forward) | set(inverse))
        if len(new) != 1:
            continue
        (u,) = new
        stand = {a: Dummy(str(a), **{k: v for k, v in a.assumptions0.items() if v is not None})
                 for a in (u, old) if isinstance(a, Indexed)}
        target, unknown = stand.get(old, old), stand.get(u, u)
        try:
            solutions = solve(Eq(target, evaluated(value).xreplace(stand)), unknown)
        except Exception:  # noqa: BLE001 - no inverse proposed; the kernel will say so
            continue
        back = {v: k for k, v in stand.items()}
        if solutions:
            inverse[u] = solutions[0].xreplace(back)
    return inverse


def _atoms_of(claim: Claim) -> set:
    found: set = set()
    for side in claim.sides():
        found |= variables(side)
    return found


def proposals(claim: Claim, step, signature: Signature, n_max: int) -> Iterator[Certificate]:
    """The certificates to try for a step without a rule, in order."""
    if claim.relation is Relation.LIMIT:
        names = LIMIT_LADDER
        method = "limit"
    else:
        names = ZERO_LADDER if claim.relation is Relation.EQ else SIGN_LADDER
        method = "rewrite"
    wrap = _substitution(claim, step)
    for name in names:
        yield wrap(Certificate(method, name))
    if method == "rewrite" and conditions(claim, signature)[0]:
        for name in names:
            yield wrap(Certificate(method, name, data=(("assume", "conditions"),)))
    if method == "rewrite" and dimensions_of(signature, claim.sides()):
        ladder = names[:3] if claim.relation is Relation.EQ else names[:5]
        yield wrap(Certificate("instances", "instances", data=(
            ("n_max", str(n_max)), ("ladder", json.dumps(list(ladder))))))


def _substitution(claim: Claim, step):
    if not step.substitute:
        return lambda certificate: certificate
    forward = dict(step.substitute)
    inverse = dict(step.inverse) or propose_inverse(forward, _atoms_of(claim))
    data = (("forward", json.dumps(pack(forward))), ("inverse", json.dumps(pack(inverse))))
    return lambda certificate: Certificate("substitution", data=data, inner=certificate)


def search(step, signature: Signature, premises: Mapping[str, Theorem], time_budget: float,
           n_max: int) -> Finding:
    """Propose certificates for ``step`` until the kernel finds one that decides it."""
    claim = step.claim
    if claim.relation is Relation.REFUTES:
        return attempt(claim, signature, Certificate("refutation", premises=step.premises),
                       premises)
    if step.hypothesis:
        return attempt(claim, signature, Certificate("hypothesis", step.name))
    if step.rule is not None:
        return attempt(claim, signature,
                       rule_certificate(step.rule, step.premises, dict(step.using)), premises)
    deadline = Deadline(time_budget)
    best = attempt(claim, signature, Certificate("none"))
    tried = []
    for certificate in proposals(claim, step, signature, step.n_max or n_max):
        share = 1.0 if certificate.method == "instances" or (
            certificate.inner is not None and certificate.inner.method == "instances") else 0.5
        budget = deadline.left * share
        if budget <= 0.05:
            tried.append("time limit hit")
            break
        try:
            with time_limit(budget):
                found = attempt(claim, signature, certificate)
        except TimeLimitExceeded:
            tried.append(f"{certificate.describe()}: time limit hit")
            continue
        except Exception as error:  # noqa: BLE001 - a proposal SymPy cannot run is no proof
            tried.append(f"{certificate.describe()}: {type(error).__name__}")
            continue
        if found.outcome in (SHOWN, DISPROVED):
            return found
        if found.detail:
            tried.append(found.detail)
    if tried:
        return attempt(claim, signature, Certificate("none", data=(
            ("tried", "; ".join(dict.fromkeys(tried))[:300]),)))
    return best


__all__ = [
    "LIMIT_LADDER",
    "OPEN",
    "SIGN_LADDER",
    "ZERO_LADDER",
    "proposals",
    "propose_inverse",
    "search",
]
