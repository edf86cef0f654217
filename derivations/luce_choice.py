"""Luce's choice axiom: independence of irrelevant alternatives forces w_i / Σ_j w_j.

Why it matters (Luce 1959; Train 2009, ch. 3): suppose the odds of choosing i over j do not
depend on which other options are on offer ("independence of irrelevant alternatives").
Then the choice probabilities on any set S of options are w_i / Σ_{j∈S} w_j for fixed
positive weights w — and writing w = e^z, that is softmax(z) restricted to S. Softmax is
not a convenient guess: it is what consistent pairwise odds force.

Setting: S = {1, …, m} (any subset, relabelled), p the choice probabilities on S, w the
weights of its options read off the full set of alternatives. The hypotheses: the odds of
each option against option 1 are the same on S as on the full set, and p sums to 1.
"""

from sympy import Lambda, Sum, log

from whysoftmax import Derivation
from whysoftmax.definitions import SUM_INDEX, softmax

d = Derivation(
    "luce_choice",
    title="Luce's choice axiom",
    sources=[
        ("luce1959", "Axiom 1 and Lemma 3"),
        ("train2009", "§3.3.2"),
    ],
)
m = d.dimension("m")
(k,) = d.indices("k", m)
p = d.vector("p", m, positive=True)
w = d.vector("w", m, positive=True)
q = d.scalar("q", integer=True, positive=True)
j = SUM_INDEX
W = Sum(w[j], (j, 1, m))
luce = [{p: Lambda(q, w[q] / Sum(w[j], (j, 1, m)))}]

d.assume("independence of irrelevant alternatives", p[k] / p[1], w[k] / w[1], examples=luce,
         why="the odds of option k against option 1 on S are their odds on the full set")
d.assume("p sums to 1", Sum(p[j], (j, 1, m)), 1, examples=luce)
d.by_rule("p_k = (p_1/w_1) w_k", "=", p[k], p[1] / w[1] * w[k], rule="positive combination",
          premises=["independence of irrelevant alternatives"],
          using={"coefficients": [p[1]]})
d.by_rule("Σ_j p_j = (p_1/w_1) Σ_j w_j", "=", Sum(p[j], (j, 1, m)),
          Sum(p[1] / w[1] * w[j], (j, 1, m)), rule="termwise",
          premises=["p_k = (p_1/w_1) w_k"], using={"index": k})
d.by_rule("p_1/w_1 = 1/Σ_j w_j", "=", p[1] / w[1], 1 / W, rule="positive combination",
          premises=["p sums to 1", "Σ_j p_j = (p_1/w_1) Σ_j w_j"],
          using={"coefficients": [1 / W, -1 / W]},
          why="Normalisation fixes the common factor.")
d.by_rule("p_k = w_k / Σ_j w_j", "=", p[k], w[k] / W, rule="positive combination",
          premises=["p_k = (p_1/w_1) w_k", "p_1/w_1 = 1/Σ_j w_j"],
          using={"coefficients": [1, w[k]]},
          why="Luce's rule: choice probabilities are proportional to fixed weights.")
d.equal("w_k / Σ_j w_j = softmax(log w)_k", w[k] / W, softmax(lambda r: log(w[r]), k, m),
        why="Every positive weight is e^z for z = log w.")
d.by_rule("p = softmax(z) with z = log w", "=", p[k], softmax(lambda r: log(w[r]), k, m),
          rule="transitivity",
          premises=["p_k = w_k / Σ_j w_j", "w_k / Σ_j w_j = softmax(log w)_k"],
          why="IIA choice probabilities are a softmax of the log-weights.")
d.equal("the converse: softmax odds do not depend on S", softmax(lambda r: log(w[r]), k, m)
        / softmax(lambda r: log(w[r]), 1, m), w[k] / w[1],
        why="s_k/s_1 = e^{z_k − z_1}: the normaliser, the only place the other options "
        "enter, cancels.")

if __name__ == "__main__":
    d.main()
