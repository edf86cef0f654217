"""Symbolic proof strategies, cheapest first, each under a time limit.

The problem: SymPy decides ``softmax`` identities for general ``n`` only with help.
A raw ``.doit()`` of ∂s_i/∂z_k leaves ``Sum(δ_km e^{z_m})`` and then
``Piecewise((e^{z_k}, k ≤ n), (0, True))``; two sums that differ only in the name of the
summation index are different to SymPy; ``δ_ik (e^{z_i} − e^{z_k})`` is not reduced.
:func:`normalise_sums` applies the facts that make such expressions decidable:

1. evaluate derivatives and delta sums (``doit``) and ``refine`` under ``1 ≤ index ≤ n``;
2. split sums over ``+`` and pull factors that do not depend on the summation index out;
3. rename summation indices canonically, so equal sums compare equal;
4. ``δ_ab f(a, b) = δ_ab f(a, a)``;
5. replace each remaining sum by an opaque symbol (positive when its terms are), so
   ``Σ_j e^{z_j}`` behaves like the positive normaliser it is.

Then ``cancel``/``together`` usually finish; ``simplify`` comes last because it is slow
and can hang (every strategy runs under :func:`time_limit`).
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sympy import (
    Add,
    And,
    Dummy,
    Expr,
    Interval,
    KroneckerDelta,
    Mul,
    Q,
    S,
    Sum,
    Symbol,
    cancel,
    expand,
    expand_func,
    expand_log,
    factor_terms,
    oo,
    powsimp,
    refine,
    simplify,
    together,
)
from sympy.calculus.util import minimum
from sympy.codegen.cfunctions import expm1, log1p
from sympy.simplify.simplify import factor_sum


class TimeLimitExceeded(BaseException):
    """A strategy ran past its time limit.

    Derived from ``BaseException`` so that SymPy's own ``except Exception`` blocks cannot
    swallow it.
    """


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise :class:`TimeLimitExceeded` in the block after ``seconds`` of wall time.

    Uses ``SIGALRM``, so the limit applies in the main thread (the CLI runs every
    derivation in a main thread, in a worker process when ``-j`` > 1). Elsewhere the
    block runs without a limit.
    """
    if seconds <= 0:
        raise TimeLimitExceeded
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def on_alarm(signum, frame):
        raise TimeLimitExceeded

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@dataclass
class Attempt:
    """The outcome of trying to prove a claim symbolically.

    ``decided`` is True when a strategy proved the claim; ``method`` names it (or, when
    undecided, what was tried); ``timed_out`` records that some strategy hit its limit.
    """

    decided: bool
    method: str
    timed_out: bool = False


class Deadline:
    """The time left for one step's symbolic work."""

    def __init__(self, seconds: float):
        self.end = time.monotonic() + seconds

    @property
    def left(self) -> float:
        return self.end - time.monotonic()


# -- normalisation of sums over a general n ---------------------------------------------

_CANONICAL: list[Dummy] = []


def _canonical_index(depth: int) -> Dummy:
    while len(_CANONICAL) <= depth:
        _CANONICAL.append(Dummy(f"j{len(_CANONICAL)}", integer=True, positive=True))
    return _CANONICAL[depth]


def canonical_sums(expr: Expr, depth: int = 0) -> Expr:
    """Rename summation indices by nesting depth, so that equal sums compare equal."""
    if isinstance(expr, Sum) and len(expr.limits) == 1:
        (var, low, high), = expr.limits
        new = _canonical_index(depth)
        body = canonical_sums(expr.function.xreplace({var: new}), depth + 1)
        return Sum(body, (new, low, high))
    if not expr.args:
        return expr
    return expr.func(*[canonical_sums(a, depth) for a in expr.args])


def _split_and_pull(expr: Expr) -> Expr:
    def rewrite(s: Sum) -> Expr:
        body = expand(s.function, power_exp=True)
        return Add(*[factor_sum(Sum(term, *s.limits)) for term in Add.make_args(body)])

    return expr.replace(lambda e: isinstance(e, Sum), rewrite)


