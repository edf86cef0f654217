"""Speed: whysoftmax.numeric against scipy.special (and torch when installed), 1 thread each.

Run: .venv/bin/python benchmarks/speed.py [--rounds 21] [--quick]   (about 3 minutes)

whysoftmax and scipy run in one process, interleaved call by call (the order rotates
each round), after a warm-up call of each on each input: the machine's load and the state
of the allocator hit them alike. Every thread pool is held to one thread (OpenBLAS,
OpenMP, torch, WHYSOFTMAX_NUM_THREADS) before numpy is imported. For each input the table
gives the median time of each and whysoftmax's time as a multiple of scipy's: the median,
min and max over the rounds of the ratio of one round's two times. torch, when installed,
is measured the same way against scipy in a second process (with torch's calls between
them, whysoftmax's ratio moved by up to 0.4 here: it shares the cache and the allocator).
Writes the "speed" section of docs/benchmarks.md and benchmarks/results/speed.json.

``--streaming`` (under a minute) times the online softmax instead: ``logsumexp_chunks``
and ``softmax_chunks`` over the chunks of an array against the one-shot whysoftmax and
scipy functions on the whole array, interleaved the same way ("streaming speed" section,
benchmarks/results/streaming_speed.json).
"""

from __future__ import annotations

import os

for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS",
              "WHYSOFTMAX_NUM_THREADS"):
    os.environ[_name] = "1"

import argparse  # noqa: E402
import importlib.util  # noqa: E402
import json  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402
import scipy  # noqa: E402
import scipy.special  # noqa: E402

from whysoftmax import numeric  # noqa: E402

from report import RESULTS, machine, write_section  # noqa: E402

FUNCTIONS = ("softmax", "log_softmax", "logsumexp")
#: (label, shape, axis, calls per timing): the inputs of issue 11.
INPUTS = [
    ("(2048, 1024), axis −1", (2048, 1024), -1, 1),
    ("(2048, 1024), axis 0", (2048, 1024), 0, 1),
    ("(100000, 10), axis −1", (100000, 10), -1, 1),
    ("(10, 100000), axis −1", (10, 100000), -1, 1),
    ("(1000000,)", (1_000_000,), -1, 1),
    ("(8,) × 10,000 calls", (8,), -1, 10_000),
]


def contenders(torch_only: bool = False) -> dict[str, dict]:
    ours = {} if torch_only else {"whysoftmax": {f: getattr(numeric, f) for f in FUNCTIONS}}
    out = {**ours,
           f"scipy {scipy.__version__}": {f: getattr(scipy.special, f) for f in FUNCTIONS}}
    if not torch_only:
        return out
    import torch

    torch.set_num_threads(1)

    def wrap(fn):
        def call(x, axis):
            return fn(torch.from_numpy(x), axis if axis is not None else -1).numpy()
        return call

    return {f"torch {torch.__version__}": {"softmax": wrap(torch.softmax),
                                           "log_softmax": wrap(torch.log_softmax),
                                           "logsumexp": wrap(torch.logsumexp)}, **out}


def _time(fn, x, axis, calls: int) -> float:
    start = time.perf_counter()
    for _ in range(calls):
        fn(x, axis=axis)
    return (time.perf_counter() - start) / calls


def measure(rounds: int, inputs=INPUTS, dtypes=("float64", "float32"),
            torch_only: bool = False) -> list[dict]:
    """Time the first contender against the second (scipy), round by round."""
    impls = contenders(torch_only)
    names = list(impls)
    rng = np.random.default_rng(0)
    rows = []
    for dtype in dtypes:
        for label, shape, axis, calls in inputs:
            x = rng.normal(0, 3, shape).astype(dtype)
            for function in FUNCTIONS:
                fns = {name: impls[name][function] for name in names}
                for fn in fns.values():
                    _time(fn, x, axis, min(calls, 100))  # warm-up
                times: dict[str, list[float]] = {name: [] for name in names}
                for r in range(rounds):
                    order = names[r % len(names):] + names[: r % len(names)]
                    for name in order:
                        times[name].append(_time(fns[name], x, axis, calls))
                ratios = [a / b for a, b in zip(times[names[0]], times[names[1]], strict=True)]
                rows.append({
                    "dtype": dtype, "input": label, "function": function,
                    "median_ms": {n: statistics.median(t) * 1e3 for n, t in times.items()},
                    "ratio": {"median": statistics.median(ratios), "min": min(ratios),
                              "max": max(ratios)},
                    "ratios": {n: statistics.median(
                        [a / b for a, b in zip(times[n], times[names[1]], strict=True)])
                        for n in names},
                })
                print(f"{names[0]:12.12s} {dtype:8s} {label:24s} {function:12s} × scipy "
                      f"{rows[-1]['ratio']['median']:.2f} ({rows[-1]['ratio']['min']:.2f}–"
                      f"{rows[-1]['ratio']['max']:.2f})", flush=True)
    return rows


