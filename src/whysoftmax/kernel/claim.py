"""What the kernel judges: a claim, the signature it lives in, and side conditions.

A :class:`Claim` is ``lhs ρ rhs`` (ρ one of =, ≤, <), a limit, or a refutation (the
claim ``lhs ρ rhs`` is false at a witness). It holds *for every value* of its free
symbols that the :class:`Signature` allows: each scalar and vector entry in its declared
domain (its SymPy assumptions), each dimension ``n ≥ n_min``, each index ``1 ≤ i ≤ n``.
Sides are kept as written (the loader rebuilds them without evaluation), so that
``x/x`` still shows the division the kernel must account for.

Examples
--------
>>> from sympy import Symbol
>>> x = Symbol("x", real=True)
>>> c = Claim(Relation.EQ, x / (x + 1), 1 - 1 / (x + 1))
>>> Claim.from_data(c.to_data()).to_data() == c.to_data()
True
>>> str(Condition(x - 1, "≠"))
'x ≠ 1'
"""

from __future__ import annotations

import enum
import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any

from sympy import (
    Basic,
    Expr,
    GreaterThan,
    IndexedBase,
    Integer,
    MatrixBase,
    StrictGreaterThan,
    Symbol,
    Unequality,
)

from .serial import dumps, loads
from .text import plain


class Relation(str, enum.Enum):
    """The relation a step claims between its two sides."""

    EQ = "="
    LE = "≤"
    LT = "<"
    LIMIT = "→"
    REFUTES = "≠"

    def __str__(self) -> str:
        return self.value


#: The relations written as text in derivations (chain links, rules, refutations).
WRITTEN = {"=": Relation.EQ, "<=": Relation.LE, "<": Relation.LT, "limit": Relation.LIMIT}
#: What a refutation may claim is false.
REFUTABLE = ("=", "<=", "<", "defined")
#: Directions of a limit: two-sided, from the right, from the left.
DIRECTIONS = ("+-", "+", "-")


def _dump(value) -> str | None:
    return None if value is None else dumps(value)


def _load(text: str | None, evaluate: bool = False):
    return None if text is None else loads(text, evaluate=evaluate)


@dataclass(frozen=True)
class Claim:
    """``lhs relation rhs`` (or a limit, or a refutation), as written.

    Attributes
    ----------
    relation : what is claimed.
    lhs, rhs : the sides (for a limit: the expression and its limit value).
    variable, point, direction : for limits, ``variable → point`` from ``direction``
        (``"+-"`` two-sided, ``"+"`` from the right, ``"-"`` from the left).
    refuted : for refutations, the relation claimed false (``"="``, ``"<="``, ``"<"``)
        or ``"defined"``.
    witness : for refutations, ``(symbol or vector, value or tuple of values)`` pairs.
    """

    relation: Relation
    lhs: Any
    rhs: Any = None
    variable: Symbol | None = None
    point: Any = None
    direction: str = "+-"
    refuted: str | None = None
    witness: tuple[tuple[Any, Any], ...] = ()

    def to_data(self) -> dict[str, Any]:
        witness = [[dumps(k), [dumps(v) for v in value] if isinstance(value, tuple)
                    else dumps(value)] for k, value in self.witness]
        return {"relation": self.relation.name, "lhs": _dump(self.lhs), "rhs": _dump(self.rhs),
                "variable": _dump(self.variable), "point": _dump(self.point),
                "direction": self.direction, "refuted": self.refuted, "witness": witness}

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Claim:
        witness = tuple(
            (_load(k), tuple(_load(v) for v in value) if isinstance(value, list) else _load(value))
            for k, value in data.get("witness", ())
        )
        return cls(Relation[data["relation"]], _load(data["lhs"]), _load(data.get("rhs")),
                   _load(data.get("variable")), _load(data.get("point")),
                   data.get("direction", "+-"), data.get("refuted"), witness)

    @property
    def is_matrix(self) -> bool:
        return isinstance(self.lhs, MatrixBase)

    def sides(self) -> list:
        return [s for s in (self.lhs, self.rhs) if s is not None]


