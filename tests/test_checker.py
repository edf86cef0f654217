"""The checker must be able to say no, and never claim more than it showed."""

from __future__ import annotations

import time

import pytest
from sympy import Derivative, KroneckerDelta, Sum, cos, exp, log, sin

import whysoftmax.engine.tactics as tactics
import whysoftmax.kernel.judgement as judgement
import whysoftmax.kernel.rewrites as rewrites
from whysoftmax import CheckOptions, Derivation, check_derivation, check_step
from whysoftmax.definitions import SUM_INDEX, log_sum_exp, softmax, vector_max
from whysoftmax.engine.timebox import TimeLimitExceeded, time_limit
from whysoftmax.kernel import Kind

FAST = CheckOptions(points=3, time_limit=5)


@pytest.fixture
def softmax_setup():
    d = Derivation("t", title="test")
    n = d.dimension("n")
    z = d.vector("z", n, real=True)
    i, k = d.indices("i k", n)
    return d, n, z, i, k


def _only(d: Derivation, options: CheckOptions = FAST):
    (result,) = check_derivation(d, options).results
    return result


def _sides(counterexample: str) -> tuple[float, float]:
    lhs = counterexample.split("lhs = ")[1].split(",")[0]
    rhs = counterexample.split("rhs = ")[1].split(" ")[0]
    return float(lhs), float(rhs)


def test_wrong_jacobian_sign_fails_with_counterexample(softmax_setup):
    d, n, z, i, k = softmax_setup
    s = lambda a: softmax(z, a, n)  # noqa: E731
    d.equal("J = diag(s) + s sᵀ", Derivative(s(i), z[k]), s(i) * KroneckerDelta(i, k) + s(i) * s(k))
    result = _only(d)
    assert result.status.kind is Kind.FAILED
    # decided exactly: the difference is a nonzero multiple of a positive quantity
    assert "which is never 0" in result.counterexample


def test_softmax_is_not_scale_invariant(softmax_setup):
    d, n, z, i, _k = softmax_setup
    j = SUM_INDEX
    d.equal("softmax(2z) = softmax(z)", exp(2 * z[i]) / Sum(exp(2 * z[j]), (j, 1, n)),
            softmax(z, i, n))
    result = _only(d)
    assert result.status.kind is Kind.FAILED
    assert "z[1]=" in result.counterexample


def test_log_softmax_is_not_exactly_z_minus_max(softmax_setup):
    d, n, z, i, _k = softmax_setup
    d.equal("log s_i = z_i − max z", log(softmax(z, i, n)), z[i] - vector_max(z, n))
    result = _only(d)
    assert result.status.kind is Kind.FAILED
    lhs, rhs = _sides(result.counterexample)
    assert abs(lhs - rhs) > 1e-6


def test_true_jacobian_is_proven_for_general_n(softmax_setup):
    d, n, z, i, k = softmax_setup
    s = lambda a: softmax(z, a, n)  # noqa: E731
    d.equal("J", Derivative(s(i), z[k]), s(i) * (KroneckerDelta(i, k) - s(k)))
    result = _only(d)
    assert str(result.status) == "proven"
    assert "n=1,2,3,4,5,7,8,12" in result.numeric  # sizes beyond the instance stage


def test_undecidable_claim_is_checked_never_proven(softmax_setup):
    d, n, z, _i, _k = softmax_setup
    # true, but no rewrite decides it without the rules of log_softmax.py
    d.less_equal("lse ≤ max + log n", log_sum_exp(z, n), vector_max(z, n) + log(n))
    result = _only(d)
    assert str(result.status) == "checked"
    assert "no symbolic proof" in result.method


def test_proof_for_fixed_n_only_is_reported_as_such(softmax_setup, monkeypatch):
    d, n, z, i, k = softmax_setup
    s = lambda a: softmax(z, a, n)  # noqa: E731
    d.equal("J", Derivative(s(i), z[k]), s(i) * (KroneckerDelta(i, k) - s(k)))
    general = rewrites.normalise_sums
    # Disable the general-n rewrite: then only the instances n = 1..N can be proven.
    monkeypatch.setattr(
        rewrites, "normalise_sums",
        lambda e, r, keep=None: (_ for _ in ()).throw(RuntimeError) if e.has(n)
        else general(e, r, keep),
    )
    result = _only(d, CheckOptions(points=2, time_limit=20, n_max=3))
    assert str(result.status) == "proven for n ≤ 3"
    assert result.certificate.method == "instances"


