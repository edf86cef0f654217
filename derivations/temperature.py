"""Temperature: softmax(c z) interpolates between the uniform distribution and arg max.

Why it matters (Nielsen, eq. 83): softmax is a *soft* arg max. As c → ∞ all mass moves to
the largest logit (split equally between tied maxima), as c → 0 it spreads uniformly, and
c → −∞ selects the arg min. And lse(c z)/c is a smooth maximum, within (log n)/c of max z.

Logits: the largest, M, and m others M − g_j with gaps g_j > 0 (n = m + 1 classes; by
relabelling the arg max is last). Every term of the normaliser moves with c, which
SymPy's limit cannot pass for general m; so each limit is squeezed between bounds whose
limits it can take (gaps g_j = γ + u_j, γ the smallest), as in log_softmax. All hold for
general m.
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
extra = d.vector("u", m, nonnegative=True)
z = d.vector("z", m, real=True)
w = d.vector("w", m, nonnegative=True)
M = d.scalar("M", real=True)
gamma = d.scalar("gamma", positive=True)
c = d.scalar("c", positive=True)
t = d.scalar("t", negative=True)
j = SUM_INDEX
others = Sum(exp(-c * gap[j]), (j, 1, m))  # Σ_j e^{c(M − g_j)} / e^{cM}

d.text(
    r"Divide numerator and denominator by $e^{cM}$. Write each gap as "
    r"$g_j = \gamma + u_j$, with $\gamma > 0$ the smallest gap and $u_j \ge 0$; then every "
    r"term of the sum is at most $e^{-c\gamma}$, and the limits follow by squeezing."
)
trailing = Sum(exp(-c * (gamma + extra[j])), (j, 1, m))
bound = m * exp(-c * gamma)
d.less_equal(
    "each term ≤ e^{−cγ}",
    exp(-c * (gamma + extra[k])),
    exp(-c * gamma),
    substitute={extra[k]: log(1 + w[k]) / c},
    why="c u_k = log(1 + w_k) with w_k ≥ 0: the term is e^{−cγ}/(1 + w_k).",
)
d.by_rule("Σ_j e^{−c g_j} ≤ m e^{−cγ}", "<=", trailing, bound,
          rule="termwise comparison of sums", premises=["each term ≤ e^{−cγ}"])
d.less_equal("the arg max ≤ 1", 1 / (1 + trailing), 1, why="the sum is ≥ 0")
d.by_rule("the arg max ≥ 1/(1 + m e^{−cγ})", "<=", 1 / (1 + bound), 1 / (1 + trailing),
          rule="1/(1 + x) is decreasing", premises=["Σ_j e^{−c g_j} ≤ m e^{−cγ}"])
d.limit("1/(1 + m e^{−cγ}) → 1", 1 / (1 + bound), c, oo, 1, why="e^{−cγ} → 0 for γ > 0.")
d.by_rule(
    "the arg max → 1 as c → ∞", "limit", 1 / (1 + others), 1, variable=c, point=oo,
    rule="squeeze (gaps g_j = γ + u_j)",
    premises=["the arg max ≤ 1", "the arg max ≥ 1/(1 + m e^{−cγ})", "1/(1 + m e^{−cγ}) → 1"],
    why="A unique maximum takes all the mass.",
)
d.less("every other class > 0", 0, exp(-c * (gamma + extra[k])) / (1 + trailing))
d.by_rule("every other class ≤ e^{−cγ}", "<=", exp(-c * (gamma + extra[k])) / (1 + trailing),
          exp(-c * gamma), rule="its numerator is ≤ e^{−cγ}, its denominator ≥ 1",
          premises=["each term ≤ e^{−cγ}"])
d.limit("e^{−cγ} → 0", exp(-c * gamma), c, oo, 0, why="γ > 0.")
d.by_rule(
    "every other class → 0 as c → ∞", "limit", exp(-c * gap[k]) / (1 + others), 0,
    variable=c, point=oo, rule="squeeze (gaps g_j = γ + u_j)",
    premises=["every other class > 0", "every other class ≤ e^{−cγ}", "e^{−cγ} → 0"],
)
d.less_equal("a tied maximum ≤ 1/2", 1 / (2 + trailing), Rational(1, 2), why="the sum is ≥ 0")
d.by_rule("a tied maximum ≥ 1/(2 + m e^{−cγ})", "<=", 1 / (2 + bound), 1 / (2 + trailing),
          rule="1/(2 + x) is decreasing", premises=["Σ_j e^{−c g_j} ≤ m e^{−cγ}"])
d.limit("1/(2 + m e^{−cγ}) → 1/2", 1 / (2 + bound), c, oo, Rational(1, 2))
d.by_rule(
    "two tied maxima → 1/2 each", "limit", 1 / (2 + others), Rational(1, 2), variable=c,
    point=oo, rule="squeeze (gaps g_j = γ + u_j)",
    premises=["a tied maximum ≤ 1/2", "a tied maximum ≥ 1/(2 + m e^{−cγ})",
              "1/(2 + m e^{−cγ}) → 1/2"],
    why="With a second entry equal to M the denominator tends to 2: ties split the mass.",
)
d.equal(
    "at c = 0 every class has 1/m",
    (exp(c * z[k]) / Sum(exp(c * z[j]), (j, 1, m))).subs(c, 0),
    1 / m,
    why="e^0 = 1 in every term.",
)
d.by_rule(
    "uniform as c → 0", "limit", exp(c * z[k]) / Sum(exp(c * z[j]), (j, 1, m)), 1 / m,
    variable=c, point=0,
    rule="continuity at c = 0 (a ratio of finite sums of e^{c z_j}; the denominator is > 0)",
    premises=["at c = 0 every class has 1/m"],
)
below = Sum(exp(t * (gamma + extra[j])), (j, 1, m))
d.less_equal(
    "each term ≤ e^{tγ} for t < 0",
    exp(t * (gamma + extra[k])),
    exp(t * gamma),
    substitute={extra[k]: log(1 + w[k]) / (-t)},
    why="With c = t < 0 the smallest logit μ leads; the others are μ + γ + u_j, u_j ≥ 0.",
)
d.less_equal("the arg min ≤ 1", 1 / (1 + below), 1, why="the sum is ≥ 0")
d.by_rule("the arg min ≥ 1/(1 + m e^{tγ})", "<=", 1 / (1 + m * exp(t * gamma)), 1 / (1 + below),
          rule="termwise comparison of sums; 1/(1 + x) is decreasing",
          premises=["each term ≤ e^{tγ} for t < 0"])
d.limit("1/(1 + m e^{tγ}) → 1", 1 / (1 + m * exp(t * gamma)), t, -oo, 1)
d.by_rule(
    "the arg min → 1 as c → −∞", "limit", 1 / (1 + Sum(exp(t * gap[j]), (j, 1, m))), 1,
    variable=t, point=-oo, rule="squeeze (gaps g_j = γ + u_j)",
    premises=["the arg min ≤ 1", "the arg min ≥ 1/(1 + m e^{tγ})", "1/(1 + m e^{tγ}) → 1"],
    why="Negative c turns softmax into a soft arg min.",
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