def reduce_deltas(expr: Expr) -> Expr:
    """Apply ``δ_ab f(a, b) = δ_ab f(a, a)`` to every product in ``expr``."""
    terms = []
    for term in Add.make_args(expand(expr)):
        for delta in [f for f in Mul.make_args(term) if isinstance(f, KroneckerDelta)]:
            a, b = delta.args
            if not isinstance(b, Symbol):
                a, b = b, a
            if isinstance(b, Symbol):
                rest = Mul(*[f for f in Mul.make_args(term) if f is not delta])
                term = delta * rest.xreplace({b: a})
        terms.append(term)
    return Add(*terms)


def index_facts(expr: Expr, index_range: dict[Symbol, Expr]):
    """``1 ≤ i ≤ n`` for every declared index ``i`` that occurs in ``expr``."""
    facts = [
        Q.ge(i, 1) & Q.le(i, n) for i, n in index_range.items() if i in expr.free_symbols
    ]
    return And(*facts) if facts else True


def normalise_sums(
    expr: Expr, index_range: dict[Symbol, Expr], keep: Symbol | None = None
) -> Expr:
    """Bring an expression with general-``n`` sums to a form ``cancel`` can decide.

    See the module docstring for the five rewrites. Sums that depend on ``keep`` (the
    variable of a limit) stay sums: only a sum that does not move with the limit
    variable may be treated as a constant symbol.

    Examples
    --------
    >>> from sympy import IndexedBase, Symbol, Derivative, KroneckerDelta
    >>> from whysoftmax.definitions import softmax
    >>> n = Symbol("n", integer=True, positive=True)
    >>> i, k = (Symbol(c, integer=True, positive=True) for c in "ik")
    >>> z = IndexedBase("z", real=True)
    >>> s = lambda a: softmax(z, a, n)
    >>> claim = Derivative(s(i), z[k]) - s(i) * (KroneckerDelta(i, k) - s(k))
    >>> cancel(normalise_sums(claim, {i: n, k: n}))
    0
    """
    for _ in range(6):
        before = expr
        expr = expr.doit()
        expr = refine(expr, index_facts(expr, index_range))
        expr = canonical_sums(_split_and_pull(expand(expr, power_exp=True)))
        if expr == before:
            break
    expr = reduce_deltas(expr)
    return expr.xreplace({s: _opaque(s) for s in expr.atoms(Sum) if not s.has(keep)})


def _opaque(s: Sum) -> Dummy:
    """A symbol standing for the sum ``s``, with the sign its terms give it.

    A sum of positive terms over a non-empty range is positive; of non-negative terms over
    a range that is empty or not, non-negative; of real terms, real. (By the Karr
    convention ``Sum(1, (j, 5, 3)) = −1``, so a range that may run backwards gets no sign.)
    """
    _, low, high = s.limits[0]
    count = high - low + 1
    term = s.function
    if count.is_positive and term.is_positive:
        return Dummy("S", positive=True)
    if count.is_nonnegative and term.is_nonnegative:
        return Dummy("S", nonnegative=True)
    return Dummy("S", real=True) if term.is_real else Dummy("S")


# -- strategies ---------------------------------------------------------------------------

Strategy = tuple[str, Callable[[Expr], Expr]]


def _doit_cancel(e: Expr) -> Expr:
    return cancel(together(e.doit()))


def _logs_and_powers(e: Expr) -> Expr:
    return cancel(together(powsimp(expand_log(expand(e.doit(), power_exp=True)))))


def _simplify(e: Expr) -> Expr:
    return simplify(e.doit())


