"""False variants of the newer chapters fail with counterexamples (issue 12).

Each is the true chapter's claim with one ingredient swapped: Gaussian noise for Gumbel
(a numerical integral), a non-exponential f in the shift-invariance equation, a merge of
online-softmax states without the rescaling, and an antiderivative whose limits SymPy
gets wrong (the kernel must not issue ``proven`` on a value with a spurious iπ).
"""

from __future__ import annotations

from .kernel_support import check_source, statuses


def test_gaussian_noise_does_not_give_softmax(tmp_path):
    result = check_source(tmp_path, """
        a, b, x = d.scalars("a b x", real=True)
        phi = lambda t: exp(-t**2 / 2) / sqrt(2 * pi)
        Phi = lambda t: (1 + erf(t / sqrt(2))) / 2
        d.equal("P(1 wins) with Gaussian noise = softmax",
                Integral(phi(x - a) * Phi(x - b), (x, -oo, oo)), exp(a) / (exp(a) + exp(b)))
    """)
    (step,) = result.results
    assert str(step.status) == "failed"
    assert step.counterexample and "lhs =" in step.counterexample


def test_the_gumbel_integral_with_a_wrong_value_fails(tmp_path):
    result = check_source(tmp_path, """
        a, b, x = d.scalars("a b x", real=True)
        G = lambda t: exp(-exp(-t))
        d.by_rule("P(1 wins) = e^a/(e^a + 2e^b)", "=",
                  Integral(exp(-(x - a)) * G(x - a) * G(x - b), (x, -oo, oo)),
                  exp(a) / (exp(a) + 2 * exp(b)), rule="antiderivative", premises=[],
                  using={"F": exp(a) / (exp(a) + exp(b)) * exp(-exp(-x) * (exp(a) + exp(b)))})
    """)
    (step,) = result.results
    assert str(step.status) == "failed"


def test_a_non_exponential_f_is_not_shift_invariant(tmp_path):
    result = check_source(tmp_path, """
        x, y, c = d.scalars("x y c", real=True)
        f = lambda t: 1 + t**2
        d.equal("(1 + x²) normalises shift-invariantly",
                f(x + c) / (f(x + c) + f(y + c)), f(x) / (f(x) + f(y)))
    """)
    (step,) = result.results
    assert str(step.status) == "failed" and step.counterexample


def test_a_merge_without_rescaling_is_wrong(tmp_path):
    result = check_source(tmp_path, """
        p, q = d.dimension("p"), d.dimension("q")
        z, w = d.vector("z", p, real=True), d.vector("w", q, real=True)
        j = SUM_INDEX
        M = lambda v, m: vector_max(v, m)
        ell = lambda v, m: Sum(exp(v[j] - M(v, m)), (j, 1, m))
        d.equal("lse of a concatenation from ℓ + ℓ′",
                log(Sum(exp(z[j]), (j, 1, p)) + Sum(exp(w[j]), (j, 1, q))),
                Max(M(z, p), M(w, q)) + log(ell(z, p) + ell(w, q)))
    """)
    (step,) = result.results
    assert str(step.status) == "failed" and step.counterexample


def test_a_limit_with_a_spurious_i_pi_is_not_proven(tmp_path):
    """SymPy's limit gives L + γ + iπ for this real antiderivative at +∞ (Γ(0, ·)'s series);
    the kernel refuses a non-real limit of a real expression, so the false value L + γ + iπ
    is not proven — and the true L + γ is, through E₁, the spelling SymPy gets right."""
    body = """
        x, L = d.scalars("x L", real=True)
        g = lambda t: exp(-t) * exp(-exp(-t))
        d.by_rule("mean", "=", Integral(x * g(x - L), (x, -oo, oo)), {value},
                  rule="antiderivative", premises=[],
                  using={{"F": x * exp(-exp(-(x - L))) - uppergamma(0, exp(-(x - L)))}})
    """
    wrong = check_source(tmp_path, body.format(value="L + EulerGamma + I*pi"))
    right = check_source(tmp_path, body.format(value="L + EulerGamma"))
    assert statuses(wrong)["mean"] == "failed"
    assert statuses(right)["mean"] == "proven"
