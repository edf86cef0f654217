"""log softmax(z)_i ≈ z_i − max z: why cross-entropy through softmax learns well.

Why it matters (Goodfellow et al. §6.2.2.3): the log undoes the exp, so log s_i is
z_i minus a smooth maximum. It never saturates for a wrong prediction: if class j wins
by a large margin, log s_i ≈ z_i − z_j, a linear function with gradient ±1.

The bounds max z ≤ lse(z) ≤ max z + log n hold for general n, each step by a rule the
kernel checks: one term of a sum of positive terms is at most the sum, log and exp are
increasing, a bound on every entry bounds the maximum, and sums compare termwise.
"""

from sympy import Lambda, Sum, exp, log, oo

from whysoftmax import Derivation
from whysoftmax.definitions import SUM_INDEX, log_sum_exp, normaliser, softmax, vector_max

d = Derivation(
    "log_softmax",
    title="log-softmax, log-sum-exp and the maximum",
    sources=[
        ("goodfellow2016", "§6.2.2.3"),
        ("blanchard2021", ""),
    ],
)
n = d.dimension("n")
z = d.vector("z", n, real=True)
i, k = d.indices("i k", n)
u = d.vector("u", n, nonnegative=True)
w = d.vector("w", n, nonnegative=True)
M = d.scalar("M", real=True)
g = d.scalar("g", positive=True)
t = d.scalar("t", positive=True)
x = d.scalar("x", real=True)
v = d.scalar("v", nonnegative=True)
j = SUM_INDEX
m = vector_max(z, n)
lse = log_sum_exp(z, n)

d.equal(
    "log s_i = z_i − lse(z)",
    log(softmax(z, i, n)),
    z[i] - lse,
    why="log(e^{z_i}/Σ_j e^{z_j}) = z_i − log Σ_j e^{z_j}.",
)
d.equal(
    "log s_i − (z_i − max z) = max z − lse(z)",
    log(softmax(z, i, n)) - (z[i] - m),
    m - lse,
    why="The error of the approximation log s_i ≈ z_i − max z is the same for every class i.",
)

d.text(r"\textbf{The lower bound on lse.} Every entry is below the log-sum-exp:")
d.by_rule("e^{z_k} ≤ Σ_j e^{z_j}", "<=", exp(z[k]), normaliser(z, n), rule="single term",
          premises=[], why="One term of a sum of positive terms is at most the sum.")
d.by_rule("z_k ≤ lse(z)", "<=", z[k], lse, rule="increasing",
          premises=["e^{z_k} ≤ Σ_j e^{z_j}"], using={"f": Lambda(t, log(t))},
          why="log is increasing on (0, ∞), and log e^{z_k} = z_k.")
d.by_rule("max z ≤ lse(z)", "<=", m, lse, rule="least upper bound", premises=["z_k ≤ lse(z)"],
          why="A bound on every entry bounds the largest one.")

d.text(r"\textbf{The upper bound.} Every term of the sum is at most $e^{\max z}$:")
d.by_rule("z_k ≤ max z", "<=", z[k], m, rule="extremum bound", premises=[])
d.by_rule("e^{z_k} ≤ e^{max z}", "<=", exp(z[k]), exp(m), rule="increasing",
          premises=["z_k ≤ max z"], using={"f": Lambda(x, exp(x))})
d.by_rule("Σ_j e^{z_j} ≤ n e^{max z}", "<=", normaliser(z, n), n * exp(m), rule="termwise",
          premises=["e^{z_k} ≤ e^{max z}"], why="n terms, each at most e^{max z}.")
d.by_rule("lse(z) ≤ max z + log n", "<=", lse, m + log(n), rule="increasing",
          premises=["Σ_j e^{z_j} ≤ n e^{max z}"], using={"f": Lambda(t, log(t))},
          why="log(n e^{max z}) = max z + log n.")

d.text(r"\textbf{So log-softmax is $z_i - \max z$ up to at most $\log n$:}")
d.by_rule("log s_i ≤ z_i − max z", "<=", log(softmax(z, i, n)), z[i] - m,
          rule="positive combination", premises=["log s_i = z_i − lse(z)", "max z ≤ lse(z)"],
          why="log s_i = z_i − lse(z) ≤ z_i − max z.")
d.by_rule("z_i − max z − log n ≤ log s_i", "<=", z[i] - m - log(n), log(softmax(z, i, n)),
          rule="positive combination",
          premises=["log s_i = z_i − lse(z)", "lse(z) ≤ max z + log n"],
          why="log s_i = z_i − lse(z) ≥ z_i − max z − log n.")

d.text(
    r"\textbf{The limit.} Let the largest logit $M$ sit at position $n$ and every other "
    r"trail it by at least $g$: $z_j = M - g - u_j$ with $u_j \ge 0$. Then "
    r"$\operatorname{lse}(z) - \max z = \log(1 + \sum_{j<n} e^{-g-u_j})$, squeezed to 0."
)
trail = Sum(exp(-g - u[j]), (j, 1, n - 1))
error = log(1 + trail)
lse_trailing = log(Sum(exp(M - g - u[j]), (j, 1, n - 1)) + exp(M))
d.equal("lse(z) − M = log(1 + Σ_{j<n} e^{−g−u_j})", lse_trailing - M, error,
        why="Factor e^M out of every term.")
d.less_equal("error ≥ 0", 0, error, why="log of a number ≥ 1.")
d.less_equal(
    "each trailing term ≤ e^{−g}",
    exp(-g - u[k]),
    exp(-g),
    substitute={u[k]: log(1 + w[k])},
    why="e^{−g−u} = e^{−g}/(1 + w) with u = log(1 + w), w = e^u − 1 ≥ 0.",
)
d.by_rule("Σ_{j<n} e^{−g−u_j} ≤ (n − 1)e^{−g}", "<=", trail, (n - 1) * exp(-g),
          rule="termwise", premises=["each trailing term ≤ e^{−g}"])
d.by_rule("error ≤ log(1 + (n − 1)e^{−g})", "<=", error, log(1 + (n - 1) * exp(-g)),
          rule="increasing", premises=["Σ_{j<n} e^{−g−u_j} ≤ (n − 1)e^{−g}"],
          using={"f": Lambda(v, log(1 + v))})
d.limit(
    "bound → 0 as g → ∞",
    log(1 + (n - 1) * exp(-g)),
    g,
    oo,
    0,
    why="(n − 1)e^{−g} → 0 and log is continuous at 1.",
)
d.by_rule("error → 0 as g → ∞", "limit", error, 0, variable=g, point=oo, rule="squeeze",
          premises=["error ≥ 0", "error ≤ log(1 + (n − 1)e^{−g})", "bound → 0 as g → ∞"])
d.by_rule(
    "lse(z) − max z → 0 as the gap → ∞",
    "limit",
    lse_trailing - M,
    0,
    variable=g,
    point=oo,
    rule="substitution",
    premises=["lse(z) − M = log(1 + Σ_{j<n} e^{−g−u_j})", "error → 0 as g → ∞"],
    why="Here M = max z. So log s_i = z_i − lse(z) → z_i − max z: when class n wins by a "
    "margin g, log s_i ≈ z_i − z_n for every wrong class i, a linear function of the logits.",
)

if __name__ == "__main__":
    d.main()
