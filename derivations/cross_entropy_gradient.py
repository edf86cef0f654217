"""Cross-entropy keeps learning when it is wrong; squared error on softmax stops.

Why it matters (Goodfellow et al. §6.2.2.3, Nielsen ch. 3): the gradient of −log s_y with
respect to the logits is s − onehot(y), bounded in [−1, 1]. When the network is confidently
wrong — a wrong class wins by a growing margin g — the gradient on the true logit tends to
−1, the largest push available. The squared error ‖s − onehot(y)‖² has a gradient that
tends to 0 in the same situation: it saturates exactly when it should learn most.

For the limits the logits are: true class x, n − 1 other classes c_j, and the wrong winner
g → ∞ (n + 1 classes in all, n ≥ 1). Sums over the c_j do not move with g, so SymPy treats
them as positive constants and the limits hold for general n.
"""

from sympy import Derivative, KroneckerDelta, Sum, exp, log, oo

from whysoftmax import Derivation
from whysoftmax.definitions import SUM_INDEX, normaliser, softmax

d = Derivation(
    "cross_entropy_gradient",
    title="The cross-entropy gradient does not vanish; the squared error's does",
    sources=[
        ("goodfellow2016", "§6.2.2.3"),
        ("nielsen2015", "ch. 3"),
    ],
)
n = d.dimension("n")
z = d.vector("z", n, real=True)
y, k = d.indices("y k", n)
c = d.vector("c", n, real=True)
x = d.scalar("x", real=True)
g = d.scalar("g", real=True)
j = SUM_INDEX


def s(index):
    return softmax(z, index, n)


d.equal(
    "∂(−log s_y)/∂z_k = s_k − δ_yk",
    Derivative(-log(s(y)), z[k]),
    s(k) - KroneckerDelta(y, k),
    why="−log s_y = lse(z) − z_y, and ∂ lse/∂z_k = s_k.",
)
d.less("0 < s_k", 0, s(k), why="A ratio of positive numbers.")
d.by_rule("e^{z_k} ≤ Σ_j e^{z_j}", "<=", exp(z[k]), normaliser(z, n), rule="single term",
          premises=[], why="One term of a sum of positive terms is at most the sum.")
d.by_rule("s_k ≤ 1", "<=", s(k), 1, rule="positive combination",
          premises=["e^{z_k} ≤ Σ_j e^{z_j}"], using={"coefficients": [1 / normaliser(z, n)]},
          why="Divide by the positive normaliser.")
d.by_rule("e^{z_y} ≤ Σ_j e^{z_j}", "<=", exp(z[y]), normaliser(z, n), rule="single term",
          premises=[])
d.less("case k = y: −1 < s_y − 1", -1, s(y) - 1, why="s_y > 0.")
d.less("case k ≠ y: −1 < s_k", -1, s(k), why="s_k > 0.")
d.by_rule("−1 ≤ s_k − δ_yk", "<=", -1, s(k) - KroneckerDelta(y, k), rule="delta case split",
          premises=["case k = y: −1 < s_y − 1", "case k ≠ y: −1 < s_k"],
          why="For k = y the gradient is s_y − 1, for k ≠ y it is s_k.")
d.by_rule("case k = y: s_y − 1 ≤ 1", "<=", s(y) - 1, 1, rule="positive combination",
          premises=["e^{z_y} ≤ Σ_j e^{z_j}"], using={"coefficients": [1 / normaliser(z, n)]})
d.by_rule("s_k − δ_yk ≤ 1", "<=", s(k) - KroneckerDelta(y, k), 1, rule="delta case split",
          premises=["case k = y: s_y − 1 ≤ 1", "s_k ≤ 1"])

d.text(r"\textbf{Saturated on a wrong class.} Logits: $x$ (true), $c_1..c_{n-1}$, $g$ (wrong).")
normaliser = exp(x) + Sum(exp(c[j]), (j, 1, n - 1)) + exp(g)
p_true = exp(x) / normaliser
p_wrong = exp(g) / normaliser
cross_entropy = -log(p_true)
squared_error = (p_true - 1) ** 2 + Sum((exp(c[j]) / normaliser) ** 2, (j, 1, n - 1)) + p_wrong**2
d.equal(
    "CE gradient on the true logit",
    Derivative(cross_entropy, x),
    p_true - 1,
    why="The k = y component of s − onehot(y).",
)
d.limit(
    "CE gradient → −1 as the wrong class wins",
    Derivative(cross_entropy, x),
    g,
    oo,
    -1,
    why="s_true → 0, so s_true − 1 → −1: the full unit push on the true logit.",
)
d.limit(
    "MSE gradient → 0 as the wrong class wins",
    Derivative(squared_error, x),
    g,
    oo,
    0,
    why="Every term of ∂‖s − e_y‖²/∂x carries a factor s_true → 0: the loss is near its "
    "maximum 2, yet its gradient vanishes.",
)
d.limit(
    "the squared error itself → 2",
    squared_error,
    g,
    oo,
    2,
    why="(0 − 1)² + 1²: the loss is as large as it gets while its gradient is 0.",
)

if __name__ == "__main__":
    d.main()