def strategies(index_range: dict[Symbol, Expr]) -> list[Strategy]:
    """The ladder of rewrites tried on ``lhs − rhs`` (or on a sign), cheapest first."""

    def sums_cancel(e: Expr) -> Expr:
        return cancel(together(normalise_sums(e, index_range)))

    def sums_logs(e: Expr) -> Expr:
        return _logs_and_powers(normalise_sums(e, index_range))

    def sums_factor_logs(e: Expr) -> Expr:
        # log(e^M S + e^M) − M → log(S + 1): factor inside logs, then split them
        return expand_log(factor_terms(normalise_sums(e, index_range)))

    def sums_factor(e: Expr) -> Expr:
        return factor_terms(simplify(normalise_sums(e, index_range)))

    return [
        ("cancel", _doit_cancel),
        ("sums normalised + cancel", sums_cancel),
        ("expand_log + powsimp", _logs_and_powers),
        ("sums normalised + expand_log", sums_logs),
        ("sums normalised + factor_terms + expand_log", sums_factor_logs),
        ("sums normalised + simplify", sums_factor),
        ("simplify", _simplify),
    ]


def _run(
    expr: Expr,
    accept: Callable[[Expr], bool],
    ladder: list[Strategy],
    deadline: Deadline,
    share: float,
) -> Attempt:
    # log1p(x) and expm1(x) (sympy.codegen, the forms float code uses) are log(1 + x) and
    # e^x − 1 to every strategy.
    expr = expr.replace(lambda e: isinstance(e, (log1p, expm1)), expand_func)
    timed_out = False
    for name, rewrite in ladder:
        budget = deadline.left * share
        if budget <= 0.05:
            timed_out = True
            break
        try:
            with time_limit(budget):
                result = rewrite(expr)
                if accept(result):
                    return Attempt(True, name)
        except TimeLimitExceeded:
            timed_out = True
        except Exception:  # noqa: BLE001 - a strategy SymPy cannot run is simply not a proof
            continue
    tried = f"no proof by {len(ladder)} strategies"
    return Attempt(False, tried + (" (time limit hit)" if timed_out else ""), timed_out)


def is_zero_proof(result: Expr) -> bool:
    """A rewrite proves ``lhs = rhs`` only if it reduces the difference to exactly 0."""
    return result == 0


def sign_proof(strict: bool) -> Callable[[Expr], bool]:
    """Accept a rewrite of ``rhs − lhs`` whose sign SymPy decides (> 0 or ≥ 0)."""

    def accept(result: Expr) -> bool:
        if strict:
            return bool(result.is_positive)
        return bool(result.is_nonnegative)

    return accept


def prove_zero(
    expr: Expr, index_range: dict[Symbol, Expr], deadline: Deadline, share: float = 1.0
) -> Attempt:
    """Try to show ``expr == 0``; ``share`` is the fraction of the time left it may use."""
    if expr == 0:
        return Attempt(True, "identical")
    return _run(expr, is_zero_proof, strategies(index_range), deadline, share)


def minimum_over_domain(expr: Expr) -> Expr:
    """The minimum of a one-variable expression over its symbol's domain.

    The domain comes from the symbol's assumptions: (0, ∞) for positive, [0, ∞) for
    non-negative, ℝ for real. Used to decide signs such as ``1 + z + z²/2 > 0`` (minimum
    1/2) or ``t log t − t + 1 ≥ 0`` (minimum 0), which SymPy's sign logic leaves open.
    """
    expr = expr.doit()
    (var,) = expr.free_symbols
    if var.is_positive:
        domain = Interval.open(0, oo)
    elif var.is_nonnegative:
        domain = Interval(0, oo)
    elif var.is_real:
        domain = S.Reals
    else:
        raise ValueError("not a real variable")
    return minimum(expr, var, domain)


def prove_sign(
    expr: Expr, strict: bool, index_range: dict[Symbol, Expr], deadline: Deadline,
    share: float = 1.0,
) -> Attempt:
    """Try to show ``expr > 0`` (``strict``) or ``expr ≥ 0``."""
    accept = sign_proof(strict)
    if accept(expr):
        return Attempt(True, "sign from assumptions")
    ladder = [("sums normalised", lambda e: normalise_sums(e, index_range))]
    ladder += strategies(index_range)
    if len(expr.free_symbols) == 1:
        ladder.append(("minimum over the domain", minimum_over_domain))
    return _run(expr, accept, ladder, deadline, share)
