"""The same functions as :mod:`whysoftmax.numeric`, at any precision, with mpmath.

These are the references: the textbook definition evaluated with ``dps`` significant
digits (default 100), so a float64 kernel can be measured against them in ULPs. One
algorithm, several precisions: every function takes ``dps`` and evaluates the formula of
its derivation step directly — the tests check each against the SymPy expression of that
step, lambdified for mpmath.

Inputs are 1-D sequences (lists, tuples, numpy arrays) of numbers; floats are taken
exactly (a float64 is a dyadic rational), so a reference is the exact answer for the
float input. Results are lists of ``mpf`` (or one ``mpf``). :func:`along_axis` applies a
function to every slice of an n-D array and rounds correctly to float64.

Examples
--------
>>> from whysoftmax import mp
>>> mp.softmax([1, 2], dps=30)
[mpf('0.268941421369995120748840758984'), mpf('0.731058578630004879251159241016')]
>>> mp.log_softmax([0.0, -55.0], dps=20)[0]
mpf('-1.2995814250075030736e-24')
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import mpmath
import numpy as np

__all__ = [
    "along_axis",
    "cross_entropy",
    "cross_entropy_grad",
    "log_sigmoid",
    "log_softmax",
    "logsumexp",
    "sigmoid",
    "softmax",
    "softmax_jacobian",
    "softmax_jvp",
    "sparsemax",
    "sparsemax_of_numbers",
    "spherical_softmax",
    "sum_normalize",
    "taylor_softmax",
]

DEFAULT_DPS = 100


def _mpf_list(x: Sequence) -> list:
    values = np.asarray(x).ravel().tolist() if isinstance(x, np.ndarray) else list(x)
    return [mpmath.mpf(v) for v in values]


def _special(z: list, what: str):
    """The conventions of whysoftmax.numeric for NaN, +inf and all −inf (see there)."""
    if any(mpmath.isnan(v) for v in z):
        return mpmath.nan if what == "logsumexp" else [mpmath.nan] * len(z)
    top = [v == mpmath.inf for v in z]
    if any(top):
        count = sum(top)
        if what == "logsumexp":
            return mpmath.inf
        if what == "softmax":
            return [mpmath.mpf(1) / count if t else mpmath.mpf(0) for t in top]
        return [-mpmath.log(count) if t else -mpmath.inf for t in top]
    if all(v == -mpmath.inf for v in z):
        return -mpmath.inf if what == "logsumexp" else [mpmath.nan] * len(z)
    return None


def _split(z: list):
    """The arg max k, m = z_k and T = Σ_{j≠k} e^{z_j − m}, with exact differences."""
    k = max(range(len(z)), key=z.__getitem__)
    m = z[k]
    rest = mpmath.fsum(mpmath.exp(mpmath.fsub(v, m, exact=True))
                       for j, v in enumerate(z) if j != k)
    return k, m, rest


def logsumexp(x: Sequence, dps: int = DEFAULT_DPS):
    r""":math:`\log \sum_j e^{z_j} = m + \operatorname{log1p}(\sum_{j \ne k} e^{z_j - m})`.

    The log1p form (``stable_forms`` / "log-sum-exp with log1p") keeps every digit even
    when the sum is 1 + 1e-311, which ``log`` of the sum would round to 0 at any sensible
    precision.
    """
    with mpmath.workdps(dps):
        z = _mpf_list(x)
        if not z:
            return -mpmath.inf
        special = _special(z, "logsumexp")
        if special is not None:
            return +special
        _, m, rest = _split(z)
        return m + mpmath.log1p(rest)


def softmax(x: Sequence, dps: int = DEFAULT_DPS) -> list:
    r""":math:`e^{z_i - m} / (1 + \sum_{j \ne k} e^{z_j - m})` = :math:`e^{z_i}/\sum_j e^{z_j}`."""
    with mpmath.workdps(dps):
        z = _mpf_list(x)
        special = _special(z, "softmax")
        if special is not None:
            return special
        _, m, rest = _split(z)
        return [mpmath.exp(mpmath.fsub(v, m, exact=True)) / (1 + rest) for v in z]


def log_softmax(x: Sequence, dps: int = DEFAULT_DPS) -> list:
    r""":math:`(z_i - m) - \operatorname{log1p}(\sum_{j \ne k} e^{z_j - m})` = z_i − lse(z).

    Not ``z_i − lse(z)`` as written: at 70 digits 125 + 5e-55 keeps only 13 digits of the
    small part, and log s_k of the arg max is exactly that small part.
    """
    with mpmath.workdps(dps):
        z = _mpf_list(x)
        special = _special(z, "log_softmax")
        if special is not None:
            return special
        _, m, rest = _split(z)
        lse_rest = mpmath.log1p(rest)
        return [mpmath.fsub(v, m, exact=True) - lse_rest for v in z]


def softmax_jacobian(x: Sequence, dps: int = DEFAULT_DPS) -> list[list]:
    r""":math:`J_{ik} = s_i(\delta_{ik} - s_k)` (``jacobian`` / "jacobian")."""
    with mpmath.workdps(dps):
        s = softmax(x, dps)
        return [[si * ((1 if i == k else 0) - sk) for k, sk in enumerate(s)]
                for i, si in enumerate(s)]


def softmax_jvp(x: Sequence, v: Sequence, dps: int = DEFAULT_DPS) -> list:
    r""":math:`J v = s \odot (v - \langle s, v\rangle)` (``stable_forms``)."""
    with mpmath.workdps(dps):
        s = softmax(x, dps)
        w = _mpf_list(v)
        mean = mpmath.fsum(si * wi for si, wi in zip(s, w, strict=True))
        return [si * (wi - mean) for si, wi in zip(s, w, strict=True)]


def cross_entropy(x: Sequence, target: int, dps: int = DEFAULT_DPS):
    r""":math:`-\log s_y` for a 0-based class ``target`` (``cross_entropy_gradient``)."""
    return -log_softmax(x, dps)[target]


def cross_entropy_grad(x: Sequence, target: int, dps: int = DEFAULT_DPS) -> list:
    r""":math:`s - e_y` (``cross_entropy_gradient``)."""
    with mpmath.workdps(dps):
        s = softmax(x, dps)
        return [si - (1 if i == target else 0) for i, si in enumerate(s)]


def sigmoid(x, dps: int = DEFAULT_DPS):
    r""":math:`1/(1 + e^{-x})` (``sigmoid``)."""
    with mpmath.workdps(dps):
        return 1 / (1 + mpmath.exp(-mpmath.mpf(x)))


def log_sigmoid(x, dps: int = DEFAULT_DPS):
    r""":math:`-\log(1 + e^{-x})` (``sigmoid``)."""
    with mpmath.workdps(dps):
        return -mpmath.log1p(mpmath.exp(-mpmath.mpf(x)))


def sum_normalize(x: Sequence, dps: int = DEFAULT_DPS) -> list:
    r""":math:`z_i / \sum_j z_j` (``sum_normalisation``)."""
    with mpmath.workdps(dps):
        z = _mpf_list(x)
        total = mpmath.fsum(z)
        return [v / total for v in z]


def spherical_softmax(x: Sequence, eps=0, dps: int = DEFAULT_DPS) -> list:
    r""":math:`(z_i^2 + \varepsilon)/\sum_j (z_j^2 + \varepsilon)` (``spherical_and_taylor``)."""
    with mpmath.workdps(dps):
        q = [v * v + mpmath.mpf(eps) for v in _mpf_list(x)]
        total = mpmath.fsum(q)
        return [v / total for v in q]


def taylor_softmax(x: Sequence, dps: int = DEFAULT_DPS) -> list:
    r""":math:`(1 + z_i + z_i^2/2)/\sum_j (1 + z_j + z_j^2/2)` (``spherical_and_taylor``)."""
    with mpmath.workdps(dps):
        q = [1 + v + v * v / 2 for v in _mpf_list(x)]
        total = mpmath.fsum(q)
        return [v / total for v in q]


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
    r""":math:`\max(z_i - \tau, 0)` (``properties``; see :func:`sparsemax_of_numbers`)."""
    with mpmath.workdps(dps):
        return sparsemax_of_numbers(_mpf_list(x))


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
