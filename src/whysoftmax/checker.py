"""Check every step of a derivation and give it an honest status.

For each step:

1. **symbolic, general n** — the strategy ladder of :mod:`whysoftmax.symbolic` on
   ``lhs − rhs`` (or on the sign of ``rhs − lhs``), under the step's time limit;
2. **symbolic, instantiated** — if undecided and the claim depends on a dimension, every
   ``n = n_min … N`` with every index tuple → ``proven for n ≤ N``;
3. **numeric** — always, also after a proof: mpmath at ``dps`` digits at random and
   adversarial points, ``n`` up to 8;
4. **status** — ``proven``, ``proven for n ≤ N``, ``checked`` or ``failed`` (with the
   counterexample). A step SymPy proved but the numbers contradict is ``failed`` and
   flagged as an engine error;
5. **rules** — a chain's composed relation or a ``by_rule`` result holds only when every
   premise holds, and its status is the weakest of theirs.

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
from dataclasses import dataclass, field

from sympy import IndexedBase, Limit, MatrixBase, Sum, limit, nan, nsimplify, zoo

from .derivation import Derivation, Relation, Step
from .instances import dimensions_of, evaluate_instance, instances
from .numeric_check import (
    Counterexample,
    NumericReport,
    check_limit_at_points,
    check_relation_at_points,
)
from .status import Kind, Status, weakest
from .symbolic import (
    Attempt,
    Deadline,
    TimeLimitExceeded,
    normalise_sums,
    prove_sign,
    prove_zero,
    time_limit,
)

#: The sizes the numeric check uses for general-n claims.
NUMERIC_SIZES = (1, 2, 3, 5, 8)


@dataclass(frozen=True)
class CheckOptions:
    """Settings of a check run (the CLI's flags).

    Attributes
    ----------
    dps : decimal digits of the numeric check (≥ 30).
    points : random points per instance (adversarial points come on top).
    time_limit : seconds of symbolic work per step before it is stopped.
    n_max : the largest ``n`` of the instantiation stage (``proven for n ≤ N``).
    """

    dps: int = 50
    points: int = 6
    time_limit: float = 20.0
    n_max: int = 6

    def __post_init__(self):
        if self.dps < 30:
            raise ValueError(f"dps must be at least 30, got {self.dps}")
        if self.points < 1:
            raise ValueError(f"points must be at least 1, got {self.points}")
        if self.time_limit <= 0:
            raise ValueError(f"time_limit must be positive, got {self.time_limit}")
        if self.n_max < 2:
            raise ValueError(f"n_max must be at least 2, got {self.n_max}")


@dataclass
class StepResult:
    """The outcome of checking one step (plain data, so it crosses process boundaries)."""

    derivation: str
    name: str
    relation: str
    status: Status
    method: str
    seconds: float
    numeric: NumericReport | None = None
    counterexample: Counterexample | None = None
    witness: Counterexample | None = None
    engine_error: bool = False
    rule: str | None = None
    premises: tuple[str, ...] = ()
    cell: tuple[str, str] | None = None

    @property
    def detail(self) -> str:
        """One line for tables: the counterexample if any, else the numeric summary."""
        if self.counterexample is not None:
            return f"counterexample {self.counterexample}"
        if self.witness is not None:
            return f"witness {self.witness}"
        return self.numeric.summary() if self.numeric else ""


@dataclass
class DerivationResult:
    """All step results of one derivation, or the error that stopped it from loading."""

    id: str
    title: str
    path: str
    results: list[StepResult] = field(default_factory=list)
    error: str | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.error is None and all(r.status.ok for r in self.results)


def _rng(derivation: Derivation, step: Step) -> random.Random:
    return random.Random(zlib.crc32(f"{derivation.id}/{step.name}".encode()))


# -- symbolic -------------------------------------------------------------------------------

def _difference(step: Step):
    if step.relation is Relation.EQ:
        return step.lhs - step.rhs
    return step.rhs - step.lhs  # LE / LT: show this is ≥ 0 / > 0


def _prove_expr(step: Step, expr, index_range, deadline: Deadline, share: float) -> Attempt:
    if step.relation is Relation.EQ:
        if isinstance(expr, MatrixBase):
            for entry in expr:
                attempt = prove_zero(entry, index_range, deadline, share)
                if not attempt.decided:
                    return attempt
            return Attempt(True, "entrywise " + attempt.method)
        return prove_zero(expr, index_range, deadline, share)
    return prove_sign(expr, step.relation is Relation.LT, index_range, deadline, share)


def _prove_limit(step: Step, index_range, deadline: Deadline) -> Attempt:
    """SymPy's ``limit``, first on the expression, then with its constant sums opaque.

    ``limit`` cannot pass a ``Sum``; a sum that does not depend on the limit variable is
    a constant, and replacing it by a (positive) symbol lets ``limit`` decide the rest.
    """
    forms = [
        ("limit", lambda: step.lhs.doit()),
        ("limit with constant sums opaque",
         lambda: normalise_sums(step.lhs, index_range, keep=step.variable)),
    ]
    tried = []
    for name, form in forms:
        try:
            with time_limit(deadline.left * 0.5):
                found = limit(form(), step.variable, step.point)
        except TimeLimitExceeded:
            tried.append(f"{name}: time limit hit")
            continue
        except Exception as error:  # noqa: BLE001 - SymPy's limit raises many kinds
            tried.append(f"{name}: {type(error).__name__}")
            continue
        if found.has(nan, zoo, Limit) or found.has(Sum):
            tried.append(f"{name}: undetermined")
            continue
        attempt = prove_zero(found - step.rhs, index_range, deadline)
        if attempt.decided:
            return Attempt(True, f"{name} + {attempt.method}")
        tried.append(f"{name}: value not shown equal")
    return Attempt(False, "; ".join(tried))


def _with_substitution(step: Step) -> Step:
    """The step with its guide applied (after ``doit``: entries may appear only then)."""
    if not step.substitute:
        return step
    lhs = step.lhs.doit().subs(step.substitute)
    rhs = step.rhs.doit().subs(step.substitute) if step.rhs is not None else None
    return Step(**{**step.__dict__, "lhs": lhs, "rhs": rhs})


def prove_symbolically(
    derivation: Derivation, step: Step, options: CheckOptions
) -> tuple[Status | None, str]:
    """Stages 1 and 2: a proof for general n, else for every n ≤ N; else ``None``."""
    guided = _with_substitution(step)
    deadline = Deadline(options.time_limit)
    index_range = derivation.index_range
    via = " (after substitution)" if step.substitute else ""

    def attempt_for(s: Step, share: float) -> Attempt:
        if s.relation is Relation.LIMIT:
            return _prove_limit(s, index_range, deadline)
        return _prove_expr(s, _difference(s), index_range, deadline, share)

    general = attempt_for(guided, share=0.5)
    if general.decided:
        return Status.proven(), general.method + via
    dims = dimensions_of(derivation, [step.lhs, step.rhs])
    if not dims:
        return None, general.method
    low = max(derivation.dimensions[d] for d in dims)
    n_max = step.n_max or options.n_max
    sizes = list(range(low, n_max + 1))
    methods = set()
    for values in instances(derivation, [step.lhs, step.rhs], sizes, exhaustive=True):
        if deadline.left <= 0.05:
            return None, general.method + "; instances: time limit hit"
        concrete = Step(
            **{
                **guided.__dict__,
                "lhs": evaluate_instance(guided.lhs, values),
                "rhs": evaluate_instance(guided.rhs, values),
            }
        )
        attempt = attempt_for(concrete, share=1.0)
        if not attempt.decided:
            shown = ", ".join(f"{k}={v}" for k, v in values.items())
            return None, f"{general.method}; undecided at {shown}"
        methods.add(attempt.method)
    return (
        Status.proven_up_to(n_max),
        f"instances n={low}..{n_max}: {', '.join(sorted(methods))}{via}",
    )


# -- numeric --------------------------------------------------------------------------------

def check_numerically(
    derivation: Derivation, step: Step, options: CheckOptions
) -> NumericReport:
    """Stage 3: evaluate the original claim at sampled points for n up to 8."""
    rng = _rng(derivation, step)
    report = NumericReport(dps=options.dps)
    exprs = [step.lhs, step.rhs]
    for values in instances(derivation, exprs, list(NUMERIC_SIZES), exhaustive=False, rng=rng):
        lhs = evaluate_instance(step.lhs, values, keep_max=True)
        rhs = evaluate_instance(step.rhs, values, keep_max=True)
        size = next((v for k, v in values.items() if k in derivation.dimensions), None)
        if size is not None and size not in report.sizes:
            report.sizes.append(size)
        common = dict(dps=options.dps, count=options.points, rng=rng, report=report, labels=values)
        if step.relation is Relation.LIMIT:
            check_limit_at_points(lhs, rhs, step.variable, step.point, **common)
        else:
            check_relation_at_points(step.relation, lhs, rhs, **common)
        if report.counterexample is not None:
            break
    return report


# -- refutations ----------------------------------------------------------------------------

def _witness_values(derivation: Derivation, witness: dict):
    """Split a witness into dimension/index values and entry values, exactly."""
    sizes, entries = {}, {}
    for key, value in witness.items():
        if isinstance(key, IndexedBase):
            length = derivation.vectors[key]
            if not isinstance(length, int):
                sizes[length] = len(value)
            for q, v in enumerate(value, start=1):
                entries[key[q]] = nsimplify(v, rational=True)
        elif key in derivation.dimensions or key in derivation.index_range:
            sizes[key] = int(value)
        else:
            entries[key] = nsimplify(value, rational=True)
    return sizes, entries


def check_refutation(derivation: Derivation, step: Step) -> tuple[Status, str, Counterexample]:
    """Evaluate the refuted claim exactly at the witness."""
    sizes, entries = _witness_values(derivation, step.witness)

    def exact(side):
        if side is None:
            return None
        return evaluate_instance(side, sizes).xreplace(entries).doit()

    try:
        lhs = exact(step.lhs)
        rhs = exact(step.rhs)
    except ZeroDivisionError:
        lhs, rhs = zoo, None
    shown = {str(k): str(v) for k, v in {**sizes, **entries}.items()}
    example = Counterexample(shown, str(lhs), str(rhs))
    if step.refuted == "defined":
        undefined = lhs is None or lhs.has(zoo, nan) or (lhs.is_finite is False)
        verdict = "undefined at the witness"
        return (Status.proven() if undefined else Status.failed()), verdict, example
    pairs = zip(lhs, rhs, strict=True) if isinstance(lhs, MatrixBase) else [(lhs, rhs)]
    refuted = False
    for left, right in pairs:
        diff = (left - right).simplify()
        if step.refuted == "=" and diff.is_zero is False:
            refuted = True
        elif step.refuted == "<=" and diff.is_positive:
            refuted = True
        elif step.refuted == "<" and diff.is_nonnegative:
            refuted = True
    verdict = f"exact values at the witness contradict '{step.refuted}'"
    if not refuted:
        verdict = f"the witness does not contradict '{step.refuted}'"
    return (Status.proven() if refuted else Status.failed()), verdict, example


# -- putting it together --------------------------------------------------------------------

def check_step(
    derivation: Derivation,
    step: Step,
    options: CheckOptions | None = None,
    earlier: dict[str, StepResult] | None = None,
) -> StepResult:
    """Check one step; ``earlier`` holds the results of the steps before it (for rules).

    An unexpected error inside the checker does not stop the run: the step is ``failed``
    and flagged as an engine error, with the error in one line.
    """
    start = time.perf_counter()
    try:
        return _check_step(derivation, step, options or CheckOptions(), earlier or {})
    except Exception as error:  # noqa: BLE001 - reported as this step's failure
        return StepResult(
            derivation.id, step.name, str(step.relation), Status.failed(),
            f"checker error: {type(error).__name__}: {error}"[:300],
            time.perf_counter() - start, engine_error=True,
        )


def _check_step(
    derivation: Derivation, step: Step, options: CheckOptions, earlier: dict[str, StepResult]
) -> StepResult:
    earlier = earlier or {}
    start = time.perf_counter()
    result = StepResult(
        derivation.id, step.name, str(step.relation), Status.checked(), "", 0.0,
        rule=step.rule, premises=step.premises, cell=step.cell,
    )
    if step.relation is Relation.REFUTES:
        result.status, result.method, example = check_refutation(derivation, step)
        if step.premises:
            rests_on = [earlier[p].status for p in step.premises if p in earlier]
            result.status = weakest([result.status, *rests_on])
            result.method += f"; rests on {', '.join(step.premises)}"
        if result.status.ok:
            result.witness = example
        else:
            result.counterexample = example
        result.seconds = time.perf_counter() - start
        return result

    if step.rule is not None:
        premises = [earlier[p].status for p in step.premises if p in earlier]
        missing = [p for p in step.premises if p not in earlier]
        symbolic = weakest(premises) if premises and not missing else None
        method = f"rule: {step.rule} from {len(step.premises)} step(s)"
        if missing:
            method += f" (premises not checked in this run: {', '.join(missing)})"
    else:
        symbolic, method = prove_symbolically(derivation, step, options)

    numeric = check_numerically(derivation, step, options)
    result.numeric = numeric
    result.counterexample = numeric.counterexample
    if numeric.counterexample is not None:
        result.status = Status.failed()
        result.engine_error = symbolic is not None and symbolic.kind is not Kind.FAILED and (
            step.rule is None
        )
        result.method = method + (" — ENGINE ERROR: proof contradicted by numbers"
                                  if result.engine_error else "")
    elif numeric.points == 0:
        result.status = Status.failed()
        result.method = method + "; no point where both sides are defined"
    elif symbolic is None:
        result.status = Status.checked()
        result.method = method + "; numeric only"
    else:
        result.status = symbolic
        result.method = method
    result.seconds = time.perf_counter() - start
    return result


def check_derivation(
    derivation: Derivation,
    options: CheckOptions | None = None,
    *,
    select: Callable[[Step], bool] | None = None,
    on_step: Callable[[StepResult], None] | None = None,
) -> DerivationResult:
    """Check the steps of ``derivation`` (those ``select`` keeps, with their premises)."""
    options = options or CheckOptions()
    wanted = _with_premises(derivation, select)
    out = DerivationResult(derivation.id, derivation.title, "")
    start = time.perf_counter()
    done: dict[str, StepResult] = {}
    for step in derivation.steps:
        if step.name not in wanted:
            continue
        result = check_step(derivation, step, options, done)
        done[step.name] = result
        out.results.append(result)
        if on_step is not None:
            on_step(result)
    out.seconds = time.perf_counter() - start
    return out


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