def table(rows: list[dict], rounds: int) -> str:
    names = list(rows[0]["median_ms"])
    lines = ["## Speed", "",
             f"Measured {time.strftime('%Y-%m-%d')} on {machine()}, one thread for every "
             f"contender, {rounds} interleaved rounds. Time per call (median); for the (8,) "
             "input, per call of 10,000. \"× scipy\" is whysoftmax's time over scipy's, round "
             "by round: median (min–max).", "",
             "| dtype | input | function | " + " | ".join(f"{n} ms" for n in names)
             + " | whysoftmax × scipy | " + " | ".join(f"{n} × scipy" for n in names[2:])
             + " |",
             "| --- | --- | --- | " + " | ".join("---" for _ in names) + " | --- | "
             + " | ".join("---" for _ in names[2:]) + " |"]
    for row in rows:
        ratio = row["ratio"]
        times = " | ".join(f"{row['median_ms'][n]:.3g}" for n in names)
        others = " | ".join(f"{row['ratios'][n]:.2f}" for n in names[2:])
        lines.append(f"| {row['dtype']} | {row['input']} | {row['function']} | {times} | "
                     f"**{ratio['median']:.2f}** ({ratio['min']:.2f}–{ratio['max']:.2f}) | "
                     f"{others} |")
    return "\n".join(lines)


#: (label, shape, chunks along the last axis): the streaming inputs.
STREAMS = [("(10, 100000) in 10 chunks", (10, 100_000), 10),
           ("(10, 100000) in 100 chunks", (10, 100_000), 100),
           ("(1000000,) in 100 chunks", (1_000_000,), 100)]


def measure_streaming(rounds: int) -> list[dict]:
    """The chunked functions against the one-shot ones on the same data, round by round."""
    rng = np.random.default_rng(0)
    rows = []
    for label, shape, k in STREAMS:
        x = rng.normal(0, 3, shape)
        chunks = np.split(x, k, axis=-1)
        for function in ("logsumexp", "softmax"):
            calls = {"whysoftmax chunks": (getattr(numeric, f"{function}_chunks"), chunks),
                     "whysoftmax one-shot": (getattr(numeric, function), x),
                     "scipy": (getattr(scipy.special, function), x)}
            names = list(calls)
            for fn, data in calls.values():
                fn(data, axis=-1)  # warm-up
            times: dict[str, list[float]] = {name: [] for name in names}
            for r in range(rounds):
                for name in names[r % 3:] + names[: r % 3]:
                    fn, data = calls[name]
                    start = time.perf_counter()
                    fn(data, axis=-1)
                    times[name].append(time.perf_counter() - start)
            ratios = {other: [a / b for a, b in zip(times[names[0]], times[other], strict=True)]
                      for other in names[1:]}
            rows.append({"input": label, "function": function,
                         "median_ms": {n: statistics.median(t) * 1e3 for n, t in times.items()},
                         "ratio": {o: {"median": statistics.median(v), "min": min(v),
                                       "max": max(v)} for o, v in ratios.items()}})
            print(f"{label:28s} {function:10s} " + " ".join(
                f"× {o} {statistics.median(v):.2f}" for o, v in ratios.items()), flush=True)
    return rows


def streaming_table(rows: list[dict], rounds: int) -> str:
    names = list(rows[0]["median_ms"])
    others = list(rows[0]["ratio"])
    lines = ["## Streaming speed (online softmax)", "",
             f"Measured {time.strftime('%Y-%m-%d')} on {machine()}, one thread, {rounds} "
             "interleaved rounds, with `speed.py --streaming`: `logsumexp_chunks` / "
             "`softmax_chunks` over the chunks of normal(0, 3) data (cut along the last "
             "axis, `np.split`) against the one-shot functions on the whole array. Time per "
             "call (median); \"chunks × …\" is the chunked call's time over the other's, round "
             "by round: median (min–max).", "",
             "| input | function | " + " | ".join(f"{n} ms" for n in names) + " | "
             + " | ".join(f"chunks × {o}" for o in others) + " |",
             "| --- | --- | " + " | ".join("---" for _ in names + others) + " |"]
    for row in rows:
        times = " | ".join(f"{row['median_ms'][n]:.3g}" for n in names)
        ratios = " | ".join(f"**{r['median']:.2f}** ({r['min']:.2f}–{r['max']:.2f})"
                            for r in row["ratio"].values())
        lines.append(f"| {row['input']} | {row['function']} | {times} | {ratios} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=21)
    parser.add_argument("--quick", action="store_true", help="3 rounds, no files written")
    parser.add_argument("--torch", action="store_true",
                        help="torch against scipy only (run by the main measurement)")
    parser.add_argument("--streaming", action="store_true", help="the online softmax only")
    args = parser.parse_args()
    rounds = 3 if args.quick else args.rounds
    if args.streaming:
        rows = measure_streaming(rounds)
        if not args.quick:
            RESULTS.mkdir(exist_ok=True)
            (RESULTS / "streaming_speed.json").write_text(json.dumps(
                {"machine": machine(), "rounds": rounds, "date": time.strftime("%Y-%m-%d"),
                 "rows": rows}, indent=1))
            write_section("streaming-speed", streaming_table(rows, rounds))
        return
    if args.torch:
        print(json.dumps(measure(rounds, torch_only=True)))
        return
    rows = measure(rounds)
    if importlib.util.find_spec("torch") is not None:
        torch_rows = json.loads(subprocess.run(
            [sys.executable, __file__, "--torch", "--rounds", str(rounds)], check=True,
            capture_output=True, text=True).stdout.splitlines()[-1])
        for row, theirs in zip(rows, torch_rows, strict=True):
            name = next(iter(theirs["median_ms"]))
            row["median_ms"][name] = theirs["median_ms"][name]
            row["ratios"][name] = theirs["ratio"]["median"]
    if args.quick:
        return
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "speed.json").write_text(json.dumps({"machine": machine(), "rounds": rounds,
                                                    "date": time.strftime("%Y-%m-%d"),
                                                    "rows": rows}, indent=1))
    write_section("speed", table(rows, rounds))


if __name__ == "__main__":
    main()

