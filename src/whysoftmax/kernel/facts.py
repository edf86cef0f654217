"""The small facts rules need: two expressions are equal, one is ≥ 0, a value lies in a
symbol's domain — each decided by a fixed list of the kernel's named rewrites.

These are part of checking a rule, so they are deterministic: the same inputs are
decided the same way when a certificate is replayed.

Examples
--------
>>> from sympy import Symbol, exp, log
>>> x = Symbol("x", real=True)
>>> p = Symbol("p", positive=True)
>>> shown_equal(log(2 * p**2), log(2) + 2 * log(p), {})
'cancel'
>>> shown_sign(exp(x) - 1 + 1, strict=True, index_range={})
'identical'
>>> in_domain(exp(x), Symbol("u", positive=True), {})
True
"""

from __future__ import annotations

from sympy import Dummy, Expr, Indexed, Interval, S, Symbol, oo

from .rewrites import REWRITES, SIGN_REWRITES, rewrite, shows_sign, shows_zero
from .sums import evaluated

#: Rewrites tried, in order, to show two expressions equal.
EQUAL = ("identical", "cancel", "sums normalised + cancel", "expand_log + powsimp",
         "sums normalised + expand_log", "sums normalised + factor_terms + expand_log")
#: Rewrites tried, in order, to show an expression ≥ 0 (> 0).
SIGN = ("identical", "sums normalised", "sums normalised + cancel", "cancel",
        "expand_log + powsimp", "entries between the extrema", "squares completed",
        "step functions are ≥ 0", "minimum over the domain")


def _try(name: str, expr: Expr, index_range: dict):
    try:
        return rewrite(name, expr, index_range)
    except Exception:  # noqa: BLE001 - a rewrite SymPy cannot run shows nothing
        return None


def shown_equal(a, b, index_range: dict, names: tuple[str, ...] = EQUAL) -> str | None:
    """The name of the first rewrite that reduces ``a − b`` to 0, or None."""
    a, b = evaluated(a), evaluated(b)
    if a == b:
        return "identical"
    difference = a - b
    for name in names:
        result = _try(name, difference, index_range)
        if result is not None and shows_zero(result):
            return name
    return None


def shown_sign(expr, strict: bool, index_range: dict,
               names: tuple[str, ...] = SIGN) -> str | None:
    """The name of the first rewrite showing ``expr > 0`` (``strict``) or ``≥ 0``, or None."""
    expr = evaluated(expr)
    for name in names:
        if name not in REWRITES and name not in SIGN_REWRITES:
            continue
        result = _try(name, expr, index_range)
        if result is not None and shows_sign(result, strict):
            return name
    return None


def shown_nonpositive(expr, strict: bool, index_range: dict) -> str | None:
    """``expr ≤ 0`` (``< 0``), as ``−expr ≥ 0``."""
    return shown_sign(-evaluated(expr), strict, index_range)


#: Sign facts the kernel proves with its rewrites (not just asks SymPy about).
_SIGNS = {"positive": (shown_sign, True), "nonnegative": (shown_sign, False),
          "negative": (shown_nonpositive, True), "nonpositive": (shown_nonpositive, False)}
#: Facts a proven sign already settles (and bookkeeping facts with no content).
_SETTLED_BY_SIGN = {"real", "extended_real", "complex", "hermitian", "nonzero", "zero",
                    "extended_nonzero", "extended_positive", "extended_negative",
                    "extended_nonnegative", "extended_nonpositive", "positive", "negative",
                    "nonnegative", "nonpositive", "imaginary", "commutative"}


def in_domain(value, symbol: Symbol | Indexed, index_range: dict) -> bool:
    """Whether ``value`` lies in the domain ``symbol``'s assumptions declare, for every
    value of ``value``'s own free symbols: every assumption of the symbol (integer,
    prime, imaginary, finite, …) must hold for the value; the sign ones are proven with
    the kernel's rewrites, the others must be known to SymPy."""
    value = evaluated(value)
    facts = {k: v for k, v in symbol.assumptions0.items() if v is not None}
    sign = next((name for name in _SIGNS if facts.get(name)), None)
    if sign is not None:
        prove, strict = _SIGNS[sign]
        if prove(value, strict, index_range) is None:
            return False
    for fact, expected in facts.items():
        if fact == "commutative" or (sign is not None and fact in _SETTLED_BY_SIGN):
            continue
        if getattr(value, f"is_{fact}", None) is not expected:
            return False
    return True


#: Assumptions under which a real symbol does not range over an interval.
_NOT_AN_INTERVAL = ("integer", "rational", "irrational", "prime", "composite", "even", "odd",
                    "algebraic", "transcendental", "noninteger", "zero")


def interval_of(symbol: Symbol | Indexed):
    """The interval a real symbol's assumptions give it (ℝ, (0, ∞), [0, ∞), (−∞, 0),
    (−∞, 0]), or None when they do not give one (integers, nonzero reals, complex …)."""
    facts = symbol.assumptions0
    if not facts.get("real") or any(facts.get(name) for name in _NOT_AN_INTERVAL):
        return None
    if facts.get("positive"):
        return Interval.open(0, oo)
    if facts.get("negative"):
        return Interval.open(-oo, 0)
    if facts.get("nonnegative"):
        return Interval(0, oo)
    if facts.get("nonpositive"):
        return Interval(-oo, 0)
    return None if facts.get("nonzero") else S.Reals


def generic(symbol: Symbol | Indexed) -> Dummy:
    """A fresh symbol with the same assumptions (stands for an arbitrary domain value)."""
    flags = {k: v for k, v in symbol.assumptions0.items() if v is not None}
    return Dummy(str(symbol), **flags)
