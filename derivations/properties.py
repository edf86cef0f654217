"""The property matrix: six ways to turn scores into probabilities, side by side.

Why it matters: it answers "why softmax?" at a glance — softmax is the only row with
every property but scale invariance, which it lacks on purpose: the size of the scores
is how it expresses confidence (see scale_and_shift). Every cell is a checked claim: a
proof, or a counterexample evaluated exactly; nothing is a hand-typed tick. The
Lipschitz and monotonicity columns come from the Lipschitz chapter.

Sparsemax (Martins & Astudillo 2016) is p_i = max(z_i − τ, 0) with τ chosen so that p
sums to 1; on its support (relabelled as the k largest entries) τ = (Σ_{j≤k} z_j − 1)/k
(their Prop. 1). Its general-n cells rest on that closed form; its differentiability cell
on the n = 2 closed form, which the algorithm itself yields in each case of a split on
q₁ − q₂.
"""

from sympy import (
    Abs,
    Derivative,
    KroneckerDelta,
    Lambda,
    Max,
    Min,
    Rational,
    Sum,
    exp,
    log,
    oo,
)

from whysoftmax import Derivation
from whysoftmax.definitions import (
    SUM_INDEX,
    SparsemaxEntry,
    normaliser,
    softmax,
    sparsemax,
    sum_normalize,
    vector_min,
)

ROWS = ["softmax", "sum normalisation", "min-shift normalisation", "spherical", "Taylor",
        "sparsemax"]
COLUMNS = ["sums to 1", "non-negative", "strictly positive", "defined on all of ℝⁿ",
           "shift invariant", "scale invariant", "order preserving", "differentiable",
           "−log p_y keeps a gradient when wrong"]

d = Derivation(
    "properties",
    title="The property matrix",
    sources=[
        ("martins2016", "Prop. 1 and §2"),
        ("debrebisson2016", ""),
        ("cv189331", ""),
    ],
)
n = d.dimension("n")
k = d.dimension("k")
z = d.vector("z", n, real=True)
pz = d.vector("p", n, positive=True)
cz = d.vector("c", n, real=True)
sz = d.vector("s", k, real=True)  # the k entries of sparsemax's support
i, y = d.indices("i y", n)
(r,) = d.indices("r", k)
eps = d.scalar("epsilon", positive=True)
t = d.scalar("t", real=True)
lam = d.scalar("lambda", positive=True)
a = d.scalar("a", real=True)
delta = d.scalar("delta", nonnegative=True)
w = d.scalar("w", nonnegative=True)
D = d.scalar("D", positive=True)
x = d.scalar("x", real=True)
g = d.scalar("g", real=True)
u, v = d.scalars("u v", positive=True)
j = SUM_INDEX
SM, SN, MS, SP, TA, SX = ROWS
SUM1, NONNEG, POS, DEFINED, SHIFT, SCALE, ORDER, DIFF, GRAD = COLUMNS
#: What a refutation of each property shows, as a statement (its step's name).
LACKS = dict(zip(COLUMNS, [
    "does not sum to 1", "can be negative", "is not strictly positive",
    "is not defined on all of ℝⁿ", "is not shift invariant", "is not scale invariant",
    "does not preserve order", "is not differentiable",
    "gives −log p_y no gradient when wrong"], strict=True))


def own(q):
    """Entry q of z itself."""
    return z[q]


def spherical(index, e=own):
    """Component ``index`` of the spherical softmax of the vector with entries e(q)."""
    return (e(index) ** 2 + eps) / Sum(e(j) ** 2 + eps, (j, 1, n))


def taylor_term(value):
    return 1 + value + value**2 / 2


def taylor(index, e=own):
    """Component ``index`` of the Taylor softmax of the vector with entries e(q)."""
    return taylor_term(e(index)) / Sum(taylor_term(e(j)), (j, 1, n))


def min_shift(index, shift=0, scale=1):
    low = vector_min(lambda q: scale * z[q] + shift, n)
    return (scale * z[index] + shift - low) / Sum(scale * z[j] + shift - low, (j, 1, n))


