"""Turn a proven step into a callable: numpy, mpmath or math, for a fixed n.

The problem: a derivation proves an expression for general n (``IndexedBase``, ``Sum``);
a user wants a function of a concrete vector. :meth:`Derivation.lambdify` fixes n, expands the
sums, and lambdifies the result. A free index (``i``) makes the result a vector over
i = 1..n, two free indices a matrix — so the proven softmax component becomes the whole
softmax, and the proven Jacobian entry the whole Jacobian.

With ``modules="mpmath"`` the function computes at the ``mp.dps`` in force when it is
called: rational constants are printed as ``mpf(p)/mpf(q)`` (never a 17-digit float), and
inputs should be given as ``mpf`` or strings.

Examples
--------
>>> import mpmath
>>> from sympy import exp
>>> from whysoftmax import Derivation
>>> from whysoftmax.definitions import softmax
>>> d = Derivation("demo")
>>> n = d.dimension("n")
>>> z = d.vector("z", n)
>>> (i,) = d.indices("i", n)
>>> _ = d.equal("softmax", exp(z[i]) / sum(exp(z[q]) for q in [i]), softmax(z, i, n))
>>> f = d.lambdify("softmax", n=2, modules="mpmath")
>>> with mpmath.workdps(30):
...     f(z=[mpmath.mpf(1), mpmath.mpf(2)])
[mpf('0.268941421369995120748840758984'), mpf('0.731058578630004879251159241016')]
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

import numpy as np
from sympy import Dummy, Indexed, IndexedBase, Integer, MatrixBase, lambdify

from .kernel import Claim, Signature
from .kernel.instances import dimensions_of, evaluate_instance, indices_of
from .kernel.sums import evaluated

MODULES = ("numpy", "mpmath", "math")


def lambdify_claim(
    signature: Signature,
    claim: Claim,
    name: str,
    n: int | None = None,
    modules: str = "numpy",
    side: str = "rhs",
) -> Callable:
    """A function computing one side of a claim for vectors of length ``n``.

    Parameters
    ----------
    signature, claim : the declarations and the claim (``Derivation.lambdify`` passes a
        step's; use that).
    name : the step's name (in error messages and the function's ``__name__``).
    n : the length of the derivation's general-n vectors (required when the step is
        n-generic, ignored otherwise).
    modules : ``"numpy"``, ``"mpmath"`` or ``"math"``.
    side : ``"rhs"`` (the proven closed form, the default) or ``"lhs"``.

    Returns
    -------
    A function taking the step's vectors and scalars as keyword arguments (vectors as
    sequences of length n) and returning a number, a vector over the free index, or a
    matrix over two free indices (numpy arrays for numpy, lists otherwise).
    """
    if modules not in MODULES:
        raise ValueError(f"modules must be one of {MODULES}, not {modules!r}")
    if side not in ("lhs", "rhs"):
        raise ValueError(f"side must be 'lhs' or 'rhs', not {side!r}")
    expr = evaluated(claim.rhs if side == "rhs" else claim.lhs)
    if expr is None or isinstance(expr, MatrixBase):
        raise ValueError(f"step {name!r}: its {side} is not a scalar expression")
    dims = dimensions_of(signature, [expr])
    if dims and n is None:
        raise ValueError(f"step {name!r} is stated for general {dims[0]}: pass n=…")
    if n is not None and n < 1:
        raise ValueError(f"n must be at least 1, got {n}")
    sizes = {dim: int(n) for dim in dims}
    free = indices_of(signature, [expr])
    grid = list(itertools.product(range(1, n + 1), repeat=len(free))) if free else [()]
    entries = [evaluate_instance(expr, {**sizes, **dict(zip(free, t, strict=True))})
               for t in grid]
    vectors = sorted({a.base for e in entries for a in e.atoms(Indexed)}, key=str)
    scalars = sorted(
        {s for e in entries for s in e.free_symbols
         if not isinstance(s, Indexed) and s not in {b.label for b in vectors}},
        key=str,
    )
    lengths = {b: _length(signature, b, n) for b in vectors}
    slots = {b: [Dummy() for _ in range(lengths[b])] for b in vectors}
    swap = {b[q]: slots[b][q - 1] for b in vectors for q in range(1, lengths[b] + 1)}
    flat = [e.xreplace(swap) for e in entries]
    args = [d for b in vectors for d in slots[b]] + scalars
    fn = lambdify(args, flat, modules=modules, cse=True)
    names = [str(b) for b in vectors] + [str(s) for s in scalars]

    def evaluate(**kwargs):
        missing = set(names) - set(kwargs)
        extra = set(kwargs) - set(names)
        if missing or extra:
            raise TypeError(f"{name}: expected arguments {names}; "
                            f"missing {sorted(missing)}, unexpected {sorted(extra)}")
        values = []
        for b in vectors:
            given = list(kwargs[str(b)])
            if len(given) != lengths[b]:
                raise ValueError(f"{b} must have {lengths[b]} entries, got {len(given)}")
            values += given
        values += [kwargs[str(s)] for s in scalars]
        out = fn(*values)
        if not free:
            return out[0]
        if len(free) == 2:
            out = [out[r * n : (r + 1) * n] for r in range(n)]
        return np.array(out, dtype=float) if modules == "numpy" else out

    evaluate.__name__ = name
    evaluate.__doc__ = f"{name}: {side} = {expr}"
    return evaluate


def _length(signature: Signature, base: IndexedBase, n: int | None) -> int:
    length = signature.length.get(base)
    if isinstance(length, (int, Integer)):
        return int(length)
    return int(n)
