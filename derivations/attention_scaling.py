"""Why attention divides by √d: large logits saturate softmax and kill its gradient.

Why it matters (Vaswani et al. 2017, §3.2.1 and footnote 4): attention computes
softmax(q·K/√d). Without the 1/√d, the logits q·k grow with the dimension d — for
query and key components that are independent with mean 0 and variance 1, q·k has mean
0 and variance d — so the leading logit pulls ahead of the others by a gap of order √d.
Softmax then saturates: the winner's probability approaches 1 and *every* entry of the
Jacobian is at most (n − 1)e^{−g}, so almost no gradient flows back. Dividing by √d
restores unit variance whatever d is.

The moments: E[q·k] = Σ_i E[q_i] E[k_i] = 0, and E[(q·k)²] = Σ_i Σ_j E[q_i q_j] E[k_i k_j]
by linearity and the independence of q and k; with E[q_i q_j] = E[k_i k_j] = δ_ij (unit
variance, independent components), the double sum is checked below. The saturation
bound uses the log_softmax chapter's setting: the largest logit M at position n, every
other trailing by at least g, z_j = M − g − u_j with u_j ≥ 0.
"""

from sympy import KroneckerDelta, Sum, exp, log, sqrt

from whysoftmax import Derivation
from whysoftmax.definitions import SUM_INDEX

d = Derivation(
    "attention_scaling",
    title="Why attention divides by the square root of d",
    sources=[
        ("vaswani2017", "§3.2.1 and footnote 4"),
    ],
)
dim = d.dimension("d")
n = d.dimension("n", minimum=2)
u = d.vector("u", n, nonnegative=True)
w = d.vector("w", n, nonnegative=True)
(k,) = d.indices("k", n)
M = d.scalar("M", real=True)
g = d.scalar("g", nonnegative=True)
j = SUM_INDEX
r = d.scalar("r", integer=True, positive=True)

d.text(r"\textbf{The variance of $q \cdot k$.} With $E[q_i q_j] = E[k_i k_j] = \delta_{ij}$:")
d.equal("Var[q·k] = Σ_i Σ_j δ_ij δ_ij = d",
        Sum(Sum(KroneckerDelta(j, r) * KroneckerDelta(j, r), (j, 1, dim)), (r, 1, dim)), dim,
        why="Only the d diagonal terms survive, each 1.")
d.equal("Var[q·k/√d] = 1", dim / sqrt(dim) ** 2, 1,
        why="Dividing by √d divides the variance by d.")

d.text(
    r"\textbf{Saturation.} Let the largest logit sit at position $n$ and every other trail "
    r"it by at least $g$: $z_j = M - g - u_j$ with $u_j \ge 0$. Write $s_j$ for its "
    r"probabilities, $R = \sum_{j<n} e^{-g-u_j}$ for the trailing mass relative to $e^M$."
)
R = Sum(exp(-g - u[j]), (j, 1, n - 1))
normaliser = Sum(exp(M - g - u[j]), (j, 1, n - 1)) + exp(M)
s_trailing = exp(M - g - u[k]) / normaliser
s_leader = exp(M) / normaliser
d.equal("s_k = e^{−g−u_k}/(1 + R)", s_trailing, exp(-g - u[k]) / (1 + R),
        why="Divide numerator and denominator by e^M.")
d.less_equal("s_k ≤ e^{−g−u_k}", exp(-g - u[k]) / (1 + R), exp(-g - u[k]),
             why="The denominator 1 + R is at least 1.")
d.less_equal("e^{−g−u_k} ≤ e^{−g}", exp(-g - u[k]), exp(-g), substitute={u[k]: log(1 + w[k])},
             why="e^{−g−u} = e^{−g}/(1 + w) with u = log(1 + w), w = e^u − 1 ≥ 0.")
d.by_rule("a trailing probability is ≤ e^{−g}", "<=", s_trailing, exp(-g), rule="transitivity",
          premises=["s_k = e^{−g−u_k}/(1 + R)", "s_k ≤ e^{−g−u_k}", "e^{−g−u_k} ≤ e^{−g}"])
d.equal("1 − s_n = R/(1 + R)", 1 - s_leader, R / (1 + R),
        why="The leader's complement is the trailing mass.")
d.less_equal("R/(1 + R) ≤ R", R / (1 + R), R, why="R ≥ 0.")
d.by_rule("R ≤ (n − 1)e^{−g}", "<=", R, (n - 1) * exp(-g), rule="termwise",
          premises=["e^{−g−u_k} ≤ e^{−g}"], why="n − 1 terms, each at most e^{−g}.")
d.by_rule("1 − s_n ≤ (n − 1)e^{−g}", "<=", 1 - s_leader, (n - 1) * exp(-g),
          rule="transitivity",
          premises=["1 − s_n = R/(1 + R)", "R/(1 + R) ≤ R", "R ≤ (n − 1)e^{−g}"])

d.text(
    r"\textbf{Every Jacobian entry is small.} $J_{ab} = s_a(\delta_{ab} - s_b)$, so "
    r"$|J_{ab}| \le s_a (1 - s_a)$ on the diagonal and $s_a s_b$ off it; each is at most "
    r"$\min(s_a, 1 - s_a)$ for the row's own $a$ — at most $e^{-g}$ in a trailing row and "
    r"$(n-1)e^{-g}$ in the leader's:"
)
d.less_equal("J_nn = s_n(1 − s_n) ≤ 1 − s_n", s_leader * (1 - s_leader), 1 - s_leader,
             why="s_n ≤ 1.")
d.less_equal("|J_nk| = s_n s_k ≤ s_k", s_leader * s_trailing, s_trailing, why="s_n ≤ 1.")
d.less_equal("|J_kb| ≤ s_k: J_kk = s_k(1 − s_k) ≤ s_k", s_trailing * (1 - s_trailing),
             s_trailing, why="1 − s_k ≤ 1; off the diagonal s_k s_b ≤ s_k likewise.")
d.by_rule("the leader's diagonal entry ≤ (n − 1)e^{−g}", "<=", s_leader * (1 - s_leader),
          (n - 1) * exp(-g), rule="transitivity",
          premises=["J_nn = s_n(1 − s_n) ≤ 1 − s_n", "1 − s_n ≤ (n − 1)e^{−g}"],
          why="The largest entry of the whole Jacobian: with a gap g every gradient through "
          "softmax is at most (n − 1)e^{−g} per unit — for 16 keys and a gap of 10, "
          "15e^{−10} ≈ [[=15e^{−10}]].")
d.approximately("15e^{−10}", 15 * exp(-10), "0.000681")
d.by_rule("a trailing row's entries ≤ e^{−g}", "<=", s_trailing * (1 - s_trailing), exp(-g),
          rule="transitivity",
          premises=["|J_kb| ≤ s_k: J_kk = s_k(1 − s_k) ≤ s_k",
                    "a trailing probability is ≤ e^{−g}"])

if __name__ == "__main__":
    d.main()
