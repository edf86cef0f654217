"""Softmax is 1/2-Lipschitz and monotone; dividing by the sum is neither.

Why it matters (Gao & Pavel 2017, Prop. 2-4): a small change of the logits must make a
small change of the probabilities — for the stability of training, for robustness
certificates, for game-theoretic learning dynamics. Gao & Pavel show softmax is
1-Lipschitz; the constant is in fact 1/2, for every n: the Jacobian J = diag(s) − ssᵀ
is symmetric and the absolute values of row a sum to 2 s_a(1 − s_a) ≤ 1/2, and for a
symmetric matrix the largest absolute row sum bounds the operator norm (Schur's test).
With an inverse temperature β the constant is β/2. And because J is positive
semidefinite everywhere, softmax is monotone: ⟨s(x) − s(y), x − y⟩ ≥ 0 — it is the
gradient of the convex log-sum-exp. Sum normalisation z/Σz has no Lipschitz constant at
all: near Σz = 0 a tiny change of z swings the output arbitrarily.

The rules used: Schur's test (a symmetric matrix with absolute row sums ≤ R has
‖Av‖ ≤ R‖v‖), the mean value inequality (a smooth map whose Jacobian has operator norm
≤ L everywhere is L-Lipschitz) and its monotone analogue (a positive semidefinite
Jacobian everywhere makes the map monotone) — each checked by the kernel against the
Jacobian's entries, which it proves are the derivatives.
"""

from sympy import Dummy, KroneckerDelta, Rational, Sum, exp

from whysoftmax import Derivation
from whysoftmax.definitions import SUM_INDEX, normaliser, softmax

d = Derivation(
    "lipschitz",
    title="Softmax is 1/2-Lipschitz and monotone",
    sources=[
        ("gao2017", "Prop. 2–4"),
        ("schur1911", "the row-sum test"),
    ],
)
n = d.dimension("n")
z = d.vector("z", n, real=True)
v = d.vector("v", n, real=True)
x = d.vector("x", n, real=True)
y = d.vector("y", n, real=True)
a, b = d.indices("a b", n)
p = d.scalar("p", real=True)
j = SUM_INDEX


def s(index, vector=z):
    return softmax(vector, index, n)


J = s(a) * (KroneckerDelta(a, b) - s(b))
B = s(a) * (KroneckerDelta(a, b) * (1 - s(b)) + (1 - KroneckerDelta(a, b)) * s(b))
jacobian = {"entry": J, "row": a, "column": b}

d.text(r"\textbf{The Jacobian's rows.} $J_{ab} = s_a(\delta_{ab} - s_b)$ is symmetric, and "
       r"$|J_{ab}| \le B_{ab}$ with $B_{ab} = s_a(1 - s_a)$ on the diagonal, $s_a s_b$ off it:")
d.equal("J_ab = J_ba", J, s(b) * (KroneckerDelta(b, a) - s(a)),
        why="s_a δ_ab = s_b δ_ab, and s_a s_b = s_b s_a.")
d.by_rule("e^{z_a} ≤ Σ_j e^{z_j}", "<=", exp(z[a]), normaliser(z, n), rule="single term",
          premises=[], why="One term of a sum of positive terms is at most the sum.")
d.by_rule("s_a ≤ 1", "<=", s(a), 1, rule="positive combination",
          premises=["e^{z_a} ≤ Σ_j e^{z_j}"], using={"coefficients": [1 / normaliser(z, n)]})
d.equal("a = b: J_aa = B_aa", s(a) * (1 - s(a)), s(a) * (1 - s(a)))
d.less_equal("a ≠ b: J_ab ≤ B_ab", -s(a) * s(b), s(a) * s(b), why="s > 0.")
d.by_rule("J_ab ≤ B_ab", "<=", J, B, rule="delta case split",
          premises=["a = b: J_aa = B_aa", "a ≠ b: J_ab ≤ B_ab"])
d.by_rule("a = b: −B_aa ≤ J_aa", "<=", -s(a) * (1 - s(a)), s(a) * (1 - s(a)),
          rule="positive combination", premises=["s_a ≤ 1"],
          using={"coefficients": [2 * s(a)]}, why="The difference is 2 s_a (1 − s_a) ≥ 0.")
d.equal("a ≠ b: −B_ab = J_ab", -s(a) * s(b), -s(a) * s(b))
d.by_rule("−B_ab ≤ J_ab", "<=", -B, J, rule="delta case split",
          premises=["a = b: −B_aa ≤ J_aa", "a ≠ b: −B_ab = J_ab"])
d.equal("Σ_b B_ab = 2 s_a (1 − s_a)", Sum(B.xreplace({b: j}), (j, 1, n)), 2 * s(a) * (1 - s(a)),
        why="The diagonal gives s_a(1 − s_a), the rest s_a Σ_{b≠a} s_b = s_a(1 − s_a).")
d.less_equal("2p(1 − p) ≤ 1/2", 2 * p * (1 - p), Rational(1, 2),
             why="1/2 − 2p(1 − p) = 2(p − 1/2)² ≥ 0.")