@dataclass(frozen=True)
class Signature:
    """The declarations a claim lives in.

    Attributes
    ----------
    dimensions : ``(n, n_min)`` pairs: integer dimensions ``n ≥ n_min``.
    indices : ``(i, n)`` pairs: integer indices ``1 ≤ i ≤ n``.
    vectors : ``(z, length)`` pairs: ``z[1] … z[length]``, length a dimension or an int.
    scalars : declared scalar symbols (their assumptions are their domains).
    functions : declared differentiable functions of one real variable.
    """

    dimensions: tuple[tuple[Symbol, int], ...] = ()
    indices: tuple[tuple[Symbol, Symbol], ...] = ()
    vectors: tuple[tuple[IndexedBase, Any], ...] = ()
    scalars: tuple[Symbol, ...] = ()
    functions: tuple[Any, ...] = ()

    @property
    def minimum(self) -> dict[Symbol, int]:
        return dict(self.dimensions)

    @property
    def index_range(self) -> dict[Symbol, Symbol]:
        return dict(self.indices)

    @property
    def length(self) -> dict[IndexedBase, Any]:
        return dict(self.vectors)

    def to_data(self) -> dict[str, Any]:
        return {
            "dimensions": [[dumps(d), m] for d, m in self.dimensions],
            "indices": [[dumps(i), dumps(n)] for i, n in self.indices],
            "vectors": [[dumps(z), dumps(Integer(n)) if isinstance(n, int) else dumps(n)]
                        for z, n in self.vectors],
            "scalars": [dumps(s) for s in self.scalars],
            "functions": [dumps(f) for f in self.functions],
        }

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Signature:
        vectors = []
        for z, n in data.get("vectors", ()):
            length = loads(n)
            vectors.append((loads(z), int(length) if length.is_Integer else length))
        return cls(
            tuple((loads(d), int(m)) for d, m in data.get("dimensions", ())),
            tuple((loads(i), loads(n)) for i, n in data.get("indices", ())),
            tuple(vectors),
            tuple(loads(s) for s in data.get("scalars", ())),
            tuple(loads(f) for f in data.get("functions", ())),
        )


def _stable(text: str) -> str:
    """``text`` with every ``Dummy``'s process-dependent index replaced by its order of
    first appearance (SymPy starts dummy indices at a random number in each process)."""
    order: dict[str, int] = {}
    return re.sub(r"dummy_index=(\d+)",
                  lambda m: f"dummy_index={order.setdefault(m.group(1), len(order))}", text)


def claim_key(claim: Claim, signature: Signature, extra: str = "") -> str:
    """A hash of the claim in its signature that is the same in every process (for
    certificates and the cache)."""
    text = json.dumps([claim.to_data(), signature.to_data(), extra], sort_keys=True)
    return hashlib.sha256(_stable(text).encode()).hexdigest()[:32]


#: A condition's relation to 0 and the SymPy relational it stands for.
_CONDITION = {"≠": Unequality, ">": StrictGreaterThan, "≥": GreaterThan}


@dataclass(frozen=True)
class Condition:
    """A side condition ``expr ≠ 0``, ``expr > 0`` or ``expr ≥ 0``.

    ``bound`` lists ``(j, low, high)`` when the condition sits inside sums: it must then
    hold for every ``j`` in ``low … high``.
    """

    expr: Expr
    relation: str
    bound: tuple[tuple[Symbol, Basic, Basic], ...] = ()

    def __post_init__(self):
        if self.relation not in _CONDITION:
            raise ValueError(f"condition relation must be one of {sorted(_CONDITION)}")

    def relational(self):
        """The SymPy relational ``expr ρ 0`` (evaluated at a point by the numeric check)."""
        return _CONDITION[self.relation](self.expr, 0, evaluate=False)

    def __str__(self) -> str:
        text = _solved(self.expr, self.relation) or f"{plain(self.expr)} {self.relation} 0"
        for var, low, high in self.bound:
            text += f" for {plain(var)} = {plain(low)}…{plain(high)}"
        return text


def _solved(expr: Expr, relation: str) -> str | None:
    """``x ≠ 1`` rather than ``x - 1 ≠ 0`` when ``expr`` is linear in one symbol."""
    symbols = expr.free_symbols
    if len(symbols) != 1:
        return None
    (x,) = symbols
    poly = expr.as_poly(x)
    if poly is None or poly.degree() != 1:
        return None
    a, b = poly.all_coeffs()
    if not a.is_number or a.is_zero:
        return None
    flipped = {"≠": "≠", ">": "<", "≥": "≤"}[relation] if a.is_negative else relation
    return f"{plain(x)} {flipped} {plain(-b / a)}"
