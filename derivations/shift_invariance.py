"""Softmax does not change when the same constant is added to every logit.

Why it matters: it is what makes the max-shift safe. Computing e^{z_i − m} with m = max z
never overflows, and shift invariance proves the result is still exactly softmax(z).
"""

from sympy import Sum, exp, log

from whysoftmax import Derivation
from whysoftmax.definitions import SUM_INDEX, log_sum_exp, softmax, vector_max

d = Derivation(
    "shift_invariance",
    title="Shift invariance and the max-shifted softmax",
    sources=[
        ("goodfellow2016", "§4.1"),
        ("blanchard2021", ""),
    ],
)
n = d.dimension("n")
z = d.vector("z", n, real=True)
(i,) = d.indices("i", n)
c = d.scalar("c", real=True)
m = d.scalar("m", real=True)
j = SUM_INDEX


def shifted(shift):
    """Component i of e^{z_i − shift} / Σ_j e^{z_j − shift}."""
    return exp(z[i] - shift) / Sum(exp(z[j] - shift), (j, 1, n))


d.text(
    r"Adding $c$ to every logit multiplies every exponential by $e^{c}$; the factor "
    r"comes out of the sum and cancels."
)
d.chain(
    "softmax(z + c) = softmax(z)",
    exp(z[i] + c) / Sum(exp(z[j] + c), (j, 1, n)),
    ("=", exp(c) * exp(z[i]) / (exp(c) * Sum(exp(z[j]), (j, 1, n))),
     "e^{a+b} = e^a e^b, and e^c does not depend on j, so it leaves the sum."),
    ("=", softmax(z, i, n), "cancel e^c > 0."),
)
d.equal(
    "max-shifted form, any m",
    shifted(m),
    softmax(z, i, n),
    why="The same argument with c = −m: any common shift m gives softmax exactly.",
)
d.equal(
    "max-shifted form, m = max z",
    shifted(vector_max(z, n)),
    softmax(z, i, n),
    why="In particular m = max_j z_j, where every exponent is ≤ 0 and nothing overflows.",
)
d.equal(
    "log-softmax is shift invariant",
    log(exp(z[i] + c) / Sum(exp(z[j] + c), (j, 1, n))),
    z[i] - log_sum_exp(z, n),
    why="Take logarithms of the chain above: log s_i(z + c) = z_i − lse(z).",
)
d.equal(
    "lse shifts with c",
    log(Sum(exp(z[j] + c), (j, 1, n))),
    log_sum_exp(z, n) + c,
    why="lse(z + c) = log(e^c Σ_j e^{z_j}) = c + lse(z): log-sum-exp is shift *equivariant*.",
)

if __name__ == "__main__":
    d.main()
