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
        ("blanchard2021", "Algorithms 2 and 3"),
        ("knuth1997", "§4.2.2 (TwoSum)"),
        ("rump2008", "ExtractScalar"),
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

# -- identities for issue 11 (numeric) --
# The array kernel shifts by a c for which z_j − c is exact, computes the arg max term
# e^{M−c} once in double-double, and the derived functions avoid every cancellation:
# these are the forms they evaluate (arg max last, z_n = M, as above).
c = d.scalar("c", real=True)
lam = d.scalar("lambda", positive=True)
w = d.vector("w", n, real=True)
b = d.vector("b", n, positive=True)
shifted = Sum(exp(z[j] - c), (j, 1, n - 1))  # T: the exactly shifted terms, arg max out
top = exp(M - c)  # E: the arg max term, once per slice
d.equal(
    "softmax with an exact shift",
    exp(z[i]) / normaliser_last,
    exp(z[i] - c) / (top + shifted),
    why="Divide by e^c, for any real c. The kernel takes c = 0 (0 ≤ M ≤ 708 − log 4n), "
    "c = ⌊M⌋ (M ≤ −½ or M ≥ 1491) or c = −2^⌈log₂(−M)⌉ (−½ < M < 0): then every z_j − c "
    "is exact (Sterbenz; gaps beyond 745 underflow), so no error of z_j − M reaches exp.",
)
d.equal(
    "log-sum-exp with an exact shift",
    log(normaliser_last),
    M + log1p(shifted / top),
    why="lse(z) = M + log1p(T/E) with T = Σ_{j≠k} e^{z_j − c}, E = e^{M−c}: the same exact "
    "terms as softmax, and log1p keeps T/E's digits.",
)
d.equal(
    "log-softmax with an exact shift",
    log(exp(z[i]) / normaliser_last),
    (z[i] - M) - log1p(shifted / top),
    why="log of softmax with an exact shift.",
)
d.equal(
    "log-softmax as z minus lse, with an exact shift",
    log(exp(z[i]) / normaliser_last),
    z[i] - (M + log1p(shifted / top)),
    why="z_i minus the log-sum-exp above: one subtraction per entry once a row's lse is "
    "formed (the float32 log-softmax, where rounding M + log1p(T/E) costs < 2^-32 of the result).",
)
d.equal(
    "one minus softmax",
    1 - exp(M) / normaliser_last,
    Sum(exp(z[j]), (j, 1, n - 1)) / normaliser_last,
    why="1 − s_k = Σ_{j≠k} s_j: the Jacobian's diagonal s_k(1 − s_k) and the gradient's "
    "s_y − 1 at a confident target, without the cancellation of 1 − s_k when s_k ≈ 1.",
)
d.equal(
    "Jacobian-vector product, centred at the arg max",
    v[i] - Sum(s(j) * v[j], (j, 1, n)),
    (v[i] - v[k]) - Sum(s(j) * (v[j] - v[k]), (j, 1, n)),
    why="Σ_j s_j = 1, so ⟨s, v⟩ = v_k + Σ_j s_j (v_j − v_k) for any k; with k the arg max the "
    "small difference v_k − ⟨s, v⟩ is a sum of small terms, not a cancellation.",
)
d.equal(
    "weighted log-sum-exp",
    log(Sum(b[j] * exp(z[j]), (j, 1, n - 1)) + b[n] * exp(M)),
    M + log1p((b[n] - 1) + Sum(b[j] * exp(z[j] - M), (j, 1, n - 1))),
    why="logsumexp(a, b) through the log1p path of the unweighted one (b = 1 gives it back): "
    "a sum 1 + tiny keeps its tiny part. Proven for b > 0; a negative sum is "
    "−e^M(1 + D) with D = −(b_k − 1) − … − 2, the sign returned apart.",
)
d.equal(
    "sparsemax threshold from the gaps",
    (Sum(w[j], (j, 1, k)) - 1) / k,
    w[1] - (Sum(w[1] - w[j], (j, 1, k)) + 1) / k,
    why="w sorted decreasingly: τ = w_1 − (1 + Σ_{r≤k} g_r)/k with the gaps g_r = w_1 − w_r, "
    "so p_i = (z_i − w_1) + (1 + Σ g_r)/k needs no sum of 1e308's.",
)
d.equal(
    "sparsemax support test from the gaps",
    1 + k * w[k] - Sum(w[j], (j, 1, k)),
    1 + Sum(w[1] - w[j], (j, 1, k)) - k * (w[1] - w[k]),
    why="The support test 1 + k w_k > Σ_{r≤k} w_r in terms of the gaps.",
)
d.equal(
    "spherical softmax, rescaled",
    (z[i] ** 2 + eps) / Sum(z[j] ** 2 + eps, (j, 1, n)),
    ((lam * z[i]) ** 2 + lam**2 * eps) / Sum((lam * z[j]) ** 2 + lam**2 * eps, (j, 1, n)),
    why="λ = 2^-e with 2^e ≥ max|z|: no square of a 1e308 overflows, and scaling by a power "
    "of two is exact.",
)
d.equal(
    "Taylor softmax, rescaled",
    ((z[i] + 1) ** 2 + 1) / Sum((z[j] + 1) ** 2 + 1, (j, 1, n)),
    ((lam * (z[i] + 1)) ** 2 + lam**2) / Sum((lam * (z[j] + 1)) ** 2 + lam**2, (j, 1, n)),
    why="As for spherical softmax; ((z + 1)² + 1)/2 = 1 + z + z²/2 (spherical_and_taylor).",
)
d.equal(
    "sum normalisation, rescaled",
    b[i] / Sum(b[j], (j, 1, n)),
    (lam * b[i]) / Sum(lam * b[j], (j, 1, n)),
    why="The sum of 1e308's overflows; the sum of 2^-1024 times them does not. (Stated for "
    "positive entries, where the sum cannot vanish; for any z it holds wherever z_i/Σz is "
    "defined, and the kernel returns NaN where Σz = 0.)",
)

if __name__ == "__main__":
    d.main()
