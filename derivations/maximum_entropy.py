"""Softmax is the maximum-entropy distribution with given expected scores.

Why it matters (the information-theory view in CS231n): among all distributions p on the
classes, softmax(z) maximises ⟨p, z⟩ + H(p) — the expected score plus an entropy bonus.
The optimum value is log-sum-exp, which makes lse the convex conjugate of the negative
entropy on the simplex. Dividing by the sum has no such characterisation.

Guided as the field notes advise: solve ∂L/∂p_k = 0 for p_k alone (solveset, not a joint
solve), then the normalisation for λ. Each solution is then stated as a checked step.
"""

from sympy import Derivative, Eq, S, Sum, Symbol, evaluate, exp, expand_log, log, solveset

from whysoftmax import Derivation
from whysoftmax.definitions import SUM_INDEX, log_sum_exp, softmax

d = Derivation(
    "maximum_entropy",
    title="Maximum entropy: softmax maximises expected score plus entropy",
    sources=[
        ("cs231n", "softmax classifier, information theory view"),
        ("jaynes1957", ""),
        ("boyd2004", "Example 3.25"),
    ],
)
n = d.dimension("n")
z = d.vector("z", n, real=True)
p = d.vector("p", n, positive=True)
theta = d.vector("theta", n, real=True)
(k,) = d.indices("k", n)
lam = d.scalar("lambda", real=True)
t = d.scalar("t", positive=True)
a, b = d.scalars("a b", positive=True)
j = SUM_INDEX

lagrangian = (
    Sum(p[j] * z[j], (j, 1, n))
    - Sum(p[j] * log(p[j]), (j, 1, n))
    + lam * (Sum(p[j], (j, 1, n)) - 1)
)
gradient = z[k] - log(p[k]) - 1 + lam
d.text(r"$L(p, \lambda) = \langle p, z\rangle + H(p) + \lambda(\sum_j p_j - 1)$.")
d.equal("∂L/∂p_k", Derivative(lagrangian, p[k]), gradient, why="H(p) = −Σ_j p_j log p_j.")

# Solve ∂L/∂p_k = 0 for p_k (one unknown: fast), then the constraint for λ. The checker
# loads this file with SymPy's automatic evaluation off (so that claims reach it as
# written); the solving is computation, so it runs with evaluation on.
with evaluate(True):
    q = Symbol("q", positive=True)
    (p_star,) = solveset(Eq(gradient.subs(p[k], q), 0), q, S.Reals)
    assert p_star == exp(z[k] + lam - 1), p_star
    (lam_solved,) = solveset(Eq(exp(lam - 1) * Sum(exp(z[j]), (j, 1, n)), 1), lam, S.Reals)
    lam_star = 1 - log_sum_exp(z, n)
    assert expand_log(lam_solved - lam_star) == 0, lam_solved

d.equal(
    "stationary point p_k = e^{z_k + λ − 1}",
    gradient.subs(p[k], p_star),
    0,
    why="solveset(∂L/∂p_k = 0, p_k) gives this single solution.",
)
d.equal(
    "the constraint fixes λ = 1 − lse(z)",
    Sum(exp(z[j] + lam_star - 1), (j, 1, n)),
    1,
    why="Σ_j e^{z_j + λ − 1} = 1 solved for λ (solveset).",
)
d.equal(
    "the maximiser is softmax(z)",
    p_star.subs(lam, lam_star),
    softmax(z, k, n),
    why="e^{z_k − lse(z)} = e^{z_k}/Σ_j e^{z_j}.",
)
s = lambda q_: softmax(z, q_, n)  # noqa: E731 - component of softmax(z)
value = Sum(s(j) * z[j], (j, 1, n)) - Sum(s(j) * log(s(j)), (j, 1, n))
d.equal(
    "the optimum value is lse(z)",
    value,
    log_sum_exp(z, n),
    why="Σ_j s_j z_j − Σ_j s_j (z_j − lse z) = lse(z) Σ_j s_j = lse(z).",
)

d.text(
    r"\textbf{It is the maximum (Gibbs' inequality).} Any $p$ in the interior of the simplex "
    r"is $\mathrm{softmax}(\theta)$ for some $\theta$. The gap to the optimum is the "
    r"Kullback–Leibler divergence, which is non-negative term by term:"
)
r = lambda q_: softmax(theta, q_, n)  # noqa: E731 - a general point of the simplex
score = Sum(r(j) * z[j], (j, 1, n)) - Sum(r(j) * log(r(j)), (j, 1, n))
kl = Sum(r(j) * log(r(j) / s(j)), (j, 1, n))
d.equal(
    "lse(z) − (⟨p, z⟩ + H(p)) = KL(p ‖ softmax z)",
    log_sum_exp(z, n) - score,
    kl,
    why="Expand log(p_j/s_j) = log p_j − z_j + lse(z) and use Σ_j p_j = 1.",
)
d.less_equal(
    "t log t − t + 1 ≥ 0",
    0,
    t * log(t) - t + 1,
    why="Its minimum over t > 0 is 0, at t = 1.",
)
d.by_rule("the same at t = a/b", "<=", 0, (a / b) * log(a / b) - a / b + 1,
          rule="instantiation", premises=["t log t − t + 1 ≥ 0"], using={"map": {t: a / b}},
          why="a/b > 0 lies in the domain of t.")
d.by_rule("a log(a/b) ≥ a − b", "<=", a - b, a * log(a / b), rule="positive combination",
          premises=["the same at t = a/b"], using={"coefficients": [b]},
          why="Multiply by b > 0: a log(a/b) − a + b = b ((a/b) log(a/b) − a/b + 1) ≥ 0.")
d.by_rule("p_k log(p_k/s_k) ≥ p_k − s_k", "<=", r(k) - s(k), r(k) * log(r(k) / s(k)),
          rule="instantiation", premises=["a log(a/b) ≥ a − b"],
          using={"map": {a: r(k), b: s(k)}}, why="Both are positive.")
d.by_rule("Σ_j (p_j − s_j) ≤ KL(p ‖ s)", "<=", Sum(r(j) - s(j), (j, 1, n)), kl,
          rule="termwise", premises=["p_k log(p_k/s_k) ≥ p_k − s_k"])
d.equal("Σ_j (p_j − s_j) = 0", 0, Sum(r(j) - s(j), (j, 1, n)),
        why="Both distributions sum to 1.")
d.by_rule("KL(p ‖ s) ≥ 0", "<=", 0, kl, rule="transitivity",
          premises=["Σ_j (p_j − s_j) = 0", "Σ_j (p_j − s_j) ≤ KL(p ‖ s)"],
          why="Gibbs' inequality.")
d.by_rule(
    "⟨p, z⟩ + H(p) ≤ lse(z) on the simplex",
    "<=",
    score,
    log_sum_exp(z, n),
    rule="positive combination",
    premises=["lse(z) − (⟨p, z⟩ + H(p)) = KL(p ‖ softmax z)", "KL(p ‖ s) ≥ 0"],
)
d.text(
    r"The upper bound holds at every point of the (open) simplex and is attained at "
    r"$p = \operatorname{softmax}(z)$ (the optimum value above), so "
    r"$\operatorname{lse}(z) = \max_{p \in \Delta} \langle p, z\rangle - (-H(p))"
    r" = (-H)^*(z)$: log-sum-exp is the convex conjugate of the negative entropy."
)

if __name__ == "__main__":
    d.main()
