"""Accuracy in ULPs against mpmath at 100 digits, on the adversarial suite.

Run: .venv/bin/python benchmarks/accuracy.py   (about a minute; torch/jax when installed)
Writes the "accuracy" section of docs/benchmarks.md.
"""

from __future__ import annotations

import warnings

import numpy as np
import scipy
import scipy.special

from whysoftmax import numeric
from whysoftmax.testing import ADVERSARIAL, ulp_report

from report import machine, write_section

FUNCTIONS = ["softmax", "log_softmax", "logsumexp"]


def implementations() -> dict[str, dict]:
    impls = {
        "whysoftmax": {f: getattr(numeric, f) for f in FUNCTIONS},
        f"scipy {scipy.__version__}": {f: getattr(scipy.special, f) for f in FUNCTIONS},
    }
    try:
        import torch

        def wrap(fn):
            return lambda x: fn(torch.from_numpy(np.asarray(x, dtype=np.float64)), 0).numpy()

        impls[f"torch {torch.__version__}"] = {
            "softmax": wrap(torch.softmax),
            "log_softmax": wrap(torch.log_softmax),
            "logsumexp": wrap(torch.logsumexp),
        }
    except ImportError:
        pass
    try:
        import jax

        jax.config.update("jax_enable_x64", True)
        import jax.nn
        import jax.scipy.special

        impls[f"jax {jax.__version__}"] = {
            "softmax": lambda x: np.asarray(jax.nn.softmax(x)),
            "log_softmax": lambda x: np.asarray(jax.nn.log_softmax(x)),
            "logsumexp": lambda x: np.asarray(jax.scipy.special.logsumexp(x)),
        }
    except ImportError:
        pass
    return impls


def main() -> None:
    impls = implementations()
    names = list(impls)
    lines = ["## Accuracy (max error in ULPs, float64)", "",
             f"Measured on {machine()}. Reference: mpmath at 100 digits; error = "
             "|result − reference| / ulp(reference) (0.5 = correctly rounded).", ""]
    summary = {}
    for function in FUNCTIONS:
        lines += [f"### {function}", "",
                  "| case | n | " + " | ".join(names) + " |",
                  "| --- | --- | " + " | ".join("---" for _ in names) + " |"]
        reports = {}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for name in names:
                reports[name] = ulp_report(impls[name][function], function)
        for q, case in enumerate(ADVERSARIAL):
            cells = [f"{reports[name].rows[q].worst:.3g}" for name in names]
            lines.append(f"| {case} | {len(ADVERSARIAL[case].x)} | " + " | ".join(cells) + " |")
        worst = [f"**{reports[name].worst:.3g}**" for name in names]
        lines += ["| **worst** | | " + " | ".join(worst) + " |", ""]
        summary[function] = {name: reports[name].worst for name in names}
    ours32 = {f: ulp_report(getattr(numeric, f), f, dtype=np.float32).worst for f in FUNCTIONS}
    lines += ["float32 inputs (whysoftmax computes in float64 and rounds once): worst "
              + ", ".join(f"{f} {v:.3g}" for f, v in ours32.items()) + " float32 ULPs.", ""]
    write_section("accuracy", "\n".join(lines))
    for function, row in summary.items():
        print(function, {k: round(v, 3) for k, v in row.items()})


if __name__ == "__main__":
    main()
