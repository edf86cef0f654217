"""Why exp: softmax is the only shift-invariant normaliser, z^p/Σz^p the only scale-invariant one.

Why it matters: "why softmax and not dividing by the sum?" has a sharp answer. Normalise
positive scores f(z_i)/Σ_j f(z_j) with any differentiable f > 0. If the result must not
change when every logit moves by the same amount — logits are only defined up to a common
offset — then f(x) = f(0)·e^{βx}: the normaliser *is* softmax(βz). If instead it must not
change when every input is scaled (positive inputs), then f(x) = f(1)·x^p: a power
normalisation, of which dividing by the sum (p = 1) is one — blurry, as the thread says,
because it cannot see how large the inputs are.

The argument already works for n = 2. Each step is a rule the kernel checks; the only
hypothesis is invariance itself, so every conclusion is "proven assuming" it — the theorem
"if invariant, then exponential". The converse (softmax is shift invariant) is proven in
shift_invariance.
"""

from sympy import Derivative, Lambda, Subs, exp

from whysoftmax import Derivation

d = Derivation(
    "why_exp",
    title="Why exp: the only shift-invariant normaliser",
    sources=[
        ("aczel1966", "§2.1"),
        ("cv189331", ""),
    ],
)
x, y, c = d.scalars("x y c", real=True)
u, v, a = d.scalars("u v a", positive=True)
t = d.scalar("t", real=True)
f = d.function("f", positive=True, examples=[Lambda(t, 2 * exp(3 * t)),
                                              Lambda(t, exp(-t / 2) / 3)])
g = d.function("g", positive=True, examples=[Lambda(t, 3 * t**2), Lambda(t, t ** -1 / 2)])


def N(h, p, q):
    """The first component of h(p)/(h(p) + h(q)): a normaliser for n = 2."""
    return h(p) / (h(p) + h(q))


def fp(point):
    """f′ at ``point``."""
    return Subs(Derivative(f(t), t), t, point)


def gp(point):
    """g′ at ``point``."""
    return Subs(Derivative(g(t), t), t, point)


beta = fp(0) / f(0)
shift_examples = [{f: Lambda(t, 2 * exp(3 * t))}, {f: Lambda(t, exp(-t / 2) / 3)}]

d.text(
    r"\textbf{Shift invariance.} Suppose $N(z + c\mathbf{1}) = N(z)$ for all $z$ and $c$; "
    r"for $n = 2$ and its first component:"
)
d.assume("N is shift invariant", N(f, x + c, y + c), N(f, x, y), examples=shift_examples,
         why="the hypothesis: a common offset of the logits carries no information")
d.by_rule("f(x + c) f(y) = f(x) f(y + c)", "=", f(x + c) * f(y), f(x) * f(y + c),
          rule="positive combination", premises=["N is shift invariant"],
          using={"coefficients": [(f(x + c) + f(y + c)) * (f(x) + f(y))]},
          why="Multiply out the two positive denominators.")
d.by_rule("f(x + c) f(0) = f(x) f(c)", "=", f(x + c) * f(0), f(x) * f(c),
          rule="instantiation", premises=["f(x + c) f(y) = f(x) f(y + c)"],
          using={"map": {y: 0}}, why="y = 0: the multiplicative Cauchy equation for f/f(0).")
d.by_rule("∂/∂c: f′(x + c) f(0) = f(x) f′(c)", "=", Derivative(f(x + c), c) * f(0),
          f(x) * Derivative(f(c), c), rule="differentiate",
          premises=["f(x + c) f(0) = f(x) f(c)"], using={"variable": c},
          why="An identity in c may be differentiated in c.")
d.by_rule("f′(x) f(0) = f(x) f′(0)", "=", fp(x) * f(0), f(x) * fp(0), rule="instantiation",
          premises=["∂/∂c: f′(x + c) f(0) = f(x) f′(c)"], using={"map": {c: 0}})
d.by_rule("f′ = β f with β = f′(0)/f(0)", "=", Derivative(f(x), x), beta * f(x),
          rule="positive combination", premises=["f′(x) f(0) = f(x) f′(0)"],
          using={"coefficients": [1 / f(0)]})
d.by_rule("(f e^{−βx})′ = 0", "=", Derivative(f(x) * exp(-beta * x), x), 0,
          rule="positive combination", premises=["f′ = β f with β = f′(0)/f(0)"],
          using={"coefficients": [exp(-beta * x)]},
          why="(f e^{−βx})′ = (f′ − βf) e^{−βx}.")
