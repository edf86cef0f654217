"""Online softmax (whysoftmax.numeric._streaming): the one-shot accuracy whatever the
chunking, the merge's algebra to the ULP, attention against mpmath, and the tests saying no
to a merge that does not rescale."""

from __future__ import annotations

import functools
import warnings

import mpmath
import numpy as np
import pytest
from numpy.testing import assert_array_equal, assert_equal

from whysoftmax import mp
from whysoftmax import numeric as wn
from whysoftmax.testing import (
    ADVERSARIAL,
    assert_attention_matches,
    assert_matches_reference,
    attention_report,
    reference_values,
    ulp_errors,
    uneven_chunks,
)

SMALL = [name for name, case in ADVERSARIAL.items() if len(case.x) <= 1000]
LARGE = [name for name in ADVERSARIAL if name not in SMALL]


@pytest.fixture(autouse=True)
def no_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


def _cut(x: np.ndarray, chunking) -> list[np.ndarray]:
    if chunking == "single":
        return [x]
    if chunking == "uneven":
        return uneven_chunks(x)
    return [x[q:q + chunking] for q in range(0, len(x), chunking)]


def _tree(accs: list):
    while len(accs) > 1:
        accs = [a.merge(b) for a, b in zip(accs[::2], accs[1::2], strict=False)] + \
            accs[len(accs) // 2 * 2:]
    return accs[0]


def _worst(case: str, chunking) -> dict[str, float]:
    """Worst ULP of each result for one case cut one way: sequential updates, the second
    pass, and the chunks' accumulators merged as a tree."""
    chunks = _cut(ADVERSARIAL[case].x, chunking)
    acc = wn.OnlineLogSumExp()
    for chunk in chunks:
        acc.update(chunk)
    tree = _tree([wn.OnlineLogSumExp().update(chunk) for chunk in chunks])
    return {
        "logsumexp": ulp_errors([acc.logsumexp()], reference_values("logsumexp", case)).max(),
        "tree": ulp_errors([tree.logsumexp()], reference_values("logsumexp", case)).max(),
        "softmax": ulp_errors(np.concatenate([acc.softmax(c) for c in chunks]),
                              reference_values("softmax", case)).max(),
        "log_softmax": ulp_errors(np.concatenate([acc.log_softmax(c) for c in chunks]),
                                  reference_values("log_softmax", case)).max(),
    }


@pytest.mark.parametrize("chunking", ["single", "uneven", 7, 1])
@pytest.mark.parametrize("case", SMALL)
def test_within_two_ulp_whatever_the_chunking(case, chunking):
    worst = _worst(case, chunking)
    assert max(worst.values()) <= 2.0, worst


@pytest.mark.parametrize("chunking", ["single", "uneven", 4099])
@pytest.mark.parametrize("case", LARGE)
def test_within_two_ulp_on_the_long_cases(case, chunking):
    worst = _worst(case, chunking)
    assert max(worst.values()) <= 2.0, worst


@pytest.mark.parametrize("name", ["logsumexp_chunks", "softmax_chunks", "OnlineLogSumExp",
                                  "attention_chunks", "OnlineAttention"])
def test_the_oracle_measures_every_streaming_export(name):
    """The oracle's own calling convention (uneven chunks, a merge tree) on small cases;
    tests/test_numeric_derived.py runs the whole suite."""
    assert_matches_reference(getattr(wn, name), name, max_ulp=2.0, cases=SMALL)


# -- axes and shapes ----------------------------------------------------------------------------

RNG = np.random.default_rng(7)
X = RNG.normal(0, 20, (4, 9, 5))


@pytest.mark.parametrize("axis", [0, 1, 2, -1, None])
def test_chunks_along_an_axis_give_the_one_shot_results(axis):
    pieces = np.array_split(X, 3, axis=axis if axis is not None else 0)
    lse = wn.logsumexp_chunks(pieces, axis=axis)
    assert_array_equal(np.shape(lse), np.shape(wn.logsumexp(X, axis=axis)))
    flat = np.moveaxis(X, axis, -1).reshape(-1, X.shape[axis]) if axis is not None else \
        X.reshape(1, -1)
    reference = [mp.logsumexp(row) for row in flat]
    assert ulp_errors(np.ravel(lse), reference).max() <= 1.0
    if axis is None:
        return
    soft = np.concatenate(wn.softmax_chunks(pieces, axis=axis), axis=axis)
    assert soft.shape == X.shape
    reference = mp.along_axis(mp.softmax, X, axis=axis)
    assert np.abs(soft - reference).max() <= 2 * np.spacing(reference).max()
    assert ulp_errors(np.moveaxis(soft, axis, -1).ravel(),
                      [v for row in flat for v in mp.softmax(row)]).max() <= 2.0


def test_an_array_is_its_rows_and_a_generator_is_read_once():
    x = RNG.normal(0, 5, (6, 10))
    assert wn.logsumexp_chunks(x) == wn.logsumexp(x.ravel())
    generated = wn.softmax_chunks(row for row in x)
    assert len(generated) == 6
    assert_array_equal(np.concatenate(generated), np.concatenate(wn.softmax_chunks(list(x))))
    assert_array_equal(wn.OnlineLogSumExp().update(x[0]).n, 10)


def test_dtypes_follow_the_chunks():
    x32 = RNG.normal(0, 5, 50).astype(np.float32)
    acc = wn.OnlineLogSumExp().update(x32[:20]).update(x32[20:])
    assert acc.logsumexp().dtype == np.float32
    assert acc.softmax(x32[:20]).dtype == np.float32
    reference = mp.softmax(x32.astype(np.float64))
    got = np.concatenate([acc.softmax(x32[:20]), acc.softmax(x32[20:])])
    assert ulp_errors(got, reference, np.float32).max() <= 1.0
    assert acc.update(np.zeros(3)).logsumexp().dtype == np.float64  # promoted
    assert wn.logsumexp_chunks([[1, 2], [3]]).dtype == np.float64  # integers


def test_special_values_follow_the_one_shot_conventions():
    rows = [np.array([0.0, 1.0, np.inf, 2.0, np.inf]), np.array([-np.inf] * 5),
            np.array([1.0, np.nan, 3.0, 0.0, -np.inf]),
            np.array([-np.inf, 0.5, 0.25, -np.inf, 7.0])]
    for x in rows:
        chunks = [x[:2], x[2:3], x[3:]]
        acc = functools.reduce(lambda a, c: a.update(c), chunks, wn.OnlineLogSumExp())
        assert_equal(acc.logsumexp(), wn.logsumexp(x))
        for what in ("softmax", "log_softmax"):  # NaN where NaN, ±inf where ±inf
            got = np.concatenate([getattr(acc, what)(c) for c in chunks])
            assert ulp_errors(got, getattr(mp, what)(x)).max() <= 2.0
            assert_equal(np.isfinite(got), np.isfinite(getattr(wn, what)(x)))
    assert wn.logsumexp_chunks([[], []]) == -np.inf  # no entries: −inf, as scipy


# -- the algebra of ⊕, to the ULP ------------------------------------------------------------

def _spread(values: list[float]) -> float:
    """The largest difference between the values, in ULPs of the smallest in magnitude."""
    values = np.array(values)
    return float((values.max() - values.min()) / np.spacing(np.abs(values).min()))


@pytest.mark.parametrize("case", [*SMALL, "n = 1e5 spread over [−800, 5]"])
def test_merge_order_and_grouping_do_not_matter(case):
    x = ADVERSARIAL[case].x
    chunks = uneven_chunks(x) + _cut(x[: min(len(x), 60)], 13)  # some entries twice
    accs = [wn.OnlineLogSumExp().update(c) for c in chunks]
    reference = mp.logsumexp(np.concatenate(chunks))
    groupings = {
        "left fold": functools.reduce(lambda a, b: a.merge(b), accs),
        "right fold": functools.reduce(lambda a, b: b.merge(a), accs[::-1]),
        "tree": _tree(accs),
        "reversed tree": _tree(accs[::-1]),
        "shuffled": _tree([accs[q] for q in np.random.default_rng(3).permutation(len(accs))]),
        "sequential": functools.reduce(lambda a, c: a.update(c), chunks, wn.OnlineLogSumExp()),
    }
    values = [float(acc.logsumexp()) for acc in groupings.values()]
    assert ulp_errors(values, [reference] * len(values)).max() <= 2.0
    assert _spread(values) <= 1.0, dict(zip(groupings, values, strict=True))
    a, b = accs[:2]
    assert a.merge(b).logsumexp() == b.merge(a).logsumexp()  # commutative, bit for bit


def test_the_identity_state():
    x = ADVERSARIAL["normal, scale 30, n = 1000"].x
    acc = wn.OnlineLogSumExp().update(x)
    for identity in (wn.OnlineLogSumExp(), wn.OnlineLogSumExp().update([]),
                     wn.OnlineLogSumExp().update([-np.inf, -np.inf])):
        assert identity.merge(acc).logsumexp() == acc.logsumexp()
        assert acc.merge(identity).logsumexp() == acc.logsumexp()
    assert acc.update([]).logsumexp() == wn.logsumexp(x)
    assert wn.OnlineLogSumExp().update([]).logsumexp() == -np.inf


def test_the_reference_moves_without_losing_digits():
    """Maxima that grow past the reference by more than 600 (the reference moves), and
    3000 chunks that each bring a new maximum by 1e-3 (no rescaling at all)."""
    rng = np.random.default_rng(5)
    jumps = [rng.normal(top, 3, 40) for top in (-2500, -1300, -650, 0, 700, 1400, 2100)]
    growing = [np.array([q * 1e-3]) for q in range(3000)]
    for chunks in (jumps, jumps[::-1], growing, growing[::-1]):
        x = np.concatenate(chunks)
        acc = functools.reduce(lambda a, c: a.update(c), chunks, wn.OnlineLogSumExp())
        tree = _tree([wn.OnlineLogSumExp().update(c) for c in chunks])
        for got in (acc.logsumexp(), tree.logsumexp()):
            assert ulp_errors([got], [mp.logsumexp(x)]).max() <= 1.0
        softmax = np.concatenate([acc.softmax(c) for c in chunks])
        assert ulp_errors(softmax, mp.softmax(x)).max() <= 2.0


def test_a_merge_that_does_not_rescale_is_caught():
    """ℓ + ℓ′ instead of ℓe^{m−M} + ℓ′e^{m′−M}: wrong by far more than 2 ULP; and the
    textbook online softmax (rescaled, but ℓ a float and log ℓ) loses a tiny T."""
    def states(chunks):
        return [(np.max(c), np.sum(np.exp(c - np.max(c)))) for c in chunks if len(c)]

    def unscaled(chunks):
        m, ell = functools.reduce(lambda a, b: (max(a[0], b[0]), a[1] + b[1]), states(chunks))
        return m + np.log(ell)

    def textbook(chunks):
        def merge(a, b):
            top = max(a[0], b[0])
            return top, a[1] * np.exp(a[0] - top) + b[1] * np.exp(b[0] - top)
        m, ell = functools.reduce(merge, states(chunks))
        return m + np.log(ell)

    with pytest.raises(AssertionError, match=r"logsumexp_chunks exceeds 2\.0 ULP"):
        assert_matches_reference(unscaled, "logsumexp_chunks", cases=["normal, scale 30, n = 1000"])
    report = assert_matches_reference(textbook, "logsumexp_chunks", max_ulp=1e20,
                                      cases=["gap 55", "n = 2^20, normal(0, 3)"])
    assert report.rows[0].worst > 1e15  # log(1 + 1.3e-24) = 0
    assert_matches_reference(wn.logsumexp_chunks, "logsumexp_chunks", cases=["gap 55"])


# -- attention ------------------------------------------------------------------------------

Q = np.array([[1.0, -2.0, 0.5], [3.0, 0.25, -1.0], [-0.5, 0.0, 8.0]])
K = np.round(np.random.default_rng(11).normal(0, 3, (40, 3)) * 8) / 8  # q·k exact
V_POSITIVE = np.random.default_rng(12).uniform(0.5, 2.0, (40, 4))


def _blockwise(block: int, tree: bool = False):
    def attention(q, k, v):
        scores = q @ k.T  # exact for these q, K
        accs = [wn.OnlineAttention().update(scores[:, j:j + block], v[j:j + block])
                for j in range(0, len(k), block)]
        if tree:
            return _tree(accs).output()
        return functools.reduce(lambda a, b: a.merge(b), accs).output()
    return attention


@pytest.mark.parametrize(("block", "tree"), [(40, False), (7, False), (1, False), (3, True)])
def test_attention_within_two_ulp_of_mpmath(block, tree):
    assert_attention_matches(_blockwise(block, tree), Q, K, V_POSITIVE)
    assert_attention_matches(_blockwise(block, tree), Q * 40, K, V_POSITIVE)  # gaps to 1e3


def test_attention_streams_with_masked_blocks():
    """Causal masking: later keys hidden from earlier queries, whole blocks −inf."""
    q = np.repeat(Q, 4, axis=0) * 3
    scores = q @ K[:12].T
    scores[np.triu_indices(12, 1)] = -np.inf
    acc = wn.OnlineAttention()
    for j in range(0, 12, 3):
        acc.update(scores[:, j:j + 3], V_POSITIVE[j:j + 3])
    want = [mp.attention(row, V_POSITIVE[:12]) for row in scores]
    assert ulp_errors(acc.output(), [v for row in want for v in row]).max() <= 2.0
    assert_array_equal(acc.output().shape, (12, 4))


def test_attention_with_mixed_signs_within_its_condition_number():
    """Σ s_j v_j cancels: the error is bounded by κ = Σ s_j|v_j| / |Σ s_j v_j| times 2^-60."""
    v = np.random.default_rng(13).normal(0, 1, (40, 6))
    got = _blockwise(5)(Q * 4, K, v)
    want = mp.scaled_dot_product_attention(Q * 4, K, v)
    errors = ulp_errors(got, [x for row in want for x in row])
    s = wn.softmax(Q * 4 @ K.T, axis=-1)
    kappa = (s @ np.abs(v)) / np.abs(got)
    assert np.all(errors.reshape(got.shape) <= 2 + kappa * 2.0**-7)


def test_the_attention_oracle_says_no():
    def unscaled_merge(q, k, v, block=8):
        scores = q @ k.T
        out, ell = 0.0, 0.0
        for j in range(0, len(k), block):  # ℓ and o summed without e^{m−M}
            e = np.exp(scores[:, j:j + block] - scores[:, j:j + block].max(axis=1, keepdims=True))
            out, ell = out + e @ v[j:j + block], ell + e.sum(axis=1, keepdims=True)
        return out / ell

    with pytest.raises(AssertionError, match=r"^attention exceeds 2\.0 ULP: worst .* ULP "
                       r"\(relative .*\) at \(query, column\) \(\d+, \d+\): got .*, reference"):
        assert_attention_matches(unscaled_merge, Q, K, V_POSITIVE)
    assert attention_report(unscaled_merge, Q, K, V_POSITIVE).worst_relative > 1e-3
    output = _blockwise(7)(Q, K, V_POSITIVE)
    assert assert_attention_matches(output, Q, K, V_POSITIVE).worst <= 1.0  # an array


def test_attention_special_scores_and_shapes():
    acc = wn.OnlineAttention().update([[0.0, np.inf], [np.nan, 1.0]], [[1.0, 2.0], [3.0, 4.0]])
    acc.update([[np.inf, 5.0], [0.0, 0.0]], [[5.0, 6.0], [7.0, 8.0]])
    assert_array_equal(acc.output()[0], [4.0, 5.0])  # the mean of the values at +inf
    assert np.isnan(acc.output()[1]).all()
    masked = wn.OnlineAttention().update([-np.inf, -np.inf], [[1.0], [2.0]])
    assert np.isnan(masked.output()).all()
    per_query = RNG.uniform(1, 2, (2, 3, 5, 4))  # values per query: (..., n, d)
    out = wn.OnlineAttention().update(np.zeros((2, 3, 5)), per_query).output()
    assert_array_equal(out.shape, (2, 3, 4))
    mean = [mpmath.fsum(map(mpmath.mpf, column.tolist())) / 5 for column in
            np.moveaxis(per_query, 2, -1).reshape(-1, 5)]
    assert ulp_errors(out, mean).max() <= 1.0
    assert_array_equal(wn.attention_chunks([([0.0], [[2.0]]), ([0.0], [[4.0]])]), [3.0])
    blocks = ((q @ K[j:j + 8].T, V_POSITIVE[j:j + 8]) for q in [Q] for j in range(0, 40, 8))
    assert_array_equal(wn.attention_chunks(blocks), _blockwise(8)(Q, K, V_POSITIVE))


# -- bad input: one line naming the function ------------------------------------------------

BAD = [
    (lambda: wn.OnlineLogSumExp().update(["a", "b"]), TypeError,
     r"^OnlineLogSumExp\.update: x has dtype <U1"),
    (lambda: wn.OnlineLogSumExp().update([1 + 2j]), TypeError,
     r"^OnlineLogSumExp\.update: x has dtype complex128; complex numbers not supported"),
    (lambda: wn.OnlineLogSumExp(np.zeros((2, 3)), axis=1).update(np.zeros((3, 3))),
     ValueError, r"^OnlineLogSumExp\.update: x has slices of shape \(3,\), the chunks before "
     r"\(2,\)"),
    (lambda: wn.OnlineLogSumExp(axis=2).update(np.zeros(3)), np.exceptions.AxisError,
     r"^OnlineLogSumExp\.update: axis 2 is out of bounds"),
    (lambda: wn.OnlineLogSumExp(axis="last"), TypeError,
     r"^OnlineLogSumExp: axis must be an integer or None, not str"),
    (lambda: wn.OnlineLogSumExp(axis=0).merge(wn.OnlineLogSumExp(axis=1)), ValueError,
     r"^OnlineLogSumExp\.merge: the accumulators reduce along different axes \(0 and 1\)"),
    (lambda: wn.OnlineLogSumExp(np.zeros((2, 3))).merge(wn.OnlineLogSumExp(np.zeros((3, 3)))),
     ValueError, r"^OnlineLogSumExp\.merge: other has slices of shape \(3,\), the chunks "),
    (lambda: wn.OnlineLogSumExp().merge(wn.OnlineAttention()), TypeError,
     r"^OnlineLogSumExp\.merge: can only merge with another OnlineLogSumExp, not "),
    (lambda: wn.OnlineLogSumExp().softmax([1.0]), ValueError,
     r"^OnlineLogSumExp\.softmax: no chunk seen yet"),
    (lambda: wn.OnlineLogSumExp([]).log_softmax([]), ValueError,
     r"^OnlineLogSumExp\.log_softmax: the stream has no entries"),
    (lambda: wn.OnlineLogSumExp(np.zeros((2, 3)), axis=0).softmax(np.zeros((2, 4))),
     ValueError, r"^OnlineLogSumExp\.softmax: x has slices of shape \(4,\), the stream \(3,\)"),
    (lambda: wn.logsumexp_chunks([]), ValueError, r"^logsumexp_chunks: no chunks"),
    (lambda: wn.logsumexp_chunks(3.0), TypeError,
     r"^logsumexp_chunks: x must be an iterable of arrays, not float"),
    (lambda: wn.softmax_chunks([np.zeros((2, 3)), np.zeros((3, 3))]), ValueError,
     r"^softmax_chunks: chunk 1 has slices of shape \(3,\), the chunks before \(2,\)"),
    (lambda: wn.softmax_chunks([[1.0], [np.float128(1.0)]]), TypeError,
     r"^softmax_chunks: chunk 1 has dtype float128"),
    (lambda: wn.OnlineAttention().update([0.0, 1.0], [1.0, 2.0]), ValueError,
     r"^OnlineAttention\.update: v has shape \(2,\) for scores of shape \(2,\); "
     r"expected \(\.\.\., 2, d\)"),
    (lambda: wn.OnlineAttention().update(np.zeros((3, 2)), np.zeros((2, 2, 1))), ValueError,
     r"^OnlineAttention\.update: v of shape \(2, 2, 1\) does not broadcast"),
    (lambda: wn.OnlineAttention([0.0], [[1.0]]).update([0.0], [[1.0, 2.0]]),
     ValueError, r"^OnlineAttention\.update: v has 2 columns, the values before 1"),
    (lambda: wn.OnlineAttention([0.0]), TypeError, r"^OnlineAttention: the values v are missing"),
    (lambda: wn.OnlineAttention().output(), ValueError,
     r"^OnlineAttention\.output: no chunk seen yet"),
    (lambda: wn.attention_chunks([([0.0],)]), TypeError,
     r"^attention_chunks: block 0 is not a pair \(scores, values\)"),
    (lambda: wn.attention_chunks([([0.0], [[1.0]]), ([0.0], [1.0])]), ValueError,
     r"^attention_chunks: block 1: v has shape \(1,\) for scores of shape \(1,\)"),
    (lambda: wn.attention_chunks([([], np.zeros((0, 2)))]), ValueError,
     r"^attention_chunks: no keys"),
]


@pytest.mark.parametrize(("call", "error", "message"), BAD)
def test_bad_input_fails_with_one_line_naming_the_function(call, error, message):
    with pytest.raises(error, match=message) as caught:
        call()
    assert "\n" not in str(caught.value)


STREAMING = ["OnlineAttention", "OnlineLogSumExp", "attention_chunks", "logsumexp_chunks",
             "softmax_chunks"]


@pytest.mark.parametrize("name", STREAMING)
def test_a_bad_first_argument_is_named_x(name):
    """As every export: ``name(x)`` with strings or complex numbers names x."""
    for x, what in ((np.array(["a"]), "<U1"), (np.array([1j]), "complex128; complex")):
        with pytest.raises(TypeError, match=f"^{name}: x has dtype {what}"):
            getattr(wn, name)(x)


def test_every_export_is_listed():
    assert set(STREAMING) <= set(wn.__all__) and set(STREAMING) <= set(mp.__all__)
    assert wn.__all__ == sorted(wn.__all__)
