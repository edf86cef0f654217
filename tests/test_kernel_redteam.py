"""False-but-plausible claims and unjustified inferences: none may come out `proven`.

A false claim must fail (or, at worst, stay `checked`/`argued` when no counterexample is
sampled); an inference whose rule does not apply must be at most `argued`. Each probe
names its target step ``target``.
"""

from __future__ import annotations

import pytest

from whysoftmax.kernel import Kind

from .kernel_support import check_source

FALSE_CLAIMS = {
    "wrong sign in the Jacobian": """
        n = d.dimension("n"); z = d.vector("z", n); i, k = d.indices("i k", n)
        s = lambda a: softmax(z, a, n)
        d.equal("target", Derivative(s(i), z[k]), s(i) * (s(k) - KroneckerDelta(i, k)))
    """,
    "off by one: Σ of s_j over n − 1 entries is 1": """
        n = d.dimension("n"); z = d.vector("z", n)
        j = SUM_INDEX
        d.equal("target", Sum(softmax(z, j, n), (j, 1, n - 1)), 1)
    """,
    "true only for n ≤ 6": """
        n = d.dimension("n")
        d.less_equal("target", Sum(1, (SUM_INDEX, 1, n)), 6)
    """,
    "true only for |z| < 40": """
        z = d.scalar("z", real=True)
        d.less("target", 1 + z**2 / 1600, 2)
        d.less("target 2", Rational(1, 10**17), exp(-z**2 / 100))
    """,
    "log of a product of reals": """
        x, y = d.scalars("x y", real=True)
        d.equal("target", log(x * y), log(x) + log(y))
    """,
    "sqrt of a square": """
        x = d.scalar("x", real=True)
        d.equal("target", sqrt(x**2), x)
    """,
    "power of a power": """
        x = d.scalar("x", real=True)
        d.equal("target", (x**2) ** Rational(1, 2), x)
    """,
    "lse below the max": """
        n = d.dimension("n"); z = d.vector("z", n)
        d.less("target", log_sum_exp(z, n), vector_max(z, n) + log(n))
    """,
    "softmax strictly below 1 for every n": """
        n = d.dimension("n"); z = d.vector("z", n); (i,) = d.indices("i", n)
        d.less("target", softmax(z, i, n), 1)
    """,
    "a one-sided limit claimed two-sided": """
        x = d.scalar("x", real=True)
        d.limit("target", exp(1 / x), x, 0, oo)
    """,
    "a limit off by 1e-10": """
        x = d.scalar("x", positive=True)
        d.limit("target", (1 + 1 / x) ** x, x, oo, E + Rational(1, 10**10))
    """,
    "a refutation at a point that satisfies the claim": """
        x = d.scalar("x", real=True)
        d.refute("target", -x**2, 0, claim="<=", at={x: 1})
    """,
    "a refutation leaving a symbol free": """
        x, y = d.scalars("x y", real=True)
        d.refute("target", x + y, 1, claim="=", at={x: 0})
    """,
}