# -- softmax ------------------------------------------------------------------------------
s = lambda q: softmax(z, q, n)  # noqa: E731
d.equal(f"{SM}: {SUM1}", Sum(s(j), (j, 1, n)), 1, cell=(SM, SUM1))
d.less(f"{SM}: {POS}", 0, s(i), cell=(SM, POS))
d.by_rule(f"{SM}: {NONNEG}", "<=", 0, s(i), rule="weakening", premises=[f"{SM}: {POS}"],
          cell=(SM, NONNEG))
d.less(f"{SM}: {DEFINED}", 0, normaliser(z, n), why="its only denominator is positive",
       cell=(SM, DEFINED))
d.equal(f"{SM}: {SHIFT}", softmax(lambda q: z[q] + t, i, n), s(i), cell=(SM, SHIFT))
d.refute(f"{SM} {LACKS[SCALE]}", softmax(lambda q: 10 * z[q], i, n), s(i), at={z: [1, 2], i: 1},
         cell=(SM, SCALE))
d.less_equal(
    f"{SM}: {ORDER}", exp(z[i]) / normaliser(z, n), exp(z[i] + delta) / normaliser(z, n),
    substitute={delta: log(1 + w)},
    why="an entry z_k = z_i + δ (δ ≥ 0) shares the normaliser: s_k = e^δ s_i ≥ s_i",
    cell=(SM, ORDER),
)
d.equal(f"{SM}: {DIFF}", Derivative(s(i), z[y]), s(i) * (KroneckerDelta(i, y) - s(y)),
        why="the Jacobian exists everywhere (see jacobian)", cell=(SM, DIFF))
ce_normaliser = exp(x) + Sum(exp(cz[j]), (j, 1, n - 1)) + exp(g)
d.limit(f"{SM}: {GRAD}", Derivative(-log(exp(x) / ce_normaliser), x), g, oo, -1,
        why="the true logit's gradient → −1 as a wrong class wins (cross_entropy_gradient)",
        cell=(SM, GRAD))

# -- sum normalisation --------------------------------------------------------------------
sn = lambda q: sum_normalize(z, q, n)  # noqa: E731
d.equal(f"{SN}: {SUM1}", Sum(sn(j), (j, 1, n)), 1, why="wherever Σz ≠ 0", cell=(SN, SUM1))
d.refute(f"{SN} {LACKS[NONNEG]}", 0, sn(i), claim="<=", at={z: [-1, 3], i: 1}, cell=(SN, NONNEG))
d.refute(f"{SN} {LACKS[POS]}", 0, sn(i), claim="<", at={z: [0, 1], i: 1}, cell=(SN, POS))
d.refute(f"{SN} {LACKS[DEFINED]}", sn(i), claim="defined", at={z: [-2, -1, 1, 2], i: 1},
         cell=(SN, DEFINED))
d.refute(f"{SN} {LACKS[SHIFT]}", sum_normalize(lambda q: z[q] + 1, i, n), sn(i),
         at={z: [1, 2], i: 1}, cell=(SN, SHIFT))
d.equal(f"{SN}: {SCALE}", sum_normalize(lambda q: lam * z[q], i, n), sn(i), cell=(SN, SCALE))
d.refute(f"{SN} {LACKS[ORDER]}", sum_normalize(z, 2, n), sum_normalize(z, 1, n), claim="<=",
         at={z: [1, -3]}, why="z₂ < z₁ but p₂ = 3/2 > p₁ = −1/2", cell=(SN, ORDER))
d.refute(f"{SN} {LACKS[DIFF]}", sn(i), claim="defined", at={z: [-2, -1, 1, 2], i: 1},
         why="not even defined where Σz = 0", cell=(SN, DIFF))
sn_normaliser = x + Sum(pz[j], (j, 1, n - 1)) + g
d.limit(f"{SN}: {GRAD}", Derivative(-log(x / sn_normaliser), x), g, oo, -1 / x,
        why="for positive inputs: −1/x + 1/Σ → −1/x ≠ 0 as a wrong class grows",
        cell=(SN, GRAD))

# -- min-shift normalisation --------------------------------------------------------------
d.equal(f"{MS}: {SUM1}", Sum(min_shift(j), (j, 1, n)), 1, why="wherever not all equal",
        cell=(MS, SUM1))
