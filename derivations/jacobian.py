"""The Jacobian of softmax, for vectors of any length n.

Why it matters: every gradient through a softmax layer is a product with this matrix, and
its form diag(s) − s sᵀ is what makes the cross-entropy gradient collapse to s − onehot(y).
"""

from sympy import Derivative, KroneckerDelta, Sum

from whysoftmax import Derivation
from whysoftmax.definitions import SUM_INDEX, softmax

d = Derivation(
    "jacobian",
    title="The Jacobian of softmax",
    sources=[
        ("goodfellow2016", "§6.2.2.3"),
        ("bishop2006", "eq. 4.106"),
    ],
)
n = d.dimension("n")
z = d.vector("z", n, real=True)
i, k = d.indices("i k", n)


def s(a):
    """Component a of softmax(z)."""
    return softmax(z, a, n)


def jacobian_entry(row, col):
    """The claimed entry J[row, col] = s_row (δ_row,col − s_col)."""
    return s(row) * (KroneckerDelta(row, col) - s(col))


d.text(
    r"Write $s_i = e^{z_i} / \sum_{j=1}^{n} e^{z_j}$. Differentiate with the quotient rule; "
    r"the only subtle point is that $\partial/\partial z_k$ of the normaliser "
    r"$\sum_j e^{z_j}$ is $e^{z_k}$, because exactly one term of the sum depends on $z_k$."
)
d.equal(
    "jacobian",
    Derivative(s(i), z[k]),
    jacobian_entry(i, k),
    why="Quotient rule: ∂e^{z_i}/∂z_k = δ_ik e^{z_i} and ∂(Σ_j e^{z_j})/∂z_k = e^{z_k}.",
)
d.equal(
    "diagonal",
    Derivative(s(i), z[i]),
    s(i) * (1 - s(i)),
    why="Set k = i: δ_ii = 1. The diagonal has the same form as the sigmoid's derivative.",
)
d.equal(
    "symmetric",
    jacobian_entry(i, k),
    jacobian_entry(k, i),
    why="δ_ik is symmetric and s_i s_k is symmetric, so J = Jᵀ.",
)
d.equal(
    "rows sum to zero",
    Sum(jacobian_entry(i, SUM_INDEX), (SUM_INDEX, 1, n)),
    0,
    why="Σ_k s_i(δ_ik − s_k) = s_i − s_i Σ_k s_k = s_i − s_i = 0: softmax outputs always sum "
    "to one, so no change of z moves their total.",
)
d.text(
    r"In matrix form, $(\operatorname{diag}(s))_{ik} = s_i\delta_{ik}$ and "
    r"$(s s^\top)_{ik} = s_i s_k$, so entry by entry:"
)
d.equal(
    "matrix form",
    Derivative(s(i), z[k]),
    s(i) * KroneckerDelta(i, k) - s(i) * s(k),
    why="J = diag(s) − s sᵀ, the (i, k) entry of each side.",
)

if __name__ == "__main__":
    d.main()
