"""The report's figures, drawn with matplotlib from whysoftmax.numeric (one data source).

Each function draws one figure and returns it; :func:`write_figures` saves them all as
vector PDFs. :data:`FOR_DERIVATION` says which derivation shows which figure.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np

from .. import numeric

#: Figure name for a derivation id (the book and the standalone PDFs include it).
FOR_DERIVATION = {
    "scale_and_shift": "scaling",
    "temperature": "temperature",
    "cross_entropy_gradient": "saturation",
    "log_softmax": "log_softmax_band",
    "properties": "alternatives",
}


def _axes(title: str):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.0, 3.6))
    ax.set_title(title, fontsize=11)
    ax.grid(True, alpha=0.3)
    return fig, ax


def scaling():
    """(a) Softmax sharpens as the input [1, 2] is scaled by c; sum normalisation does not."""
    fig, ax = _axes("Scaling the input c·[1, 2]: crisp versus blurry")
    c = np.logspace(-1, 1.3, 200)
    logits = np.outer(c, [1.0, 2.0])
    ax.plot(c, numeric.softmax(logits, axis=1)[:, 1], label="softmax, class 2")
    ax.plot(c, numeric.sum_normalize(logits, axis=1)[:, 1], "--", label="z / Σz, class 2")
    for scale in (1.0, 10.0):
        value = numeric.softmax([scale, 2 * scale])[1]
        ax.plot([scale], [value], "o", color="black")
        ax.annotate(f"{value:.6f}", (scale, value), textcoords="offset points", xytext=(5, -12))
    ax.set_xscale("log")
    ax.set_xlabel("scale c")
    ax.set_ylabel("probability of class 2")
    ax.legend(loc="lower right")
    return fig


def temperature():
    """(b) softmax(c z) from uniform (c → 0) to one-hot arg max (c → ∞)."""
    fig, ax = _axes("Temperature: softmax(c·z), z = [1, 2, 3, 0.5]")
    z = np.array([1.0, 2.0, 3.0, 0.5])
    c = np.logspace(-2, 2, 300)
    probabilities = numeric.softmax(np.outer(c, z), axis=1)
    for k in range(len(z)):
        ax.plot(c, probabilities[:, k], label=f"class {k + 1} (z = {z[k]:g})")
    ax.axhline(1 / len(z), color="gray", lw=0.8, ls=":", label="uniform 1/n")
    ax.set_xscale("log")
    ax.set_xlabel("inverse temperature c")
    ax.set_ylabel("probability")
    ax.legend(fontsize=8, loc="center left")
    return fig


def saturation():
    """(c) Gradient on the true logit as a wrong class wins by a gap g: CE vs squared error."""
    fig, ax = _axes("Gradient on the true logit while a wrong class wins")
    gaps = np.linspace(0, 25, 200)
    ce, mse = [], []
    for g in gaps:
        z = np.array([0.0, g, 0.0])
        target = np.array([1.0, 0.0, 0.0])
        s = numeric.softmax(z)
        ce.append(abs(numeric.cross_entropy_grad(z, 0)[0]))
        mse.append(abs((numeric.softmax_jacobian(z) @ (2 * (s - target)))[0]))
    ax.semilogy(gaps, ce, label="cross-entropy: |s_y − 1| → 1")
    ax.semilogy(gaps, mse, "--", label="squared error: → 0")
    ax.set_xlabel("gap g between the wrong winner and the true logit")
    ax.set_ylabel("|∂ loss / ∂ z_true|")
    ax.legend(loc="lower left")
    return fig


def log_softmax_band():
    """(d) log s_i against z_i − max z: inside the band [x − log n, x]."""
    fig, ax = _axes("log softmax(z)_i against z_i − max z (n = 10)")
    rng = np.random.default_rng(0)
    n = 10
    z = rng.normal(0, 3, (300, n))
    x = (z - z.max(axis=1, keepdims=True)).ravel()
    y = numeric.log_softmax(z, axis=1).ravel()
    grid = np.linspace(x.min(), 0, 50)
    ax.fill_between(grid, grid - np.log(n), grid, color="tab:blue", alpha=0.15,
                    label="bounds: x − log n ≤ log s_i ≤ x")
    ax.plot(grid, grid, color="tab:blue", lw=0.8)
    ax.plot(x, y, ".", ms=2, color="black", label="samples")
    ax.set_xlabel("z_i − max z")
    ax.set_ylabel("log s_i")
    ax.legend(loc="upper left")
    return fig


def alternatives():
    """(e) Softmax and its alternatives on the same input."""
    fig, ax = _axes("Five normalisations of z = [−1, 0, 0.5, 2]")
    z = np.array([-1.0, 0.0, 0.5, 2.0])
    rows: dict[str, Callable] = {
        "softmax": numeric.softmax,
        "z / Σz": numeric.sum_normalize,
        "spherical": numeric.spherical_softmax,
        "Taylor": numeric.taylor_softmax,
        "sparsemax": numeric.sparsemax,
    }
    width = 0.16
    for q, (name, fn) in enumerate(rows.items()):
        ax.bar(np.arange(len(z)) + (q - 2) * width, fn(z), width, label=name)
    ax.axhline(0, color="black", lw=0.8)
    ax.set_xticks(np.arange(len(z)), [f"z = {v:g}" for v in z])
    ax.set_ylabel("output")
    ax.legend(fontsize=8)
    return fig


FIGURES: dict[str, Callable] = {
    "scaling": scaling,
    "temperature": temperature,
    "saturation": saturation,
    "log_softmax_band": log_softmax_band,
    "alternatives": alternatives,
}


def write_figures(folder: Path) -> dict[str, Path]:
    """Save every figure as ``folder/<name>.pdf``; returns name → path."""
    import matplotlib.pyplot as plt

    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, draw in FIGURES.items():
        fig = draw()
        fig.tight_layout()
        path = folder / f"{name}.pdf"
        fig.savefig(path)
        plt.close(fig)
        paths[name] = path
    return paths