d.by_rule("f e^{−βx} is constant", "=", f(x) * exp(-beta * x), f(0), rule="zero derivative",
          premises=["(f e^{−βx})′ = 0"], using={"variable": x, "at": 0},
          why="A function with derivative 0 on ℝ is constant (mean value theorem).")
d.by_rule("f(x) = f(0) e^{βx}", "=", f(x), f(0) * exp(beta * x), rule="positive combination",
          premises=["f e^{−βx} is constant"], using={"coefficients": [exp(beta * x)]},
          why="The solution of f′ = βf with initial value f(0), as dsolve finds.")
d.by_rule("f(y) = f(0) e^{βy}", "=", f(y), f(0) * exp(beta * y), rule="instantiation",
          premises=["f(x) = f(0) e^{βx}"], using={"map": {x: y}})
d.by_rule(
    "N is softmax(βz)", "=", N(f, x, y), exp(beta * x) / (exp(beta * x) + exp(beta * y)),
    rule="positive combination", premises=["f(x) = f(0) e^{βx}", "f(y) = f(0) e^{βy}"],
    using={"coefficients": [
        exp(beta * y) / ((f(x) + f(y)) * (exp(beta * x) + exp(beta * y))),
        -exp(beta * x) / ((f(x) + f(y)) * (exp(beta * x) + exp(beta * y)))]},
    why="f(0) cancels: a shift-invariant normaliser is softmax with inverse temperature β.",
)

d.text(
    r"\textbf{Scale invariance.} For positive inputs, suppose instead "
    r"$N(a z) = N(z)$ for all $z$ and every $a > 0$, with $g > 0$ differentiable on "
    r"$(0, \infty)$:"
)
scale_examples = [{g: Lambda(t, 3 * t**2)}, {g: Lambda(t, t ** -1 / 2)}]
p_ = gp(1) / g(1)
d.assume("N is scale invariant", N(g, a * u, a * v), N(g, u, v), examples=scale_examples,
         why="the hypothesis: only the ratios of the inputs matter")
d.by_rule("g(au) g(v) = g(u) g(av)", "=", g(a * u) * g(v), g(u) * g(a * v),
          rule="positive combination", premises=["N is scale invariant"],
          using={"coefficients": [(g(a * u) + g(a * v)) * (g(u) + g(v))]})
d.by_rule("g(au) g(1) = g(u) g(a)", "=", g(a * u) * g(1), g(u) * g(a), rule="instantiation",
          premises=["g(au) g(v) = g(u) g(av)"], using={"map": {v: 1}})
d.by_rule("∂/∂a: u g′(au) g(1) = g(u) g′(a)", "=", Derivative(g(a * u), a) * g(1),
          g(u) * Derivative(g(a), a), rule="differentiate",
          premises=["g(au) g(1) = g(u) g(a)"], using={"variable": a})
d.by_rule("u g′(u) g(1) = g(u) g′(1)", "=", u * gp(u) * g(1), g(u) * gp(1),
          rule="instantiation", premises=["∂/∂a: u g′(au) g(1) = g(u) g′(a)"],
          using={"map": {a: 1}})
d.by_rule("(g u^{−p})′ = 0 with p = g′(1)/g(1)", "=", Derivative(g(u) * u**-p_, u), 0,
          rule="positive combination", premises=["u g′(u) g(1) = g(u) g′(1)"],
          using={"coefficients": [u ** (-p_ - 1) / g(1)]},
          why="(g u^{−p})′ = (u g′ − p g) u^{−p−1}.")
d.by_rule("g u^{−p} is constant", "=", g(u) * u**-p_, g(1), rule="zero derivative",
          premises=["(g u^{−p})′ = 0 with p = g′(1)/g(1)"], using={"variable": u, "at": 1})
d.by_rule("g(u) = g(1) u^p", "=", g(u), g(1) * u**p_, rule="positive combination",
          premises=["g u^{−p} is constant"], using={"coefficients": [u**p_]})
d.by_rule("g(v) = g(1) v^p", "=", g(v), g(1) * v**p_, rule="instantiation",
          premises=["g(u) = g(1) u^p"], using={"map": {u: v}})
d.by_rule(
    "N is a power normalisation", "=", N(g, u, v), u**p_ / (u**p_ + v**p_),
    rule="positive combination", premises=["g(u) = g(1) u^p", "g(v) = g(1) v^p"],
    using={"coefficients": [v**p_ / ((g(u) + g(v)) * (u**p_ + v**p_)),
                            -(u**p_) / ((g(u) + g(v)) * (u**p_ + v**p_))]},
    why="Dividing by the sum is p = 1: it sees only ratios, never how confident the scores are.",
)

if __name__ == "__main__":
    d.main()