d.less_equal(f"{MS}: {NONNEG}", 0, min_shift(i),
             why="every entry is min z + δ with δ ≥ 0, over a total of such terms",
             cell=(MS, NONNEG))
d.refute(f"{MS} {LACKS[POS]}", 0, min_shift(i), claim="<", at={z: [1, 2, 3], i: 1}, cell=(MS, POS))
d.refute(f"{MS} {LACKS[DEFINED]}", min_shift(i), claim="defined", at={z: [1, 1], i: 1},
         why="0/0 when all entries are equal", cell=(MS, DEFINED))
d.equal(f"{MS}: {SHIFT}", min_shift(i, shift=t), min_shift(i), cell=(MS, SHIFT))
d.equal(f"{MS}: {SCALE}", min_shift(i, scale=lam), min_shift(i), cell=(MS, SCALE))
low = vector_min(z, n)
d.less_equal(f"{MS}: {ORDER}", (z[i] - low) / Sum(z[j] - low, (j, 1, n)),
             (z[i] + delta - low) / Sum(z[j] - low, (j, 1, n)),
             why="an entry z_k = z_i + δ (δ ≥ 0) shares the minimum and the positive total",
             cell=(MS, ORDER))
h = d.scalar("h", real=True)


def tie(first):
    """Class 1 of min-shift normalisation at z = (first, 0, 1): a tie for the minimum at 0."""
    low = Min(first, 0)
    return (first - low) / (first - low + (0 - low) + (1 - low))


d.equal("min-shift at z = (u, 0, 1), u > 0", tie(u), u / (u + 1))
d.equal("min-shift at z = (−u, 0, 1), u > 0", tie(-u), 0)
d.refute(
    f"{MS} {LACKS[DIFF]}", Derivative(h / (h + 1), h), Derivative(0 * h, h), at={h: 0},
    why="at the tie z₁ = 0 the right derivative of p₁ is 1 and the left one 0",
    premises=["min-shift at z = (u, 0, 1), u > 0", "min-shift at z = (−u, 0, 1), u > 0"],
    cell=(MS, DIFF),
)
d.refute(f"{MS} {LACKS[GRAD]}", -log(min_shift(y)), claim="defined", at={z: [1, 2, 3], y: 1},
         why="the arg-min class has p_y = 0: −log p_y is infinite", cell=(MS, GRAD))

# -- spherical ----------------------------------------------------------------------------
d.equal(f"{SP}: {SUM1}", Sum(spherical(j), (j, 1, n)), 1, cell=(SP, SUM1))
d.less(f"{SP}: {POS}", 0, spherical(i), cell=(SP, POS))
d.by_rule(f"{SP}: {NONNEG}", "<=", 0, spherical(i), rule="weakening",
          premises=[f"{SP}: {POS}"], cell=(SP, NONNEG))
d.less(f"{SP}: {DEFINED}", 0, Sum(z[j] ** 2 + eps, (j, 1, n)), cell=(SP, DEFINED))
d.refute(f"{SP} {LACKS[SHIFT]}", spherical(i, lambda q: z[q] + 1), spherical(i),
         at={z: [0, 1], i: 1, eps: 1}, cell=(SP, SHIFT))
d.refute(f"{SP} {LACKS[SCALE]}", spherical(i, lambda q: 2 * z[q]), spherical(i),
         at={z: [0, 1], i: 1, eps: 1}, why="at ε > 0; scale invariant only at ε = 0",
         cell=(SP, SCALE))
d.refute(f"{SP} {LACKS[ORDER]}", spherical(1), spherical(2), claim="<=",
         at={z: [-2, 1], eps: 1}, why="z₁ < z₂ but z₁² > z₂²", cell=(SP, ORDER))
d.equal(f"{SP}: {DIFF}", Derivative(spherical(i), z[y]),
        2 * z[y] * (KroneckerDelta(i, y) - spherical(i)) / Sum(z[j] ** 2 + eps, (j, 1, n)),
        why="the Jacobian exists everywhere: its denominator is ≥ nε > 0", cell=(SP, DIFF))
