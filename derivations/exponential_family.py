"""Softmax is not a design choice: it is the inverse link of the categorical distribution.

Why it matters: writing the categorical pmf as an exponential family yields softmax as
the map from natural parameters to probabilities, log-sum-exp as the log-partition
function, and the softmax Jacobian as the covariance of the sufficient statistic — hence
positive semidefinite, hence log-sum-exp and the cross-entropy loss are convex.
"""

from sympy import Derivative, Dummy, KroneckerDelta, Sum, exp, log

from whysoftmax import Derivation
from whysoftmax.definitions import SUM_INDEX, log_sum_exp, softmax

d = Derivation(
    "exponential_family",
    title="Softmax from the multinomial exponential family",
    sources=[
        ("ng_cs229", "§9.3"),
        ("wainwright2008", "Prop. 3.1"),
        ("boyd2004", "§3.1.4 and §3.1.5"),
    ],
)
K = d.dimension("K")
phi = d.vector("phi", K, positive=True)
eta = d.vector("eta", K, real=True)
v = d.vector("v", K, real=True)
a_vec = d.vector("a", K, real=True)
b_vec = d.vector("b", K, real=True)
y, i, k = d.indices("y i k", K)
u = d.scalar("u", positive=True)
j = SUM_INDEX


def s(index, logits=eta):
    """Component ``index`` of softmax(logits)."""
    return softmax(logits, index, K)


d.text(
    r"The categorical distribution on $\{1, \dots, K\}$ has $p(y) = \prod_i \phi_i^{1[y=i]}$ "
    r"with $\phi_i > 0$ and $\sum_i \phi_i = 1$. Choose natural parameters "
    r"$\eta_i = \log(\phi_i/\phi_K)$ (so $\eta_K = 0$), sufficient statistic "
    r"$T(y)_i = 1[y = i]$, and $a(\eta) = -\log \phi_K$."
)
d.equal(
    "exponential-family form",
    exp(Sum(KroneckerDelta(j, y) * log(phi[j] / phi[K]), (j, 1, K)) - (-log(phi[K]))),
    phi[y],
    why="ηᵀT(y) = Σ_i 1[y = i] log(φ_i/φ_K) = log(φ_y/φ_K); adding log φ_K gives log φ_y.",
)
d.equal(
    "invert the link",
    phi[K] * exp(log(phi[i] / phi[K])),
    phi[i],
    why="η_i = log(φ_i/φ_K) gives φ_i = φ_K e^{η_i}.",
)
d.equal(
    "normalisation fixes φ_K",
    Sum(exp(eta[j]) / Sum(exp(eta[j]), (j, 1, K)), (j, 1, K)),
    1,
    why="Σ_i φ_i = φ_K Σ_i e^{η_i} = 1 holds exactly for φ_K = 1/Σ_j e^{η_j}.",
)
d.equal(
    "φ is softmax(η)",
    (1 / Sum(exp(eta[j]), (j, 1, K))) * exp(eta[i]),
    s(i),
    why="φ_i = φ_K e^{η_i} with that φ_K: the response function is softmax.",
)
d.equal(
    "log-partition is log-sum-exp",
    -log(1 / Sum(exp(eta[j]), (j, 1, K))),
    log_sum_exp(eta, K),
    why="a(η) = −log φ_K.",
)
d.text(r"The derivatives of the log-partition function are the moments of $T(y)$:")
d.equal(
    "∇a = softmax",
    Derivative(log_sum_exp(eta, K), eta[k]),
    s(k),
    why="∂/∂η_k log Σ_j e^{η_j} = e^{η_k}/Σ_j e^{η_j}.",
)
d.equal(
    "softmax = E[T(y)]",
    Sum(s(j) * KroneckerDelta(k, j), (j, 1, K)),
    s(k),
    why="E[1[y = k]] = Σ_y p(y) 1[y = k] = p(k).",
)
d.equal(
    "∇²a = diag(p) − ppᵀ",
    Derivative(log_sum_exp(eta, K), eta[i], eta[k]),
    s(i) * KroneckerDelta(i, k) - s(i) * s(k),
    why="Differentiate ∇a = softmax once more: the softmax Jacobian (see jacobian).",
)
d.equal(
    "Cov[T(y)] = diag(p) − ppᵀ",
    Sum(s(j) * KroneckerDelta(i, j) * KroneckerDelta(k, j), (j, 1, K)) - s(i) * s(k),
    s(i) * KroneckerDelta(i, k) - s(i) * s(k),
    why="E[T_i T_k] − E[T_i] E[T_k] with T_i T_k = 1[y = i] 1[y = k] = δ_ik 1[y = i].",
)
d.text(
    r"A covariance matrix is positive semidefinite: for every $v$, $v^\top(\operatorname{diag}"
    r"(p) - pp^\top)v$ is the variance of $v_y$ under $y \sim p$."
)
quadratic_form = Sum(s(j) * v[j] ** 2, (j, 1, K)) - Sum(s(j) * v[j], (j, 1, K)) ** 2
mean_v = Sum(s(j) * v[j], (j, 1, K))
d.equal(
    "vᵀ(diag(p) − ppᵀ)v is a variance",
    quadratic_form,
    Sum(s(i) * (v[i] - mean_v) ** 2, (i, 1, K)),
    why="Expand the square and use Σ_i p_i = 1.",
)
variance = Sum(s(i) * (v[i] - mean_v) ** 2, (i, 1, K))
p, r = (Dummy(c, integer=True, positive=True) for c in "pr")
hessian_form = Sum(Sum(v[p] * (s(p) * KroneckerDelta(p, r) - s(p) * s(r)) * v[r], (r, 1, K)),
                   (p, 1, K))
d.chain(
    "∇²a is positive semidefinite",
    0,
    ("<=", variance, "a sum of non-negative terms p_i (v_i − E v)²"),
    ("=", quadratic_form, "the variance, expanded"),
    ("=", hessian_form, "Σ_i Σ_k v_i (p_i δ_ik − p_i p_k) v_k: the delta keeps k = i"),
)
d.text(
    r"A twice-differentiable function on $\mathbb{R}^K$ with a positive semidefinite "
    r"Hessian is convex (Boyd \& Vandenberghe §3.1.4). With $t = 1/(1+u) \in (0, 1)$:"
)
t = 1 / (1 + u)
d.by_rule(
    "log-sum-exp is convex",
    "<=",
    log(Sum(exp(t * a_vec[j] + (1 - t) * b_vec[j]), (j, 1, K))),
    t * log_sum_exp(a_vec, K) + (1 - t) * log_sum_exp(b_vec, K),
    rule="second-order convexity",
    premises=["∇²a = diag(p) − ppᵀ", "∇²a is positive semidefinite"],
    using={"F": log_sum_exp(eta, K), "vector": eta, "a": a_vec, "b": b_vec, "t": t, "v": v},
)
d.equal(
    "cross-entropy is lse minus a linear term",
    -log(s(y)),
    log_sum_exp(eta, K) - eta[y],
    why="−log p_y = log Σ_j e^{η_j} − η_y.",
)
d.by_rule(
    "cross-entropy is convex in the logits",
    "<=",
    -log(softmax(lambda q: t * a_vec[q] + (1 - t) * b_vec[q], y, K)),
    t * -log(softmax(a_vec, y, K)) + (1 - t) * -log(softmax(b_vec, y, K)),
    rule="positive combination",
    premises=["log-sum-exp is convex"],
    why="−log p_y is log-sum-exp minus the linear η_y, and a linear term keeps the chord "
    "inequality: the same inequality, term by term.",
)

if __name__ == "__main__":
    d.main()
