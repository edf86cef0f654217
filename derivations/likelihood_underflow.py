"""Why models output log-probabilities: products of probabilities underflow float64.

Why it matters: a likelihood is a product of many probabilities. In float64 that product
reaches 0 after a few hundred factors of 0.1 — long before the sum of the logs has lost
anything. log-softmax hands training code the logs directly.

The float64 numbers below are computed with numpy when this file runs and turned into
exact rationals (every float is one), so each claim about them is decided exactly.
"""

import mpmath
import numpy as np
from sympy import Integer, Product, Rational, Sum, log

from whysoftmax import Derivation
from whysoftmax.definitions import SUM_INDEX

d = Derivation(
    "likelihood_underflow",
    title="Likelihoods underflow; log-likelihoods do not",
    sources=[
        ("goodfellow2016", "§4.1 and §5.5"),
        ("ieee754", "binary64"),
        ("higham2002", "§4.2"),
    ],
)
m = d.dimension("m")
p = d.vector("p", m, positive=True)
j = SUM_INDEX

d.equal(
    "log ∏ p_j = Σ log p_j",
    log(Product(p[j], (j, 1, m))),
    Sum(log(p[j]), (j, 1, m)),
    why="The logarithm of a product of positive numbers is the sum of the logarithms.",
)

#: float64's 0.1, exactly: the binary number nearest to 1/10.
TENTH = Rational(0.1)
#: The first count of factors 0.1 whose float64 product (left to right) is 0.
FIRST_ZERO = next(q for q in range(1, 2000) if np.prod(np.full(q, 0.1)) == 0.0)
LOG_SUM = {q: float(np.sum(np.log(np.full(q, 0.1)))) for q in (FIRST_ZERO, 1000)}
SMALLEST_SUBNORMAL = Rational(1, 2**1074)

d.text(
    rf"Multiplying float64's $0.1$ by itself, the product first becomes $0$ at "
    rf"$m = {FIRST_ZERO}$ factors; the sum of the logarithms is then "
    rf"${LOG_SUM[FIRST_ZERO]:.15g}$, and at $m = 1000$ it is ${LOG_SUM[1000]:.15g}$, "
    r"with no digit lost."
)
d.less(
    "the exact product is positive",
    0,
    TENTH**FIRST_ZERO,
    why="A product of positive numbers; the likelihood has not become 0, only its float has.",
)
d.less(
    "it lies below half the smallest subnormal",
    TENTH**FIRST_ZERO,
    SMALLEST_SUBNORMAL / 2,
    why="Anything below 2^-1075 rounds to 0 in float64, however carefully it is computed.",
)
d.less(
    "one factor fewer is still representable",
    SMALLEST_SUBNORMAL / 2,
    TENTH ** (FIRST_ZERO - 1),
    why="So the underflow happens exactly where the true product leaves float64's range.",
)
for q, value in LOG_SUM.items():
    exact = q * log(TENTH)
    d.less_equal(
        f"float64 Σ log p is accurate at m = {q}",
        abs(Rational(value) - exact),
        Integer(q) * Rational(1, 2**52) * abs(exact),
        why=f"The float64 sum {value!r} is within the recursive-summation bound m·u of the "
        f"exact m·log(0.1) (Higham §4.2); measured relative error "
        f"{float(abs((mpmath.mpf(value) - q * mpmath.log(mpmath.mpf(0.1))) / value)):.1e}.",
    )

if __name__ == "__main__":
    d.main()
