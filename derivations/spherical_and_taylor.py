"""Spherical and Taylor softmax: two alternatives, and what they give up.

Why it matters (de Brébisson & Vincent 2016): the spherical softmax (z_i² + ε)/Σ(z_j² + ε)
and the Taylor softmax (1 + z_i + z_i²/2)/Σ(…) also produce probabilities, without exp.
Both sum to one and are positive, but neither is shift invariant, and the spherical one is
even scale invariant at ε = 0 — it cannot express confidence through the size of the logits.
"""

from sympy import Abs, Derivative, KroneckerDelta, Rational, Sum

from whysoftmax import Derivation
from whysoftmax.definitions import SUM_INDEX

d = Derivation(
    "spherical_and_taylor",
    title="Spherical and Taylor softmax",
    sources=[
        ("debrebisson2016", ""),
    ],
)
n = d.dimension("n")
z = d.vector("z", n, real=True)
i, k = d.indices("i k", n)
eps = d.scalar("epsilon", positive=True)
c = d.scalar("c", positive=True)
u = d.scalar("u", real=True)
j = SUM_INDEX


def spherical_term(v):
    return v**2 + eps


def taylor_term(v):
    return 1 + v + v**2 / 2


def spherical(index, shift=0):
    return spherical_term(z[index] + shift) / Sum(spherical_term(z[j] + shift), (j, 1, n))


def taylor(index, shift=0):
    return taylor_term(z[index] + shift) / Sum(taylor_term(z[j] + shift), (j, 1, n))


d.equal("spherical sums to 1", Sum(spherical(j), (j, 1, n)), 1, why="Σ_i f_i / Σ_j f_j.")
d.equal("Taylor sums to 1", Sum(taylor(j), (j, 1, n)), 1, why="Σ_i f_i / Σ_j f_j.")
d.less("spherical is positive", 0, spherical(i), why="z² + ε ≥ ε > 0.")
d.chain(
    "1 + u + u²/2 > 0",
    0,
    ("<", ((u + 1) ** 2 + 1) / 2, "a square plus one, halved"),
    ("=", taylor_term(u), "complete the square: ((u + 1)² + 1)/2 = 1 + u + u²/2"),
)
d.less(
    "Taylor is positive",
    0,
    taylor(i),
    why="Every term, in the numerator and in the sum, is ((z + 1)² + 1)/2 > 0.",
)
d.refute(
    "spherical is not shift invariant",
    spherical(i, shift=1),
    spherical(i),
    at={z: [0, 1], i: 1, eps: 1},
    why="At z = [0, 1], ε = 1: 1/3 before the shift, 2/7 after.",
)
d.refute(
    "Taylor is not shift invariant",
    taylor(i, shift=1),
    taylor(i),
    at={z: [0, 1], i: 1},
    why="Shifting z = [0, 1] by 1 changes the first class (values below).",
)
d.equal(
    "spherical is scale invariant at ε = 0",
    (c * z[i]) ** 2 / Sum((c * z[j]) ** 2, (j, 1, n)),
    z[i] ** 2 / Sum(z[j] ** 2, (j, 1, n)),
    why="c² leaves the sum and cancels: like sum normalisation, it sees only ratios.",
)
d.refute(
    "Taylor is not scale invariant",
    taylor_term(10 * z[i]) / Sum(taylor_term(10 * z[j]), (j, 1, n)),
    taylor(i),
    at={z: [1, 2], i: 1},
    why="Scaling z = [1, 2] by 10 changes the first class (values below).",
)
d.equal(
    "spherical Jacobian",
    Derivative(spherical(i), z[k]),
    2 * z[k] * (KroneckerDelta(i, k) - spherical(i)) / Sum(spherical_term(z[j]), (j, 1, n)),
    why="Quotient rule, with δ_ik z_i = δ_ik z_k.",
)
d.equal(
    "Taylor Jacobian",
    Derivative(taylor(i), z[k]),
    (1 + z[k]) * (KroneckerDelta(i, k) - taylor(i)) / Sum(taylor_term(z[j]), (j, 1, n)),
    why="Quotient rule; d/dz (1 + z + z²/2) = 1 + z.",
)
d.refute(
    "the spherical Jacobian can vanish",
    0,
    Abs(Derivative(spherical(i), z[k])),
    claim="<",
    at={z: [0, 1], i: 1, k: 1, eps: Rational(1, 2)},
    why="At z_k = 0 the whole column k vanishes: a logit at 0 gets no gradient at all.",
)

if __name__ == "__main__":
    d.main()