#: Mechanisms a red-team of the kernel found (each fixed at its root): every target false.
FOUND_BY_THE_RED_TEAM = {
    "termwise captured an inner summation variable": """
        n = d.dimension("n"); (k,) = d.indices("k", n)
        i, j = Dummy("i", integer=True, positive=True), Dummy("j", integer=True, positive=True)
        d.less_equal("premise", Sum(KroneckerDelta(i, k), (i, 1, n)) / 12, 1)
        d.by_rule("target", "<=", n**2 / 12, Sum(1, (j, 1, n)), rule="termwise",
                  premises=["premise"])
    """,
    "a stated condition stood in for a derivative's variable": """
        n = d.dimension("n"); (k,) = d.indices("k", n); z = d.vector("z", n, real=True)
        j = Dummy("j", integer=True, positive=True)
        d.equal("target", Derivative(-Sum(cos(z[j]), (j, 1, n)) / 10**45, z[k]),
                0 * log(z[k]))
    """,
    "a combination coefficient undefined at a point": """
        n = d.dimension("n")
        d.equal("E", (n - 13) * KroneckerDelta(n, 13), 0)
        d.by_rule("target", "<=", 0, -KroneckerDelta(n, 13), rule="positive combination",
                  premises=["E"], using={"coefficients": [-1 / (n - 13)]})
    """,
    "a squeeze through a bound that holds only away from the point": """
        x = d.scalar("x", real=True)
        dl = Rational(1, 10**50); f = 5 + dl; U = f + dl * ((x - 5) / (x**2 + 1) + 4)
        d.less_equal("5 <= f", 5, f)
        d.less_equal("f <= U", f + 0 * log(x - 5), U)
        d.limit("U -> 5", U, x, 0, 5)
        d.by_rule("target", "limit", f, 5, variable=x, point=0, rule="squeeze",
                  premises=["5 <= f", "f <= U", "U -> 5"])
    """,
    "instantiation outside an imaginary or prime domain": """
        iy = d.scalar("iy", imaginary=True); pr = d.scalar("pr", prime=True)
        E = Rational(1, 10**45)
        d.less("iy² E < 0", iy**2 * E, 0)
        d.by_rule("target", "<", E, 0, rule="instantiation", premises=["iy² E < 0"],
                  using={"map": {iy: 1}})
        d.less_equal("2E <= pr E", 2 * E, pr * E)
        d.by_rule("target 2", "<=", 2 * E, E, rule="instantiation", premises=["2E <= pr E"],
                  using={"map": {pr: 1}})
    """,
    "an integer case covering ℝ": """
        x = d.scalar("x", real=True); u = d.scalar("u", integer=True)
        d.less_equal("case", sin(pi * u)**2, 0)
        d.by_rule("target", "<=", sin(pi * x)**2, 0, rule="interval case split",
                  premises=["case"], using={"variable": x, "cases": [u]})
    """,
    "a monotone map on the nonzero reals": """
        p = d.scalar("p", positive=True); t = Symbol("t", real=True, nonzero=True)
        d.less_equal("-p <= p", -p, p)
        d.by_rule("target", "<=", 1 / p, -1 / p, rule="decreasing", premises=["-p <= p"],
                  using={"f": Lambda(t, 1 / t)})
    """,
    "a limit across a branch cut": """
        w = d.scalar("w", complex=True)
        d.by_rule("target", "limit", log(w), I * pi, variable=w, point=-1, rule="continuity",
                  premises=[])
        d.limit("target 2", sqrt(w), w, -1, I)
    """,
    "a change of variables into an imaginary domain": """
        x = d.scalar("x", real=True); u = Symbol("u", imaginary=True)
        d.less_equal("target", x**2, 0, substitute={x: u}, inverse={u: x})
    """,
    "a change of variables defined only on part of the domain": """
        x, y = d.scalars("x y", real=True); u = Symbol("u", real=True)
        d.less_equal("target", 7 + 0 * log(y), x, substitute={x: u + 0 * log(u - 7)},
                     inverse={u: x})
    """,
    "a backwards sum read two ways": """
        m = d.dimension("m", minimum=9); a = Dummy("a", integer=True)
        S = Sum(1, (a, 13, m))
        d.equal("A", S, m - 12)
        d.equal("B", S, 0, n_max=12)
        d.by_rule("target", "=", m - 12, 0, rule="transitivity", premises=["A", "B"])
    """,
    "a limit from outside the variable's domain": """
        p = d.scalar("p", positive=True); ng = d.scalar("ng", negative=True)
        d.limit("target", 1 / p, p, -1, -1)
        d.limit("target 2", log(ng), ng, 0, -oo, direction="+")
    """,
}