def test_time_limit_interrupts_pure_python():
    start = time.monotonic()
    with pytest.raises(TimeLimitExceeded), time_limit(0.2):
        while True:
            pass
    assert time.monotonic() - start < 2


def test_hung_rewrite_is_stopped_and_step_only_checked(monkeypatch):
    def hang(_expr, _ranges):
        while True:
            pass

    monkeypatch.setitem(rewrites.REWRITES, "hang", hang)
    monkeypatch.setattr(tactics, "ZERO_LADDER", ("hang",))
    d = Derivation("t")
    x = d.scalar("x", real=True)
    step = d.equal("pythagoras", sin(x) ** 2 + cos(x) ** 2, 1)  # true, not auto-evaluated
    start = time.monotonic()
    result, _ = check_step(d, step, CheckOptions(points=2, time_limit=1))
    assert time.monotonic() - start < 10
    assert str(result.status) == "checked"
    assert "time limit" in result.method


def test_engine_error_when_proof_contradicts_numbers(monkeypatch, softmax_setup):
    d, n, z, i, _k = softmax_setup
    d.equal("false", softmax(z, i, n), 2 * softmax(z, i, n))
    monkeypatch.setattr(judgement, "decide", lambda *a, **k: (judgement.SHOWN, "a broken rewrite"))
    result = _only(d)
    assert result.status.kind is Kind.FAILED
    assert result.engine_error
    assert "ENGINE ERROR" in result.counterexample


def test_positive_symbol_is_never_sampled_negative():
    """log(x²) = 2 log x holds for positive x only: the check must respect that."""
    d = Derivation("t")
    x = d.scalar("x", positive=True)
    d.equal("log x² = 2 log x", log(x**2), 2 * log(x))
    assert str(_only(d).status) == "proven"

    d = Derivation("t")
    y = d.scalar("y", real=True)
    d.equal("log y² = 2 log y", log(y**2), 2 * log(y))
    assert _only(d).status.kind is Kind.FAILED


def test_chain_composes_only_when_every_link_holds():
    d = Derivation("t")
    x = d.scalar("x", real=True)
    composed = d.chain("c", exp(x), ("=", exp(x), "same"), ("<=", exp(x) + 1, "add 1"))
    assert composed.rule == "transitivity"
    results = check_derivation(d, FAST).results
    assert [str(r.status) for r in results] == ["proven", "proven", "proven"]
    assert results[-1].relation == "≤"

    d = Derivation("t")
    x = d.scalar("x", real=True)
    d.chain("c", exp(x), ("=", 2 * exp(x), "wrong"), ("<=", 2 * exp(x) + 1, "add 1"))
    results = check_derivation(d, FAST).results
    assert results[0].status.kind is Kind.FAILED
    assert results[-1].status.kind is Kind.FAILED  # rests on a failed link


def test_rule_takes_the_weakest_premise(softmax_setup):
    d, n, z, i, _k = softmax_setup
    d.less_equal("upper", log_sum_exp(z, n), vector_max(z, n) + log(n))  # only checked
    d.equal("exact", log(softmax(z, i, n)), z[i] - log_sum_exp(z, n))  # proven
    # log s_i = z_i − lse ≥ z_i − max − log n: "upper" and "exact" combined
    d.by_rule("combined", "<=", z[i] - vector_max(z, n) - log(n), log(softmax(z, i, n)),
              rule="positive combination", premises=["upper", "exact"])
    results = {r.name: r for r in check_derivation(d, FAST).results}
    assert str(results["exact"].status) == "proven"
    assert str(results["combined"].status) == "checked"
    assert "residual shown ≥ 0" in results["combined"].method  # the rule itself checked


def test_refutation_by_exact_witness():
    d = Derivation("t")
    n = d.dimension("n")
    z = d.vector("z", n, real=True)
    (i,) = d.indices("i", n)
    j = SUM_INDEX
    d.refute("sum normalisation is defined", z[i] / Sum(z[j], (j, 1, n)), claim="defined",
             at={z: [-2, -1, 1, 2], i: 1})
    d.refute("wrong witness", z[i] / Sum(z[j], (j, 1, n)), claim="defined",
             at={z: [1, 2, 3, 4], i: 1})
    results = check_derivation(d, FAST).results
    assert str(results[0].status) == "proven"
    assert "fails" in results[0].witness
    assert results[1].status.kind is Kind.FAILED
