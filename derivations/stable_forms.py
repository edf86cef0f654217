"""The forms whysoftmax.numeric computes, each proven equal to the textbook definition.

Why it matters: float code cannot use the definitions as written — e^{z_i} overflows,
log(Σ e^{z_j}) rounds 1 + tiny to 1, and the rounding of z_i − max z is amplified by
exp. The kernels use the forms below instead (Blanchard, Higham & Higham 2021); this file
is their provenance: every form the float64 code evaluates is proven here for general n.

As in log_softmax, the arg max is placed last (z_n = M) by relabelling.
"""

from sympy import Derivative, KroneckerDelta, Sum, Symbol, exp, log, oo
from sympy.codegen.cfunctions import log1p

from whysoftmax import Derivation
from whysoftmax.definitions import SUM_INDEX, log_sum_exp, sigmoid, softmax, vector_max

d = Derivation(
    "stable_forms",
    title="The stable forms the float code uses",
    sources=[
        "Blanchard, Higham & Higham 2021, Accurately computing the log-sum-exp and softmax "
        "functions, IMA J. Numer. Anal. 41(4), Algorithms 2 and 3",
        "Knuth 1997, TAOCP vol. 2, §4.2.2 (TwoSum); Rump, Ogita & Oishi 2008, SIAM J. Sci. "
        "Comput. 31(1) (ExtractScalar)",
    ],
)
n = d.dimension("n")
z = d.vector("z", n, real=True)
v = d.vector("v", n, real=True)
i, k, y = d.indices("i k y", n)
M = d.scalar("M", real=True)
s_ = d.scalar("s", real=True)
x = d.scalar("x", real=True)
p, e, rho = d.scalars("p e rho", positive=True)
S_hi = d.scalar("S_hi", positive=True)
eps = Symbol("epsilon", positive=True)
d.scalar_symbols.add(eps)
j = SUM_INDEX


def s(index):
    return softmax(z, index, n)


others = Sum(exp(z[j] - M), (j, 1, n - 1))  # Σ_{j≠k} e^{z_j − m}, arg max last
normaliser_last = Sum(exp(z[j]), (j, 1, n - 1)) + exp(M)

d.equal(
    "max-shifted softmax",
    exp(z[i] - vector_max(z, n)) / Sum(exp(z[j] - vector_max(z, n)), (j, 1, n)),
    s(i),
    why="Shift invariance with m = max z: every exponent is ≤ 0, nothing overflows.",
)
d.equal(
    "softmax with the arg max left out of the sum",
    exp(z[i]) / normaliser_last,
    exp(z[i] - M) / (1 + others),
    why="Divide by e^M; the arg max contributes exactly e^0 = 1.",
)
d.equal(
    "log-softmax with log1p",
    log(exp(z[i]) / normaliser_last),
    (z[i] - M) - log1p(others),
    why="log of the previous line; log1p(T) keeps T's digits where log(1 + T) loses them.",
)
d.equal(
    "log-sum-exp with log1p",
    log(normaliser_last),
    M + log1p(others),
    why="lse(z) = M + log(1 + Σ_{j≠k} e^{z_j − M}).",
)
d.equal(
    "log-sum-exp with log1p, any arg max",
    log_sum_exp(z, n),
    vector_max(z, n)
    + log1p(Sum(exp(z[j] - vector_max(z, n)), (j, 1, n)) - 1),
    why="lse(z) = m + log Σ_j e^{z_j − m} for any m; with m = max z the arg max term of the "
    "sum is e^0 = 1, which log1p keeps apart.",
)
d.limit(
    "TwoSum correction",
    (exp(s_ + eps) - exp(s_) * (1 + eps)) / eps**2,
    eps,
    0,
    exp(s_) / 2,
    why="z − m = s + e exactly (TwoSum) and exp(s + e) = exp(s)(1 + e) + O(e²): with "
    "|e| ≤ 2^-53 |s| the neglected term is below 2^-90 relative.",
)
d.equal(
    "softmax without a rounded denominator",
    p * (1 + e) / (S_hi * (1 + rho)),
    (p / S_hi) * (1 + e - rho) + (p / S_hi) * (rho**2 - e * rho) / (1 + rho),
    why="With S = S_hi(1 + ρ), S_hi exact: (p/S_hi)(1 + e − ρ) leaves out only the second-"
    "order term (ρ² − eρ)/(1 + ρ).",
)
d.equal(
    "Jacobian-vector product",
    Sum(s(i) * (KroneckerDelta(i, j) - s(j)) * v[j], (j, 1, n)),
    s(i) * (v[i] - Sum(s(j) * v[j], (j, 1, n))),
    why="J v = (diag(s) − s sᵀ) v = s ⊙ v − s ⟨s, v⟩: no n×n matrix.",
)
d.equal(
    "cross-entropy gradient",
    Derivative(-log(s(y)), z[k]),
    s(k) - KroneckerDelta(y, k),
    why="As in cross_entropy_gradient; computed as softmax minus one at the target.",
)
d.equal("sigmoid for x < 0", sigmoid(x), exp(x) / (1 + exp(x)), why="No e^{−x} overflow.")
d.equal(
    "log-sigmoid for x < 0",
    log(sigmoid(x)),
    x - log1p(exp(x)),
    why="log σ(x) = x − log(1 + e^x): no e^{−x} overflow.",
)
d.limit(
    "log-sigmoid needs no clipping",
    log(sigmoid(x)) - x,
    x,
    -oo,
    0,
    why="For x → −∞, log σ(x) = x − log1p(e^x) → x: exact to the last digit.",
)

if __name__ == "__main__":
    d.main()