UNJUSTIFIED = {
    "a decreasing f used as increasing": """
        x = d.scalar("x", real=True); t = d.scalar("t", real=True)
        d.less_equal("x ≤ x + 1", x, x + 1)
        d.by_rule("target", "<=", exp(-x), exp(-(x + 1)), rule="increasing",
                  premises=["x ≤ x + 1"], using={"f": Lambda(t, exp(-t))})
    """,
    "log applied outside its interval": """
        x = d.scalar("x", real=True); t = d.scalar("t", positive=True)
        d.less_equal("x ≤ x + 1", x, x + 1)
        d.by_rule("target", "<=", log(x), log(x + 1), rule="increasing",
                  premises=["x ≤ x + 1"], using={"f": Lambda(t, log(t))})
    """,
    "termwise over a range beyond the index's": """
        n = d.dimension("n"); p = d.vector("p", n, positive=True); (k,) = d.indices("k", n)
        j = SUM_INDEX
        d.less_equal("p_k ≤ p_k + 1", p[k], p[k] + 1)
        d.by_rule("target", "<=", Sum(p[j], (j, 1, n + 1)), Sum(p[j] + 1, (j, 1, n + 1)),
                  rule="termwise", premises=["p_k ≤ p_k + 1"])
    """,
    "squeeze between bounds with different limits": """
        c = d.scalar("c", positive=True)
        d.less_equal("lower", 0, exp(-c) * sin(c)**2)
        d.less_equal("upper", exp(-c) * sin(c)**2, 1)
        d.limit("upper → 1", Integer(1), c, oo, 1)
        d.by_rule("target", "limit", exp(-c) * sin(c)**2, 1, variable=c, point=oo,
                  rule="squeeze", premises=["lower", "upper", "upper → 1"])
    """,
    "a positive combination with a negative coefficient": """
        x = d.scalar("x", real=True)
        d.less_equal("x² ≥ 0", 0, x**2)
        d.by_rule("target", "<=", 0, -x**2, rule="positive combination",
                  premises=["x² ≥ 0"], using={"coefficients": [-1]})
    """,
    "instantiation outside the domain": """
        t = d.scalar("t", positive=True); x = d.scalar("x", real=True)
        d.less("0 < log(1 + t)", 0, log(1 + t))
        d.by_rule("target", "<", 0, log(1 + x), rule="instantiation",
                  premises=["0 < log(1 + t)"], using={"map": {t: x}})
    """,
    "a case split whose cases do not cover ℝ": """
        x = d.scalar("x", real=True); w = d.scalar("w", nonnegative=True)
        d.less_equal("case x ≥ 0", 0, Abs(1 + w) - (1 + w) + (1 + w))
        d.by_rule("target", "<=", 0, Abs(x) - x + x, rule="interval case split",
                  premises=["case x ≥ 0"], using={"variable": x, "cases": [1 + w]})
    """,
    "transitivity through a mismatched link": """
        x = d.scalar("x", real=True)
        d.less_equal("a", x, x + 1)
        d.less_equal("b", x + 2, x + 3)
        d.by_rule("target", "<=", x, x + 3, rule="transitivity", premises=["a", "b"])
        d.by_rule("target 2", "<=", x + 3, x, rule="transitivity", premises=["a", "b"])
    """,
    "a least upper bound that depends on the index": """
        n = d.dimension("n"); z = d.vector("z", n); (k,) = d.indices("k", n)
        d.less_equal("z_k ≤ z_k", z[k], z[k])
        d.by_rule("target", "<=", vector_max(z, n), z[k], rule="least upper bound",
                  premises=["z_k ≤ z_k"])
    """,
    "only-checked premises do not give a proof": """
        n = d.dimension("n"); z = d.vector("z", n)
        d.less_equal("checked only", log_sum_exp(z, n), vector_max(z, n) + log(n))
        d.by_rule("target", "<=", log_sum_exp(z, n), vector_max(z, n) + log(n),
                  rule="weakening", premises=["checked only"])
    """,
    "convexity from a Hessian that is not PSD": """
        K = d.dimension("K"); eta = d.vector("eta", K); v = d.vector("v", K)
        a = d.vector("a", K); b = d.vector("b", K); i, k = d.indices("i k", K)
        u = d.scalar("u", positive=True)
        j = SUM_INDEX
        F = -log_sum_exp(eta, K)
        s = lambda q: softmax(eta, q, K)
        d.equal("H", Derivative(F, eta[i], eta[k]), -(s(i) * KroneckerDelta(i, k) - s(i) * s(k)))
        p, r = Dummy("p", integer=True, positive=True), Dummy("r", integer=True, positive=True)
        form = Sum(Sum(v[p] * -(s(p) * KroneckerDelta(p, r) - s(p) * s(r)) * v[r], (r, 1, K)),
                   (p, 1, K))
        d.less_equal("psd?", 0, form)
        t = 1 / (1 + u)
        d.by_rule("target", "<=", -log(Sum(exp(t * a[j] + (1 - t) * b[j]), (j, 1, K))),
                  t * -log_sum_exp(a, K) + (1 - t) * -log_sum_exp(b, K),
                  rule="second-order convexity", premises=["H", "psd?"],
                  using={"F": F, "vector": eta, "a": a, "b": b, "t": t, "v": v})
    """,
}


@pytest.mark.parametrize("body", FALSE_CLAIMS.values(), ids=FALSE_CLAIMS.keys())
def test_false_claims_are_never_proven(tmp_path, body):
    result = check_source(tmp_path, body)
    targets = [r for r in result.results if r.name.startswith("target")]
    assert targets
    for r in targets:
        assert r.status.kind is not Kind.PROVEN, (r.name, str(r.status), r.method)


@pytest.mark.parametrize("body", FOUND_BY_THE_RED_TEAM.values(),
                         ids=FOUND_BY_THE_RED_TEAM.keys())
def test_the_red_teams_holes_stay_closed(tmp_path, body):
    result = check_source(tmp_path, body)
    targets = [r for r in result.results if r.name.startswith("target")]
    assert targets
    for r in targets:
        assert r.status.kind is not Kind.PROVEN, (r.name, str(r.status), r.method)


def test_text_in_an_expression_is_never_evaluated():
    from whysoftmax.kernel.serial import SerialError, loads

    with pytest.raises(SerialError, match="may not take text"):
        loads("Poly('x + __import__(\\'os\\').getpid()', Symbol('x'))")


@pytest.mark.parametrize("body", UNJUSTIFIED.values(), ids=UNJUSTIFIED.keys())
def test_unjustified_inferences_are_at_most_argued(tmp_path, body):
    result = check_source(tmp_path, body)
    targets = [r for r in result.results if r.name.startswith("target")]
    assert targets
    for r in targets:
        assert r.status.kind is not Kind.PROVEN, (r.name, str(r.status), r.method)


def test_malformed_claims_fail_with_one_line_not_a_traceback(tmp_path):
    result = check_source(tmp_path, """
        x = d.scalar("x", real=True); j = d.scalar("j", integer=True)
        d.equal("divides by zero", x + 1 / Integer(0), x)
        d.equal("log of zero", log(Integer(0)) + x, x)
        d.equal("half a sum", Sum(j, (j, 1, Rational(1, 2))), 0)
    """)
    details = {r.name: r.detail for r in result.results}
    assert all(str(r.status) == "failed" and not r.engine_error for r in result.results)
    assert "0 ≠ 0 is false" in details["divides by zero"]
    assert "0 > 0 is false" in details["log of zero"]
    assert "the limits must be integers" in details["half a sum"]
