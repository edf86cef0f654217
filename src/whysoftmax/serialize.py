"""A derivation as plain data and back: what crosses from the process that ran a
derivation file to the process that checks it.

Expressions travel as ``srepr`` text and are rebuilt through the kernel's whitelist
(:mod:`whysoftmax.kernel.serial`), unevaluated, so the checker judges exactly what the
file wrote and nothing the file could have patched. Every step is validated again on
arrival.

Examples
--------
>>> from sympy import exp
>>> from whysoftmax import Derivation
>>> d = Derivation("demo")
>>> x = d.scalar("x")
>>> _ = d.equal("law", exp(2 * x), exp(x) ** 2)
>>> back = derivation_from_data(derivation_data(d))
>>> back.steps[0].claim.to_data() == d.steps[0].claim.to_data()
True
"""

from __future__ import annotations

import json
from typing import Any

from .derivation import Derivation
from .kernel import Claim, Signature
from .kernel.serial import dumps, loads, pack, unpack


def _pairs(pairs) -> list:
    return [[dumps(k), dumps(v)] for k, v in pairs]


def _step_data(step) -> dict[str, Any]:
    return {
        "name": step.name, "claim": step.claim.to_data(), "why": step.why,
        "rule": step.rule, "premises": list(step.premises),
        "using": json.dumps(pack(dict(step.using))),
        "substitute": _pairs(step.substitute), "inverse": _pairs(step.inverse),
        "n_max": step.n_max, "cell": list(step.cell) if step.cell else None,
        "approx": [dumps(step.approx[0]), step.approx[1]] if step.approx else None,
        "hypothesis": step.hypothesis,
        "examples": [_pairs(example) for example in step.examples],
    }


def derivation_data(d: Derivation) -> dict[str, Any]:
    """``d`` as JSON-able data."""
    items = [{"text": item} if kind == "text" else {"step": _step_data(item)}
             for kind, item in d.items]
    return {"id": d.id, "title": d.title, "sources": list(d.sources), "intro": d.intro,
            "signature": d.signature.to_data(), "items": items,
            "function_examples": [[dumps(f), [dumps(e) for e in examples]]
                                  for f, examples in d.functions.items()]}


def derivation_from_data(data: dict[str, Any]) -> Derivation:
    """Rebuild a derivation from :func:`derivation_data`, validating every step again."""
    signature = Signature.from_data(data["signature"])
    d = Derivation(str(data["id"]), str(data.get("title", "")), list(data.get("sources", ())),
                   str(data.get("intro", "")))
    d.dimensions.update(dict(signature.dimensions))
    d.index_range.update(dict(signature.indices))
    d.vectors.update(dict(signature.vectors))
    d.scalar_symbols.update(signature.scalars)
    for name, examples in data.get("function_examples", ()):
        d.functions[loads(name)] = tuple(loads(e, evaluate=False) for e in examples)
    for item in data["items"]:
        if "text" in item:
            d.text(item["text"])
            continue
        s = item["step"]

        def pairs(key, s=s):
            return {loads(k, evaluate=False): loads(v, evaluate=False) for k, v in s[key]}

        options: dict[str, Any] = {
            "premises": s["premises"], "using": unpack(json.loads(s["using"])),
            "substitute": pairs("substitute") or None, "inverse": pairs("inverse") or None,
            "n_max": s["n_max"], "cell": tuple(s["cell"]) if s["cell"] else None,
        }
        if s["rule"] is not None:
            options["rule"] = s["rule"]
        if s["approx"]:
            options["approx"] = (loads(s["approx"][0], evaluate=False), s["approx"][1])
        if s.get("hypothesis"):
            options["hypothesis"] = True
            options["examples"] = [
                {loads(k, evaluate=False): loads(v, evaluate=False) for k, v in example}
                for example in s.get("examples", ())]
        d._add(s["name"], Claim.from_data(s["claim"]), s["why"], **options)
    return d
