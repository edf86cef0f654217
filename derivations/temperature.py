"""Temperature: softmax(c z) interpolates between the uniform distribution and arg max.

Why it matters (Nielsen, eq. 83): softmax is a *soft* arg max. As c → ∞ all mass moves to
the largest logit (split equally between tied maxima), as c → 0 it spreads uniformly, and
c → −∞ selects the arg min. And lse(c z)/c is a smooth maximum, within (log n)/c of max z.

Logits: the largest, M, and m others M − g_j with gaps g_j > 0 (n = m + 1 classes; by
relabelling the arg max is last). The one-hot limits move every term of the normaliser,
so SymPy's limit needs a fixed m: they are proven for m ≤ 6. The smooth-maximum bounds
and their limit hold for general m by a squeeze, as in log_softmax.
"""

from sympy import Rational, Sum, exp, log, oo

from whysoftmax import Derivation
from whysoftmax.definitions import SUM_INDEX

d = Derivation(
    "temperature",
    title="Temperature: from uniform to arg max",
    sources=[
        "Nielsen 2015, Neural Networks and Deep Learning, ch. 3, eq. (83) and exercise",
        "Hinton, Vinyals & Dean 2015, Distilling the Knowledge in a Neural Network, §2",
    ],
)
m = d.dimension("m")
(k,) = d.indices("k", m)
gap = d.vector("g", m, positive=True)
z = d.vector("z", m, real=True)
w = d.vector("w", m, nonnegative=True)
M = d.scalar("M", real=True)
c = d.scalar("c", positive=True)
t = d.scalar("t", negative=True)
j = SUM_INDEX
others = Sum(exp(-c * gap[j]), (j, 1, m))  # Σ_j e^{c(M − g_j)} / e^{cM}

d.text(r"Divide numerator and denominator by $e^{cM}$; then the largest logit has")
d.limit(
    "the arg max → 1 as c → ∞",
    1 / (1 + others),
    c,
    oo,
    1,
    why="Each e^{−c g_j} → 0 because g_j > 0 (a unique maximum).",
)
d.limit(
    "every other class → 0 as c → ∞",
    exp(-c * gap[k]) / (1 + others),
    c,
    oo,
    0,
    why="Its numerator e^{−c g_k} → 0 while the denominator → 1.",
)
d.limit(
    "two tied maxima → 1/2 each",
    1 / (2 + others),
    c,
    oo,
    Rational(1, 2),
    why="With a second entry equal to M the denominator tends to 2: ties split the mass.",
)
d.limit(
    "uniform as c → 0",
    exp(c * z[k]) / Sum(exp(c * z[j]), (j, 1, m)),
    c,
    0,
    1 / m,
    why="Every e^{c z_j} → 1, so every class tends to 1/m.",
)
d.limit(
    "the arg min → 1 as c → −∞",
    1 / (1 + Sum(exp(t * gap[j]), (j, 1, m))),
    t,
    -oo,
    1,
    why="With negative c = t, the smallest logit plays the part of the largest: its "
    "neighbours trail it by −g_j in the scaled logits t(μ + g_j).",
)

d.text(r"\textbf{The smooth maximum.} With the same logits (n = m + 1 classes):")
lse_c = log(Sum(exp(c * (M - gap[j])), (j, 1, m)) + exp(c * M)) / c
d.less("max z < lse(cz)/c", M, lse_c, why="lse(cz)/c − M = log(1 + Σ_j e^{−c g_j})/c > 0.")
d.less_equal(
    "each term e^{−c g_j} ≤ 1",
    exp(-c * gap[k]),
    1,
    substitute={gap[k]: log(1 + w[k]) / c},
    why="Write c g_k = log(1 + w_k) with w_k ≥ 0; then e^{−c g_k} = 1/(1 + w_k) ≤ 1.",
)
d.equal(
    "lse(cz)/c = M + log(1 + Σ_j e^{−c g_j})/c",
    lse_c,
    M + log(1 + others) / c,
    why="Factor e^{cM} out of the sum inside the log.",
)
d.by_rule(
    "lse(cz)/c ≤ max z + log(n)/c",
    "<=",
    lse_c,
    M + log(m + 1) / c,
    rule="termwise comparison of sums, then log is increasing",
    premises=["each term e^{−c g_j} ≤ 1", "lse(cz)/c = M + log(1 + Σ_j e^{−c g_j})/c"],
)
d.limit("log(n)/c → 0", log(m + 1) / c, c, oo, 0, why="log n is a constant.")
d.by_rule(
    "lse(cz)/c → max z as c → ∞",
    "limit",
    lse_c,
    M,
    variable=c,
    point=oo,
    rule="squeeze",
    premises=["max z < lse(cz)/c", "lse(cz)/c ≤ max z + log(n)/c", "log(n)/c → 0"],
)

if __name__ == "__main__":
    d.main()
