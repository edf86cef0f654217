"""Certificates kept between runs, so an unchanged step costs a replay, not a search.

A step's entry is keyed by a hash of its claim, its justification, the declarations it
lives in, the check options and the versions of the kernel, SymPy and mpmath. It holds
the certificate the kernel accepted and the numeric evidence. Nothing in it is trusted
as a status: ``check`` and ``verify`` hand the certificate back to the kernel, which runs
it again (without the search's failed attempts); the numeric evidence is reused only for
exactly the same claim and options (the sampling is seeded by the step's name).

Examples
--------
>>> import tempfile
>>> from whysoftmax.kernel import Certificate, Evidence
>>> store = CertificateStore(tempfile.mkdtemp())
>>> store.put("k1", Certificate("rewrite", "cancel"), Evidence(12, None, "12 pts"), "dps=50")
>>> store.get("k1")[0].describe()
"rewrite 'cancel'"
>>> store.get("k1", "dps=80")[1] is None  # evidence is reused only for the same options
True
>>> store.get("missing") is None
True
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import mpmath
import sympy

from ..atomic import write_atomically
from ..kernel import Certificate, Claim, Evidence, Signature, claim_key
from ..kernel.serial import dumps

#: Bump when the kernel's judgement of a certificate changes.
KERNEL_VERSION = "1"
DEFAULT_DIR = ".whysoftmax_cache"


def step_key(step, signature: Signature) -> str:
    """The cache key of a step: its claim, justification, declarations and the versions of
    the kernel, SymPy and mpmath (not the numeric options: evidence is stored with them)."""
    justification = json.dumps({
        "rule": step.rule, "premises": list(step.premises),
        "using": sorted((k, dumps(v) if hasattr(v, "free_symbols") else repr(v))
                        for k, v in step.using),
        "substitute": [[dumps(k), dumps(v)] for k, v in step.substitute],
        "inverse": [[dumps(k), dumps(v)] for k, v in step.inverse],
        "n_max": step.n_max, "name": step.name,
        "versions": [KERNEL_VERSION, sympy.__version__, mpmath.__version__],
    }, sort_keys=True)
    claim: Claim = step.claim
    return claim_key(claim, signature, justification)


class CertificateStore:
    """A folder of JSON files, one per step key (written atomically)."""

    def __init__(self, folder: str | os.PathLike):
        self.folder = Path(folder)

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str, options: str | None = None
            ) -> tuple[Certificate, Evidence | None] | None:
        """The stored certificate and the evidence gathered with ``options`` (None: with
        whatever options the last check used)."""
        path = self._path(key)
        try:
            data = json.loads(path.read_text())
            stored = data.get("evidence")
            evidence = None
            if stored and (options is None or stored["options"] == options):
                evidence = Evidence(stored["points"], stored["counterexample"],
                                    stored["summary"])
            return Certificate.from_data(data["certificate"]), evidence
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put(self, key: str, certificate: Certificate, evidence: Evidence | None,
            options: str = "") -> None:
        data = {"certificate": certificate.to_data(),
                "evidence": None if evidence is None else {
                    "points": evidence.points, "counterexample": evidence.counterexample,
                    "summary": evidence.summary, "options": options}}
        write_atomically(self._path(key), json.dumps(data, sort_keys=True).encode())
