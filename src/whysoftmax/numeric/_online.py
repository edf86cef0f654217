"""The state of an online softmax, per slice, and the merge ⊕ (``derivations/online_softmax.py``).

A block of logits stands for ``Σ_j e^{z_j}``. Its state keeps, per slice:

- ``m``, the largest entry (``−inf`` for none: the identity state);
- a reference ``R ≤ m``, with ``M − R ≤`` :data:`LIMIT`;
- ``E = e^{m − R}``, the arg max term, and ``T = Σ_{j≠k} e^{z_j − R}``, the others — apart,
  so that ``T`` keeps its own digits when it is tiny next to ``E`` ("log-sum-exp with
  log1p": ``lse = m + log1p(T/E)``);
- for attention, ``o = Σ_j e^{z_j − R} v_j``.

``E``, ``T`` and ``o`` are scaled double-doubles (:func:`._dd.scaled`): about 106 bits and
an exponent of their own, so they neither overflow nor round into the subnormals.

The merge is the derivation's ⊕ with the reference written out: both states are rescaled
to a common ``R`` (``rescaling to any common M is exact``), the arg max term of the state
with the smaller maximum joins ``T``. Unlike ``R = M`` (the derivation's choice, which
rescales at every new maximum), a reference is kept until the maximum has moved
:data:`LIMIT` past it: each block's terms are rescaled once when they enter (a small
block's are computed relative to ``R`` directly, not rescaled at all) and at most once
more while they still matter (after two moves they are below ``e^{-600}`` of the arg max
term), so errors of about 2^-60 do not accumulate over thousands of blocks.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from . import _dd, _kernel, _run
from ._blocks import others_exactly
from ._special import rule

#: The reference is moved to the maximum when the maximum is more than this above it.
LIMIT = 600.0
#: Blocks of this many entries or more (all slices together) go through the one-shot
#: kernel (about 100 µs a call, then 1.5 ns an entry) and a merge; smaller ones are summed
#: relative to the stream's reference directly (cheaper per call, about 20 ns an entry).
KERNEL = 8192
#: A state more than this below the reference is dropped: all its terms are below
#: e^{-1399} of the arg max term, 0 in float64 whatever they are added to.
FAR = 1400.0


def _zeros(shape) -> tuple:
    return (np.zeros(shape), np.zeros(shape), np.full(shape, _dd.ZERO_EXPONENT))


def _pick(mask, a: tuple, b: tuple) -> tuple:
    """Scaled double-doubles: ``a`` where ``mask``, else ``b`` (mask per slice)."""
    if a[0].ndim > mask.ndim:
        mask = mask[:, None]
    return tuple(np.where(mask, x, y) for x, y in zip(a, b, strict=True))


def _put(target: tuple, where: np.ndarray, values: tuple) -> None:
    for t, v in zip(target, values, strict=True):
        t[where] = v


@dataclass
class State:
    """The per-slice state of ``B`` slices (1-D arrays; ``o`` and ``o_top`` ``(B, d)``)."""

    m: np.ndarray
    r: np.ndarray
    e: tuple
    t: tuple
    nan: np.ndarray
    top: np.ndarray
    n: int = 0
    o: tuple | None = None
    o_top: tuple | None = None  # Σ v_j over the +inf entries, a double-double
    cache: dict = field(default_factory=dict)  # derived values (a state never changes)

    @classmethod
    def empty(cls, size: int, d: int | None = None) -> State:
        """The identity state (−∞, 0) of ``size`` slices."""
        o = None if d is None else _zeros((size, d))
        o_top = None if d is None else (np.zeros((size, d)), np.zeros((size, d)))
        return cls(np.full(size, -np.inf), np.zeros(size), _zeros(size), _zeros(size),
                   np.zeros(size, bool), np.zeros(size, np.int64), 0, o, o_top)


def _top_term(m: np.ndarray, c: np.ndarray, errors: np.ndarray):
    """``e^{m − c}`` in double-double: ``e^{d_hi}(1 + d_lo)`` with ``m − c = d_hi + d_lo``."""
    d_hi, d_lo = _dd.two_sum(m, -c)
    d_hi = np.where(m == -np.inf, -760.0, d_hi)  # e^{-760} is 0 in float64
    return _dd.mul(*_dd.exp(d_hi), *_dd.fast_two_sum(1.0, np.where(errors, d_lo, 0.0)))


def _terms(z: np.ndarray, c: np.ndarray, errors: np.ndarray, v: np.ndarray,
           drop: np.ndarray | None = None):
    """Attention's terms relative to a reference ``c`` per slice, each ``e^{z_j − c}`` in
    double-double (``errors``: where ``z_j − c`` may round, its TwoSum error kept): the arg
    max term ``E``, ``T = Σ_{j≠k} e^{z_j − c}`` (the arg max term left out where ``drop``,
    default everywhere) and ``o = Σ_j e^{z_j − c} v_j``, products and sums exact."""
    g = z - c[:, None]
    b = g - z
    err = np.where(errors[:, None], (z - (g - b)) - (b + c[:, None]), 0.0)
    p_hi, p_lo = _dd.exp(np.maximum(g, -760.0))
    p_lo = p_lo + p_hi * np.where(np.isfinite(err), err, 0.0)
    h, lo = _dd.two_prod(p_hi[:, :, None], v)
    lo = lo + p_lo[:, :, None] * v
    o_hi, o_lo = _dd.exact_sum(h, axis=1)
    o = _dd.fast_two_sum(o_hi, o_lo + lo.sum(axis=1))
    rows, k = np.arange(len(z)), np.argmax(z, axis=1)
    e = (p_hi[rows, k], p_lo[rows, k])
    at = rows if drop is None else np.flatnonzero(drop)
    p_hi[at, k[at]] = p_lo[at, k[at]] = 0.0
    t_hi, t_lo = _dd.exact_sum(p_hi, axis=1)
    return e, _dd.fast_two_sum(t_hi, t_lo + p_lo.sum(axis=1)), o


def of_block(z: np.ndarray, v: np.ndarray | None = None) -> State:
    """The state of a block: ``z`` float64 ``(B, n)``, values ``v`` float64 ``(B, n, d)``
    for attention. Per slice the kernel's steps (its ``"state"`` mode without values): the
    shift ``c`` for which every ``z_j − c`` is exact (or its error kept), ``E = e^{m−c}``
    in double-double, ``T`` summed exactly."""
    size, n = z.shape
    state = State.empty(size, None if v is None else v.shape[2])
    state.n = n
    if n == 0:
        return state
    m = z.max(axis=1)
    state.nan = np.isnan(m)
    if (m == np.inf).any():
        infinite = np.isposinf(z)
        state.top = infinite.sum(axis=1)
        if v is not None:
            state.o_top = _dd.exact_sum(np.where(infinite[:, :, None], v, 0.0), axis=1)
    ok = np.isfinite(m)
    if not ok.any():
        return state
    rows = z if ok.all() else z[ok]
    o = None
    if v is None:  # the kernel's own steps, stopped before the logarithm
        columns = _run.run(np.ascontiguousarray(rows)[:, :, None], "state",
                           np.dtype(np.float64))[:, 0]
        m, c, e, t = columns[:, 0], columns[:, 1], columns[:, 2:4].T, columns[:, 4:6].T
    else:
        m = m[ok]
        c, errors = _kernel.shift(m, n)
        e, t, o = _terms(rows, c, np.broadcast_to(errors, m.shape), v if ok.all() else v[ok])
    state.m[ok], state.r[ok] = m, c
    _put(state.e, ok, _dd.scaled(*e))
    _put(state.t, ok, _dd.scaled(*t))
    if v is not None:
        _put(state.o, ok, _dd.scaled(*o))
    return state


def add_block(state: State, z: np.ndarray, v: np.ndarray | None = None) -> State:
    """``state ⊕ (the block's state)``. Where the block changes no reference (no NaN or
    +inf in it, the state not empty, its maximum at most :data:`LIMIT` above the
    reference), the block's terms are computed relative to the state's reference
    directly — no rescaling at all, the TwoSum errors of ``z_j − R`` kept; otherwise by
    :func:`merge`."""
    if z.shape[1] == 0:
        return state
    m = z.max(axis=1)
    finite = m > -np.inf
    if not (np.all(m < np.inf) and np.all(state.m > -np.inf) and z.size < KERNEL
            and np.all(m[finite] - state.r[finite] <= LIMIT)):
        return merge(state, of_block(z, v), keep=True)
    new = m > state.m
    everywhere = np.ones(len(z), bool)
    if v is None:  # T with the arg max term where the maximum stays; E where it is new
        t = others_exactly(z, state.r, everywhere, new)
        e = _top_term(np.where(new, m, state.r), state.r, everywhere) if new.any() else None
    else:
        e, t, o = _terms(z, state.r, everywhere, v, new)
    grown = _dd.scaled_add(state.t, _dd.scaled(*t))
    if new.any():  # the old arg max term joins T
        grown = _dd.scaled_add(grown, _pick(new, state.e, _zeros(len(z))))
        e = _pick(new, _dd.scaled(*e), state.e)
    else:
        e = state.e
    o_new = None if v is None else _dd.scaled_add(state.o, _dd.scaled(*o))
    return State(np.where(new, m, state.m), state.r, e, grown,
                 state.nan, state.top, state.n + z.shape[1], o_new, state.o_top)


def _factor(r: np.ndarray, ref: np.ndarray, absent: np.ndarray) -> tuple | None:
    """``e^{r − ref}`` as a scaled double-double (``r − ref`` by TwoSum); zero for absent
    states and for states more than :data:`FAR` below the reference; None where it is 1
    for every slice."""
    d_hi, d_lo = _dd.two_sum(r, -ref)
    if not (absent.any() or d_hi.any() or d_lo.any()):
        return None
    drop = absent | (d_hi < -FAR)
    factor = _dd.scaled_exp(np.where(drop, 0.0, d_hi), np.where(drop, 0.0, d_lo))
    return _pick(drop, _zeros(r.shape), factor)


def _times(x: tuple, factor: tuple | None) -> tuple:
    """``x·factor`` (scaled double-doubles; a factor per slice, ``x`` per slice or per
    slice and column)."""
    if factor is None:
        return x
    if x[0].ndim > factor[0].ndim:
        factor = tuple(f[:, None] for f in factor)
    return _dd.scaled_mul(x, factor)


def merge(a: State, b: State, keep: bool = False) -> State:
    """``a ⊕ b``, slice by slice (the same number of slices). The reference: ``a``'s where
    it may stay and ``keep`` (a stream's accumulated terms are then not rescaled), else the
    larger of the two where it may stay (symmetric: ``a ⊕ b`` and ``b ⊕ a`` agree to the
    bit), else the new maximum."""
    a_none, b_none = a.m == -np.inf, b.m == -np.inf
    top = np.maximum(a.m, b.m)
    ra, rb = np.where(a_none, -np.inf, a.r), np.where(b_none, -np.inf, b.r)
    ref = np.maximum(ra, rb)
    ref = np.where(top - ref <= LIMIT, ref, top)
    if keep:
        ref = np.where(top - ra <= LIMIT, ra, ref)
    ref = np.where(a_none & b_none, 0.0, ref)
    fa, fb = _factor(a.r, ref, a_none), _factor(b.r, ref, b_none)
    ea, eb = _times(a.e, fa), _times(b.e, fb)
    a_wins = (a.m > b.m) | ((a.m == b.m) & (ra >= rb))
    t = _dd.scaled_add(_times(a.t, fa), _times(b.t, fb))
    t = _dd.scaled_add(t, _pick(a_wins, eb, ea))  # the other arg max term joins T
    o = o_top = None
    if a.o is not None:
        o = _dd.scaled_add(_times(a.o, fa), _times(b.o, fb))
        o_top = _dd.add(*a.o_top, *b.o_top)
    return State(top, np.where(a_none & b_none, 0.0, ref), _pick(a_wins, ea, eb), t,
                 a.nan | b.nan, a.top + b.top, a.n + b.n, o, o_top)


def _log_rest(state: State) -> np.ndarray:
    """``log1p(T/E)``, ``T/E`` in double-double (NaN for slices without a finite entry)."""
    if "log_rest" not in state.cache:
        hi, lo = _dd.div(state.t[0], state.t[1], state.e[0], state.e[1])
        q = state.t[2] - state.e[2]
        state.cache["log_rest"] = _dd.log1p(np.ldexp(hi, q), np.ldexp(lo, q))
    return state.cache["log_rest"]


def _special(state: State) -> np.ndarray:
    return state.nan | (state.top > 0) | (state.m == -np.inf)


def logsumexp(state: State) -> np.ndarray:
    """``m + log1p(T/E)`` per slice ("lse of a concatenation" with the log1p form)."""
    value = state.m + _log_rest(state)
    for q in np.flatnonzero(_special(state)):
        value[q] = rule("logsumexp", bool(state.nan[q]), int(state.top[q]),
                        bool(state.m[q] == -np.inf))[0]
    return value


def _by_rule(out: np.ndarray, z: np.ndarray, state: State, what: str) -> np.ndarray:
    """The conventions of :mod:`._special` for the special slices of a block's rows."""
    for q in np.flatnonzero(_special(state)):
        at_top, elsewhere = rule(what, bool(state.nan[q]), int(state.top[q]),
                                 bool(state.m[q] == -np.inf))
        out[q] = np.where(np.isposinf(z[q]), at_top, elsewhere)
    return out


def softmax(state: State, z: np.ndarray) -> np.ndarray:
    """A block's softmax entries in the whole stream, as the kernel computes them: ``p_j =
    e^{z_j − c}`` for the kernel's shift ``c`` of the stream's maximum and ``n``, and ``S =
    (E + T)e^{R−c}`` in double-double; ``p_j · fl(1/S)`` where ``z_j − c`` is exact, else
    ``(p_j/S_hi)(1 + e_j − ρ)`` with ``e_j`` the rounding error of ``z_j − c`` and ``S =
    S_hi(1 + ρ)``."""
    if "softmax" not in state.cache:
        special = _special(state)
        c, errors = _kernel.shift(np.where(special, 0.0, state.m), max(state.n, 1))
        d_hi, d_lo = _dd.two_sum(np.where(special, 0.0, state.r), -c)
        s_hi, s_lo = _dd.unscaled(_dd.scaled_mul(_dd.scaled_add(state.e, state.t),
                                                 _dd.scaled_exp(d_hi, d_lo)))
        state.cache["softmax"] = (c[:, None], np.broadcast_to(errors, c.shape),
                                  s_hi, s_lo / s_hi, _dd.reciprocal(s_hi, s_lo))
    c, errors, s_hi, rho, reciprocal = state.cache["softmax"]
    g = z - c
    out = np.exp(g)
    if not errors.any():
        out *= reciprocal[:, None]
        return _by_rule(out, z, state, "softmax")
    b = g - z
    err = (z - (g - b)) - (b + c)
    exact = out * reciprocal[:, None]
    out /= s_hi[:, None]
    out += out * (np.where(np.isfinite(err), err, 0.0) - rho[:, None])
    return _by_rule(np.where(errors[:, None], out, exact), z, state, "softmax")


def log_softmax(state: State, z: np.ndarray) -> np.ndarray:
    """``(z_j − m) − log1p(T/E)`` ("log-softmax with log1p")."""
    out = (z - state.m[:, None]) - _log_rest(state)[:, None]
    return _by_rule(out, z, state, "log_softmax")


def attention(state: State) -> np.ndarray:
    """``o/(E + T) = softmax(z)·V`` per slice, ``(B, d)`` ("merged accumulator / merged ℓ"):
    one division in double-double, rounded once."""
    s = _dd.scaled_add(state.e, state.t)
    hi, lo = _dd.div(state.o[0], state.o[1], s[0][:, None], s[1][:, None])
    out = np.ldexp(hi + lo, state.o[2] - s[2][:, None])
    for q in np.flatnonzero(_special(state)):
        top = int(state.top[q])
        out[q] = np.nan if state.nan[q] or not top else state.o_top[0][q] / top
    return out