d.refute(f"{SP} {LACKS[GRAD]}", 0, Abs(Derivative(-log(spherical(y)), z[1])), claim="<",
         at={z: [0, 10], y: 1, eps: 1}, why="a true logit at 0 gets no gradient, however "
         "wrong the prediction", cell=(SP, GRAD))

# -- Taylor -------------------------------------------------------------------------------
d.equal(f"{TA}: {SUM1}", Sum(taylor(j), (j, 1, n)), 1, cell=(TA, SUM1))
d.less(f"{TA}: {POS}", 0, taylor(i), why="1 + z + z²/2 = ((z + 1)² + 1)/2 > 0",
       cell=(TA, POS))
d.by_rule(f"{TA}: {NONNEG}", "<=", 0, taylor(i), rule="weakening",
          premises=[f"{TA}: {POS}"], cell=(TA, NONNEG))
d.less(f"{TA}: {DEFINED}", 0, Sum(taylor_term(z[j]), (j, 1, n)),
       why="a sum of positive terms", cell=(TA, DEFINED))
d.refute(f"{TA} {LACKS[SHIFT]}", taylor(i, lambda q: z[q] + 1), taylor(i), at={z: [0, 1], i: 1},
         cell=(TA, SHIFT))
d.refute(f"{TA} {LACKS[SCALE]}", taylor(i, lambda q: 10 * z[q]), taylor(i), at={z: [1, 2], i: 1},
         cell=(TA, SCALE))
d.refute(f"{TA} {LACKS[ORDER]}", taylor(1), taylor(2), claim="<=", at={z: [-3, -1]},
         why="z₁ < z₂ but 1 + z + z²/2 is 2.5 at −3 and 0.5 at −1", cell=(TA, ORDER))
d.equal(f"{TA}: {DIFF}", Derivative(taylor(i), z[y]),
        (1 + z[y]) * (KroneckerDelta(i, y) - taylor(i)) / Sum(taylor_term(z[j]), (j, 1, n)),
        why="the Jacobian exists everywhere: its denominator is positive", cell=(TA, DIFF))
d.refute(f"{TA} {LACKS[GRAD]}", 0, Abs(Derivative(-log(taylor(y)), z[1])), claim="<",
         at={z: [-1, 10], y: 1}, why="at a true logit of −1 the gradient is 0", cell=(TA, GRAD))

# -- sparsemax ----------------------------------------------------------------------------
sx = lambda q: sparsemax(z, q, n)  # noqa: E731
tau = (Sum(sz[j], (j, 1, k)) - 1) / k
CLOSED_FORM = "sparsemax's closed form on its support (Martins & Astudillo 2016, Prop. 1)"
d.text(r"Sparsemax on its support of size $k$: $p_r = s_r - \tau$, "
       r"$\tau = (\sum_{j \le k} s_j - 1)/k$, and $p_i = 0$ off it (Martins \& Astudillo "
       r"2016, Prop.~1). The kernel checks the algebra of this closed form; that the algorithm "
       r"yields it for every $n$ is their proposition, recorded here, so the general-$n$ "
       r"cells that rest on it are \emph{argued} (and checked numerically).")
d.equal("sparsemax support sums to 1", Sum(sz[j] - tau, (j, 1, k)), 1)
d.by_rule(f"{SX}: {SUM1}", "=", Sum(sx(j), (j, 1, n)), 1, rule=CLOSED_FORM,
          premises=["sparsemax support sums to 1"], cell=(SX, SUM1))
d.less_equal("max(x, 0) ≥ 0", 0, Max(x, 0))
d.by_rule(f"{SX}: {NONNEG}", "<=", 0, sx(i), rule=CLOSED_FORM,
          premises=["max(x, 0) ≥ 0"], cell=(SX, NONNEG))
d.refute(f"{SX} {LACKS[POS]}", 0, sx(i), claim="<", at={z: [0, 10], i: 1}, cell=(SX, POS))
d.by_rule(f"{SX}: {DEFINED}", "=", Sum(sx(j), (j, 1, n)), 1, rule=CLOSED_FORM,
          premises=["sparsemax support sums to 1"], cell=(SX, DEFINED))
