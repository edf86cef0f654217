"""Temperature: softmax(c z) interpolates between the uniform distribution and arg max.

Why it matters (Nielsen, eq. 83): softmax is a *soft* arg max. As c → ∞ all mass moves to
the largest logit (split equally between tied maxima), as c → 0 it spreads uniformly, and
c → −∞ selects the arg min. And lse(c z)/c is a smooth maximum, within (log n)/c of max z.

Logits for the arg-max limits: the largest, M, and m others M − g_j with gaps g_j > 0
(n = m + 1 classes). Every term of the normaliser moves with c, which SymPy's limit
cannot pass for general m; so each limit is squeezed between bounds that use the
smallest gap min_j g_j, whose limits it can take. Every step is a rule the kernel checks.
"""

from sympy import Lambda, Rational, Sum, exp, log, oo

from whysoftmax import Derivation
from whysoftmax.definitions import SUM_INDEX, log_sum_exp, normaliser, vector_max, vector_min

d = Derivation(
    "temperature",
    title="Temperature: from uniform to arg max",
    sources=[
        ("nielsen2015", "ch. 3, eq. 83 and exercise"),
        ("hinton2015", "§2"),
    ],
)
m = d.dimension("m")
(k,) = d.indices("k", m)
gap = d.vector("g", m, positive=True)
z = d.vector("z", m, real=True)
M = d.scalar("M", real=True)
c = d.scalar("c", positive=True)
t = d.scalar("t", negative=True)
x = d.scalar("x", real=True)
y = d.scalar("y", positive=True)
v = d.scalar("v", nonnegative=True)
j = SUM_INDEX
smallest = vector_min(gap, m)
others = Sum(exp(-c * gap[j]), (j, 1, m))  # Σ_j e^{c(M − g_j)} / e^{cM}
bound = m * exp(-c * smallest)

d.text(
    r"Divide numerator and denominator by $e^{cM}$: the arg max has probability "
    r"$1/(1 + \sum_j e^{-c g_j})$. Every term of the sum is at most $e^{-c \gamma}$ with "
    r"$\gamma = \min_j g_j > 0$, and the limits follow by squeezing."
)
d.equal(
    "the arg max has 1/(1 + Σ_j e^{−c g_j})",
    exp(c * M) / (Sum(exp(c * (M - gap[j])), (j, 1, m)) + exp(c * M)),
    1 / (1 + others),
    why="Divide by e^{cM} > 0.",
)
d.by_rule("min g ≤ g_k", "<=", smallest, gap[k], rule="extremum bound", premises=[])
d.by_rule("e^{−c g_k} ≤ e^{−c min g}", "<=", exp(-c * gap[k]), exp(-c * smallest),
          rule="decreasing", premises=["min g ≤ g_k"], using={"f": Lambda(x, exp(-c * x))})
d.by_rule("Σ_j e^{−c g_j} ≤ m e^{−c min g}", "<=", others, bound, rule="termwise",
          premises=["e^{−c g_k} ≤ e^{−c min g}"])
d.less_equal("the arg max ≤ 1", 1 / (1 + others), 1, why="the sum is ≥ 0")
d.by_rule("the arg max ≥ 1/(1 + m e^{−c min g})", "<=", 1 / (1 + bound), 1 / (1 + others),
          rule="decreasing", premises=["Σ_j e^{−c g_j} ≤ m e^{−c min g}"],
          using={"f": Lambda(v, 1 / (1 + v))})
d.limit("1/(1 + m e^{−c min g}) → 1", 1 / (1 + bound), c, oo, 1,
        why="e^{−c min g} → 0 because min g > 0.")
d.by_rule(
    "1/(1 + Σ_j e^{−c g_j}) → 1", "limit", 1 / (1 + others), 1, variable=c, point=oo,
    rule="squeeze",
    premises=["the arg max ≥ 1/(1 + m e^{−c min g})", "the arg max ≤ 1",
              "1/(1 + m e^{−c min g}) → 1"],
)
d.by_rule(
    "the arg max → 1 as c → ∞", "limit",
    exp(c * M) / (Sum(exp(c * (M - gap[j])), (j, 1, m)) + exp(c * M)), 1,
    variable=c, point=oo, rule="substitution",
    premises=["the arg max has 1/(1 + Σ_j e^{−c g_j})", "1/(1 + Σ_j e^{−c g_j}) → 1"],
    why="A unique maximum takes all the mass.",
)
d.less("every other class > 0", 0, exp(-c * gap[k]) / (1 + others))
d.less_equal("every other class ≤ its own term", exp(-c * gap[k]) / (1 + others),
             exp(-c * gap[k]), why="its denominator is at least 1")
d.by_rule("every other class ≤ e^{−c min g}", "<=", exp(-c * gap[k]) / (1 + others),
          exp(-c * smallest), rule="transitivity",
          premises=["every other class ≤ its own term", "e^{−c g_k} ≤ e^{−c min g}"])
d.limit("e^{−c min g} → 0", exp(-c * smallest), c, oo, 0, why="min g > 0.")
d.by_rule(
    "every other class → 0 as c → ∞", "limit", exp(-c * gap[k]) / (1 + others), 0,
    variable=c, point=oo, rule="squeeze",
    premises=["every other class > 0", "every other class ≤ e^{−c min g}",
              "e^{−c min g} → 0"],
)
d.less_equal("a tied maximum ≤ 1/2", 1 / (2 + others), Rational(1, 2), why="the sum is ≥ 0")
d.by_rule("a tied maximum ≥ 1/(2 + m e^{−c min g})", "<=", 1 / (2 + bound), 1 / (2 + others),
          rule="decreasing", premises=["Σ_j e^{−c g_j} ≤ m e^{−c min g}"],
          using={"f": Lambda(v, 1 / (2 + v))})
