"""Each hole found in the old checker (issue 10, shared/notes/kernel-design.md) gets the
honest status now. Probes are written as derivation files and loaded as the CLI does."""

from __future__ import annotations

import pytest
from sympy import Symbol

from whysoftmax.kernel import Certificate, Claim, Relation, Signature, attempt
from whysoftmax.kernel.judgement import OPEN

from .kernel_support import check_source, statuses

# -- the first list ----------------------------------------------------------------

def test_a_free_text_rule_is_never_proven(tmp_path):
    result = check_source(tmp_path, """
        n = d.dimension("n")
        d.less_equal("trivial", 1, n)
        d.by_rule("n <= 8 for every n", "<=", n, 8, rule="because I say so",
                  premises=["trivial"])
        d.by_rule("1 <= n, restated", "<=", 1, n, rule="because I say so",
                  premises=["trivial"])
    """)
    got = statuses(result)
    assert got["trivial"] == "proven"
    assert got["n <= 8 for every n"] == "failed"  # n = 12 is sampled
    assert got["1 <= n, restated"] == "argued"  # true, but the rule was not checked


def test_a_substitution_must_cover_the_domain(tmp_path):
    result = check_source(tmp_path, """
        x = d.scalar("x", real=True)
        u = d.scalar("u", positive=True)
        d.less_equal("x <= 10^7 for every real x", x, 10**7, substitute={x: -u})
    """)
    (r,) = result.results
    assert r.status.kind.name == "FAILED"  # the sampler reaches |x| = 1e12


def test_a_witness_outside_the_domain_refutes_nothing(tmp_path):
    result = check_source(tmp_path, """
        n = d.dimension("n")
        p = d.vector("p", n, positive=True)
        (i,) = d.indices("i", n)
        d.refute("p is non-negative", 0, p[i], claim="<=", at={p: [-1, 2], i: 1})
    """)
    (r,) = result.results
    assert str(r.status) == "failed"
    assert "outside the declared domain" in r.counterexample


def test_limits_are_two_sided(tmp_path):
    result = check_source(tmp_path, """
        x = d.scalar("x", real=True)
        d.limit("|x|/x -> 1 at 0", Abs(x) / x, x, 0, 1)
        d.limit("|x|/x -> 1 at 0 from the right", Abs(x) / x, x, 0, 1, direction="+")
    """)
    two, right = result.results
    assert str(two.status) == "failed" and not two.engine_error
    assert "from the left is -1" in two.counterexample
    assert str(right.status) == "proven"


def test_a_cancelled_factor_is_stated(tmp_path):
    result = check_source(tmp_path, """
        x = d.scalar("x", real=True)
        d.equal("cancel", (x**2 - 1) / (x - 1), x + 1)
    """)
    assert statuses(result) == {"cancel": "proven where x ≠ 1"}


# -- the further mechanisms in the notes ------------------------------------------------------

def test_a_refutation_is_not_a_premise_for_the_claim_it_refutes(tmp_path):  # hole 7
    result = check_source(tmp_path, """
        n = d.dimension("n")
        z = d.vector("z", n, real=True)
        (i,) = d.indices("i", n)
        d.refute("scale", softmax(lambda q: 10 * z[q], i, n), softmax(z, i, n),
                 at={z: [1, 2], i: 1})
        d.by_rule("scale, 'proven' from it", "=", softmax(lambda q: 10 * z[q], i, n),
                  softmax(z, i, n), rule="substitution", premises=["scale"])
    """)
    got = statuses(result)
    assert got["scale"] == "proven"
    assert got["scale, 'proven' from it"] == "failed"


def test_what_the_author_wrote_is_judged(tmp_path):  # hole 8
    result = check_source(tmp_path, """
        x = d.scalar("x", real=True)
        d.equal("x/x = 1", x / x, 1)
        d.equal("exp(log x) = x", exp(log(x)), x)
    """)
    assert statuses(result) == {"x/x = 1": "proven where x ≠ 0",
                                "exp(log x) = x": "proven where x > 0"}


def test_a_float_inside_an_expression_is_refused(tmp_path):  # hole 8
    from .kernel_support import load_error

    message = load_error(tmp_path, """
        from sympy import Integer, Symbol, evaluate
        from whysoftmax import Derivation
        d = Derivation("f")
        x = d.scalar("x")
        d.equal("nearly", x + 1e-30 * x, x)
    """)
    assert "floating-point number" in message and "'nearly'" in message


def test_poles_are_stated_conditions(tmp_path):  # hole 9
    result = check_source(tmp_path, """
        k = d.scalar("k", integer=True)
        d.equal("Γ(k + 1) = k Γ(k)", gamma(k + 1), k * gamma(k))
        x = d.scalar("x", real=True)
        d.equal("tan x cos x = sin x", tan(x) * cos(x), sin(x))
    """)
    got = statuses(result)
    assert got["Γ(k + 1) = k Γ(k)"] == "proven where 1/gamma(1 + k) ≠ 0; 1/gamma(k) ≠ 0"
    assert got["tan x cos x = sin x"] == "proven where cos(x) ≠ 0"


def test_an_undefined_point_no_condition_excludes_is_a_finding():  # hole 9
    import random

    from sympy import Symbol, sin

    from whysoftmax.engine.numeric_check import check_relation
    from whysoftmax.kernel import Claim, Relation, Signature

    x = Symbol("x", real=True)
    claim = Claim(Relation.EQ, sin(x) / x, sin(x) / x)  # 0/0 at x = 0, no condition given
    report = check_relation(claim, Signature(scalars=(x,)), [], dps=50, count=2,
                            rng=random.Random(0))
    assert "no stated condition excludes this point" in str(report.counterexample)


