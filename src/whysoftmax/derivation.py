"""A derivation: declared symbols, prose and an ordered list of checkable steps.

A derivation file in ``derivations/`` builds one :class:`Derivation` at module level.
It declares every symbol it uses with its assumptions (so that the numeric check draws
points that respect them), then states steps. A step is a claim plus its justification:

* :meth:`Derivation.equal` — ``lhs = rhs``;
* :meth:`Derivation.less_equal`, :meth:`Derivation.less` — ``lhs ≤ rhs``, ``lhs < rhs``;
* :meth:`Derivation.limit` — ``lim_{x → a} expr = value``;
* :meth:`Derivation.refute` — the claim ``lhs ρ rhs`` is *false*, shown by a witness;
* :meth:`Derivation.chain` — calc style ``a = b ≤ c < d``: each link is a step and the
  composed relation ``a < d`` follows by transitivity;
* :meth:`Derivation.by_rule` — a result reached from earlier steps by a named rule
  (squeeze, case split, …); its status is the weakest of the steps it rests on.

Examples
--------
>>> from sympy import exp
>>> d = Derivation("demo", title="A demo", sources=["Nobody 2024"])
>>> x = d.scalar("x", real=True)
>>> step = d.equal("exp of a sum", exp(x + 1), exp(x) * exp(1), why="exponent law")
>>> [s.name for s in d.steps]
['exp of a sum']
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sympy import (
    Abs,
    Basic,
    Derivative,
    Indexed,
    IndexedBase,
    MatrixBase,
    Rational,
    Sum,
    Symbol,
    sympify,
)
from sympy.core.relational import Relational


class DerivationError(ValueError):
    """A derivation is malformed (a bad step, an undeclared symbol, a duplicate name)."""


class Relation(str, enum.Enum):
    """The relation a step claims between its two sides."""

    EQ = "="
    LE = "≤"
    LT = "<"
    LIMIT = "→"
    REFUTES = "≠"

    def __str__(self) -> str:
        return self.value


#: The relations a derivation writes as text: chain links and refutations use the three
#: comparisons, by_rule also "limit".
COMPARISONS = {"=": Relation.EQ, "<=": Relation.LE, "<": Relation.LT}
#: What a refutation may claim is false.
REFUTABLE = {**COMPARISONS, "defined": None}


@dataclass(frozen=True)
class Step:
    """One claim of a derivation and how it is justified.

    Attributes
    ----------
    name : str
        Unique within the derivation; shown in tables and JUnit reports.
    relation : Relation
        What is claimed between ``lhs`` and ``rhs``.
    lhs, rhs : sympy expression or Matrix
        The two sides. For a limit, ``lhs`` is the expression and ``rhs`` its limit.
    why : str
        The justification, in prose.
    variable, point : for limits, ``lhs → rhs`` as ``variable → point``.
    refuted : for refutations, the relation claimed false (``"="``, ``"<="``, ``"<"``) or
        ``"defined"`` (the claim that ``lhs`` is defined at the witness).
    witness : for refutations, the counterexample: symbol → value, vector → list of values.
    rule, premises : a named rule and the earlier steps it composes.
    substitute : a reparametrisation tried by the symbolic prover (the guide for SymPy);
        the numeric check always uses the original claim.
    n_max : the largest n of the instantiation stage for this step, when its instances
        are too slow for the run's default.
    cell : ``(row, column)`` of a property matrix this step settles (see properties.py).
    approx : for :meth:`Derivation.approximately`, ``(expr, decimal)``: how to display it.
    """

    name: str
    relation: Relation
    lhs: Any
    rhs: Any
    why: str = ""
    variable: Symbol | None = None
    point: Any = None
    refuted: str | None = None
    witness: dict | None = None
    rule: str | None = None
    premises: tuple[str, ...] = ()
    substitute: dict | None = None
    n_max: int | None = None
    cell: tuple[str, str] | None = None
    approx: tuple[Any, str] | None = None

    @property
    def is_matrix(self) -> bool:
        return isinstance(self.lhs, MatrixBase)


@dataclass
class Derivation:
    """A topic: its symbols, prose and ordered steps.

    Parameters
    ----------
    id : str
        Short identifier used by the CLI (``whysoftmax check -k jacobian``).
    title : str
        Heading of the report.
    sources : list of str
        Citations, e.g. ``"Goodfellow, Bengio & Courville 2016, §6.2.2"``.
    """

    id: str
    title: str = ""
    sources: Sequence[str] = ()
    items: list[tuple[str, Any]] = field(default_factory=list)
    dimensions: dict[Symbol, int] = field(default_factory=dict)
    index_range: dict[Symbol, Symbol] = field(default_factory=dict)
    vectors: dict[IndexedBase, Any] = field(default_factory=dict)
    scalar_symbols: set[Symbol] = field(default_factory=set)

    # -- declarations -------------------------------------------------------------------
    def dimension(self, name: str, minimum: int = 1) -> Symbol:
        """Declare an integer dimension ``name ≥ minimum`` (for example ``n``, the classes)."""
        sym = Symbol(name, integer=True, positive=minimum >= 1, nonnegative=True)
        self.dimensions[sym] = minimum
        return sym

    def indices(self, names: str, dimension: Symbol) -> tuple[Symbol, ...]:
        """Declare integer indices ``1 ≤ i ≤ dimension``, e.g. ``d.indices("i k", n)``."""
        if dimension not in self.dimensions:
            raise DerivationError(f"indices {names!r}: {dimension} is not a declared dimension")
        out = []
        for name in names.split():
            sym = Symbol(name, integer=True, positive=True)
            self.index_range[sym] = dimension
            out.append(sym)
        return tuple(out)

    def vector(self, name: str, length: Symbol | int, **assumptions: bool) -> IndexedBase:
        """Declare a vector ``name[1..length]`` whose entries carry ``assumptions``."""
        if not assumptions:
            assumptions = {"real": True}
        if isinstance(length, Symbol) and length not in self.dimensions:
            raise DerivationError(f"vector {name!r}: {length} is not a declared dimension")
        base = IndexedBase(name, **assumptions)
        self.vectors[base] = length
        return base

    def scalar(self, name: str, **assumptions: bool) -> Symbol:
        """Declare one scalar symbol, e.g. ``d.scalar("c", positive=True)``."""
        if not assumptions:
            assumptions = {"real": True}
        sym = Symbol(name, **assumptions)
        self.scalar_symbols.add(sym)
        return sym

    def scalars(self, names: str, **assumptions: bool) -> tuple[Symbol, ...]:
        """Declare several scalars with the same assumptions."""
        return tuple(self.scalar(name, **assumptions) for name in names.split())

    def lambdify(self, step: Step | str, n: int | None = None, modules: str = "numpy",
                 side: str = "rhs"):
        """A callable for one side of a step at a fixed n (see whysoftmax.codegen)."""
        from .codegen import lambdify_step  # codegen imports this module

        return lambdify_step(self, step, n=n, modules=modules, side=side)

    def _repr_markdown_(self) -> str:
        """Jupyter: the derivation as Markdown with display mathematics."""
        from .latex import markdown  # latex imports this module

        return markdown(self)

    def _repr_latex_(self) -> str:
        """Jupyter (LaTeX frontends): every claim, one display equation each."""
        from .latex import claim

        return "\n".join(f"$$ {claim(s)} $$" for s in self.steps)

    def main(self, argv: Sequence[str] | None = None) -> None:
        """Check this derivation, print its table and exit (``python derivations/x.py``)."""
        from .cli import run_derivation  # the CLI imports this module

        raise SystemExit(run_derivation(self, argv))

    # -- prose and steps ------------------------------------------------------------------
    def text(self, paragraph: str) -> None:
        """Add a paragraph of prose between steps."""
        self.items.append(("text", paragraph))

    @property
    def steps(self) -> list[Step]:
        return [item for kind, item in self.items if kind == "step"]

    def step(self, name: str) -> Step:
        """The step called ``name``."""
        for s in self.steps:
            if s.name == name:
                return s
        raise KeyError(f"{self.id}: no step named {name!r}")

    def equal(self, name: str, lhs, rhs, why: str = "", **kw) -> Step:
        """Claim ``lhs = rhs``."""
        return self._add(Step(name, Relation.EQ, lhs, rhs, why, **kw))

    def less_equal(self, name: str, lhs, rhs, why: str = "", **kw) -> Step:
        """Claim ``lhs ≤ rhs``."""
        return self._add(Step(name, Relation.LE, lhs, rhs, why, **kw))

    def less(self, name: str, lhs, rhs, why: str = "", **kw) -> Step:
        """Claim ``lhs < rhs``."""
        return self._add(Step(name, Relation.LT, lhs, rhs, why, **kw))

    def approximately(self, name: str, expr, decimal: str, why: str = "", **kw) -> Step:
        """Claim that ``expr`` rounds to ``decimal`` at the digits given.

        Stated exactly as ``|expr − decimal| ≤ ½ unit in the last place`` (e.g.
        ``approximately("s_1", e/(e + e²), "0.26894142")``), so SymPy decides it on the
        exact number, not on a float.
        """
        digits = Decimal(decimal)
        half_ulp = Rational(1, 2) * Rational(10) ** digits.as_tuple().exponent
        return self._add(
            Step(name, Relation.LE, Abs(expr - Rational(decimal)), half_ulp, why,
                 approx=(expr, decimal), **kw)
        )

    def limit(self, name: str, expr, variable: Symbol, point, value, why: str = "", **kw) -> Step:
        """Claim ``expr → value`` as ``variable → point`` (``point`` may be ``oo``)."""
        return self._add(
            Step(name, Relation.LIMIT, expr, value, why, variable=variable, point=point, **kw)
        )

    def refute(
        self, name: str, lhs, rhs=None, *, claim: str = "=", at: dict, why: str = "", **kw
    ) -> Step:
        """Show that the claim ``lhs <claim> rhs`` is false at the witness ``at``.

        ``claim`` is ``"="``, ``"<="``, ``"<"`` or ``"defined"`` (then ``rhs`` is unused and
        the witness must make ``lhs`` undefined, e.g. a division by zero). With
        ``premises``, the refutation is only as strong as the steps it rests on.
        """
        if claim not in REFUTABLE:
            raise DerivationError(
                f"step {name!r}: claim must be one of {sorted(REFUTABLE)}, not {claim!r}"
            )
        return self._add(
            Step(name, Relation.REFUTES, lhs, rhs, why, refuted=claim, witness=dict(at), **kw)
        )

    def chain(self, name: str, start, *links: tuple[str, Any, str]) -> Step:
        """A calc-style chain ``start ρ₁ b ρ₂ c …``; returns the composed step.

        Each link is ``(relation, expression, why)`` with relation ``"="``, ``"<="`` or
        ``"<"``. Link ``k`` becomes the step ``"{name} ({k})"``; the composed step
        ``name`` relates ``start`` to the last expression by transitivity and holds only
        when every link holds. Its relation is ``<`` if any link is strict, else ``≤``
        if any link is, else ``=``.
        """
        if not links:
            raise DerivationError(f"chain {name!r} has no links")
        previous, made = start, []
        for number, link in enumerate(links, start=1):
            if len(link) != 3 or link[0] not in COMPARISONS:
                raise DerivationError(
                    f"chain {name!r}, link {number}: expected (relation, expression, why) "
                    f"with relation one of '=', '<=', '<'"
                )
            rel, expr, why = link
            step = Step(f"{name} ({number})", COMPARISONS[rel], previous, expr, why)
            made.append(self._add(step))
            previous = expr
        relations = {s.relation for s in made}
        composed = (
            Relation.LT if Relation.LT in relations
            else Relation.LE if Relation.LE in relations
            else Relation.EQ
        )
        return self._add(
            Step(
                name, composed, start, previous, "by transitivity of the chain above",
                rule="transitivity", premises=tuple(s.name for s in made),
            )
        )

    def by_rule(
        self, name: str, relation: str, lhs, rhs, *, rule: str, premises: Iterable[str],
        why: str = "", variable: Symbol | None = None, point=None, **kw,
    ) -> Step:
        """A result that follows from earlier steps by ``rule`` (e.g. ``"squeeze"``).

        The rule is recorded, not re-derived: the result's status is the weakest status
        of its premises, and the numeric check still tests the result itself.
        """
        rel = {**COMPARISONS, "limit": Relation.LIMIT}
        if relation not in rel:
            raise DerivationError(f"step {name!r}: relation must be one of {sorted(rel)}")
        return self._add(
            Step(
                name, rel[relation], lhs, rhs, why, variable=variable,
                point=point, rule=rule, premises=tuple(premises), **kw,
            )
        )

    # -- validation -----------------------------------------------------------------------
    def _add(self, step: Step) -> Step:
        step = self._validated(step)
        self.items.append(("step", step))
        return step

    def _validated(self, step: Step) -> Step:
        where = f"step {step.name!r}"
        if any(s.name == step.name for s in self.steps):
            raise DerivationError(f"{where}: a step with this name already exists")
        for premise in step.premises:
            if not any(s.name == premise for s in self.steps):
                raise DerivationError(f"{where}: premise {premise!r} is not an earlier step")
        lhs, rhs = _as_sympy(step.lhs, where), _as_sympy(step.rhs, where)
        if step.relation is not Relation.REFUTES or step.refuted != "defined":
            _same_shape(lhs, rhs, where)
        if isinstance(lhs, MatrixBase) and step.relation not in (Relation.EQ, Relation.REFUTES):
            raise DerivationError(f"{where}: only equalities may compare matrices")
        for side in (lhs, rhs):
            if side is not None:
                self._check_symbols(side, where, step)
                _check_derivatives(side, where)
        return Step(**{**step.__dict__, "lhs": lhs, "rhs": rhs})

    def _check_symbols(self, expr: Basic, where: str, step: Step) -> None:
        declared = set(self.dimensions) | set(self.index_range) | self.scalar_symbols
        if step.variable is not None:
            declared.add(step.variable)
        if step.substitute:
            for new in step.substitute.values():
                declared |= {s for s in sympify(new).free_symbols if isinstance(s, Symbol)}
        for base in expr.atoms(IndexedBase):
            if base not in self.vectors:
                raise DerivationError(f"{where}: vector {base} is not declared in this derivation")
        undeclared = {
            s for s in expr.free_symbols
            if isinstance(s, Symbol) and s not in declared
            and not any(s == b.label for b in self.vectors)
        }
        if undeclared:
            names = ", ".join(sorted(map(str, undeclared)))
            raise DerivationError(f"{where}: uses undeclared symbol(s) {names}")


def _as_sympy(side, where: str):
    if side is None or isinstance(side, (Basic, MatrixBase)):
        if isinstance(side, Relational):
            raise DerivationError(f"{where}: a side is a relation ({side}); state lhs and rhs")
        return side
    if isinstance(side, float):
        raise DerivationError(
            f"{where}: a side is the Python float {side!r}; use sympy.Integer or Rational"
        )
    if isinstance(side, int):
        return sympify(side)
    if isinstance(side, (list, tuple)):
        raise DerivationError(f"{where}: a side is a Python {type(side).__name__}; use Matrix")
    raise DerivationError(f"{where}: a side is a {type(side).__name__}, not a SymPy expression")


def _describe(side) -> str:
    if isinstance(side, MatrixBase):
        return f"a {side.rows}×{side.cols} matrix"
    return "a scalar"


def _same_shape(lhs, rhs, where: str) -> None:
    if isinstance(lhs, MatrixBase) != isinstance(rhs, MatrixBase) or (
        isinstance(lhs, MatrixBase) and lhs.shape != rhs.shape
    ):
        raise DerivationError(f"{where}: compares {_describe(lhs)} with {_describe(rhs)}")


def _check_derivatives(expr: Basic, where: str) -> None:
    """Refuse d/dz[j] where j is also a summation index (SymPy answers wrongly there)."""
    items = list(expr) if isinstance(expr, MatrixBase) else [expr]
    for item in items:
        for der in item.atoms(Derivative):
            for var, _ in der.variable_count:
                if not isinstance(var, Indexed):
                    continue
                bound = {lim[0] for s in der.expr.atoms(Sum) for lim in s.limits}
                clash = set(var.indices) & bound
                if clash:
                    raise DerivationError(
                        f"{where}: differentiates by {var} but {clash.pop()} is also a "
                        "summation index (use a different free index)"
                    )