d.limit("1/(2 + m e^{−c min g}) → 1/2", 1 / (2 + bound), c, oo, Rational(1, 2))
d.by_rule(
    "two tied maxima → 1/2 each", "limit", 1 / (2 + others), Rational(1, 2), variable=c,
    point=oo, rule="squeeze",
    premises=["a tied maximum ≥ 1/(2 + m e^{−c min g})", "a tied maximum ≤ 1/2",
              "1/(2 + m e^{−c min g}) → 1/2"],
    why="With a second entry equal to M the denominator tends to 2: ties split the mass.",
)

d.text(r"\textbf{Uniform as $c \to 0$.} Softmax of $c z$ is continuous in $c$:")
d.by_rule(
    "uniform as c → 0", "limit", exp(c * z[k]) / Sum(exp(c * z[j]), (j, 1, m)), 1 / m,
    variable=c, point=0, rule="continuity", premises=[],
    why="a ratio of finite sums of e^{c z_j} with a positive denominator; at c = 0 every "
    "term is e^0 = 1.",
)

d.text(r"\textbf{The arg min as $c \to -\infty$.} With $c = t < 0$ the smallest logit "
       r"$\mu$ leads; the others are $\mu + g_j$:")
below = Sum(exp(t * gap[j]), (j, 1, m))
d.by_rule("e^{t g_k} ≤ e^{t min g}", "<=", exp(t * gap[k]), exp(t * smallest),
          rule="decreasing", premises=["min g ≤ g_k"], using={"f": Lambda(x, exp(t * x))})
d.by_rule("Σ_j e^{t g_j} ≤ m e^{t min g}", "<=", below, m * exp(t * smallest),
          rule="termwise", premises=["e^{t g_k} ≤ e^{t min g}"])
d.less_equal("the arg min ≤ 1", 1 / (1 + below), 1, why="the sum is ≥ 0")
d.by_rule("the arg min ≥ 1/(1 + m e^{t min g})", "<=", 1 / (1 + m * exp(t * smallest)),
          1 / (1 + below), rule="decreasing", premises=["Σ_j e^{t g_j} ≤ m e^{t min g}"],
          using={"f": Lambda(v, 1 / (1 + v))})
d.limit("1/(1 + m e^{t min g}) → 1", 1 / (1 + m * exp(t * smallest)), t, -oo, 1)
d.by_rule(
    "the arg min → 1 as c → −∞", "limit", 1 / (1 + below), 1, variable=t, point=-oo,
    rule="squeeze",
    premises=["the arg min ≥ 1/(1 + m e^{t min g})", "the arg min ≤ 1",
              "1/(1 + m e^{t min g}) → 1"],
    why="Negative c turns softmax into a soft arg min.",
)

d.text(r"\textbf{The smooth maximum.} For any logits $z$ (here of length $m$):")
lse_c = log_sum_exp(lambda q: c * z[q], m)
zmax = vector_max(z, m)
d.by_rule("e^{c z_k} ≤ Σ_j e^{c z_j}", "<=", exp(c * z[k]), normaliser(lambda q: c * z[q], m),
          rule="single term", premises=[])
d.by_rule("c z_k ≤ lse(cz)", "<=", c * z[k], lse_c, rule="increasing",
          premises=["e^{c z_k} ≤ Σ_j e^{c z_j}"], using={"f": Lambda(y, log(y))})
d.by_rule("z_k ≤ lse(cz)/c", "<=", z[k], lse_c / c, rule="positive combination",
          premises=["c z_k ≤ lse(cz)"], using={"coefficients": [1 / c]})
d.by_rule("max z ≤ lse(cz)/c", "<=", zmax, lse_c / c, rule="least upper bound",
          premises=["z_k ≤ lse(cz)/c"])
d.by_rule("z_k ≤ max z", "<=", z[k], zmax, rule="extremum bound", premises=[])
d.by_rule("e^{c z_k} ≤ e^{c max z}", "<=", exp(c * z[k]), exp(c * zmax), rule="increasing",
          premises=["z_k ≤ max z"], using={"f": Lambda(x, exp(c * x))})
d.by_rule("Σ_j e^{c z_j} ≤ m e^{c max z}", "<=", normaliser(lambda q: c * z[q], m),
          m * exp(c * zmax), rule="termwise", premises=["e^{c z_k} ≤ e^{c max z}"])
d.by_rule("lse(cz) ≤ log m + c max z", "<=", lse_c, log(m) + c * zmax, rule="increasing",
          premises=["Σ_j e^{c z_j} ≤ m e^{c max z}"], using={"f": Lambda(y, log(y))})
d.by_rule("lse(cz)/c ≤ max z + log(n)/c", "<=", lse_c / c, zmax + log(m) / c,
          rule="positive combination", premises=["lse(cz) ≤ log m + c max z"],
          using={"coefficients": [1 / c]})
d.limit("max z + log(n)/c → max z", zmax + log(m) / c, c, oo, zmax, why="log n is a constant.")
d.by_rule(
    "lse(cz)/c → max z as c → ∞", "limit", lse_c / c, zmax, variable=c, point=oo,
    rule="squeeze",
    premises=["max z ≤ lse(cz)/c", "lse(cz)/c ≤ max z + log(n)/c",
              "max z + log(n)/c → max z"],
)

if __name__ == "__main__":
    d.main()
