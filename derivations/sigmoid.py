"""The sigmoid is softmax with two classes.

Why it matters: logistic regression is the n = 2 case of softmax regression, so
everything proven about softmax (gradients, stability, shift invariance) covers it.
"""

from sympy import Derivative, exp, log

from whysoftmax import Derivation
from whysoftmax.definitions import sigmoid

d = Derivation(
    "sigmoid",
    title="The sigmoid as two-class softmax",
    sources=[
        ("bishop2006", "§4.2, eq. 4.57"),
        ("goodfellow2016", "§6.2.2.2"),
    ],
)
a, b, x = d.scalars("a b x", real=True)

d.text(
    r"With two logits $(a, b)$, divide the numerator and the denominator of the first "
    r"softmax component by $e^{a}$: only the difference $a - b$ remains."
)
d.chain(
    "softmax([a, b])_1 = σ(a − b)",
    exp(a) / (exp(a) + exp(b)),
    ("=", 1 / (1 + exp(b - a)), "divide numerator and denominator by e^a > 0"),
    ("=", sigmoid(a - b), "σ(t) = 1/(1 + e^{−t}) with t = a − b"),
)
d.equal(
    "softmax([a, b])_2 = 1 − σ(a − b)",
    exp(b) / (exp(a) + exp(b)),
    1 - sigmoid(a - b),
    why="The two components sum to one.",
)
d.equal(
    "σ' = σ(1 − σ)",
    Derivative(sigmoid(x), x),
    sigmoid(x) * (1 - sigmoid(x)),
    why="Chain rule; the diagonal entry s_i(1 − s_i) of the softmax Jacobian with n = 2.",
)
d.equal(
    "log σ(x) = −log(1 + e^{−x})",
    log(sigmoid(x)),
    -log(1 + exp(-x)),
    why="log(1/u) = −log u for u = 1 + e^{−x} > 0; this is the stable form of log σ for x ≫ 0.",
)
d.equal(
    "σ(−x) = 1 − σ(x)",
    sigmoid(-x),
    1 - sigmoid(x),
    why="Swapping the two logits swaps the two probabilities.",
)

if __name__ == "__main__":
    d.main()
