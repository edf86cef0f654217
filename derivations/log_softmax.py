"""log softmax(z)_i ≈ z_i − max z: why cross-entropy through softmax learns well.

Why it matters (Goodfellow et al. §6.2.2.3): the log undoes the exp, so log s_i is
z_i minus a smooth maximum. It never saturates for a wrong prediction: if class j wins
by a large margin, log s_i ≈ z_i − z_j, a linear function with gradient ±1.

The bounds are proven for general n by a guided argument, written out step by step:
softmax and log-sum-exp do not depend on the order of the entries, so we may place the
largest entry M at position n and write the others as M − d_j with gaps d_j ≥ 0 (a case
split over the position of the argmax, identical in every case).
"""

from sympy import Sum, exp, log, oo

from whysoftmax import Derivation
from whysoftmax.definitions import SUM_INDEX, log_sum_exp, softmax, vector_max

d = Derivation(
    "log_softmax",
    title="log-softmax, log-sum-exp and the maximum",
    sources=[
        "Goodfellow, Bengio & Courville 2016, Deep Learning, §6.2.2.3",
        "Blanchard, Higham & Higham 2021, Accurately computing the log-sum-exp and softmax "
        "functions, IMA J. Numer. Anal. 41(4)",
    ],
)
n = d.dimension("n")
z = d.vector("z", n, real=True)
(i,) = d.indices("i", n)
gap_d = d.vector("d", n, nonnegative=True)
gap_u = d.vector("u", n, nonnegative=True)
w = d.vector("w", n, nonnegative=True)
M = d.scalar("M", real=True)
g = d.scalar("g", positive=True)
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

d.text(
    r"\textbf{Bounds.} Place the largest entry $M$ at position $n$ and write the others as "
    r"$M - d_j$ with $d_j \ge 0$. Then $\sum_j e^{z_j} = e^{M}(1 + \sum_{j<n} e^{-d_j})$."
)
rest = Sum(exp(-gap_d[j]), (j, 1, n - 1))  # Σ_{j<n} e^{−d_j}
lse_gapped = log(Sum(exp(M - gap_d[j]), (j, 1, n - 1)) + exp(M))
d.equal(
    "lse = M + log(1 + Σ_{j<n} e^{−d_j})",
    lse_gapped,
    M + log(1 + rest),
    why="Factor e^M out of every term.",
)
d.less_equal(
    "max z ≤ lse(z), argmax at n",
    M,
    lse_gapped,
    why="log(1 + Σ_{j<n} e^{−d_j}) ≥ log 1 = 0.",
)
d.less_equal(
    "each gap term e^{−d_j} ≤ 1",
    exp(-gap_d[i]),
    1,
    substitute={gap_d[i]: log(1 + w[i])},
    why="Every d ≥ 0 is log(1 + w) with w = e^d − 1 ≥ 0, and e^{−log(1+w)} = 1/(1+w) ≤ 1.",
)
d.by_rule(
    "Σ_{j<n} e^{−d_j} ≤ n − 1",
    "<=",
    rest,
    n - 1,
    rule="termwise comparison of sums",
    premises=["each gap term e^{−d_j} ≤ 1"],
)
d.by_rule(
    "lse(z) ≤ max z + log n, argmax at n",
    "<=",
    lse_gapped,
    M + log(n),
    rule="log is increasing",
    premises=["lse = M + log(1 + Σ_{j<n} e^{−d_j})", "Σ_{j<n} e^{−d_j} ≤ n − 1"],
    why="lse = M + log(1 + Σ_{j<n} e^{−d_j}) ≤ M + log(1 + (n − 1)).",
)
d.by_rule(
    "max z ≤ lse(z)",
    "<=",
    m,
    lse,
    rule="case split over the position of the argmax (each case is the one above, relabelled)",
    premises=["max z ≤ lse(z), argmax at n"],
)
d.by_rule(
    "lse(z) ≤ max z + log n",
    "<=",
    lse,
    m + log(n),
    rule="case split over the position of the argmax (each case is the one above, relabelled)",
    premises=["lse(z) ≤ max z + log n, argmax at n"],
)
d.by_rule(
    "log s_i ≤ z_i − max z",
    "<=",
    log(softmax(z, i, n)),
    z[i] - m,
    rule="substitution of 'max z ≤ lse(z)' into 'log s_i = z_i − lse(z)'",
    premises=["log s_i = z_i − lse(z)", "max z ≤ lse(z)"],
)
d.by_rule(
    "z_i − max z − log n ≤ log s_i",
    "<=",
    z[i] - m - log(n),
    log(softmax(z, i, n)),
    rule="substitution of 'lse(z) ≤ max z + log n' into 'log s_i = z_i − lse(z)'",
    premises=["log s_i = z_i − lse(z)", "lse(z) ≤ max z + log n"],
)

d.text(
    r"\textbf{The limit.} Let every other entry trail the maximum by at least $g$: "
    r"$z_j = M - g - u_j$ with $u_j \ge 0$. The approximation error "
    r"$\operatorname{lse}(z) - M = \log(1 + \sum_{j<n} e^{-g-u_j})$ is squeezed to 0."
)
trail = Sum(exp(-g - gap_u[j]), (j, 1, n - 1))
error = log(1 + trail)
d.less_equal("error ≥ 0", 0, error, why="log of a number ≥ 1.")
d.less_equal(
    "each trailing term ≤ e^{−g}",
    exp(-g - gap_u[i]),
    exp(-g),
    substitute={gap_u[i]: log(1 + w[i])},
    why="e^{−g−u} = e^{−g}/(1 + w) with u = log(1 + w), w ≥ 0.",
)
d.by_rule(
    "error ≤ log(1 + (n − 1)e^{−g})",
    "<=",
    error,
    log(1 + (n - 1) * exp(-g)),
    rule="termwise comparison of sums, then log is increasing",
    premises=["each trailing term ≤ e^{−g}"],
)
d.limit(
    "bound → 0 as g → ∞",
    log(1 + (n - 1) * exp(-g)),
    g,
    oo,
    0,
    why="(n − 1)e^{−g} → 0 and log is continuous at 1.",
)
d.by_rule(
    "log s_i − (z_i − max z) → 0 as the gap → ∞",
    "limit",
    -error,
    0,
    variable=g,
    point=oo,
    rule="squeeze",
    premises=["error ≥ 0", "error ≤ log(1 + (n − 1)e^{−g})", "bound → 0 as g → ∞",
              "log s_i − (z_i − max z) = max z − lse(z)"],
    why="log s_i − (z_i − max z) = M − lse(z) = −error, for the argmax and for every other "
    "class alike: when class n wins by a margin g, log s_i ≈ z_i − z_n for a wrong class i.",
)

if __name__ == "__main__":
    d.main()
