"""The benchmarks' figure: time × scipy per input and dtype, worst ULP per function.

Run after speed.py and accuracy.py: .venv/bin/python benchmarks/figure.py
Reads benchmarks/results/{speed,accuracy}.json, writes docs/benchmarks.png and the
"figure" section of docs/benchmarks.md that shows it.
"""

from __future__ import annotations

import json

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

from report import DOC, RESULTS, write_section

FIGURE = DOC.parent / "benchmarks.png"
FUNCTIONS = ("softmax", "log_softmax", "logsumexp")


def _speed(ax, speed: dict) -> None:
    rows = speed["rows"]
    labels = list(dict.fromkeys((r["dtype"], r["input"]) for r in rows))
    width = 0.8 / len(FUNCTIONS)
    for f, function in enumerate(FUNCTIONS):
        picked = [next(r for r in rows if (r["dtype"], r["input"]) == key
                       and r["function"] == function) for key in labels]
        median = np.array([r["ratio"]["median"] for r in picked])
        spread = np.array([[m - r["ratio"]["min"], r["ratio"]["max"] - m]
                           for m, r in zip(median, picked, strict=True)]).T
        x = np.arange(len(labels)) + (f - 1) * width
        ax.bar(x, median, width, yerr=spread, capsize=2, label=f"whysoftmax {function}")
        torch = [r["ratios"].get(n) for r in picked for n in r["ratios"] if n.startswith("torch")]
        if torch:
            ax.plot(x, torch, "k.", markersize=4, label="torch (1 thread)" if f == 0 else None)
    ax.axhline(1.0, color="grey", linewidth=0.8)
    ax.set_xticks(np.arange(len(labels)))
    ax.set_xticklabels([f"{d}\n{i}" for d, i in labels], rotation=60, ha="right", fontsize=7)
    ax.set_ylabel("time × scipy (1 thread each; median, min–max)")
    ax.set_title(f"Speed, {speed['date']}", fontsize=10)
    ax.legend(fontsize=7)


def _accuracy(ax, accuracy: dict) -> None:
    functions = list(accuracy["functions"])
    names = sorted({n for e in accuracy["functions"].values() for n in e},
                   key=lambda n: (n != "whysoftmax", n.startswith("textbook"), n))
    width = 0.8 / len(names)
    for q, name in enumerate(names):
        worst = [np.nanmax(accuracy["functions"][f][name]) if name in accuracy["functions"][f]
                 else np.nan for f in functions]
        worst = np.clip(np.array(worst, dtype=float), 0.1, 1e20)
        ax.bar(np.arange(len(functions)) + (q - (len(names) - 1) / 2) * width, worst, width,
               label=name)
    ax.axhline(2.0, color="grey", linewidth=0.8, linestyle="--")
    ax.set_yscale("log")
    ax.set_xticks(np.arange(len(functions)))
    ax.set_xticklabels(functions, rotation=60, ha="right", fontsize=7)
    ax.set_ylabel("worst error on the adversarial suite (ULP)")
    ax.set_title("Accuracy against mpmath (float64); dashed: 2 ULP; ∞ drawn at 1e20",
                 fontsize=10)
    ax.legend(fontsize=7)


def main() -> None:
    speed = json.loads((RESULTS / "speed.json").read_text())
    accuracy = json.loads((RESULTS / "accuracy.json").read_text())
    fig, (left, right) = plt.subplots(1, 2, figsize=(13, 5.2))
    _speed(left, speed)
    _accuracy(right, accuracy)
    fig.suptitle(f"whysoftmax.numeric vs scipy.special — {speed['machine']}", fontsize=9)
    fig.tight_layout()
    fig.savefig(FIGURE, dpi=110)
    write_section("figure", "## Figure\n\n![Time × scipy per input and dtype (median, "
                  "min–max over the rounds; torch as dots), and the worst error in ULPs of "
                  f"every function]({FIGURE.name})\n\nFrom the two sections below "
                  f"(speed {speed['date']}, accuracy {accuracy['date']}).")
    print(FIGURE)


if __name__ == "__main__":
    main()
