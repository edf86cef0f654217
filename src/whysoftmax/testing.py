"""An oracle for softmax kernels: adversarial inputs, mpmath references, errors in ULPs.

Library authors put this in their own CI to measure *their* softmax, log_softmax or
logsumexp against the textbook definition evaluated at 100 digits:

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

__all__ = [
    "ADVERSARIAL",
    "Case",
    "UlpReport",
    "adversarial_cases",
    "assert_matches_reference",
    "ulp_errors",
    "ulp_report",
]

#: The functions the oracle knows, with their 1-D mpmath references.
REFERENCES: dict[str, Callable] = {
    "softmax": mp.softmax,
    "log_softmax": mp.log_softmax,
    "logsumexp": mp.logsumexp,
}


@dataclass(frozen=True)
class Case:
    """One adversarial input: a name, a 1-D float64 vector, and why it is hard."""

    name: str
    x: np.ndarray = field(repr=False)
    why: str = ""


def adversarial_cases(seed: int = 0) -> list[Case]:
    """The adversarial suite (deterministic for a given ``seed``).

    Dominant entries with gaps 20–750, magnitudes up to 1e308, −inf entries, near ties,
    n = 1e5 spread over [−800, 5], subnormal outputs, n = 1, all equal, large offsets whose
    gaps round, and a gap of 55 where log(1 + tiny) underflows to 0.
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
        Case("subnormal outputs", np.array([0.0, -715.5, -730.25, -740.125, -744.0]),
             "probabilities below 2^-1022"),
        Case("n = 1", np.array([3.7]), "softmax is 1, log_softmax 0"),
        Case("all equal", np.full(7, 2.5), "uniform output"),
        Case("normal, scale 30, n = 1000", rng.normal(0, 30, 1000), "ordinary logits"),
    ]
    return cases


#: The suite's cases by name.
ADVERSARIAL: dict[str, Case] = {c.name: c for c in adversarial_cases()}


@functools.lru_cache(maxsize=128)
def _reference(name: str, case_name: str, dps: int) -> tuple:
    fn = REFERENCES[name]
    result = fn(ADVERSARIAL[case_name].x, dps=dps)
    return tuple(result) if isinstance(result, list) else (result,)


def _ulp_of(value: mpmath.mpf, dtype: np.dtype) -> float:
    info = np.finfo(dtype)
    rounded = abs(float(value))
    if rounded < info.smallest_normal or rounded == 0:
        return float(info.smallest_subnormal)
    if not np.isfinite(rounded):
        return float(np.spacing(info.max))
    return float(np.spacing(dtype.type(rounded)))


def ulp_errors(got: Sequence, reference: Sequence, dtype=np.float64) -> np.ndarray:
    """``|got − ref| / ulp(ref)`` per entry; 0 where both are the same non-finite value.

    A non-finite result where the reference is finite (or the reverse, or a NaN mismatch)
    counts as an infinite error.
    """
    dtype = np.dtype(dtype)
    values = np.asarray(got, dtype=np.float64).ravel()
    out = np.empty(len(reference))
    with mpmath.workdps(60):
        for q, (g, r) in enumerate(zip(values, reference, strict=True)):
            if mpmath.isnan(r) or np.isnan(g):
                out[q] = 0.0 if (mpmath.isnan(r) and np.isnan(g)) else np.inf
            elif mpmath.isinf(r) or np.isinf(g):
                out[q] = 0.0 if float(r) == g else np.inf
            else:
                out[q] = float(abs(mpmath.mpf(float(g)) - r) / _ulp_of(r, dtype))
    return out


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
    """Errors of one function over the suite, a row per case."""

    function: str
    rows: list[UlpRow]

    @property
    def worst(self) -> float:
        return max((r.worst for r in self.rows), default=0.0)

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
    """Run ``fn`` (a softmax, log_softmax or logsumexp of a 1-D array) over the suite.

    ``name`` selects the reference: ``"softmax"``, ``"log_softmax"`` or ``"logsumexp"``.
    With ``dtype=np.float32`` the inputs are cast to float32 first and errors are in float32
    ULPs.
    """
    if name not in REFERENCES:
        raise ValueError(f"no reference named {name!r}; choose from {sorted(REFERENCES)}")
    dtype = np.dtype(dtype)
    rows = []
    for case_name in cases or list(ADVERSARIAL):
        if case_name not in ADVERSARIAL:
            raise ValueError(f"no adversarial case named {case_name!r}")
        with np.errstate(over="ignore"):  # 1e308 becomes inf in float32: that is the input
            x = ADVERSARIAL[case_name].x.astype(dtype)
        if dtype != np.float64:
            reference = REFERENCES[name](x.astype(np.float64), dps=dps)
            reference = reference if isinstance(reference, list) else [reference]
        else:
            reference = list(_reference(name, case_name, dps))
        got = np.asarray(fn(x))
        errors = ulp_errors(got, reference, dtype)
        q = int(np.argmax(errors)) if errors.size else 0
        rows.append(
            UlpRow(case_name, len(x), float(errors[q]) if errors.size else 0.0, q,
                   float(x[q]) if len(x) > q else float("nan"),
                   float(np.ravel(got)[q]) if got.size else float("nan"),
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
