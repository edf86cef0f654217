"""Concrete instances of a general-``n`` claim: fix the dimensions, then the indices.

Both the ``proven for n ≤ N`` stage (every index tuple, exhaustively) and the numeric
check (a sample of index tuples) evaluate a claim about vectors of length ``n`` at
concrete ``n`` and concrete indices ``1 ≤ i ≤ n``; this module makes those instances.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator

from sympy import Basic, Dummy, IndexedBase, Integer, Symbol

from .definitions import VectorMax
from .derivation import Derivation


def evaluate_instance(expr, values: dict[Symbol, int], *, keep_max: bool = False):
    """``expr`` with ``values`` substituted, sums, maxima and derivatives carried out.

    A vector maximum becomes an *unevaluated* ``Max(z[1], …, z[n])`` (SymPy's evaluated
    ``Max`` compares its arguments pairwise and costs seconds per instance), or stays a
    :class:`VectorMax` with ``keep_max`` (the numeric check passes it as an argument).
    """
    if expr is None:
        return None
    replaced = expr.subs({k: Integer(v) for k, v in values.items()})
    maxima = {m: Dummy("max") for m in replaced.atoms(VectorMax)}
    replaced = replaced.xreplace(maxima)
    for _ in range(4):
        done = replaced.doit()
        if done == replaced:
            break
        replaced = done
    back = {
        d: m if keep_max and isinstance(m.args[0], IndexedBase) else m.entries_extremum()
        for m, d in maxima.items()
    }
    return replaced.xreplace(back)


def dimensions_of(derivation: Derivation, exprs: list) -> list[Symbol]:
    """The declared dimensions a claim depends on (directly or through its indices)."""
    free: set[Basic] = set()
    for e in exprs:
        if e is not None:
            free |= e.free_symbols
    dims = {s for s in free if s in derivation.dimensions}
    dims |= {derivation.index_range[s] for s in free if s in derivation.index_range}
    return sorted(dims, key=str)


def indices_of(derivation: Derivation, exprs: list) -> list[Symbol]:
    """The declared free indices of a claim."""
    free: set[Basic] = set()
    for e in exprs:
        if e is not None:
            free |= e.free_symbols
    return sorted((s for s in free if s in derivation.index_range), key=str)


def instances(
    derivation: Derivation,
    exprs: list,
    n_values: list[int],
    *,
    exhaustive: bool,
    rng: random.Random | None = None,
    per_n: int = 3,
) -> Iterator[dict[Symbol, int]]:
    """Assignments of dimensions and indices for the claim made of ``exprs``.

    Every dimension takes each value of ``n_values`` (values below a dimension's declared
    minimum are skipped). Indices range over ``1..n`` of their dimension: all tuples when
    ``exhaustive``, else the diagonal (all indices equal), one tuple of distinct indices
    when ``n`` allows, and random tuples up to ``per_n`` in all.
    """
    dims = dimensions_of(derivation, exprs)
    idx = indices_of(derivation, exprs)
    rng = rng or random.Random(0)
    if not dims:
        yield {}
        return
    for value in n_values:
        dim_values = {d: value for d in dims if value >= derivation.dimensions[d]}
        if len(dim_values) < len(dims):
            continue
        ranges = [range(1, dim_values[derivation.index_range[i]] + 1) for i in idx]
        if exhaustive:
            tuples = list(itertools.product(*ranges))
        else:
            tuples = _sample_tuples(ranges, rng, per_n)
        for t in tuples:
            yield {**dim_values, **dict(zip(idx, t, strict=True))}


def _sample_tuples(ranges: list[range], rng: random.Random, count: int) -> list[tuple]:
    if not ranges:
        return [()]
    chosen = [tuple(r[0] for r in ranges)]  # the diagonal: every index equal to 1
    top = min(len(r) for r in ranges)
    if top >= len(ranges) > 1:
        chosen.append(tuple(r[k] for k, r in enumerate(ranges)))  # pairwise distinct
    total = 1
    for r in ranges:
        total *= len(r)
    while len(chosen) < min(count, total):
        t = tuple(rng.choice(r) for r in ranges)
        if t not in chosen:
            chosen.append(t)
    return chosen

