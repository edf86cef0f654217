"""An oracle for softmax kernels: adversarial inputs, mpmath references, errors in ULPs.

Library authors put this in their own CI to measure *their* softmax (or log_softmax,
logsumexp, sigmoid, Jacobian-vector product — every function of
:mod:`whysoftmax.numeric`) against the textbook definition evaluated at 100 digits:

>>> import numpy as np
>>> from whysoftmax.testing import assert_matches_reference, ulp_report
>>> def naive(x):
...     e = np.exp(x - np.max(x))
...     return e / e.sum()
>>> report = ulp_report(naive, "softmax", cases=["n = 1", "all equal"])
>>> report.worst <= 1
True
>>> _ = assert_matches_reference(naive, "softmax", max_ulp=1, cases=["all equal"])

A failure raises ``AssertionError`` with a table: case, size, worst error in ULPs, and the
input, result and reference at the worst entry. The same is a pytest fixture,
``whysoftmax_oracle`` (registered by installing whysoftmax).

Errors are measured against the high-precision value itself, ``|got − ref| / ulp(ref)``,
with the spacing of the output dtype at ``ref`` (2^-1074 below the smallest normal), so a
correctly rounded result has an error ≤ 0.5.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import mpmath
import numpy as np

from . import mp
from .numeric import __all__ as FUNCTIONS

__all__ = [
    "ADVERSARIAL",
    "REFERENCES",
    "AttentionReport",
    "Case",
    "Reference",
    "UlpReport",
    "adversarial_cases",
    "assert_attention_matches",
    "assert_matches_reference",
    "attention_report",
    "reference_values",
    "ulp_errors",
    "ulp_report",
    "uneven_chunks",
]


@dataclass(frozen=True)
class Case:
    """One adversarial input: a name, a 1-D float64 vector, and why it is hard."""

    name: str
    x: np.ndarray = field(repr=False)
    why: str = ""


def adversarial_cases(seed: int = 0) -> list[Case]:
    """The adversarial suite (deterministic for a given ``seed``).

    Dominant entries with gaps 20–750, magnitudes up to 1e308, −inf entries, near ties,
    n = 1e5 spread over [−800, 5], n = 2^20 normal(0, 3) (the class of a long sum whose
    small parts add up: every entry was 31.7 ULP low), subnormal outputs, n = 1, all
    equal, large offsets whose gaps round, and a gap of 55 where log(1 + tiny) underflows.
    """
    rng = np.random.default_rng(seed)
    gaps = np.linspace(20, 750, 40)
    cases = [
        Case("dominant, gaps 20–750", np.concatenate([[0.0], -gaps]) + 0.3,
             "exp of a rounded gap: scipy's error grows with the gap"),
        Case("dominant, gaps 20–750, shuffled, offset 417.3",
             rng.permutation(np.concatenate([[0.0], -gaps + rng.uniform(-1, 1, 40)])) + 417.3,
             "the max is not first; z − max rounds at every entry"),
        Case("gap 55", np.array([0.0, -55.0]), "log(1 + 1.3e-24) is 0 in float64"),
        Case("gaps 1–40 at offset 1e5", 1e5 + 0.7 - rng.uniform(1, 40, 200),
             "large offset: z − max loses low bits"),
        Case("magnitudes to 1e308", np.array([1e308, -1e308, 5e307, 1e300, -3e307]),
             "gaps overflow to −inf"),
        Case("large negative magnitudes", np.array([-1e308, -1e308 + 1e292, -5e307]),
             "the max itself is −1e308"),
        Case("−inf entries", np.array([-np.inf, 0.5, -np.inf, 3.25, -1.0]),
             "masked entries"),
        Case("near ties", 1.0 + np.array([0.0, 2.0**-52, -(2.0**-53), 2.0**-51, 0.0]),
             "entries one ULP apart"),
        Case("n = 1e5 spread over [−800, 5]", rng.uniform(-800, 5, 100_000),
             "a long sum of terms spanning 350 orders of magnitude"),
        Case("n = 2^20, normal(0, 3)", np.round(rng.normal(0, 3, 2**20) * 64) / 64,
             "a long sum: 2^20 small rounding parts add up (multiples of 1/64, so the "
             "references need one exp per distinct value)"),
        Case("subnormal outputs", np.array([0.0, -715.5, -730.25, -740.125, -744.0]),
             "probabilities below 2^-1022"),
        Case("n = 1", np.array([3.7]), "softmax is 1, log_softmax 0"),
        Case("all equal", np.full(7, 2.5), "uniform output"),
        Case("normal, scale 30, n = 1000", rng.normal(0, 30, 1000), "ordinary logits"),
    ]
    return cases


#: The suite's cases by name.
ADVERSARIAL: dict[str, Case] = {c.name: c for c in adversarial_cases()}


def _extremes(x: np.ndarray) -> list[tuple]:
    """Targets at the arg max (s_y − 1 cancels) and at the arg min."""
    return [(int(np.argmax(x)),), (int(np.argmin(x)),)]


def _direction(x: np.ndarray) -> list[tuple]:
    """A fixed direction, v_j = cos(j mod 64): no entry of Jv is exactly 0 (where a
    reference at any finite precision would be off by infinitely many ULPs), and few
    distinct values (the references are computed per distinct pair)."""
    return [(np.cos(np.arange(len(x)) % 64.0),)]


def _positive_values(x: np.ndarray) -> list[tuple]:
    """Attention values of one sign (no cancellation), ``(n, 2)``, 64 distinct rows."""
    j = np.arange(len(x)) % 64.0
    return [(np.stack([1 + np.cos(j) / 2, 2 + np.sin(j)], axis=1),)]


def uneven_chunks(x: np.ndarray, *rest: np.ndarray) -> list:
    """``x`` (and arrays beside it) cut at n/7, n/7, n/2 and n/2 + 1: five chunks of uneven
    sizes, one empty (a stream's identity state is exercised too)."""
    parts = [np.split(a, [len(x) // 7] * 2 + [len(x) // 2, len(x) // 2 + 1]) for a in (x, *rest)]
    return parts[0] if not rest else list(zip(*parts, strict=True))


def _merged(fn, x, *values):
    """An accumulator class ``fn``: one per chunk, merged pairwise as parallel blocks."""
    accs = [fn().update(*c) if values else fn().update(c) for c in uneven_chunks(x, *values)]
    while len(accs) > 1:
        accs = [a.merge(b) for a, b in zip(accs[::2], accs[1::2], strict=False)] + \
            accs[len(accs) // 2 * 2:]
    return accs[0].output() if values else accs[0].logsumexp()


@dataclass(frozen=True)
class Reference:
    """How one function is measured: its mpmath reference, the calls made on a case
    (extra arguments built from the case's vector), the largest case it takes, and how
    ``fn`` is called on a case (``call(fn, x, *arguments)``; the streaming functions get
    the case in chunks)."""

    reference: Callable
    arguments: Callable[[np.ndarray], list[tuple]] = lambda x: [()]
    elementwise: bool = False
    max_n: int | None = None
    call: Callable = lambda fn, x, *arguments: fn(x, *arguments)


#: Every function of :mod:`whysoftmax.numeric`, with how to measure it.
REFERENCES: dict[str, Reference] = {name: Reference(getattr(mp, name)) for name in FUNCTIONS}
REFERENCES.update(
    softmax_jacobian=Reference(mp.softmax_jacobian, max_n=1000),  # n² entries
    softmax_jvp=Reference(mp.softmax_jvp, _direction),
    cross_entropy=Reference(mp.cross_entropy, _extremes),
    cross_entropy_grad=Reference(mp.cross_entropy_grad, _extremes),
    sigmoid=Reference(mp.sigmoid, elementwise=True),
    log_sigmoid=Reference(mp.log_sigmoid, elementwise=True),
    # streaming: the one-shot references, the case cut by uneven_chunks
    logsumexp_chunks=Reference(mp.logsumexp, call=lambda fn, x: fn(uneven_chunks(x))),
    softmax_chunks=Reference(mp.softmax, call=lambda fn, x: np.concatenate(fn(uneven_chunks(x)))),
    OnlineLogSumExp=Reference(mp.logsumexp, call=_merged),
    attention_chunks=Reference(mp.attention, _positive_values,
                               call=lambda fn, x, v: fn(uneven_chunks(x, v))),
    OnlineAttention=Reference(mp.attention, _positive_values, call=_merged),
)


def _flatten(value) -> list:
    if isinstance(value, list):
        return [v for item in value for v in _flatten(item)]
    return [value]


def _evaluate(name: str, x: np.ndarray, arguments: tuple, dps: int) -> list:
    ref = REFERENCES[name]
    if ref.elementwise:
        values = {v: ref.reference(v, dps=dps) for v in set(x.tolist())}
        return [values[v] for v in x.tolist()]
    return _flatten(ref.reference(x, *arguments, dps=dps))


def _cached(name: str, case_name: str, call: int, dps: int) -> tuple:
    """Cached per reference: functions sharing one (the streaming ones) share its values."""
    ref = REFERENCES[name]
    first = next(n for n, r in REFERENCES.items()
                 if (r.reference, r.arguments) == (ref.reference, ref.arguments))
    return _cached_values(first, case_name, call, dps)


@functools.lru_cache(maxsize=256)
def _cached_values(name: str, case_name: str, call: int, dps: int) -> tuple:
    x = ADVERSARIAL[case_name].x
    return tuple(_evaluate(name, x, REFERENCES[name].arguments(x)[call], dps))


def reference_values(name: str, case_name: str, dps: int = 100) -> list:
    """The references of function ``name`` on a case of the suite, flattened over the
    calls of :data:`REFERENCES` (cached: the 2^20-entry case takes seconds)."""
    calls = REFERENCES[name].arguments(ADVERSARIAL[case_name].x)
    return [v for call in range(len(calls)) for v in _cached(name, case_name, call, dps)]


def _split(reference: Sequence) -> tuple[np.ndarray, np.ndarray]:
    """References as float64 pairs ``hi + lo`` (one conversion per distinct object)."""
    seen: dict[int, tuple[float, float]] = {}
    hi, lo = np.empty(len(reference)), np.empty(len(reference))
    with mpmath.workdps(60):
        for q, r in enumerate(reference):
            pair = seen.get(id(r))
            if pair is None:
                h = float(r)
                pair = seen[id(r)] = (h, float(r - h) if mpmath.isfinite(r) and
                                      np.isfinite(h) else 0.0)
            hi[q], lo[q] = pair
    return hi, lo


def ulp_errors(got: Sequence, reference: Sequence, dtype=np.float64) -> np.ndarray:
    """``|got − ref| / ulp(ref)`` per entry; 0 where both are the same non-finite value.

    A non-finite result where the reference is finite (or the reverse, or a NaN mismatch)
    counts as an infinite error.
    """
    info = np.finfo(np.dtype(dtype))
    values = np.asarray(got, dtype=np.float64).ravel()
    hi, lo = _split(reference)
    if values.size != hi.size:
        raise ValueError(f"{values.size} results for {hi.size} references")
    with np.errstate(all="ignore"):
        size = np.abs(hi)
        ulp = np.where(size < info.smallest_normal, info.smallest_subnormal,
                       np.spacing(np.minimum(size, info.max).astype(info.dtype))
                       .astype(np.float64))
        error = np.abs((values - hi) - lo) / ulp
        both = (np.isnan(values) & np.isnan(hi)) | (np.isinf(hi) & (values == hi))
        odd = ~np.isfinite(hi) | ~np.isfinite(values)
    return np.where(both, 0.0, np.where(odd, np.inf, error))


@dataclass
class UlpRow:
    case: str
    n: int
    worst: float
    index: int
    x: float
    got: float
    want: str


@dataclass
class UlpReport:
    """Errors of one function over the suite, a row per case (``worst`` NaN where the
    case is beyond the function's ``max_n``, with the reason in ``want``)."""

    function: str
    rows: list[UlpRow]

    @property
    def worst(self) -> float:
        return max((r.worst for r in self.rows if not np.isnan(r.worst)), default=0.0)

    def __str__(self) -> str:
        head = f"{'case':48s} {'n':>7s} {'max ULP':>10s}  worst entry: x, got, reference"
        lines = [f"{self.function}: worst {self.worst:.3g} ULP", head]
        for r in self.rows:
            lines.append(
                f"{r.case:48s} {r.n:7d} {r.worst:10.3g}  x[{r.index}]={r.x!r}, got {r.got!r}, "
                f"ref {r.want}"
            )
        return "\n".join(lines)


def ulp_report(
    fn: Callable,
    name: str,
    cases: Sequence[str] | None = None,
    dtype=np.float64,
    dps: int = 100,
) -> UlpReport:
    """Run ``fn`` over the suite; it is called like the function ``name`` of
    :mod:`whysoftmax.numeric` (``fn(x)``, ``fn(x, v)``, ``fn(x, target)``) on 1-D inputs.

    ``name`` selects the reference (:data:`REFERENCES`). With ``dtype=np.float32`` the
    inputs are cast to float32 first and errors are in float32 ULPs.
    """
    if name not in REFERENCES:
        raise ValueError(f"no reference named {name!r}; choose from {sorted(REFERENCES)}")
    dtype = np.dtype(dtype)
    ref = REFERENCES[name]
    rows = []
    for case_name in cases or list(ADVERSARIAL):
        if case_name not in ADVERSARIAL:
            raise ValueError(f"no adversarial case named {case_name!r}")
        x = ADVERSARIAL[case_name].x
        if ref.max_n is not None and len(x) > ref.max_n:
            rows.append(UlpRow(case_name, len(x), float("nan"), 0, float("nan"), float("nan"),
                               f"not measured: n > {ref.max_n}"))
            continue
        with np.errstate(over="ignore"):  # 1e308 becomes inf in float32: that is the input
            cast = x.astype(dtype)
        got, reference = [], []
        for call, arguments in enumerate(ref.arguments(x)):
            got.append(np.ravel(ref.call(fn, cast, *arguments)))
            reference += (list(_cached(name, case_name, call, dps)) if dtype == np.float64
                          else _evaluate(name, cast.astype(np.float64), arguments, dps))
        got = np.concatenate(got) if got else np.empty(0)
        errors = ulp_errors(got, reference, dtype)
        q = int(np.argmax(errors)) if errors.size else 0
        source = q % len(x) if len(x) else 0
        rows.append(
            UlpRow(case_name, len(x), float(errors[q]) if errors.size else 0.0, q,
                   float(cast[source]) if len(x) else float("nan"),
                   float(got[q]) if got.size else float("nan"),
                   mpmath.nstr(reference[q], 17) if reference else "")
        )
    return UlpReport(getattr(fn, "__name__", str(fn)), rows)


def assert_matches_reference(
    fn: Callable,
    name: str,
    max_ulp: float = 2.0,
    cases: Sequence[str] | None = None,
    dtype=np.float64,
) -> UlpReport:
    """Fail with a readable table unless ``fn`` is within ``max_ulp`` on every case."""
    report = ulp_report(fn, name, cases, dtype)
    if not report.worst <= max_ulp:
        raise AssertionError(f"{name} exceeds {max_ulp} ULP\n{report}")
    return report


# -- attention: block-wise softmax(q·Kᵀ)·V ---------------------------------------------------

@dataclass
class AttentionReport:
    """Errors of an attention output: worst ULP and relative error, where, the values."""
    worst: float
    worst_relative: float
    index: tuple  # (query, column)
    got: float
    want: str

    def __str__(self) -> str:
        return (f"worst {self.worst:.3g} ULP (relative {self.worst_relative:.3g}) at (query, "
                f"column) {self.index}: got {self.got!r}, reference {self.want}")


def attention_report(fn, q, K, V, scale: float = 1.0, dps: int = 100) -> AttentionReport:
    """Measure a block-wise attention ``fn(q, K, V)`` (or its output) against
    :func:`whysoftmax.mp.scaled_dot_product_attention`, ``softmax(scale·q·Kᵀ)·V`` at ``dps``
    digits with exact scores (your rounding of them counts as error); ``q`` ``(m, d_k)``,
    ``K`` ``(n, d_k)``, ``V`` ``(n, d_v)``."""
    q2 = np.atleast_2d(np.asarray(q, float))
    got = np.asarray(fn(q, K, V) if callable(fn) else fn, dtype=np.float64).ravel()
    want = [v for row in mp.scaled_dot_product_attention(q2, K, V, scale, dps) for v in row]
    if got.size != len(want):
        raise ValueError(f"attention_report: {got.size} results for {len(q2)} queries × "
                         f"{len(want) // len(q2)} columns")
    errors, (hi, lo) = ulp_errors(got, want), _split(want)
    with np.errstate(all="ignore"):
        relative = np.where(errors == 0, 0.0, np.abs((got - hi) - lo) / np.abs(hi))
    k = int(np.argmax(errors))
    return AttentionReport(float(errors[k]), float(np.max(relative)),
                           divmod(k, len(want) // len(q2)), float(got[k]),
                           mpmath.nstr(mpmath.mpf(want[k]), 17))


def assert_attention_matches(fn, q, K, V, max_ulp: float = 2.0,
                             scale: float = 1.0) -> AttentionReport:
    """Fail with one line (worst ULP, relative error, where, got, reference) unless the
    attention ``fn(q, K, V)`` (or the output given) is within ``max_ulp`` everywhere.

    >>> import numpy as np
    >>> from whysoftmax.numeric import OnlineAttention
    >>> def blockwise(q, K, V, block=3):
    ...     acc = OnlineAttention()
    ...     for j in range(0, len(K), block):
    ...         acc.update(q @ K[j:j + block].T, V[j:j + block])
    ...     return acc.output()
    >>> q, K = np.array([[1.0, -2.0]]), np.arange(16.0).reshape(8, 2) / 4
    >>> assert_attention_matches(blockwise, q, K, np.ones((8, 3)) + K[:, :1]).worst <= 1
    True
    """
    report = attention_report(fn, q, K, V, scale)
    if not report.worst <= max_ulp:
        raise AssertionError(f"attention exceeds {max_ulp} ULP: {report}")
    return report
