"""The report's figures, drawn with matplotlib from whysoftmax.numeric (one data source).

Each function draws one figure and returns it. :data:`FIGURES` is the one table of
figures: name, the chapter (derivation) that shows it, its caption; :func:`write_figures`
saves them all as vector PDFs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .. import numeric


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
    ax.semilogy(gaps, ce, label=r"cross-entropy: $|s_y - 1| \to 1$")
    ax.semilogy(gaps, mse, "--", label="squared error: → 0")
    ax.set_xlabel("gap g between the wrong winner and the true logit")
    ax.set_ylabel(r"$|\partial\, \mathrm{loss} / \partial z_{\mathrm{true}}|$")
    ax.legend(loc="lower left")
    return fig


def log_softmax_band():
    """(d) log s_i against z_i − max z: inside the band [x − log n, x]."""
    fig, ax = _axes(r"$\log s_i$ against $z_i - \max z$ ($n = 10$)")
    rng = np.random.default_rng(0)
    n = 10
    z = rng.normal(0, 3, (300, n))
    x = (z - z.max(axis=1, keepdims=True)).ravel()
    y = numeric.log_softmax(z, axis=1).ravel()
    grid = np.linspace(x.min(), 0, 50)
    ax.fill_between(grid, grid - np.log(n), grid, color="tab:blue", alpha=0.15,
                    label=r"bounds: $x - \log n \leq \log s_i \leq x$")
    ax.plot(grid, grid, color="tab:blue", lw=0.8)
    ax.plot(x, y, ".", ms=2, color="black", label="samples")
    ax.set_xlabel(r"$z_i - \max z$")
    ax.set_ylabel(r"$\log s_i$")
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


def gumbel_max():
    """(f) The arg max of z + Gumbel noise, sampled, against softmax(z)."""
    fig, ax = _axes("arg max of z + Gumbel noise: 200,000 draws, z = [1, 0.5, −0.5, 2]")
    z = np.array([1.0, 0.5, -0.5, 2.0])
    draws = 200_000
    noise = np.random.default_rng(0).gumbel(size=(draws, len(z)))
    counts = np.bincount(np.argmax(z + noise, axis=1), minlength=len(z))
    frequency = counts / draws
    expected = numeric.softmax(z)
    spread = 2 * np.sqrt(expected * (1 - expected) / draws)
    places = np.arange(len(z))
    ax.bar(places - 0.2, frequency, 0.4, yerr=spread, capsize=3, label="arg max frequency")
    ax.bar(places + 0.2, expected, 0.4, label="softmax(z)")
    ax.set_xticks(places, [f"z = {v:g}" for v in z])
    ax.set_ylabel("probability")
    ax.legend(loc="upper left")
    return fig


def attention_gradients():
    """(g) Mean Jacobian norm of softmax(q·K) against the dimension d, with and without
    the 1/√d scale."""
    fig, ax = _axes(r"Gradient of attention weights: 16 keys, $q, k \sim N(0, I_d)$")
    rng = np.random.default_rng(0)
    dims = 2 ** np.arange(0, 11)
    for scaled, style in ((True, "-o"), (False, "--s")):
        norms = []
        for d in dims:
            q = rng.normal(size=(200, 1, d))
            k = rng.normal(size=(200, 16, d))
            logits = (q * k).sum(axis=2) / (np.sqrt(d) if scaled else 1.0)
            norms.append(np.mean([np.linalg.norm(numeric.softmax_jacobian(row), 2)
                                  for row in logits]))
        label = "softmax(q·K/√d)" if scaled else "softmax(q·K)"
        ax.loglog(dims, norms, style, base=2, label=label)
    ax.set_xlabel("dimension d")
    ax.set_ylabel("mean spectral norm of the Jacobian")
    ax.legend(loc="lower left")
    return fig


@dataclass(frozen=True)
class Figure:
    """A figure of the book: drawn by ``draw``, shown in ``derivation``'s chapter."""

    name: str
    derivation: str
    caption: str
    draw: Callable
    after: str = ""  # the claim it illustrates (shown after it); default: the chapter's end


FIGURES: tuple[Figure, ...] = (
    Figure("scaling", "scale_and_shift",
           "Scaling the input c·[1, 2]: softmax sharpens towards the arg max, sum "
           "normalisation gives the same output for every c.", scaling,
           after="softmax is not scale invariant"),
    Figure("temperature", "temperature",
           "softmax(c·z) for z = [1, 2, 3, 0.5]: uniform as c → 0, the arg max as c → ∞.",
           temperature, after="the arg max → 1 as c → ∞"),
    Figure("saturation", "cross_entropy_gradient",
           "The gradient on the true logit while a wrong class wins by a gap g: "
           "cross-entropy keeps it near 1, squared error lets it vanish.", saturation,
           after="MSE gradient → 0 as the wrong class wins"),
    Figure("log_softmax_band", "log_softmax",
           "log softmax(z)_i against z_i − max z for 300 random z (n = 10): every sample "
           "lies in the proven band x − log n ≤ log s_i ≤ x.", log_softmax_band,
           after="z_i − max z − log n ≤ log s_i"),
    Figure("alternatives", "properties",
           "Five normalisations of z = [−1, 0, 0.5, 2]: z/Σz gives the score −1 a "
           "negative probability, sparsemax gives two classes exactly 0, softmax keeps every "
           "class positive.", alternatives),
    Figure("gumbel_max", "random_utility",
           "The arg max of z + Gumbel noise over 200,000 draws against softmax(z), with "
           "two-standard-error bars.", gumbel_max, after="P(i wins) = softmax(z)_i"),
    Figure("attention_gradients", "attention_scaling",
           "Mean spectral norm of the softmax Jacobian for the logits q·K of 16 keys: "
           "without the 1/√d scale it collapses as d grows; with it, it stays flat.",
           attention_gradients, after="the leader's diagonal entry ≤ (n − 1)e^{−g}"),
)


def figures_for(derivation_id: str) -> list[Figure]:
    """The figures shown in a derivation's chapter, in table order."""
    return [f for f in FIGURES if f.derivation == derivation_id]


def write_figures(folder: Path) -> dict[str, Path]:
    """Save every figure as ``folder/<name>.pdf``; returns name → path."""
    import matplotlib.pyplot as plt

    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for figure in FIGURES:
        name, fig = figure.name, figure.draw()
        fig.tight_layout()
        path = folder / f"{name}.pdf"
        fig.savefig(path)
        plt.close(fig)
        paths[name] = path
    return paths
