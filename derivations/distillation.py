"""Distillation at high temperature: the soft cross-entropy gradient becomes logit matching.

Why it matters (Hinton, Vinyals & Dean 2015, §2.1): a small student network learns from a
large teacher by matching the teacher's *soft* probabilities p = softmax(v/T) with its
own q = softmax(z/T) at a temperature T > 1. The gradient of the soft cross-entropy
C = −Σ_j p_j log q_j with respect to the student's logit z_k is (q_k − p_k)/T — the
softmax/cross-entropy gradient of the cross_entropy_gradient chapter, divided by T. As T
grows, q and p flatten towards 1/n and their difference shrinks like 1/T: T² times the
gradient tends to ((z_k − z̄) − (v_k − v̄))/n, which for zero-mean logits is
(z_k − v_k)/n. So at high temperature distillation *is* matching the logits with a
squared error — and the factor T² is why Hinton et al. multiply the soft loss by T².

The limit is taken through c = 1/T → 0: T(q_k − p_k) is the difference quotient of
F(c) = softmax(cz)_k − softmax(cv)_k at c = 0, where F(0) = 1/n − 1/n = 0, so its limit is
F′(0).
"""

from sympy import Derivative, Lambda, Sum, log, oo

from whysoftmax import Derivation
from whysoftmax.definitions import SUM_INDEX, softmax

d = Derivation(
    "distillation",
    title="Distillation at high temperature",
    sources=[
        ("hinton2015", "§2.1, eqs. 2–4"),
    ],
)
n = d.dimension("n")
z = d.vector("z", n, real=True)
v = d.vector("v", n, real=True)
(k,) = d.indices("k", n)
T = d.scalar("T", positive=True)
c = d.scalar("c", real=True)
r = d.scalar("r", integer=True, positive=True)
j = SUM_INDEX


def scaled(vector, factor):
    """The logits times a factor, as a vector-valued function of the index."""
    return lambda r: factor * vector[r]


q = lambda r: softmax(scaled(z, 1 / T), r, n)  # noqa: E731 - the student at temperature T
p = lambda r: softmax(scaled(v, 1 / T), r, n)  # noqa: E731 - the teacher at temperature T
soft_loss = -Sum(p(j) * log(q(j)), (j, 1, n))

d.equal("∂C/∂z_k = (q_k − p_k)/T", Derivative(soft_loss, z[k]), (q(k) - p(k)) / T,
        why="−Σ_j p_j ∂ log q_j/∂z_k = −Σ_j p_j (δ_jk − q_k)/T, and Σ_j p_j = 1.")

d.text(r"\textbf{High temperature.} With $c = 1/T$ and "
       r"$F(c) = \mathrm{softmax}(cz)_k - \mathrm{softmax}(cv)_k$:")
F = softmax(scaled(z, c), k, n) - softmax(scaled(v, c), k, n)
mean_z = Sum(z[j], (j, 1, n)) / n
mean_v = Sum(v[j], (j, 1, n)) / n
slope = ((z[k] - mean_z) - (v[k] - mean_v)) / n
d.by_rule("lim_{c→0} F(c)/c = F′(0)", "limit", F / c, slope, variable=c, point=0,
          rule="difference quotient", premises=[], using={"F": F},
          why="F(0) = 1/n − 1/n = 0, and d/dc softmax(cz)_k at 0 is (z_k − z̄)/n.")
d.by_rule("T² ∂C/∂z_k → ((z_k − z̄) − (v_k − v̄))/n as T → ∞", "limit",
          T * (q(k) - p(k)), slope, variable=T, point=oo,
          rule="reciprocal limit", premises=["lim_{c→0} F(c)/c = F′(0)"],
          why="T² ∂C/∂z_k = T(q_k − p_k) by the first step, and T(q_k − p_k) = F(1/T)/(1/T).")
d.text(r"For zero-mean logits the limit is $(z_k - v_k)/n$: the gradient of "
       r"$\frac{1}{2n}\sum_k (z_k - v_k)^2$, logit matching.")
centred = [{z: Lambda(r, r - (n + 1) / 2), v: Lambda(r, 2 * r - n - 1)}]
d.assume("z has zero mean", Sum(z[j], (j, 1, n)), 0, examples=centred,
         why="Hinton et al.'s assumption: the logits of each transfer case have zero mean.")
d.assume("v has zero mean", Sum(v[j], (j, 1, n)), 0, examples=centred)
d.by_rule("zero-mean logits: the limit is (z_k − v_k)/n", "=", slope, (z[k] - v[k]) / n,
          rule="positive combination", premises=["z has zero mean", "v has zero mean"],
          using={"coefficients": [-1 / n**2, 1 / n**2]})
d.equal("(z_k − v_k)/n is the gradient of the squared error",
        Derivative(Sum((z[j] - v[j]) ** 2, (j, 1, n)) / (2 * n), z[k]), (z[k] - v[k]) / n)

if __name__ == "__main__":
    d.main()
