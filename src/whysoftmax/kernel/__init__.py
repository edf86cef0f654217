"""The proof kernel: the trusted base of whysoftmax, and the only code that says ``proven``.

Everything above it — the strategy ladders, time limits, instance enumeration and the
numeric sampling of ``whysoftmax.engine``, the derivation language, the reports — is
untrusted: it can only *propose* a certificate. The kernel runs the certificate itself
and :func:`judge` issues the status. A ``proven`` status is sealed (see
:mod:`~whysoftmax.kernel.verdict`), and so are :class:`Theorem` and
:class:`~whysoftmax.kernel.judgement.Finding`: nothing outside this package can make one.

What ``proven`` rests on
------------------------
* **SymPy's reductions**, each run by name (:mod:`~whysoftmax.kernel.rewrites`):
  ``doit``, ``refine``, ``cancel``, ``together``, ``expand``, ``expand_log``, ``powsimp``,
  ``factor_terms``, ``simplify``, ``minimum``, ``limit``, ``function_range`` and the
  assumption system's signs — trusted to preserve values where an expression is defined.
  An equality is shown only by the exact result 0, an inequality only by a sign SymPy
  decides; a nonzero constant difference *refutes* the claim. Not trusted: ``integrate``
  (every ``doit`` here keeps integrals as written; an integral is proven only through an
  antiderivative the kernel differentiates), ``limit``'s answer for generic parameters (a
  coefficient it cancels must be proven nonzero, be covered by the limit where it is 0,
  or be stated: :func:`~whysoftmax.kernel.limits.coefficient_conditions`), and SymPy's
  derivative of a function that is not differentiable (one whitelist of smooth functions,
  with kink conditions proven: :func:`~whysoftmax.kernel.continuity.differentiable`).
* **Five elementary facts about sums and extrema** (linearity of finite sums, renaming
  bound variables with the assumptions their range implies, ``δ_ab f(a, b) = δ_ab f(a,
  a)``, a sum standing for any value of its sign, entries lying between min and max).
* **The definitions of the general-n objects** in :mod:`~whysoftmax.kernel.vectors`
  (vector max/min, sparsemax by Martins & Astudillo's algorithm).
* **Checked rules** (:mod:`~whysoftmax.kernel.rules`): transitivity, substitution of a
  proven equality, positive combination, monotone maps, termwise sums, a term below its
  sum, extremum bounds, least upper bound, case splits (on a Kronecker δ; on intervals
  that cover ℝ), squeeze, continuity, instantiation — and changes of variables whose
  inverse is checked on the whole domain (:mod:`~whysoftmax.kernel.substitution`).
* **Side conditions** (:mod:`~whysoftmax.kernel.domain`): a proof holds where the written
  claim is defined; conditions the kernel cannot prove are stated in the status.
* **Exhaustive instances** for ``proven for n ≤ N`` (:mod:`~whysoftmax.kernel.instances`)
  and **exact refutations** at witnesses inside the declared domain
  (:mod:`~whysoftmax.kernel.refutation`).

Expressions reach the kernel as text and are rebuilt through a whitelist of SymPy's
classes (:mod:`~whysoftmax.kernel.serial`), so a derivation file cannot smuggle in a class
of its own. What this does not cover: a derivation file is Python run with your
permissions, in a child process — it cannot reach the kernel's objects, but it can write
whatever you can write (the certificate cache, the installed package). Check a derivation
you do not trust with ``--no-cache`` in a throwaway environment.

The kernel imports nothing from the rest of whysoftmax except the SymPy-free sparsemax
algorithm it defines sparsemax by.
"""

from .claim import DIRECTIONS, REFUTABLE, WRITTEN, Claim, Condition, Relation, Signature, claim_key
from .judgement import Finding, attempt, conditions, judge, rule_certificate
from .rules import RULES
from .verdict import Certificate, Evidence, Kind, Status, Theorem

__all__ = [
    "DIRECTIONS",
    "REFUTABLE",
    "RULES",
    "WRITTEN",
    "Certificate",
    "Claim",
    "Condition",
    "Evidence",
    "Finding",
    "Kind",
    "Relation",
    "Signature",
    "Status",
    "Theorem",
    "attempt",
    "claim_key",
    "conditions",
    "judge",
    "rule_certificate",
]
