"""The functions of :mod:`whysoftmax.numeric`, at any precision, with mpmath.

These are the references: each evaluates the proven form of its derivation step with
``dps`` significant digits (default 100), so a float64 kernel can be measured against
them in ULPs. The forms are the stable ones (``derivations/stable_forms.py``) — an
identity is exact at any precision, but ``1 − s_i`` written as ``1 − s_i`` would need
hundreds of digits where ``Σ_{j≠i} s_j`` needs none.

Inputs are 1-D sequences (lists, tuples, numpy arrays) of numbers; floats are taken
exactly (a float64 is a dyadic rational), so a reference is the exact answer for the float
input. Results are lists of ``mpf`` (or one ``mpf``). The special values follow the same
rule as the kernels (:mod:`whysoftmax.numeric._special`). :func:`along_axis` applies a
function to every slice of an n-D array and rounds to float64.

Examples
--------
>>> from whysoftmax import mp
>>> mp.softmax([1, 2], dps=30)
[mpf('0.268941421369995120748840758984'), mpf('0.731058578630004879251159241016')]
>>> mp.log_softmax([0.0, -55.0], dps=20)[0]
mpf('-1.2995814250075030736e-24')
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Callable, Sequence
from fractions import Fraction

import mpmath
import numpy as np

from .numeric import __all__ as _numeric_all
from .numeric._special import classify, rule

__all__ = sorted([*_numeric_all, "along_axis", "sparsemax_of_numbers"])

DEFAULT_DPS = 100


def _mpf_list(x: Sequence) -> list:
    values = np.asarray(x).ravel().tolist() if isinstance(x, np.ndarray) else list(x)
    return [mpmath.mpf(v) for v in values]


class _Entries:
    """A 1-D input as its distinct values (mpf), each entry's value index and the counts:
    references are computed once per distinct value (the suite's 2^20-entry case has a
    few thousand). Float arrays are classified with numpy; other sequences entry by entry."""

    def __init__(self, x: Sequence):
        if isinstance(x, np.ndarray) and x.dtype.kind in "fiu":
            arr = x.ravel().astype(np.float64)
            unique, self.index, counts = np.unique(arr, return_inverse=True, return_counts=True)
            self.values = [mpmath.mpf(v) for v in unique.tolist()]
            self.flags = (bool(np.isnan(arr).any()), int(np.isposinf(arr).sum()),
                          bool(arr.size) and bool(np.isneginf(arr).all()))
            self.k = int(np.argmax(arr)) if arr.size else 0
        else:
            self.values = _mpf_list(x)
            self.index, counts = np.arange(len(self.values)), np.ones(len(self.values), int)
            self.flags = classify(self.values)
            self.k = max(range(len(self.values)), key=self.values.__getitem__, default=0)
        self.counts = counts.tolist()
        self.index = self.index.tolist()

    def expand(self, per_value: list) -> list:
        return [per_value[q] for q in self.index]

    def special(self, what: str):
        """The conventions of whysoftmax.numeric for NaN, +inf and all −inf, or None."""
        values = rule(what, *self.flags, number=mpmath.mpf, log=mpmath.log)
        if values is None or what == "logsumexp":
            return None if values is None else values[0]
        return self.expand([values[0] if v == mpmath.inf else values[1] for v in self.values])


class _Gaps:
    """m = max z, e^{z_j − m} (exact differences) per distinct value, and
    T = Σ_{j≠k} e^{z_j − m}: the arg max term left out once."""

    def __init__(self, entries: _Entries):
        self.m = max(entries.values)
        self.exp = [mpmath.exp(mpmath.fsub(v, self.m, exact=True)) for v in entries.values]
        self.rest = mpmath.fsum(e * (c - (v == self.m)) for v, e, c in
                                zip(entries.values, self.exp, entries.counts, strict=True))


def logsumexp(x: Sequence, dps: int = DEFAULT_DPS):
    r""":math:`\log \sum_j e^{z_j} = m + \operatorname{log1p}(\sum_{j \ne k} e^{z_j - m})`.

    The log1p form (``stable_forms`` / "log-sum-exp with log1p") keeps every digit even
    when the sum is 1 + 1e-311, which ``log`` of the sum would round to 0 at any sensible
    precision.
    """
    with mpmath.workdps(dps):
        entries = _Entries(x)
        if not entries.values:
            return -mpmath.inf
        special = entries.special("logsumexp")
        if special is not None:
            return +special
        gaps = _Gaps(entries)
        return gaps.m + mpmath.log1p(gaps.rest)


def softmax(x: Sequence, dps: int = DEFAULT_DPS) -> list:
    r""":math:`e^{z_i - m} / (1 + \sum_{j \ne k} e^{z_j - m})` = :math:`e^{z_i}/\sum_j e^{z_j}`."""
    with mpmath.workdps(dps):
        entries = _Entries(x)
        special = entries.special("softmax")
        if special is not None:
            return special
        gaps = _Gaps(entries)
        total = 1 + gaps.rest
        return entries.expand([e / total for e in gaps.exp])


def log_softmax(x: Sequence, dps: int = DEFAULT_DPS) -> list:
    r""":math:`(z_i - m) - \operatorname{log1p}(\sum_{j \ne k} e^{z_j - m})` = z_i − lse(z).

    Not ``z_i − lse(z)`` as written: at 70 digits 125 + 5e-55 keeps only 13 digits of the
    small part, and log s_k of the arg max is exactly that small part.
    """
    with mpmath.workdps(dps):
        entries = _Entries(x)
        special = entries.special("log_softmax")
        if special is not None:
            return special
        gaps = _Gaps(entries)
        lse_rest = mpmath.log1p(gaps.rest)
        return entries.expand([mpmath.fsub(v, gaps.m, exact=True) - lse_rest
                               for v in entries.values])


def _one_minus(x: Sequence) -> tuple[list, list]:
    """softmax, and ``1 − s_i = Σ_{j≠i} s_j`` (``stable_forms`` / "one minus softmax"):
    ``T/(1 + T)`` at the arg max, ``1 − s_i`` elsewhere (where ``s_i ≤ ½`` cancels nothing)."""
    entries = _Entries(x)
    special = entries.special("softmax")
    if special is not None:
        return special, [1 - v for v in special]
    gaps = _Gaps(entries)
    total = 1 + gaps.rest
    s = [e / total for e in gaps.exp]
    rest = entries.expand([1 - v for v in s])
    rest[entries.k] = gaps.rest / total
    return entries.expand(s), rest


def softmax_jacobian(x: Sequence, dps: int = DEFAULT_DPS) -> list[list]:
    r""":math:`J_{ik} = s_i(\delta_{ik} - s_k)`, the diagonal :math:`s_i\sum_{j \ne i} s_j`
    (``jacobian`` / "matrix form", ``stable_forms`` / "one minus softmax")."""
    with mpmath.workdps(dps):
        s, rest = _one_minus(x)
        return [[si * rest[i] if i == k else -si * sk for k, sk in enumerate(s)]
                for i, si in enumerate(s)]


def softmax_jvp(x: Sequence, v: Sequence, dps: int = DEFAULT_DPS) -> list:
    r""":math:`(Jv)_i = s_i((v_i - v_k) - \sum_{j \ne k} s_j (v_j - v_k))`, k the arg max
    (``stable_forms`` / "Jacobian-vector product, centred at the arg max")."""
    with mpmath.workdps(dps):
        s = softmax(x, dps)
        direction = _Entries(v)
        at_k = direction.values[direction.index[_Entries(x).k]]
        pairs = list(zip(map(id, s), direction.index, strict=True))  # distinct (s_j, v_j)
        by_id = {id(t): t for t in s}
        shift = mpmath.fsum(c * by_id[sj] * (direction.values[vj] - at_k)
                            for (sj, vj), c in Counter(pairs).items())
        values = {(sj, vj): by_id[sj] * ((direction.values[vj] - at_k) - shift)
                  for sj, vj in set(pairs)}
        return [values[pair] for pair in pairs]


def cross_entropy(x: Sequence, target: int, dps: int = DEFAULT_DPS):
    r""":math:`-\log s_y` for a 0-based class ``target`` (``cross_entropy_gradient``)."""
    return -log_softmax(x, dps)[target]


def cross_entropy_grad(x: Sequence, target: int, dps: int = DEFAULT_DPS) -> list:
    r""":math:`s - e_y`, at y :math:`-\sum_{j \ne y} s_j` (``cross_entropy_gradient``,
    ``stable_forms`` / "one minus softmax")."""
    with mpmath.workdps(dps):
        s, rest = _one_minus(x)
        return [-rest[i] if i == target else si for i, si in enumerate(s)]


def sigmoid(x, dps: int = DEFAULT_DPS):
    r""":math:`1/(1 + e^{-x})` (``sigmoid``)."""
    with mpmath.workdps(dps):
        return 1 / (1 + mpmath.exp(-mpmath.mpf(x)))


def log_sigmoid(x, dps: int = DEFAULT_DPS):
    r""":math:`-\log(1 + e^{-x})` (``sigmoid``)."""
    with mpmath.workdps(dps):
        return -mpmath.log1p(mpmath.exp(-mpmath.mpf(x)))


def _normalised(x: Sequence, term: Callable) -> list:
    """``q_i / Σ q_j`` with ``q_i = term(z_i)``, one term per distinct value; NaN throughout
    when a term is not finite or the sum is 0 (the kernels' rule)."""
    entries = _Entries(x)
    terms = [term(v) for v in entries.values]
    if not all(mpmath.isfinite(t) for t in terms):
        return [mpmath.nan] * len(entries.index)
    total = mpmath.fsum(t * c for t, c in zip(terms, entries.counts, strict=True))
    if not total:
        return [mpmath.nan] * len(entries.index)
    return entries.expand([t / total for t in terms])


def sum_normalize(x: Sequence, dps: int = DEFAULT_DPS) -> list:
    r""":math:`z_i / \sum_j z_j` (``sum_normalisation``)."""
    with mpmath.workdps(dps):
        return _normalised(x, lambda v: v)


def spherical_softmax(x: Sequence, eps=0, dps: int = DEFAULT_DPS) -> list:
    r""":math:`(z_i^2 + \varepsilon)/\sum_j (z_j^2 + \varepsilon)` (``spherical_and_taylor``)."""
    with mpmath.workdps(dps):
        return _normalised(x, lambda v: v * v + mpmath.mpf(eps))


def taylor_softmax(x: Sequence, dps: int = DEFAULT_DPS) -> list:
    r""":math:`(1 + z_i + z_i^2/2)/\sum_j (1 + z_j + z_j^2/2)` (``spherical_and_taylor``)."""
    with mpmath.workdps(dps):
        return _normalised(x, lambda v: 1 + v + v * v / 2)


def sparsemax_of_numbers(values: Sequence) -> list:
    """Sparsemax of concrete numbers, in their own arithmetic (exact for SymPy rationals,
    at the working precision for mpf).

    Martins & Astudillo 2016, Algorithm 1: sort decreasingly, take the largest support
    size k with 1 + k z_(k) > Σ_{r ≤ k} z_(r), threshold τ = (Σ_{r ≤ k} z_(r) − 1)/k, and
    return max(z_i − τ, 0).
    """
    ordered = sorted(values, reverse=True)
    total, support, support_total = 0, 0, 0
    for rank, value in enumerate(ordered, start=1):
        total += value
        if 1 + rank * value > total:
            support, support_total = rank, total
    tau = (support_total - 1) / support
    # "p if p > 0 else 0": asks only whether p > 0, which SymPy can decide for symbols
    # where max(p, 0) would ask the undecidable 0 > p at p = −w, w ≥ 0.
    return [p if p > 0 else 0 * p for p in (v - tau for v in values)]


def sparsemax(x: Sequence, dps: int = DEFAULT_DPS) -> list:
    r""":math:`\max(z_i - \tau, 0)` (``properties``; see :func:`sparsemax_of_numbers`),
    in exact rational arithmetic (a float is a dyadic rational), rounded to ``dps``: the
    support test 1 + k z_(k) > Σ z_(r) needs 1100 bits at z = 1e308."""
    values = np.asarray(x, float).ravel()
    with mpmath.workdps(dps):
        if np.isnan(values).any() or np.isposinf(values).any() or np.isneginf(values).all():
            return [mpmath.nan] * len(values)
        # Only entries within 1 of the largest can be in the support (the test
        # 1 > Σ_{r≤k}(z_(r) − z_(k)) ≥ z_(1) − z_(k)): τ from those, exactly.
        top = values.max()
        near = [Fraction(v) for v in values if v >= top - 1]
        support = [p > 0 for p in sparsemax_of_numbers(near)]
        kept = [z for z, inside in zip(near, support, strict=True) if inside]
        tau = (sum(kept) - 1) / len(kept)
        result = {v: _from_fraction(max(Fraction(v) - tau, Fraction(0))) for v in set(
            values.tolist()) if np.isfinite(v)}
        return [mpmath.mpf(0) if np.isneginf(v) else result[v] for v in values.tolist()]


def _from_fraction(v: Fraction):
    return mpmath.mpf(v.numerator) / v.denominator


# -- online softmax (derivations/online_softmax.py) -------------------------------------------

def _joined(chunks) -> Sequence:
    """1-D chunks end to end (float arrays stay an array: distinct values are found faster)."""
    chunks = [c if isinstance(c, np.ndarray) else list(c) for c in chunks]
    if chunks and all(isinstance(c, np.ndarray) for c in chunks):
        return np.concatenate([c.ravel() for c in chunks])
    return [v for c in chunks for v in (c.ravel().tolist() if isinstance(c, np.ndarray) else c)]


def logsumexp_chunks(x, dps: int = DEFAULT_DPS):
    r""":math:`\log \sum_j e^{z_j}` over the concatenation of the 1-D chunks ``x``: the left
    side of ``online_softmax`` / "lse of a concatenation", which merged states must meet."""
    return logsumexp(_joined(x), dps)


def softmax_chunks(x, dps: int = DEFAULT_DPS) -> list[list]:
    """The softmax of the concatenation of the 1-D chunks ``x``, one list per chunk."""
    chunks = [np.ravel(c) if isinstance(c, np.ndarray) else list(c) for c in x]
    values = softmax(_joined(chunks), dps)
    ends = np.cumsum([0] + [len(c) for c in chunks]).tolist()
    return [values[a:b] for a, b in itertools.pairwise(ends)]


def attention(scores: Sequence, values, dps: int = DEFAULT_DPS) -> list:
    r""":math:`\sum_j \operatorname{softmax}(z)_j v_j` for one query, ``scores`` (n,) and
    ``values`` (n, d) (``online_softmax`` / "merged accumulator / merged ℓ = softmax(z, w)·(v,
    u)", its right side); one product per distinct pair (s_j, v_j)."""
    with mpmath.workdps(dps):
        s = softmax(scores, dps)
        rows = [tuple(r) for r in np.asarray(values, dtype=object).reshape(len(s), -1).tolist()]
        by_id = {id(t): t for t in s}
        pairs = Counter(zip(map(id, s), rows, strict=True))
        return [mpmath.fsum(count * by_id[k] * mpmath.mpf(row[col])
                            for (k, row), count in pairs.items()) for col in range(len(rows[0]))]


def scaled_dot_product_attention(q, K, V, scale=1, dps: int = DEFAULT_DPS) -> list[list]:
    """``softmax(scale·q·Kᵀ)·V``, a list per query (row of ``q``), the scores exact (the
    products of floats summed at ``dps`` digits): the reference of a whole attention."""
    with mpmath.workdps(dps):
        keys = [_mpf_list(row) for row in np.asarray(K, float)]
        return [attention([mpmath.mpf(scale) * mpmath.fdot(_mpf_list(row), k) for k in keys],
                          np.asarray(V, float), dps) for row in np.atleast_2d(np.asarray(q, float))]


def attention_chunks(x, dps: int = DEFAULT_DPS) -> list:
    """:func:`attention` over key/value blocks, ``x`` pairs of scores (n_i,), values (n_i, d)."""
    blocks = [(np.ravel(s) if isinstance(s, np.ndarray) else list(s), v) for s, v in x]
    values = [np.asarray(v, dtype=object).reshape(len(s), -1) for s, v in blocks]
    return attention(_joined([s for s, _ in blocks]), np.concatenate(values), dps)


class OnlineLogSumExp:
    """The reference for :class:`whysoftmax.numeric.OnlineLogSumExp` (1-D chunks): it keeps
    the chunks, and its results are the one-shot references of their concatenation — what
    any grouping of merges must give. ``merge`` concatenates."""

    def __init__(self, x: Sequence | None = None, dps: int = DEFAULT_DPS):
        self.dps, self.chunks = dps, [] if x is None else [(x,)]

    def update(self, x: Sequence, *v):
        self.chunks.append((x, *v))
        return self

    def merge(self, other):
        new = type(self)(dps=self.dps)
        new.chunks = self.chunks + other.chunks
        return new

    def logsumexp(self):
        return logsumexp_chunks([c[0] for c in self.chunks], self.dps)

    def softmax(self, x: Sequence) -> list:
        """The entries of a chunk ``x`` in the softmax of everything added (its first match)."""
        scores = [c[0] for c in self.chunks]
        q = next(q for q, c in enumerate(scores) if c is x or np.array_equal(c, x))
        return softmax_chunks(scores, self.dps)[q]


class OnlineAttention(OnlineLogSumExp):
    """The reference for :class:`whysoftmax.numeric.OnlineAttention`: ``update(x, v)`` keeps
    the block, ``output()`` is :func:`attention` of them all."""

    def __init__(self, x: Sequence | None = None, v=None, dps: int = DEFAULT_DPS):
        super().__init__(dps=dps)
        self.chunks = [] if x is None else [(x, v)]

    def output(self) -> list:
        return attention_chunks(self.chunks, self.dps)


def along_axis(
    fn: Callable, x, axis: int = -1, dps: int = DEFAULT_DPS, reduces: bool = False
) -> np.ndarray:
    """Apply a 1-D reference ``fn`` to every slice of ``x`` along ``axis``, rounded to float64.

    ``reduces`` says that ``fn`` returns one number per slice (``logsumexp``).

    Examples
    --------
    >>> along_axis(softmax, [[0.0, 0.0], [0.0, 1.0]])
    array([[0.5       , 0.5       ],
           [0.26894142, 0.73105858]])
    """
    arr = np.moveaxis(np.asarray(x, dtype=np.float64), axis, -1)
    flat = arr.reshape(-1, arr.shape[-1])
    if reduces:
        out = np.array([float(fn(row, dps=dps)) for row in flat]).reshape(arr.shape[:-1])
        return out
    out = np.array([[float(v) for v in fn(row, dps=dps)] for row in flat]).reshape(arr.shape)
    return np.moveaxis(out, -1, axis)
