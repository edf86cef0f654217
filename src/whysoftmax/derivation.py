"""A derivation: declared symbols, prose and an ordered list of checkable steps.

A derivation file in ``derivations/`` builds one :class:`Derivation` at module level.
It declares every symbol it uses with its assumptions (the domains the claims speak
about), then states steps. A step is a claim plus its justification:

* :meth:`Derivation.equal` — ``lhs = rhs``;
* :meth:`Derivation.less_equal`, :meth:`Derivation.less` — ``lhs ≤ rhs``, ``lhs < rhs``;
* :meth:`Derivation.limit` — ``lim_{x → a} expr = value`` (two-sided unless told);
* :meth:`Derivation.refute` — the claim ``lhs ρ rhs`` is *false*, shown by a witness;
* :meth:`Derivation.chain` — calc style ``a = b ≤ c < d``: each link is a step and the
  composed relation follows by transitivity;
* :meth:`Derivation.by_rule` — a result reached from earlier steps by a named rule that
  the proof kernel checks (``whysoftmax.kernel.RULES``); a rule it does not know is
  recorded and the step is at most ``argued``.

Every field is validated when the step is made: a malformed step raises
:class:`DerivationError` with one line naming it.

Examples
--------
>>> from sympy import exp
>>> d = Derivation("demo", title="A demo", sources=[("nobody2024", "§1")])
>>> x = d.scalar("x", real=True)
>>> step = d.equal("exp of a sum", exp(x + 1), exp(x) * exp(1), why="exponent law")
>>> [s.name for s in d.steps]
['exp of a sum']
>>> d.equal(3, x, x)
Traceback (most recent call last):
...
whysoftmax.validation.DerivationError: a step name must be a non-empty string, not 3
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sympy import Abs, Function, IndexedBase, Lambda, Rational, Symbol

from .kernel import DIRECTIONS, REFUTABLE, RULES, WRITTEN, Claim, Relation, Signature
from .step import Step
from .validation import (
    DerivationError,
    as_side,
    cell_field,
    check_parameter,
    example_map,
    map_field,
    n_max_field,
    step_name,
    text_field,
    validated_claim,
    witness_value,
)

#: Set by the loader while it runs a derivation file (``d.main()`` must not run then).
LOADING = "WHYSOFTMAX_LOADING"

__all__ = ["Derivation", "DerivationError", "Relation", "Step"]


@dataclass
class Derivation:
    """A topic: its symbols, prose and ordered steps.

    Parameters
    ----------
    id : str
        Short identifier used by the CLI (``whysoftmax check -k jacobian``).
    title : str
        Heading of the report.
    sources : list of (str, str)
        Citations as (key in ``derivations/references.bib``, locator), e.g.
        ``("goodfellow2016", "§6.2.2.3")``; the locator may be empty.
    intro : str
        The chapter's opening prose (plain text, formulas typeset); a derivation file's
        docstring when not given.
    """

    id: str
    title: str = ""
    sources: Sequence[tuple[str, str]] = ()
    intro: str = ""
    items: list[tuple[str, Any]] = field(default_factory=list)
    dimensions: dict[Symbol, int] = field(default_factory=dict)
    index_range: dict[Symbol, Symbol] = field(default_factory=dict)
    vectors: dict[IndexedBase, Any] = field(default_factory=dict)
    scalar_symbols: set[Symbol] = field(default_factory=set)
    functions: dict[Any, tuple[Lambda, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        cited = []
        for source in self.sources:
            if not (isinstance(source, (tuple, list)) and len(source) == 2
                    and all(isinstance(part, str) for part in source) and source[0]):
                raise DerivationError(
                    f"derivation {self.id!r}: each source is (bib key, locator), e.g. "
                    f"('goodfellow2016', '§6.2.2.3'), not {source!r}")
            cited.append((source[0], source[1]))
        self.sources = tuple(cited)

    # -- declarations -------------------------------------------------------------------
    def dimension(self, name: str, minimum: int = 1) -> Symbol:
        """Declare an integer dimension ``name ≥ minimum`` (for example ``n``, the classes)."""
        if not isinstance(minimum, int) or minimum < 0:
            raise DerivationError(f"dimension {name!r}: minimum must be an int ≥ 0")
        flags = {"positive": True} if minimum >= 1 else {"nonnegative": True}
        sym = Symbol(name, integer=True, **flags)
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

    def function(self, name: str, *, examples: Sequence[Lambda], **assumptions: bool):
        """Declare a differentiable function ``name`` of one real variable whose values
        carry ``assumptions`` (e.g. ``positive=True``).

        A claim about ``f`` holds for *every* such function; the numeric check tries it on
        ``examples`` (one-variable ``Lambda``s with those properties). Steps resting on a
        hypothesis about ``f`` use the hypothesis's examples instead.
        """
        where = f"function {name!r}"
        if not examples or not all(isinstance(e, Lambda) and len(e.variables) == 1
                                   for e in examples):
            raise DerivationError(f"{where}: examples= must be one-variable Lambdas")
        func = Function(name, **assumptions)
        self.functions[func] = tuple(examples)
        return func

    def assume(self, name: str, lhs, rhs, relation: str = "=", *, why: str = "",
               examples: Sequence[Mapping] = (), **kw) -> Step:
        """A hypothesis ``lhs ρ rhs``: every step resting on it is ``proven assuming
        'name'`` — the derivation proves "if hypothesis, then conclusion".

        The hypothesis holds for every value of its scalars and indices (they are
        quantified inside it); its vectors and functions are the objects the theorem is
        about, fixed throughout (the kernel never instantiates them).

        ``examples`` are substitutions (symbol, vector or function → expression or
        ``Lambda``) under which the hypothesis holds; the numeric check verifies them and
        checks every step resting on the hypothesis on them.
        """
        if relation not in ("=", "<=", "<"):
            raise DerivationError(f"step {name!r}: relation must be '=', '<=' or '<'")
        return self._add(name, Claim(WRITTEN[relation], lhs, rhs), why, hypothesis=True,
                         examples=examples, **kw)

    @property
    def signature(self) -> Signature:
        """The declarations, as the kernel reads them."""
        return Signature(
            tuple(self.dimensions.items()), tuple(self.index_range.items()),
            tuple(self.vectors.items()), tuple(sorted(self.scalar_symbols, key=str)),
            tuple(sorted(self.functions, key=str)),
        )

    def lambdify(self, step: Step | str, n: int | None = None, modules: str = "numpy",
                 side: str = "rhs"):
        """A callable for one side of a step at a fixed n (see whysoftmax.codegen)."""
        from .codegen import lambdify_claim

        chosen = self.step(step) if isinstance(step, str) else step
        return lambdify_claim(self.signature, chosen.claim, chosen.name, n=n,
                              modules=modules, side=side)

    def main(self, argv: Sequence[str] | None = None) -> None:
        """Check the file this derivation is in (``python derivations/x.py`` runs
        ``whysoftmax check derivations/x.py``, with the same options)."""
        import sys

        if os.environ.get(LOADING):
            raise DerivationError(
                "d.main() ran while the file was being loaded; put it under "
                "'if __name__ == \"__main__\":'"
            )
        path = getattr(sys.modules.get("__main__"), "__file__", None)
        if path is None:
            raise DerivationError("d.main() needs a derivation file; use whysoftmax.run(d)")
        args = list(sys.argv[1:] if argv is None else argv)
        os.execv(sys.executable, [sys.executable, "-m", "whysoftmax", "check", path, *args])

    # -- prose and steps ------------------------------------------------------------------
    def text(self, paragraph: str) -> None:
        """Add a paragraph of prose between steps."""
        if not isinstance(paragraph, str):
            raise DerivationError(f"text(): a paragraph must be a string, not {paragraph!r}")
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
        return self._add(name, Claim(Relation.EQ, lhs, rhs), why, **kw)

    def less_equal(self, name: str, lhs, rhs, why: str = "", **kw) -> Step:
        """Claim ``lhs ≤ rhs``."""
        return self._add(name, Claim(Relation.LE, lhs, rhs), why, **kw)

    def less(self, name: str, lhs, rhs, why: str = "", **kw) -> Step:
        """Claim ``lhs < rhs``."""
        return self._add(name, Claim(Relation.LT, lhs, rhs), why, **kw)

    def approximately(self, name: str, expr, decimal: str, why: str = "", **kw) -> Step:
        """Claim that ``expr`` rounds to ``decimal`` at the digits given.

        Stated exactly as ``|expr − decimal| ≤ ½ unit in the last place`` (e.g.
        ``approximately("s_1", e/(e + e²), "0.26894142")``), so it is decided on the
        exact number, not on a float.
        """
        try:
            digits = Decimal(decimal)
        except Exception:  # noqa: BLE001 - decimal's errors are obscure; one line instead
            raise DerivationError(f"step {name!r}: {decimal!r} is not a decimal number") from None
        half_ulp = Rational(1, 2) * Rational(10) ** digits.as_tuple().exponent
        claim = Claim(Relation.LE, Abs(expr - Rational(decimal)), half_ulp)
        return self._add(name, claim, why, approx=(expr, decimal), **kw)

    def limit(self, name: str, expr, variable: Symbol, point, value, why: str = "",
              direction: str = "+-", **kw) -> Step:
        """Claim ``expr → value`` as ``variable → point`` (``point`` may be ``oo``).

        Two-sided at a finite point unless ``direction`` is ``"+"`` (from the right) or
        ``"-"`` (from the left), or the variable's domain lies on one side of the point.
        """
        return self._add(name, self._limit_claim(name, expr, variable, point, value,
                                                 direction), why, **kw)

    def refute(self, name: str, lhs, rhs=None, *, claim: str = "=", at: Mapping,
               why: str = "", **kw) -> Step:
        """Show that the claim ``lhs <claim> rhs`` is false at the witness ``at``.

        ``claim`` is ``"="``, ``"<="``, ``"<"`` or ``"defined"`` (then ``rhs`` is unused and
        the witness must make ``lhs`` undefined, e.g. a division by zero). The witness
        maps symbols and vectors (to lists) to exact values inside their declared domains.
        With ``premises``, the refutation is only as strong as the steps it rests on.
        """
        if claim not in REFUTABLE:
            raise DerivationError(
                f"step {name!r}: claim must be one of {list(REFUTABLE)}, not {claim!r}")
        if not isinstance(at, Mapping) or not at:
            raise DerivationError(f"step {name!r}: at= must be a non-empty mapping")
        witness = tuple((key, witness_value(value, f"step {name!r}")) for key, value in at.items())
        return self._add(name, Claim(Relation.REFUTES, lhs, rhs, refuted=claim,
                                     witness=witness), why, **kw)

    def chain(self, name: str, start, *links) -> Step:
        """A calc-style chain ``start ρ₁ b ρ₂ c …``; returns the composed step.

        Each link is ``(relation, expression, why)`` with relation ``"="``, ``"<="`` or
        ``"<"``, optionally followed by a rule for that link: ``{"rule": name,
        "premises": [...], "using": {...}}``. Link ``k`` becomes the step ``"{name}
        ({k})"``; the composed step ``name`` relates ``start`` to the last expression by
        the kernel's ``transitivity`` rule. Its relation is ``<`` if any link is strict,
        else ``≤`` if any link is, else ``=``.
        """
        if not links:
            raise DerivationError(f"chain {name!r} has no links")
        previous, made = start, []
        for number, link in enumerate(links, start=1):
            if not isinstance(link, tuple) or len(link) not in (3, 4) or link[0] not in (
                    "=", "<=", "<"):
                raise DerivationError(
                    f"chain {name!r}, link {number}: expected (relation, expression, why"
                    "[, rule]) with relation one of '=', '<=', '<'")
            rel, expr, why = link[:3]
            spec = dict(link[3]) if len(link) == 4 else {}
            claim = Claim(WRITTEN[rel], previous, expr)
            made.append(self._add(f"{name} ({number})", claim, why, **spec))
            previous = expr
        relations = {s.relation for s in made}
        composed = (Relation.LT if Relation.LT in relations
                    else Relation.LE if Relation.LE in relations else Relation.EQ)
        return self._add(name, Claim(composed, start, previous), "by transitivity of the chain",
                         rule="transitivity", premises=[s.name for s in made])

    def by_rule(self, name: str, relation: str, lhs, rhs, *, rule: str,
                premises: Iterable[str], why: str = "", variable: Symbol | None = None,
                point=None, direction: str = "+-", using: Mapping | None = None,
                **kw) -> Step:
        """A result that follows from earlier steps by ``rule``.

        The kernel checks the rules it knows (``whysoftmax.kernel.RULES``: transitivity,
        substitution, positive combination, monotone/increasing/decreasing, termwise,
        single term, extremum bound, least upper bound, delta and interval case split,
        squeeze, continuity, instantiation), with parameters in ``using``. Any other name
        is recorded: the step is then at most ``argued``. The numeric check still tests
        the result itself.
        """
        if relation not in WRITTEN:
            raise DerivationError(f"step {name!r}: relation must be one of {list(WRITTEN)}")
        if relation == "limit":
            claim = self._limit_claim(name, lhs, variable, point, rhs, direction)
        else:
            claim = Claim(WRITTEN[relation], lhs, rhs)
        return self._add(name, claim, why, rule=rule, premises=list(premises),
                         using=dict(using or {}), **kw)

    # -- validation -----------------------------------------------------------------------
    def _limit_claim(self, name, expr, variable, point, value, direction) -> Claim:
        if not isinstance(variable, Symbol):
            raise DerivationError(f"step {name!r}: a limit needs variable= a declared symbol")
        if direction not in DIRECTIONS:
            raise DerivationError(f"step {name!r}: direction must be one of {list(DIRECTIONS)}")
        if point is None:
            raise DerivationError(f"step {name!r}: a limit needs point=")
        return Claim(Relation.LIMIT, expr, value, variable, as_side(point, f"step {name!r}"),
                     direction)

    def _add(self, name, claim: Claim, why, **kw) -> Step:
        name = step_name(name)
        where = f"step {name!r}"
        known = {"rule", "premises", "using", "substitute", "inverse", "n_max", "cell", "approx",
                 "hypothesis", "examples"}
        unknown = set(kw) - known
        if unknown:
            raise DerivationError(f"{where}: unknown option(s) {', '.join(sorted(unknown))}")
        if any(s.name == name for s in self.steps):
            raise DerivationError(f"{where}: a step with this name already exists")
        premises = tuple(kw.get("premises", ()))
        for premise in premises:
            if not isinstance(premise, str) or not any(s.name == premise for s in self.steps):
                raise DerivationError(f"{where}: premise {premise!r} is not an earlier step")
        rule = kw.get("rule")
        if rule is not None and not isinstance(rule, str):
            raise DerivationError(f"{where}: rule= must be a string")
        using = kw.get("using") or {}
        if not isinstance(using, Mapping) or not all(isinstance(k, str) for k in using):
            raise DerivationError(f"{where}: using= must be a dict with string keys")
        substitute = map_field(kw.get("substitute"), "substitute", where)
        inverse = map_field(kw.get("inverse"), "inverse", where)
        extra = [claim.variable] if claim.variable is not None else []
        claim = validated_claim(claim, where, self._declared(substitute, inverse, extra),
                                self.vectors, self.functions)
        for value in using.values():
            check_parameter(value, where)
        examples = tuple(self._examples(kw.get("examples", ()), where))
        step = Step(name, claim, text_field(why, "why", where), rule, premises,
                    tuple(using.items()), substitute, inverse,
                    n_max_field(kw.get("n_max"), where), cell_field(kw.get("cell"), where),
                    kw.get("approx"), bool(kw.get("hypothesis")), examples)
        self.items.append(("step", step))
        return step

    def _examples(self, examples, where: str):
        for number, example in enumerate(examples, start=1):
            yield example_map(example, f"{where}, example {number}", self.vectors,
                              self.functions)

    def _declared(self, substitute=(), inverse=(), extra=()) -> set:
        declared = set(self.dimensions) | set(self.index_range) | self.scalar_symbols
        declared |= set(extra)
        for _, value in (*substitute, *inverse):
            declared |= {s for s in value.free_symbols if isinstance(s, Symbol)}
        for key, _ in inverse:
            declared |= {key} if isinstance(key, Symbol) else set()
        return declared


#: Rule names the kernel checks (others are recorded, and the step is at most argued).
CHECKED_RULES = tuple(sorted(RULES))
