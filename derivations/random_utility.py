"""Random utility: softmax is the arg max of utilities with Gumbel noise.

Why it matters (McFadden 1974; Train 2009, §3.10): economists met softmax before machine
learning did, as the answer to "which option does a person choose?". Each option i has
a utility z_i plus a random taste ε_i; the person takes the best one. If the ε_j are
independent standard Gumbel variables, the probability of choosing i is exactly
softmax(z)_i, for any number of options — and the best utility is itself Gumbel,
centred at log-sum-exp(z), with mean lse(z) + γ. So softmax is not only a convenient
normaliser: it is the law of a noisy arg max, and log-sum-exp is the expected value of
the best choice (up to Euler's γ). This is also the Gumbel-max trick: adding Gumbel
noise to logits and taking the arg max samples from softmax.

The standard Gumbel distribution has CDF G(x) = exp(−e^{−x}) and density
g(x) = e^{−x} exp(−e^{−x}). Option i wins when its utility U_i = z_i + ε_i is the
largest. Conditioning on U_i = x, the other utilities lie below x independently, with
probabilities G(x − z_j); so

    P(i wins) = ∫ g(x − z_i) Π_{j≠i} G(x − z_j) dx = ∫ (g/G)(x − z_i) Π_j G(x − z_j) dx.

That modelling step is probability; every equation after it is checked. Integrals are
proven by the fundamental theorem of calculus: an antiderivative F with F′ = f (a
rewrite) and F's limits at the ends. Ties have probability 0 (the noise is
continuous), so "arg max" is well defined.
"""

from sympy import Derivative, Integral, Product, Sum, erf, exp, oo, uppergamma
from sympy import EulerGamma as euler_gamma

from whysoftmax import Derivation
from whysoftmax.definitions import SUM_INDEX, log_sum_exp, softmax

d = Derivation(
    "random_utility",
    title="Random utility: softmax is a Gumbel arg max",
    sources=[
        ("mcfadden1974", "Lemma 1"),
        ("train2009", "§3.10"),
        ("gumbel1954", ""),
    ],
)
n = d.dimension("n")
z = d.vector("z", n, real=True)
(i,) = d.indices("i", n)
x, L = d.scalars("x L", real=True)
a, b = d.scalars("a b", real=True)
j = SUM_INDEX
S = Sum(exp(z[j]), (j, 1, n))


def G(t):
    """The standard Gumbel CDF exp(−e^{−t})."""
    return exp(-exp(-t))


def g(t):
    """The standard Gumbel density e^{−t} exp(−e^{−t})."""
    return exp(-t) * G(t)


everyone_below = Product(G(x - z[j]), (j, 1, n))

d.text(r"\textbf{The Gumbel distribution.}")
d.equal("the Gumbel density is G′", Derivative(G(x), x), g(x),
        why="d/dx exp(−e^{−x}) = e^{−x} exp(−e^{−x}).")
d.by_rule("the density integrates to 1", "=", Integral(g(x), (x, -oo, oo)), 1,
          rule="antiderivative", premises=[], using={"F": G(x)},
          why="G rises from 0 at −∞ to 1 at +∞.")
d.text(r"\textbf{The probability that option $i$ wins.}")
d.equal("Π_j G(x − z_j) = exp(−e^{−x} Σ_j e^{z_j})", everyone_below,
        exp(-exp(-x) * S),
        why="A product of exponentials is the exponential of the sum, and "
        "e^{−(x − z_j)} = e^{−x} e^{z_j}.")
d.by_rule("P(i wins) = softmax(z)_i", "=",
          Integral(g(x - z[i]) / G(x - z[i]) * everyone_below, (x, -oo, oo)), softmax(z, i, n),
          rule="antiderivative", premises=[],
          using={"F": exp(z[i]) / S * exp(-exp(-x) * S)},
          why="With S = Σ_j e^{z_j}, F(x) = (e^{z_i}/S) exp(−e^{−x} S) has F′ equal to the "
          "integrand, F(−∞) = 0 and F(∞) = e^{z_i}/S (McFadden's Lemma 1).")
d.text(r"\textbf{The best utility is Gumbel, centred at log-sum-exp.}")
d.equal("P(max_j U_j ≤ x) = G(x − lse z)", everyone_below, G(x - log_sum_exp(z, n)),
        why="Every U_j ≤ x independently, and e^{−x} Σ_j e^{z_j} = e^{−(x − lse z)}.")
d.by_rule("the mean of a Gumbel centred at L is L + γ", "=",
          Integral(x * g(x - L), (x, -oo, oo)), L + euler_gamma,
          rule="antiderivative", premises=[],
          using={"F": x * G(x - L) - uppergamma(0, exp(-(x - L)))},
          why="Integrate by parts: F = x G(x − L) − Γ(0, e^{−(x−L)}); at +∞ F − x → L + γ "
          "because Γ(0, t) = −γ − log t + O(t), at −∞ both terms vanish.")
d.by_rule("E[max_j U_j] = lse(z) + γ", "=",
          Integral(x * g(x - log_sum_exp(z, n)), (x, -oo, oo)), log_sum_exp(z, n) + euler_gamma,
          rule="instantiation", premises=["the mean of a Gumbel centred at L is L + γ"],
          using={"map": {L: log_sum_exp(z, n)}},
          why="The best utility has CDF G(x − lse z), so density g(x − lse z): log-sum-exp "
          "is the expected best utility, less Euler's γ ≈ [[=Euler's γ]].")
d.approximately("Euler's γ", euler_gamma, "0.5772156649")
d.text(
    r"\textbf{Not any noise will do.} With independent standard normal noise instead, "
    r"for $n = 2$: $U_1 - U_2 = z_1 - z_2 + (\varepsilon_1 - \varepsilon_2)$ with "
    r"$\varepsilon_1 - \varepsilon_2 \sim N(0, 2)$, so option 1 wins with probability "
    r"$\Phi((z_1 - z_2)/\sqrt{2}) = \tfrac12\bigl(1 + \operatorname{erf}((z_1 - z_2)/2)"
    r"\bigr)$ — the probit model, not softmax:"
)
d.refute("Gaussian noise does not give softmax", (1 + erf((a - b) / 2)) / 2,
         exp(a) / (exp(a) + exp(b)), claim="=", at={a: 1, b: 0},
         why="At z = (1, 0) the probit value Φ(1/√2) and softmax's e/(1 + e) differ (values "
         "below). The logit model is the Gumbel case exactly; Gaussian noise gives the probit "
         "model.")

if __name__ == "__main__":
    d.main()
