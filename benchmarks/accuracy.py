"""Accuracy in ULPs against mpmath at 100 digits: every export on the adversarial suite.

Run: .venv/bin/python benchmarks/accuracy.py   (about 3 minutes; torch when installed)

Contenders: whysoftmax.numeric; scipy.special where it has the function (softmax,
log_softmax, logsumexp, expit, log_expit); torch (CPU, float64) where it has it; and, for
the functions neither has, the textbook numpy form the issue measured (``s − e_y``,
``diag(s) − s sᵀ``, ``s ⊙ (v − ⟨s, v⟩)``, …) so the table shows what the stable forms buy.
Writes the "accuracy" section of docs/benchmarks.md and benchmarks/results/accuracy.json.
"""

from __future__ import annotations

import json
import time
import warnings

import numpy as np
import scipy
import scipy.special

from whysoftmax import numeric
from whysoftmax.testing import ADVERSARIAL, REFERENCES, ulp_report

from report import RESULTS, machine, write_section

KERNELS = ("softmax", "log_softmax", "logsumexp")


def _textbook() -> dict:
    """The plain numpy forms of the functions scipy lacks (on top of a good softmax)."""
    def grad(z, y):
        s = numeric.softmax(z)
        s[y] -= 1
        return s

    def jacobian(z):
        s = numeric.softmax(z)
        return np.diag(s) - np.outer(s, s)

    def jvp(z, v):
        s = numeric.softmax(z)
        return s * (v - np.dot(s, v))

    def sparsemax(z):
        ordered = -np.sort(-z)
        cumulative = np.cumsum(ordered)
        k = np.sum(1 + np.arange(1, len(z) + 1) * ordered > cumulative)
        return np.maximum(z - (cumulative[k - 1] - 1) / k, 0)

    return {
        "cross_entropy": lambda z, y: -np.log(numeric.softmax(z)[y]),
        "cross_entropy_grad": grad,
        "softmax_jacobian": jacobian,
        "softmax_jvp": jvp,
        "sum_normalize": lambda z: z / z.sum(),
        "spherical_softmax": lambda z: z * z / np.sum(z * z),
        "taylor_softmax": lambda z: (1 + z + z * z / 2) / np.sum(1 + z + z * z / 2),
        "sparsemax": sparsemax,
    }


def contenders() -> dict[str, dict]:
    out = {"whysoftmax": {name: getattr(numeric, name) for name in REFERENCES}}
    special = scipy.special
    out[f"scipy {scipy.__version__}"] = {
        **{name: getattr(special, name) for name in KERNELS},
        "sigmoid": special.expit, "log_sigmoid": special.log_expit}
    try:
        import torch
        import torch.nn.functional as F
    except ImportError:
        torch = None
    if torch is not None:
        def wrap(fn):
            return lambda x: fn(torch.from_numpy(np.asarray(x, dtype=np.float64))).numpy()

        out[f"torch {torch.__version__}"] = {
            "softmax": wrap(lambda t: torch.softmax(t, -1)),
            "log_softmax": wrap(lambda t: torch.log_softmax(t, -1)),
            "logsumexp": wrap(lambda t: torch.logsumexp(t, -1)),
            "sigmoid": wrap(torch.sigmoid), "log_sigmoid": wrap(F.logsigmoid)}
    out["textbook numpy"] = _textbook()
    return out


def measure() -> dict:
    impls = contenders()
    results: dict = {"machine": machine(), "date": time.strftime("%Y-%m-%d"),
                     "cases": list(ADVERSARIAL), "functions": {}}
    for function in REFERENCES:
        entry = {}
        for name, fns in impls.items():
            if function not in fns:
                continue
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                report = ulp_report(fns[function], function)
            entry[name] = [row.worst for row in report.rows]
            print(f"{function:20s} {name:24s} worst {report.worst:.3g}", flush=True)
        results["functions"][function] = entry
    results["float32"] = {f: ulp_report(getattr(numeric, f), f, dtype=np.float32).worst
                          for f in KERNELS}
    return results


def _cell(value: float) -> str:
    return "n/a" if np.isnan(value) else f"{value:.3g}"


def table(results: dict) -> str:
    lines = ["## Accuracy (max error in ULPs, float64)", "",
             f"Measured {results['date']} on {results['machine']}. Reference: mpmath at 100 "
             "digits (the stable forms, `whysoftmax.mp`); error = |result − reference| / "
             "ulp(reference), 0.5 = correctly rounded. \"textbook numpy\" is the plain form on "
             "top of whysoftmax's softmax, where scipy has no such function. n/a: the "
             "Jacobian is not formed for n > 1000 (n² entries).", "",
             "### Worst case per function", ""]
    names = sorted({n for entry in results["functions"].values() for n in entry},
                   key=lambda n: (n != "whysoftmax", n.startswith("textbook"), n))
    lines += ["| function | " + " | ".join(names) + " |",
              "| --- | " + " | ".join("---" for _ in names) + " |"]
    for function, entry in results["functions"].items():
        cells = [f"**{np.nanmax(entry[n]):.3g}**" if n == "whysoftmax" else
                 (f"{np.nanmax(entry[n]):.3g}" if n in entry else "—") for n in names]
        lines.append(f"| {function} | " + " | ".join(cells) + " |")
    lines += ["", "float32 inputs (computed in float64, rounded once): worst "
              + ", ".join(f"{f} {v:.3g}" for f, v in results["float32"].items())
              + " float32 ULPs.", ""]
    for function, entry in results["functions"].items():
        present = [n for n in names if n in entry]
        lines += [f"### {function}", "", "| case | n | " + " | ".join(present) + " |",
                  "| --- | --- | " + " | ".join("---" for _ in present) + " |"]
        for q, case in enumerate(results["cases"]):
            cells = " | ".join(_cell(entry[n][q]) for n in present)
            lines.append(f"| {case} | {len(ADVERSARIAL[case].x)} | {cells} |")
        lines.append("")
    return "\n".join(lines)


def main() -> None:
    results = measure()
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "accuracy.json").write_text(json.dumps(results, indent=1))
    write_section("accuracy", table(results))


if __name__ == "__main__":
    main()
