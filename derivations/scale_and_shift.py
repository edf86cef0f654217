"""Blurry versus crisp: softmax sees differences of logits, sum normalisation sees ratios.

Why it matters: this is the short answer to "why not divide by the sum?". Sum
normalisation gives the same [1/3, 2/3] for [1, 2] and [10, 20]: it cannot express
confidence through the size of the logits. Softmax gives the second class
[[=softmax([1, 2])_2]] for the gap 1 and [[=softmax([10, 20])_2]] for the gap 10, and
ignores a common offset, which carries no information about the class.
"""

from sympy import Rational, S, Sum, evaluate, exp

from whysoftmax import Derivation
from whysoftmax.definitions import SUM_INDEX, softmax, sum_normalize

d = Derivation(
    "scale_and_shift",
    title="Scale and shift: blurry versus crisp",
    sources=[
        ("cv189331", "answers and comments"),
        ("goodfellow2016", "§6.2.2.3"),
    ],
)
n = d.dimension("n")
z = d.vector("z", n, positive=True)
(i,) = d.indices("i", n)
c = d.scalar("c", positive=True)
t = d.scalar("t", real=True)
j = SUM_INDEX
e = exp(1)

d.text(r"Scaling all inputs by $c > 0$ changes nothing for sum normalisation:")
d.equal(
    "sum normalisation is scale invariant",
    c * z[i] / Sum(c * z[j], (j, 1, n)),
    sum_normalize(z, i, n),
    why="c leaves the sum and cancels.",
)
d.text(r"Softmax, by contrast, sharpens as the logits grow:")
d.refute(
    "softmax is not scale invariant",
    exp(10 * z[i]) / Sum(exp(10 * z[j]), (j, 1, n)),
    softmax(z, i, n),
    at={z: [1, 2], i: 1},
    why="At z = [1, 2] and scale 10 the first component drops from [[=softmax([1, 2])_1]] "
    "to [[=softmax([10, 20])_1]].",
)
d.equal(
    "softmax is shift invariant",
    exp(z[i] + t) / Sum(exp(z[j] + t), (j, 1, n)),
    softmax(z, i, n),
    why="e^t leaves the sum and cancels (see shift_invariance).",
)
d.refute(
    "sum normalisation is not shift invariant",
    (z[i] + 1) / Sum(z[j] + 1, (j, 1, n)),
    sum_normalize(z, i, n),
    at={z: [1, 2], i: 1},
    why="Compare [1, 2] with [2, 3] (values below).",
)
d.text(r"The numbers of the thread, exactly as quoted:")
d.approximately("softmax([1, 2])_1", e / (e + e**2), "0.26894142")
d.approximately("softmax([1, 2])_2", e**2 / (e + e**2), "0.73105858")
d.approximately("softmax([10, 20])_1", e**10 / (e**10 + e**20), "4.53978687e-05")
d.approximately("softmax([10, 20])_2", e**20 / (e**10 + e**20), "0.999954602")
with evaluate(False):  # keep 1/(1 + 2) as written, so the page shows the division
    d.equal("sum-norm([1, 2])_1", S(1) / (S(1) + 2), Rational(1, 3))
    d.equal("sum-norm([10, 20])_1", S(10) / (S(10) + 20), Rational(1, 3))

if __name__ == "__main__":
    d.main()