d.by_rule("2 s_a (1 − s_a) ≤ 1/2", "<=", 2 * s(a) * (1 - s(a)), Rational(1, 2),
          rule="instantiation", premises=["2p(1 − p) ≤ 1/2"], using={"map": {p: s(a)}})
d.by_rule("Σ_b B_ab ≤ 1/2", "<=", Sum(B.xreplace({b: j}), (j, 1, n)), Rational(1, 2),
          rule="transitivity", premises=["Σ_b B_ab = 2 s_a (1 − s_a)", "2 s_a (1 − s_a) ≤ 1/2"],
          why="Every absolute row sum of J is at most 1/2, whatever z and n.")

d.text(r"\textbf{The operator norm, and Lipschitz.} Write $\|u\|^2 = \sum_b u_b^2$:")
q = Dummy("q", integer=True, positive=True)  # a second summation index
image = Sum(Sum(J.xreplace({a: q, b: j}) * v[j], (j, 1, n)) ** 2, (q, 1, n))
norm_v = Sum(v[j] ** 2, (j, 1, n))
d.by_rule("‖J v‖² ≤ ‖v‖²/4", "<=", image, Rational(1, 4) * norm_v, rule="Schur test",
          premises=["J_ab = J_ba", "−B_ab ≤ J_ab", "J_ab ≤ B_ab", "Σ_b B_ab ≤ 1/2"],
          using={**jacobian, "bound": B, "vector": v},
          why="Schur's test with R = 1/2: ‖J‖ ≤ 1/2 for every z.")
d.by_rule("softmax is 1/2-Lipschitz", "<=", Sum((s(j, x) - s(j, y)) ** 2, (j, 1, n)),
          Rational(1, 4) * Sum((x[j] - y[j]) ** 2, (j, 1, n)), rule="Lipschitz from the Jacobian",
          premises=["‖J v‖² ≤ ‖v‖²/4"],
          using={**jacobian, "F": s(a), "vector": z, "direction": v, "from": y, "to": x},
          cell=("softmax", "1/2-Lipschitz"),
          why="‖s(x) − s(y)‖ ≤ ‖x − y‖/2; with inverse temperature β, ‖x − y‖·β/2 "
          "(Gao & Pavel give 1).")

d.text(r"\textbf{Monotone.} $v^\top J v$ is the variance of $v$ under $s$:")
mean_v = Sum(s(j) * v[j], (j, 1, n))
variance = Sum(s(q) * (v[q] - mean_v) ** 2, (q, 1, n))
form = Sum(Sum(v[q] * J.xreplace({a: q, b: j}) * v[j], (j, 1, n)), (q, 1, n))
d.chain("vᵀJv ≥ 0", 0,
        ("<=", variance, "a sum of non-negative terms"),
        ("=", form, "Σ_a Σ_b v_a (s_a δ_ab − s_a s_b) v_b, expanded"))
d.by_rule("softmax is monotone", "<=", 0,
          Sum((s(j, x) - s(j, y)) * (x[j] - y[j]), (j, 1, n)), rule="monotone from the Jacobian",
          premises=["vᵀJv ≥ 0"],
          using={**jacobian, "F": s(a), "vector": z, "direction": v, "from": y, "to": x},
          cell=("softmax", "monotone"),
          why="⟨s(x) − s(y), x − y⟩ ≥ 0: softmax is the gradient of the convex log-sum-exp.")

d.text(r"\textbf{Dividing by the sum has neither property.} Near $\sum_j z_j = 0$ a tiny "
       r"change of $z$ swings $z/\sum_j z_j$ by any amount; for every $L$ a small enough "
       r"$\varepsilon$ breaks $L$-Lipschitz — here $\varepsilon = 10^{-7}$ breaks "
       r"$L = 10^6$:")


def sum_normalised(vector, index):
    return vector[index] / Sum(vector[j], (j, 1, n))


eps = Rational(1, 10**7)
d.refute("z/Σz is not 10⁶-Lipschitz",
         Sum((sum_normalised(x, q) - sum_normalised(y, q)) ** 2, (q, 1, n)),
         10**12 * Sum((x[j] - y[j]) ** 2, (j, 1, n)), claim="<=",
         at={n: 2, x: [1, -1 + eps], y: [1, -1 + 2 * eps]},
         cell=("sum normalisation", "1/2-Lipschitz"),
         why="‖x − y‖ = 10⁻⁷ but x/Σx = (10⁷, 1 − 10⁷) and y/Σy = (5·10⁶, 1 − 5·10⁶).")
d.refute("z/Σz is not monotone",
         0, Sum((sum_normalised(x, q) - sum_normalised(y, q)) * (x[q] - y[q]), (q, 1, n)),
         claim="<=", at={n: 2, x: [1, -2], y: [1, Rational(-1, 2)]},
         cell=("sum normalisation", "monotone"),
         why="x/Σx = (−1, 2) and y/Σy = (2, −1) point against x − y.")

if __name__ == "__main__":
    d.main()
