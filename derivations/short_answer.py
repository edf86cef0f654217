"""The question, and the answer in two pages.

A network ends with n scores z_1, …, z_n, one per class, and must turn them into
probabilities. Softmax does it with exponentials, s_i = e^{z_i}/Σ_j e^{z_j}. Why not just
divide each score by the sum of the scores — shifting them first to make them positive,
if need be? That is the question of a well-known Cross Validated thread, and this book
answers it with claims that are each checked. This chapter gives the answer in prose;
every statement points to the numbered claim that proves it.
"""

from sympy import Rational, exp

from whysoftmax import Derivation

d = Derivation(
    "short_answer",
    title="The short answer",
    sources=[("cv189331", "question and answers")],
)

d.text(
    r"\textbf{1. Dividing by the sum is not a probability.} $z/\sum_j z_j$ is undefined "
    r"wherever the scores sum to zero ([[sum_normalisation:z / Σz is not defined on all of ℝⁿ]]) "
    r"and negative wherever a score is negative "
    r"([[sum_normalisation:z / Σz can be negative]]); shifting the scores to make them "
    r"positive only moves the problem "
    r"([[sum_normalisation:min-shift normalisation is not strictly positive]]). Softmax is "
    r"defined, positive and sums to one for every input (Table~\ref{tab:properties})."
)
d.text(
    r"\textbf{2. Softmax reads the size of the scores; the sum cannot.} The thread's example: "
    r"the scores $(1, 2)$ of a blurry picture and $(10, 20)$ of a sharp one. Dividing by the "
    r"sum gives $1/3$ and $2/3$ for both "
    r"([[scale_and_shift:sum normalisation is scale invariant]]); softmax gives the second "
    r"class [[=softmax([1, 2])_2]] for the blurry picture and [[=softmax([10, 20])_2]] for "
    r"the sharp one "
    r"([[scale_and_shift:softmax is not scale invariant]]). What softmax ignores instead is a "
    r"common offset of all scores ([[shift_invariance:softmax(z + c) = softmax(z)]]) — "
    r"exactly the information a score does not carry, since only differences of scores "
    r"decide between classes."
)
d.approximately("softmax([1, 2])_2", exp(2) / (exp(1) + exp(2)), "0.73105858",
                why="e²/(e + e²) = 1/(1 + e⁻¹).")
d.approximately("softmax([10, 20])_2", exp(20) / (exp(10) + exp(20)), "0.999954602",
                why="1/(1 + e⁻¹⁰).")
d.equal("sum normalisation gives 2/3 for both", 20 / (10 + Rational(20)), Rational(2, 3),
        why="2/(1 + 2) = 20/(10 + 20).")
d.text(
    r"\textbf{3. Exponentials are forced, not chosen.} Ask only that a normaliser "
    r"$f(z_i)/\sum_j f(z_j)$ ignore a common offset of the scores: then $f$ must be an "
    r"exponential, and the normaliser is softmax with some inverse temperature "
    r"([[why_exp:N is softmax(βz)]]). Ask instead that it ignore a common scale: then $f$ "
    r"is a power, and dividing by the sum is the case $p = 1$ "
    r"([[why_exp:N is a power normalisation]]). The same function comes out of four "
    r"independent routes: the categorical distribution written as an exponential family "
    r"([[exponential_family:φ is softmax(η)]]), the distribution of maximal entropy at a "
    r"given expected score ([[maximum_entropy:the maximiser is softmax(z)]]), Luce's axiom "
    r"that odds between two options do not depend on the others "
    r"([[luce_choice:p = softmax(z) with z = log w]]), and the choice of the best option "
    r"under Gumbel noise ([[random_utility:P(i wins) = softmax(z)_i]])."
)
d.text(
    r"\textbf{4. It learns well.} With the cross-entropy loss the gradient is simply "
    r"$s - \mathrm{onehot}(y)$ ([[cross_entropy_gradient:∂(−log s_y)/∂z_k = s_k − δ_yk]]): "
    r"every entry lies in $[-1, 1]$ "
    r"([[cross_entropy_gradient:−1 ≤ s_k − δ_yk]]), and when the network is confidently "
    r"wrong it tends to $-1$, a full-size correction "
    r"([[cross_entropy_gradient:CE gradient → −1 as the wrong class wins]]), while the "
    r"squared error's gradient vanishes there "
    r"([[cross_entropy_gradient:MSE gradient → 0 as the wrong class wins]]). Through "
    r"dividing by the sum the same gradient is unbounded "
    r"([[sum_normalisation:that gradient is not bounded by 1]]). Softmax is also "
    r"$\tfrac12$-Lipschitz ([[lipschitz:softmax is 1/2-Lipschitz]]): small changes of the "
    r"scores make small changes of the probabilities."
)
d.text(
    r"\textbf{5. The exponentials are not the cost.} Computed as written, $e^{z_i}$ "
    r"overflows; computed after subtracting $\max z$ it cannot, and the result is the same "
    r"([[shift_invariance:max-shifted form, m = max z]]). $\log s_i$ is within $\log n$ of "
    r"$z_i - \max z$ ([[log_softmax:z_i − max z − log n ≤ log s_i]]), and blocks of scores "
    r"combine exactly in one pass ([[online_softmax:lse of a concatenation]]), which is how "
    r"attention is computed at scale. Temperature interpolates between the uniform "
    r"distribution ([[temperature:uniform as c → 0]]) and the arg max "
    r"([[temperature:the arg max → 1 as c → ∞]])."
)
d.text(
    r"The rest of the book proves these claims one step at a time; the property matrix "
    r"(Table~\ref{tab:properties}) puts softmax next to five alternatives."
)

if __name__ == "__main__":
    d.main()