def test_kinks_are_excluded_from_derivatives(tmp_path):  # hole 10
    result = check_source(tmp_path, """
        x = d.scalar("x", real=True)
        d.equal("d|x|/dx", Derivative(Abs(x), x), sign(x))
        d.equal("d max(x, 0)/dx", Derivative(Max(x, 0), x), Heaviside(x))
    """)
    assert set(statuses(result).values()) == {"proven where x ≠ 0"}


def test_the_derivative_of_a_maximum_is_not_zero(tmp_path):  # hole 11
    result = check_source(tmp_path, """
        n = d.dimension("n")
        z = d.vector("z", n, real=True)
        i, k = d.indices("i k", n)
        d.equal("∂(z_i − max z)/∂z_k = δ_ik", Derivative(z[i] - vector_max(z, n), z[k]),
                KroneckerDelta(i, k))
    """)
    assert statuses(result)["∂(z_i − max z)/∂z_k = δ_ik"] == "failed"


def test_summation_variables_carry_only_what_their_range_implies(tmp_path):  # hole 12
    result = check_source(tmp_path, """
        n = d.dimension("n")
        j = d.scalar("j", integer=True, positive=True)
        d.equal("Σ_{j=0}^{n} sign j = n + 1", Sum(sign(j), (j, 0, n)), n + 1)
    """)
    assert statuses(result)["Σ_{j=0}^{n} sign j = n + 1"] == "failed"


def test_a_dimension_may_be_zero(tmp_path):  # hole 13
    result = check_source(tmp_path, """
        m = d.dimension("m", minimum=0)
        d.equal("m = 0", m, 0)
        d.less_equal("0 <= m", 0, m)
    """)
    assert statuses(result) == {"m = 0": "failed", "0 <= m": "proven"}


def test_dimensions_are_sampled_independently(tmp_path):  # hole 14
    result = check_source(tmp_path, """
        n = d.dimension("n")
        m = d.dimension("m")
        d.equal("n = m", n, m)
    """)
    assert statuses(result) == {"n = m": "failed"}


def test_no_instance_means_no_proof_for_n_up_to_N():  # hole 14
    n = Symbol("n", integer=True, positive=True)
    signature = Signature(dimensions=((n, 9),))
    certificate = Certificate("instances", data=(("n_max", "6"), ("ladder", '["cancel"]')))
    found = attempt(Claim(Relation.EQ, n, n), signature, certificate)
    assert found.outcome == OPEN and "no instance" in found.detail


@pytest.mark.parametrize(("body", "expected"), [
    ('x = d.scalar("x", real=True)\nd.less("0 < x²", 0, x**2)', "failed"),
    ('n = d.dimension("n")\nd.less_equal("n <= 6", n, 6)', "failed"),
    ('k = d.scalar("k", integer=True, positive=True)\nd.less_equal("k <= 12", k, 12)',
     "failed"),
    ('k = d.scalar("k", integer=True, negative=True)\nd.less("k < 0", k, 0)', "proven"),
    ('w = d.scalar("w", imaginary=True)\nd.less("0 < −w²", 0, -w**2)', "proven"),
    ('w = d.scalar("w", complex=True)\nd.equal("w w̄ = |w|²", w * conjugate(w), Abs(w)**2)',
     "checked"),
    ('x = d.scalar("x", real=True)\nd.equal("e^x = e^x (1 + 10^-45)", exp(x), '
     'exp(x) * (1 + Rational(1, 10**45)))', "failed"),
    ('d.equal("1 = 1 + 10^-60", Integer(1), 1 + Rational(1, 10**60))', "failed"),
    ('x = d.scalar("x", positive=True)\nd.limit("x → ∞", x, x, oo, oo)', "proven"),
    ('x = d.scalar("x", positive=True)\nd.limit("log x → ∞", log(x), x, oo, oo)', "proven"),
    ('x = d.scalar("x", positive=True)\nd.limit("1/x → ∞ (false)", 1 / x, x, oo, oo)',
     "failed"),
])
def test_numeric_blind_spots_are_closed(tmp_path, body, expected):  # hole 15
    result = check_source(tmp_path, body)
    (r,) = result.results
    assert str(r.status) == expected, (r.method, r.detail)



def test_a_sum_of_several_limits_keeps_every_variable_bound():
    """SymPy merges a sum of a sum into one Sum with two limits; renaming its bound
    variables must rename (and keep) both — a dropped limit left η_p free, and a true
    identity failed at a 'point' that fixed the loose variable."""
    from sympy import Dummy, IndexedBase, Sum

    from whysoftmax.kernel.sums import evaluated

    n = Symbol("n", integer=True, positive=True)
    x = IndexedBase("x", real=True)
    p, r = (Dummy(c, integer=True, positive=True) for c in "pr")
    result = evaluated(Sum(x[p] * x[r], (r, 1, p), (p, 1, n)))  # inner range up to p
    (inner, _, inner_top), (outer, _, outer_top) = result.limits
    assert {str(s) for s in result.free_symbols if not s.is_Indexed} == {"n", "x"}
    assert inner_top == outer and outer_top == n and inner != outer
