"""Online softmax: a block's state (m, ℓ) merges exactly, so softmax needs one pass.

Why it matters (Milakov & Gimelshein 2018; Dao et al. 2022, §3.1): the textbook softmax
reads its input three times — for the maximum, the sum, the division. Attention kernels
cannot afford that: they see the logits a block at a time. A block z is summarised by
its state (m, ℓ) with m its maximum and ℓ = Σ_j e^{z_j − m}; the state stands for the
number ℓ·e^m = Σ_j e^{z_j}, and ℓ never overflows (each term is ≤ 1). Two states merge
by

    (m, ℓ) ⊕ (m′, ℓ′) = (M, ℓ e^{m−M} + ℓ′ e^{m′−M}),  M = max(m, m′),

which rescales both sums to the new maximum. This file proves the merge exact: it keeps
the number a state stands for, it is commutative and associative with identity
(−∞, 0) — so blocks may be merged in any grouping and order, in parallel — and the
log-sum-exp of a concatenation and the attention output softmax(z)·V come out of the
merged state. whysoftmax.numeric's streaming functions compute these forms.

Concatenation is written block by block: the logits are z (p entries) followed by w
(q entries), so a sum over the concatenation is Σ_{j≤p} over z plus Σ_{j≤q} over w. A
rescaling by any common M is exact; M = max(m, m′) is the choice that keeps every
exponent ≤ 0, so that nothing overflows — the merge's stability, not its value.
"""

from sympy import Matrix, Max, Sum, exp, log, oo

from whysoftmax import Derivation
from whysoftmax.definitions import SUM_INDEX, vector_max

d = Derivation(
    "online_softmax",
    title="Online softmax and the attention merge",
    sources=[
        ("milakov2018", "Algorithm 3"),
        ("dao2022", "§3.1"),
    ],
)
p = d.dimension("p")
q = d.dimension("q")
z = d.vector("z", p, real=True)
w = d.vector("w", q, real=True)
v = d.vector("v", p, real=True)
u = d.vector("u", q, real=True)
m1, m2, m3, M = d.scalars("m1 m2 m3 M", real=True)
l1, l2, l3 = d.scalars("l1 l2 l3", positive=True)
o1, o2 = d.scalars("o1 o2", real=True)
j = SUM_INDEX


def merge(a, b):
    """(m, ℓ) ⊕ (m′, ℓ′) for two states given as pairs."""
    (ma, la), (mb, lb) = a, b
    top = Max(ma, mb)
    return (top, la * exp(ma - top) + lb * exp(mb - top))


def state(entries, length):
    """The state (max, Σ e^{x_j − max}) of a block."""
    top = vector_max(entries, length)
    return (top, Sum(exp(entries[j] - top), (j, 1, length)))


A, B, C = (m1, l1), (m2, l2), (m3, l3)
d.text(
    r"\textbf{The merge keeps the number a state stands for.} A state $(m, \ell)$ stands "
    r"for $\ell e^m$; a block's state stands for its $\sum_j e^{z_j}$."
)
d.equal("a block's state stands for Σ_j e^{z_j}", state(z, p)[1] * exp(state(z, p)[0]),
        Sum(exp(z[j]), (j, 1, p)),
        why="e^m times Σ_j e^{z_j − m}: the factor e^{−m} leaves the sum.")
d.equal("rescaling to any common M is exact",
        (l1 * exp(m1 - M) + l2 * exp(m2 - M)) * exp(M), l1 * exp(m1) + l2 * exp(m2),
        why="ℓ e^{m−M} stands for ℓe^m at the new reference M.")
d.equal("the merge keeps ℓe^m + ℓ′e^{m′}", merge(A, B)[1] * exp(merge(A, B)[0]),
        l1 * exp(m1) + l2 * exp(m2),
        why="The case M = max(m, m′) of the previous step: every exponent m − M, "
        "m′ − M is ≤ 0.")
d.text(r"\textbf{The algebra of states.} Merging in any grouping and order gives one state:")
d.equal("⊕ is commutative", Matrix(merge(A, B)), Matrix(merge(B, A)),
        why="max and + are symmetric.")
d.equal("⊕ is associative", Matrix(merge(merge(A, B), C)), Matrix(merge(A, merge(B, C))),
        why="e^{m−M₁₂} e^{M₁₂−M} = e^{m−M}: a rescaling followed by another is one rescaling.")
d.equal("(−∞, 0) is the identity", Matrix(merge(A, (-oo, 0))), Matrix(A),
        why="The state of an empty block: max of nothing is −∞, its sum is 0.")
d.text(r"\textbf{What the merged state gives.} With $(M, L) = (m, \ell) \oplus (m', \ell')$:")
d.equal("lse of a concatenation",
        log(Sum(exp(z[j]), (j, 1, p)) + Sum(exp(w[j]), (j, 1, q))),
        merge(state(z, p), state(w, q))[0] + log(merge(state(z, p), state(w, q))[1]),
        why="log(L e^M) = M + log L: the log-sum-exp of z followed by w, from the two states.")
d.text(
    r"\textbf{The attention accumulator.} Attention's output for one query is "
    r"$\sum_j \mathrm{softmax}(z)_j v_j$ for the values $v$ (one column of $V$; every column "
    r"is the same computation). A block keeps, besides its state, $o = \sum_j e^{z_j - m} v_j$, "
    r"and accumulators merge with the same rescaling as $\ell$: "
    r"$o \oplus o' = o e^{m - M} + o' e^{m' - M}$."
)
z_state, w_state = state(z, p), state(w, q)
o_z = Sum(exp(z[j] - z_state[0]) * v[j], (j, 1, p))
o_w = Sum(exp(w[j] - w_state[0]) * u[j], (j, 1, q))
top = Max(z_state[0], w_state[0])
merged_o = o_z * exp(z_state[0] - top) + o_w * exp(w_state[0] - top)
merged_l = merge(z_state, w_state)[1]
d.equal("merged accumulator / merged ℓ = softmax(z, w)·(v, u)", merged_o / merged_l,
        (Sum(exp(z[j]) * v[j], (j, 1, p)) + Sum(exp(w[j]) * u[j], (j, 1, q)))
        / (Sum(exp(z[j]), (j, 1, p)) + Sum(exp(w[j]), (j, 1, q))),
        why="Both the accumulator and ℓ carry the factor e^{−M}; it cancels in the division, "
        "which is done once, at the end.")
d.equal("the accumulator's merge rescales like ℓ's",
        (o1 * exp(m1 - M) + o2 * exp(m2 - M)) * exp(M), o1 * exp(m1) + o2 * exp(m2),
        why="The same identity as for ℓ, with o in place of ℓ: o e^m stands for Σ_j e^{z_j} v_j.")

if __name__ == "__main__":
    d.main()
