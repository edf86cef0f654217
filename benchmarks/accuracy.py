"""Accuracy in ULPs against mpmath at 100 digits: every export on the adversarial suite.

Run: .venv/bin/python benchmarks/accuracy.py   (about 3 minutes; torch when installed)

Contenders: whysoftmax.numeric; scipy.special where it has the function (softmax,
log_softmax, logsumexp, expit, log_expit); torch (CPU, float64) where it has it; and, for
the functions neither has, the textbook numpy form the issue measured (``s − e_y``,
``diag(s) − s sᵀ``, ``s ⊙ (v − ⟨s, v⟩)``, …) so the table shows what the stable forms buy.
Writes the "accuracy" section of docs/benchmarks.md and benchmarks/results/accuracy.json.

``--streaming`` (about 2 minutes) measures the online softmax instead, chunk size by chunk
size: the "streaming accuracy" section and benchmarks/results/streaming_accuracy.json.
"""

from __future__ import annotations

import argparse
import functools
import json
import time
import warnings

import numpy as np
import scipy
import scipy.special

from whysoftmax import numeric
from whysoftmax.testing import (
    ADVERSARIAL,
    REFERENCES,
    reference_values,
    ulp_errors,
    ulp_report,
    uneven_chunks,
)

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


# -- the online softmax, chunk size by chunk size ------------------------------------------------

#: (label, how a case is cut, the largest n it is run on: chunks of 1 and 7 skip 2^20).
CHUNKINGS = [("1 chunk", lambda x, *v: [(x, *v)], None),
             ("uneven (5)", lambda x, *v: uneven_chunks(x, *v) if v else
              [(c,) for c in uneven_chunks(x)], None),
             ("of 1000", lambda x, *v: _pieces(1000, x, *v), None),
             ("of 7", lambda x, *v: _pieces(7, x, *v), 100_000),
             ("of 1", lambda x, *v: _pieces(1, x, *v), 100_000)]
#: The merge tree is built for at most this many chunks (one accumulator each).
TREE = 20_000
#: The streaming results measured.
STREAMED = ["logsumexp (update)", "logsumexp (merge tree)", "softmax (2nd pass)",
            "log_softmax (2nd pass)", "attention (update)"]


def _pieces(size: int, *arrays) -> list[tuple]:
    return [tuple(a[q:q + size] for a in arrays) for q in range(0, len(arrays[0]), size)]


def _tree(accs: list):
    while len(accs) > 1:
        accs = [a.merge(b) for a, b in zip(accs[::2], accs[1::2], strict=False)] + \
            accs[len(accs) // 2 * 2:]
    return accs[0]


def _streamed(case: str, cut) -> list[float]:
    """The worst ULP of each result in STREAMED for one case cut one way."""
    x = ADVERSARIAL[case].x
    chunks = [c for (c,) in cut(x)]
    acc = functools.reduce(lambda a, c: a.update(c), chunks, numeric.OnlineLogSumExp())
    tree = _tree([numeric.OnlineLogSumExp(c) for c in chunks]) if len(chunks) <= TREE else None
    (values,) = REFERENCES["attention_chunks"].arguments(x)[0]
    attention = functools.reduce(lambda a, b: a.update(*b), cut(x, values),
                                 numeric.OnlineAttention())
    lse = reference_values("logsumexp", case)
    return [ulp_errors([acc.logsumexp()], lse).max(),
            ulp_errors([tree.logsumexp()], lse).max() if tree else np.nan,
            ulp_errors(np.concatenate([acc.softmax(c) for c in chunks]),
                       reference_values("softmax", case)).max(),
            ulp_errors(np.concatenate([acc.log_softmax(c) for c in chunks]),
                       reference_values("log_softmax", case)).max(),
            ulp_errors(attention.output(), reference_values("attention_chunks", case)).max()]


def measure_streaming() -> dict:
    results: dict = {"machine": machine(), "date": time.strftime("%Y-%m-%d"),
                     "chunkings": [c[0] for c in CHUNKINGS], "results": STREAMED,
                     "cases": {}}
    for case, data in ADVERSARIAL.items():
        entry = {}
        for label, cut, largest in CHUNKINGS:
            start = time.perf_counter()
            entry[label] = ([np.nan] * len(STREAMED) if largest and len(data.x) > largest
                            else _streamed(case, cut))
            print(f"{case:48s} {label:12s} {_cell(max(entry[label]))} ULP "
                  f"({time.perf_counter() - start:.1f} s)", flush=True)
        results["cases"][case] = entry
    return results


def streaming_table(results: dict) -> str:
    chunkings, names = results["chunkings"], results["results"]
    worst = {(c, r): np.nanmax([results["cases"][case][c][q] for case in results["cases"]])
             for c in chunkings for q, r in enumerate(names)}
    lines = ["## Streaming accuracy (online softmax, max error in ULPs, float64)", "",
             f"Measured {results['date']} on {results['machine']}, with `accuracy.py "
             "--streaming`. Each case of the suite cut into chunks (one, five uneven ones, "
             "chunks of 1000, 7 or 1 entries; chunks of 7 and 1 not on the 2^20-entry case: "
             "n/a), added one by one with `OnlineLogSumExp.update` (\"update\"), or as "
             f"one accumulator per chunk merged pairwise (\"merge tree\", up to {TREE:,} "
             "chunks: not for chunks of 1 on the 1e5-entry case); softmax and "
             "log_softmax from the second pass; attention with `OnlineAttention` and values "
             "of one sign (those of `REFERENCES[\"attention_chunks\"]`). The one-shot "
             "functions: softmax 2, log_softmax 0.99, logsumexp 0.75 (the accuracy section).",
             "", "### Worst case per result and chunking", "",
             "| result | " + " | ".join(chunkings) + " |",
             "| --- | " + " | ".join("---" for _ in chunkings) + " |"]
    for r in names:
        lines.append(f"| {r} | " + " | ".join(_cell(worst[c, r]) for c in chunkings) + " |")
    lines += ["", "### Worst over the five results, per case", "",
              "| case | n | " + " | ".join(chunkings) + " |",
              "| --- | --- | " + " | ".join("---" for _ in chunkings) + " |"]
    for case, entry in results["cases"].items():
        cells = " | ".join(_cell(np.nanmax(entry[c]) if not np.isnan(entry[c]).all()
                                 else np.nan) for c in chunkings)
        lines.append(f"| {case} | {len(ADVERSARIAL[case].x)} | {cells} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--streaming", action="store_true", help="the online softmax only")
    if parser.parse_args().streaming:
        results = measure_streaming()
        RESULTS.mkdir(exist_ok=True)
        (RESULTS / "streaming_accuracy.json").write_text(json.dumps(results, indent=1))
        write_section("streaming-accuracy", streaming_table(results))
        return
    results = measure()
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "accuracy.json").write_text(json.dumps(results, indent=1))
    write_section("accuracy", table(results))


if __name__ == "__main__":
    main()
