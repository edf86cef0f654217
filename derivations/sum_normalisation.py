"""What goes wrong when logits are simply divided by their sum.

Why it matters: logits are arbitrary real numbers. Dividing by their sum is undefined when
the sum is zero, gives negative "probabilities" for mixed signs, and the usual fix
(subtract the minimum first) forces the least likely class to probability exactly 0.
Its cross-entropy gradient blows up as a logit approaches 0 instead of staying in [−1, 1].
"""

from sympy import Derivative, KroneckerDelta, Sum, log

from whysoftmax import Derivation
from whysoftmax.definitions import SUM_INDEX, sum_normalize, vector_min, vector_sum

d = Derivation(
    "sum_normalisation",
    title="The trouble with dividing by the sum",
    sources=[
        ("cv189331", "comments"),
    ],
)
n = d.dimension("n")
z = d.vector("z", n, real=True)
p = d.vector("p", n, positive=True)
y, k = d.indices("y k", n)
(i,) = d.indices("i", n)
j = SUM_INDEX

d.refute(
    "z / Σz is not defined on all of ℝⁿ",
    sum_normalize(z, i, n),
    claim="defined",
    at={z: [-2, -1, 1, 2], i: 1},
    why="Σz = −2 − 1 + 1 + 2 = 0.",
)
d.refute(
    "z / Σz can be negative",
    0,
    sum_normalize(z, i, n),
    claim="<=",
    at={z: [-1, 3], i: 1},
    why="A negative entry gives a negative 'probability' (values below).",
)
d.text(
    r"Subtracting the minimum $m = \min_j z_j$ first makes every entry non-negative, but "
    r"the class that attains the minimum always gets probability exactly zero:"
)
d.refute(
    "min-shift normalisation is not strictly positive",
    0,
    (z[i] - vector_min(z, n)) / Sum(z[j] - vector_min(z, n), (j, 1, n)),
    claim="<",
    at={z: [1, 2, 3], i: 1},
    why="z = [1, 2, 3] has minimum 1 at class 1, whose numerator is 1 − 1 = 0. The same "
    "happens for every z: the class that attains the minimum always gets probability 0.",
)
d.text(
    r"Cross-entropy through sum normalisation, for positive inputs $p$, "
    r"$-\log(p_y / \sum_j p_j)$, has the gradient"
)
d.equal(
    "cross-entropy gradient through z/Σz",
    Derivative(-log(sum_normalize(p, y, n)), p[k]),
    -KroneckerDelta(y, k) / p[y] + 1 / vector_sum(p, n),
    why="d/dp_k of −log p_y + log Σ_j p_j.",
)
d.refute(
    "that gradient is not bounded by 1",
    -1,
    -KroneckerDelta(y, k) / p[y] + 1 / vector_sum(p, n),
    claim="<=",
    at={p: [1 / 1000, 1], y: 1, k: 1},
    why="At p = [0.001, 1] the true-class gradient is −1000 + 1/1.001 (value below): "
    "unbounded as p_y → 0, where softmax's s_k − δ_yk always lies in [−1, 1] "
    "([[cross_entropy_gradient:−1 ≤ s_k − δ_yk]]).",
)

if __name__ == "__main__":
    d.main()
