"""The matrix and map rules say no where their premises do not fit (rules_norms.py)."""

from __future__ import annotations

from .kernel_support import check_source, statuses

SETUP = """
    n = d.dimension("n")
    z, v, x, y = (d.vector(c, n, real=True) for c in "zvxy")
    a, b = d.indices("a b", n)
    j = SUM_INDEX
    q = Dummy("q", integer=True, positive=True)
    s = lambda k, w=z: softmax(w, k, n)
"""


def test_schur_test_needs_symmetry(tmp_path):
    """A_ab = δ_ab + [a = 1]: not symmetric, so the row sums say nothing."""
    result = check_source(tmp_path, SETUP + """
    A = KroneckerDelta(a, b) * 2
    B = KroneckerDelta(a, b) * 2
    d.equal("A_ab = A_ba (claimed for a different matrix)", s(a) * s(b), s(b) * s(a))
    d.less_equal("−B ≤ A", -B, A)
    d.less_equal("A ≤ B", A, B)
    d.equal("Σ B = 2", Sum(B.xreplace({b: j}), (j, 1, n)), 2)
    d.by_rule("‖Av‖² ≤ 4‖v‖²", "<=", Sum(Sum(A.xreplace({a: q, b: j}) * v[j], (j, 1, n))**2,
              (q, 1, n)), 4 * Sum(v[j]**2, (j, 1, n)), rule="Schur test",
              premises=["A_ab = A_ba (claimed for a different matrix)", "−B ≤ A", "A ≤ B",
                        "Σ B = 2"],
              using={"entry": A, "bound": B, "row": a, "column": b, "vector": v})
    """)
    assert statuses(result)["‖Av‖² ≤ 4‖v‖²"] == "argued"


def test_lipschitz_needs_the_true_jacobian(tmp_path):
    """The premise (true) bounds ‖Jv‖ for J = 0, which is not ∂s/∂z."""
    result = check_source(tmp_path, SETUP + """
    J = KroneckerDelta(a, b) * 0
    d.less_equal("‖J v‖² ≤ ‖v‖²/4", Sum(Sum(J.xreplace({a: q, b: j}) * v[j], (j, 1, n))**2,
                 (q, 1, n)), Sum(v[j]**2, (j, 1, n)) / 4)
    d.by_rule("softmax is 1/2-Lipschitz", "<=", Sum((s(j, x) - s(j, y))**2, (j, 1, n)),
              Sum((x[j] - y[j])**2, (j, 1, n)) / 4, rule="Lipschitz from the Jacobian",
              premises=["‖J v‖² ≤ ‖v‖²/4"],
              using={"entry": J, "row": a, "column": b, "F": s(a), "vector": z,
                     "direction": v, "from": y, "to": x})
    """)
    (premise, conclusion) = result.results
    assert str(premise.status) == "proven"
    assert str(conclusion.status) == "argued"
    assert "not shown to be ∂F_a/∂z_b" in conclusion.method


def test_a_map_of_a_constrained_vector_is_not_lipschitz_on_all_of_r_n(tmp_path):
    """z positive: a bound on ‖J(z)v‖ for positive z says nothing about the whole space."""
    result = check_source(tmp_path, """
    n = d.dimension("n")
    z = d.vector("z", n, positive=True)
    v, x, y = (d.vector(c, n, real=True) for c in "vxy")
    a, b = d.indices("a b", n)
    j = SUM_INDEX
    q = Dummy("q", integer=True, positive=True)
    F = log(z[a])
    J = KroneckerDelta(a, b) / z[a]
    d.less_equal("‖J v‖² ≤ 0·‖v‖² (false, but only its shape matters here)", 0, 0)
    d.by_rule("log is 0-Lipschitz", "<=", Sum((log(x[j]) - log(y[j]))**2, (j, 1, n)), 0,
              rule="Lipschitz from the Jacobian",
              premises=["‖J v‖² ≤ 0·‖v‖² (false, but only its shape matters here)"],
              using={"entry": J, "row": a, "column": b, "F": F, "vector": z,
                     "direction": v, "from": y, "to": x})
    """)
    assert statuses(result)["log is 0-Lipschitz"] == "failed"


def test_reciprocal_limit_needs_a_limit_at_zero(tmp_path):
    """lim_{u→1} u = 1 says nothing about lim_{T→∞} 1/T (which is 0, not 1)."""
    result = check_source(tmp_path, """
    u = d.scalar("u", real=True)
    T = d.scalar("T", positive=True)
    d.limit("u → 1", u, u, 1, 1)
    d.by_rule("1/T → 1", "limit", 1 / T, 1, variable=T, point=oo, rule="reciprocal limit",
              premises=["u → 1"])
    """)
    assert statuses(result)["1/T → 1"] == "failed"