d.equal("τ(z + t) = τ(z) + t", (Sum(sz[j] + t, (j, 1, k)) - 1) / k, tau + t)
d.by_rule(f"{SX}: {SHIFT}", "=", sparsemax(lambda q: z[q] + t, i, n), sparsemax(z, i, n),
          rule=CLOSED_FORM, premises=["τ(z + t) = τ(z) + t"], cell=(SX, SHIFT))
d.refute(f"{SX} {LACKS[SCALE]}", sparsemax(lambda q: 4 * z[q], 1, n), sparsemax(z, 1, n),
         at={z: [0, Rational(1, 2)]}, why="[0, 1/2] ↦ [1/4, 3/4] but [0, 2] ↦ [0, 1]",
         cell=(SX, SCALE))
d.less_equal("x ≤ x + δ", x, x + delta)
d.by_rule("max(x, 0) ≤ max(x + δ, 0)", "<=", Max(x, 0), Max(x + delta, 0), rule="increasing",
          premises=["x ≤ x + δ"], using={"f": Lambda(g, Max(g, 0))},
          why="t ↦ max(t, 0) is continuous with derivative 0 or 1: non-decreasing.")
d.by_rule(f"{SX}: {ORDER}", "<=", sx(i),
          sparsemax(lambda q: z[q] + delta * KroneckerDelta(q, i), i, n), rule=CLOSED_FORM,
          premises=["max(x, 0) ≤ max(x + δ, 0)"],
          why="raising z_i by δ ≥ 0 cannot lower p_i = max(z_i − τ, 0)", cell=(SX, ORDER))
two = d.vector("q", 2, real=True)
q1, q2 = two[1], two[2]
d.text(r"For $n = 2$, sparsemax depends on $d = q_1 - q_2$ only. A case split on $d$ makes "
       r"every comparison of the algorithm decidable, so SymPy runs it on the symbols, and "
       r"the five cases cover $\mathbb{R}$:")
closed = Max(0, Min(1, (q1 - q2 + 1) / 2))
CASES = [
    ("d ≥ 1", q2 + 1 + w),
    ("0 < d < 1", q2 + u / (1 + u)),
    ("d = 0", q2),
    ("−1 < d < 0", q2 - u / (1 + u)),
    ("d ≤ −1", q2 - 1 - w),
]
for case, entry in CASES:
    d.equal(f"sparsemax for n = 2, case {case}", SparsemaxEntry(1, entry, q2),
            closed.subs(q1, entry),
            why="the algorithm, run on q₂ + d and q₂ (u > 0, w ≥ 0 give the case's d)")
d.by_rule("sparsemax for n = 2", "=", SparsemaxEntry(1, q1, q2), closed,
          rule="interval case split",
          premises=[f"sparsemax for n = 2, case {c}" for c, _ in CASES],
          using={"variable": q1, "around": q2, "cases": [e for _, e in CASES]},
          why="projection of (q₁, q₂) onto the segment p₁ + p₂ = 1, 0 ≤ p ≤ 1")


def clip(difference):
    """sparsemax([q₁, q₂])₁ as a function of q₁ − q₂."""
    return Max(0, Min(1, (difference + 1) / 2))


d.equal("n = 2, just right of the kink", clip(-1 + 2 / (1 + u)), 1 / (1 + u),
        why="q₁ − q₂ = −1 + e with e = 2/(1 + u) ∈ (0, 2): p₁ = e/2, slope 1/2")
d.equal("n = 2, left of the kink", clip(-1 - u), 0, why="q₁ − q₂ < −1: p₁ = 0, slope 0")
d.refute(f"{SX} {LACKS[DIFF]}", Derivative((h + 1) / 2, h), Derivative(0 * h, h), at={h: -1},
         why="at q₁ − q₂ = −1 the right derivative is 1/2 and the left one 0",
         premises=["sparsemax for n = 2", "n = 2, just right of the kink",
                   "n = 2, left of the kink"], cell=(SX, DIFF))
d.refute(f"{SX} {LACKS[GRAD]}", -log(sx(y)), claim="defined", at={z: [0, 10], y: 1},
         why="a confidently wrong sparsemax gives the true class p_y = 0", cell=(SX, GRAD))

if __name__ == "__main__":
    d.main()
