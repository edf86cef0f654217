"""Gaussian classes with a shared covariance have a softmax posterior.

Why it matters (a comment in the thread; Bishop §4.2.1): softmax is what Bayes' rule gives
when each class generates its inputs from a Gaussian with a common covariance. The
quadratic term xᵀΣ⁻¹x is shared by all classes and cancels, leaving logits linear in x:
w_k = Σ⁻¹μ_k, b_k = −½ μ_kᵀΣ⁻¹μ_k + log π_k. With class-specific covariances the
quadratic term survives and the log-odds are not linear.

Proven for a general number of classes K: in one dimension with variance σ², and in two
dimensions with a general symmetric precision matrix A = Σ⁻¹ (fixed d = 2).
"""

from sympy import Derivative, Matrix, Rational, Sum, exp, log, pi, sqrt

from whysoftmax import Derivation
from whysoftmax.definitions import SUM_INDEX, softmax

d = Derivation(
    "gaussian_classes",
    title="Gaussian classes with shared covariance give softmax",
    sources=[
        ("bishop2006", "§4.2.1, eqs. 4.62–4.70"),
        ("cv189331", "comments"),
    ],
)
K = d.dimension("K")
(k,) = d.indices("k", K)
mu = d.vector("mu", K, real=True)
prior = d.vector("pi", K, positive=True)
sigma = d.scalar("sigma", positive=True)
x = d.scalar("x", real=True)
j = SUM_INDEX


def normal(value, mean, sd):
    """The density of N(mean, sd²) at value."""
    return exp(-((value - mean) ** 2) / (2 * sd**2)) / sqrt(2 * pi * sd**2)


d.equal(
    "1-D posterior is softmax of linear logits",
    prior[k] * normal(x, mu[k], sigma) / Sum(prior[j] * normal(x, mu[j], sigma), (j, 1, K)),
    softmax(lambda q: mu[q] / sigma**2 * x - mu[q] ** 2 / (2 * sigma**2) + log(prior[q]), k, K),
    why="Bayes' rule; e^{−x²/(2σ²)}/√(2πσ²) is common to all classes and cancels, leaving "
    "w_k = μ_k/σ² and b_k = −μ_k²/(2σ²) + log π_k.",
)

d.text(r"\textbf{Two dimensions.} Precision matrix $A = \Sigma^{-1}$, symmetric:")
a11, a22 = d.scalars("a11 a22", positive=True)
a12 = d.scalar("a12", real=True)
x1, x2 = d.scalars("x1 x2", real=True)
m1 = d.vector("m", K, real=True)  # first coordinate of μ_k
m2 = d.vector("l", K, real=True)  # second coordinate of μ_k
A = Matrix([[a11, a12], [a12, a22]])
X = Matrix([x1, x2])


def mean(q):
    return Matrix([m1[q], m2[q]])


def gaussian_kernel(q):
    """exp(−½ (x − μ_q)ᵀ A (x − μ_q)); the normalising constant is shared and omitted."""
    v = X - mean(q)
    return exp(-Rational(1, 2) * (v.T * A * v)[0, 0])


def logit(q):
    """w_qᵀx + b_q with w_q = A μ_q and b_q = −½ μ_qᵀ A μ_q + log π_q."""
    w = A * mean(q)
    return (w.T * X)[0, 0] - Rational(1, 2) * (mean(q).T * A * mean(q))[0, 0] + log(prior[q])


d.equal(
    "2-D posterior is softmax of linear logits",
    prior[k] * gaussian_kernel(k) / Sum(prior[j] * gaussian_kernel(j), (j, 1, K)),
    softmax(logit, k, K),
    why="−½(x − μ)ᵀA(x − μ) = −½xᵀAx + μᵀAx − ½μᵀAμ for symmetric A; the first term is "
    "shared by all classes and cancels.",
)

d.text(r"\textbf{Unequal variances.} Two classes with $\sigma_1 \ne \sigma_2$:")
s1, s2 = d.scalars("sigma1 sigma2", positive=True)
log_odds = log(prior[1] * normal(x, mu[1], s1) / (prior[2] * normal(x, mu[2], s2)))
d.equal(
    "curvature of the log-odds",
    Derivative(log_odds, x, 2),
    1 / s2**2 - 1 / s1**2,
    why="The x² terms no longer cancel.",
)
d.refute(
    "log-odds are not linear in x for unequal variances",
    Derivative(log_odds, x, 2),
    0,
    at={s1: 1, s2: 2, x: 0, mu: [0, 1], prior: [Rational(1, 2), Rational(1, 2)]},
    why="At σ₁ = 1, σ₂ = 2 the second derivative is 1/4 − 1 = −3/4 ≠ 0: the decision "
    "boundary is quadratic and the posterior is not a softmax of linear logits.",
)

if __name__ == "__main__":
    d.main()
