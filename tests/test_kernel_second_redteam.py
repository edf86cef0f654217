"""Holes a second red team found in the rules added for issue 12 (derivative-based rules
trusting SymPy's derivative of a function that is not differentiable; SymPy's ``limit``
answering for generic parameters; a one-sided premise feeding a rule that needs the other
side). Each probe is false or unjustified and must not come out ``proven``."""

from __future__ import annotations

from pathlib import Path

import whysoftmax.kernel

from .kernel_support import check_source, statuses

ARG_JUMP = """
    n = d.dimension("n")
    z, v = d.vector("z", n, real=True), d.vector("v", n, real=True)
    x, y = d.vector("x", n, real=True), d.vector("y", n, real=True)
    a, b = d.indices("a b", n)
    j = SUM_INDEX
    q = Dummy("q", integer=True, positive=True)
    C = 10**40
    I = KroneckerDelta(a, b)
    same = {"entry": I, "row": a, "column": b}
    d.less_equal("|Iv|^2 <= |v|^2",
                 Sum(Sum(I.xreplace({a: q, b: j}) * v[j], (j, 1, n)) ** 2, (q, 1, n)),
                 Sum(v[j] ** 2, (j, 1, n)))
    d.less_equal("0 <= v'Iv", 0,
                 Sum(Sum(v[q] * I.xreplace({a: q, b: j}) * v[j], (j, 1, n)), (q, 1, n)))
    F = z[a] + 2 * arg(z[a] - C)   # SymPy: ∂F/∂z_a = 1, but arg jumps by π at z_a = C
    G = lambda w, r: w[r] + 2 * arg(w[r] - C)
    d.by_rule("1-Lipschitz", "<=", Sum((G(x, j) - G(y, j)) ** 2, (j, 1, n)),
              Sum((x[j] - y[j]) ** 2, (j, 1, n)), rule="Lipschitz from the Jacobian",
              premises=["|Iv|^2 <= |v|^2"],
              using={**same, "F": F, "vector": z, "direction": v, "from": y, "to": x})
    d.by_rule("monotone", "<=", 0, Sum((G(x, j) - G(y, j)) * (x[j] - y[j]), (j, 1, n)),
              rule="monotone from the Jacobian", premises=["0 <= v'Iv"],
              using={**same, "F": F, "vector": z, "direction": v, "from": y, "to": x})
"""


def test_a_jump_hidden_from_the_derivative_breaks_the_jacobian_rules(tmp_path):
    got = statuses(check_source(tmp_path, ARG_JUMP))
    assert got["|Iv|^2 <= |v|^2"] == got["0 <= v'Iv"] == "proven"
    assert got["1-Lipschitz"] == got["monotone"] == "argued"


def test_an_antiderivative_must_be_differentiable(tmp_path):
    got = statuses(check_source(tmp_path, """
        x = d.scalar("x", real=True)
        d.by_rule("∫ e^{-(x - 10^6)^2} dx = 0", "=",
                  Integral(exp(-(x - 10**6) ** 2), (x, -oo, oo)), 0, rule="antiderivative",
                  premises=[], using={"F": sqrt(pi) / 2 * erf(x - 10**6)
                                      + arg(x - 10**6) / sqrt(pi)})
        d.by_rule("∫ e^{-x^2} dx = √π", "=", Integral(exp(-x ** 2), (x, -oo, oo)), sqrt(pi),
                  rule="antiderivative", premises=[], using={"F": sqrt(pi) / 2 * erf(x)})
    """))
    assert got["∫ e^{-(x - 10^6)^2} dx = 0"] in ("argued", "failed")
    assert got["∫ e^{-x^2} dx = √π"] == "proven"


def test_a_limit_holds_only_where_its_coefficients_do_not_vanish(tmp_path):
    got = statuses(check_source(tmp_path, """
        x, c = d.scalar("x", real=True), d.scalar("c", real=True)
        d0 = d.scalar("d", real=True)
        n = d.dimension("n")
        z = d.vector("z", n, real=True)
        S = Sum((z[SUM_INDEX] - Rational(1, 3)) ** 2, (SUM_INDEX, 1, n))
        d.limit("(c − 1/3)x/((c − 1/3)x + 1) → 1", (c - Rational(1, 3)) * x
                / ((c - Rational(1, 3)) * x + 1), x, oo, 1)
        d.limit("Sx/(Sx + 1) → 1", S * x / (S * x + 1), x, oo, 1)
        d.limit("cdx/(cdx + 1) → 1", c * d0 * x / (c * d0 * x + 1), x, oo, 1)
        d.limit("log(n)/x → 0", log(n) / x, x, oo, 0)      # at log n = 0 it is 0 too
        d.limit("e^{cx} → 1 as x → 0", exp(c * x), x, 0, 1)  # continuous: no condition
    """))
    assert got["(c − 1/3)x/((c − 1/3)x + 1) → 1"] == "proven where c ≠ 1/3"
    assert got["Sx/(Sx + 1) → 1"].startswith("proven where Σ")
    assert got["cdx/(cdx + 1) → 1"].startswith("proven where")  # c = 0 or d = 0: limit 0
    assert got["log(n)/x → 0"] == got["e^{cx} → 1 as x → 0"] == "proven"


def test_a_limit_from_below_does_not_give_the_limit_at_infinity(tmp_path):
    got = statuses(check_source(tmp_path, """
        u, T = d.scalar("u", negative=True), d.scalar("T", positive=True)
        d.limit("e^{1/u} → 0 as u → 0 (u < 0)", exp(1 / u), u, 0, 0)
        d.by_rule("e^T → 0 as T → ∞", "limit", exp(T), 0, variable=T, point=oo,
                  rule="reciprocal limit", premises=["e^{1/u} → 0 as u → 0 (u < 0)"])
    """))
    assert got["e^{1/u} → 0 as u → 0 (u < 0)"] == "proven"
    assert got["e^T → 0 as T → ∞"] in ("argued", "failed")


def test_sympys_integrate_is_never_trusted(tmp_path):
    got = statuses(check_source(tmp_path, """
        x = d.scalar("x", real=True)
        gumbel_mean = Integral(x * exp(-x) * exp(-exp(-x)), (x, -oo, oo))
        d.equal("Gumbel mean = γ + iπ (integrate's answer)", gumbel_mean, EulerGamma + I * pi)
        d.equal("∫_0^1 x dx = 1/2 by a rewrite", Integral(x, (x, 0, 1)), Rational(1, 2))
    """))
    assert got["Gumbel mean = γ + iπ (integrate's answer)"] == "failed"
    assert not got["∫_0^1 x dx = 1/2 by a rewrite"].startswith("proven")


def test_every_doit_in_the_kernel_keeps_integrals():
    kernel = Path(whysoftmax.kernel.__file__).parent
    calls = [(path.name, line) for path in kernel.glob("*.py")
             for line in path.read_text().splitlines() if ".doit(" in line and ">>>" not in line]
    assert calls
    assert [c for c in calls if ".doit(integrals=False)" not in c[1]] == []


def test_a_contradiction_fails_whatever_it_rests_on(tmp_path):
    got = statuses(check_source(tmp_path, """
        w = d.scalar("w", real=True)
        d.assume("H: w = w", w, w)
        d.equal("e^w = e^w", exp(w), exp(w))
        d.by_rule("e^w = e^w + 1, resting on H", "=", exp(w), exp(w) + 1,
                  rule="substitution", premises=["H: w = w", "e^w = e^w"])
    """))
    assert got["e^w = e^w + 1, resting on H"] == "failed"  # numbers are off under H
