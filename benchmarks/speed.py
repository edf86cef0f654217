"""Speed: softmax and log_softmax of a (2048, 1024) float64 array along the last axis.

Run: .venv/bin/python benchmarks/speed.py   (about a minute)
The implementations run interleaved, round after round, so that load on the machine hits
them alike; the table gives the median and the minimum of the rounds and the ratio of
medians to scipy.special. Writes the "speed" section of docs/benchmarks.md.
"""

from __future__ import annotations

import statistics
import time

import numpy as np
import scipy
import scipy.special

from whysoftmax import numeric

from report import machine, write_section

ROUNDS = 40
SHAPE = (2048, 1024)


def contenders() -> dict[str, dict]:
    out = {
        "whysoftmax": {"softmax": numeric.softmax, "log_softmax": numeric.log_softmax},
        f"scipy {scipy.__version__}": {"softmax": scipy.special.softmax,
                                       "log_softmax": scipy.special.log_softmax},
    }
    try:
        import torch

        torch.set_num_threads(1)
        out[f"torch {torch.__version__} (1 thread)"] = {
            "softmax": lambda x, axis: torch.softmax(torch.from_numpy(x), axis).numpy(),
            "log_softmax": lambda x, axis: torch.log_softmax(torch.from_numpy(x), axis).numpy(),
        }
    except ImportError:
        pass
    return out


def main() -> None:
    x = np.random.default_rng(0).normal(0, 10, SHAPE)
    impls = contenders()
    lines = ["## Speed", "", f"Measured on {machine()}; input {SHAPE} float64, normal(0, 10), "
             f"axis = −1; {ROUNDS} interleaved rounds.", "",
             "| function | implementation | median ms | min ms | median / scipy |",
             "| --- | --- | --- | --- | --- |"]
    for function in ("softmax", "log_softmax"):
        times: dict[str, list[float]] = {name: [] for name in impls}
        for _ in range(ROUNDS):
            for name, fns in impls.items():
                start = time.perf_counter()
                fns[function](x, axis=-1)
                times[name].append((time.perf_counter() - start) * 1e3)
        scipy_name = next(n for n in impls if n.startswith("scipy"))
        base = statistics.median(times[scipy_name])
        for name, values in times.items():
            med = statistics.median(values)
            lines.append(f"| {function} | {name} | {med:.1f} | {min(values):.1f} | "
                         f"{med / base:.2f} |")
            print(f"{function:12s} {name:32s} median {med:6.1f} ms  ratio {med / base:.2f}")
    write_section("speed", "\n".join(lines))


if __name__ == "__main__":
    main()
