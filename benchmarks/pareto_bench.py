"""Time and memory of accord.analysis.pareto_front on benchmark utility matrices.

Run with the project's environment::

    .venv/bin/python benchmarks/pareto_bench.py                 # generate the cases in-process
    .venv/bin/python benchmarks/pareto_bench.py --data DIR      # cases written by run_pareto.py

Prints one JSON object per case (and a table on stderr). ``benchmarks/run_pareto.py`` runs
this script and the NegMAS side on the same files and prints the ratios.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

# (name, n_outcomes, n_parties, kind, repeats): the cases of the benchmark, in order.
CASES: list[tuple[str, int, int, str, int]] = [
    ("uniform-1e6x2", 1_000_000, 2, "uniform", 7),
    ("uniform-1e6x3", 1_000_000, 3, "uniform", 7),
    ("uniform-1e5x4", 100_000, 4, "uniform", 5),
    ("anti-27000x2", 27_000, 2, "anti", 7),
    ("simplex-9000x3", 9_000, 3, "simplex", 5),
    ("anti-1e6x2", 1_000_000, 2, "anti", 3),
    ("simplex-1e6x3", 1_000_000, 3, "simplex", 3),
    ("noisy-simplex-1e6x3", 1_000_000, 3, "noisy-simplex", 3),
    ("simplex-9000x4", 9_000, 4, "simplex", 5),
    ("simplex-1e5x4", 100_000, 4, "simplex", 3),
    ("simplex-1e5x5", 100_000, 5, "simplex", 1),
]


def make_case(n: int, k: int, kind: str, seed: int) -> np.ndarray:
    """Utility matrix of one benchmark case (deterministic for a seed); no tied rows.

    ``uniform``: independent U(0, 1) utilities (a small front). ``anti``: party 2 gets
    exactly ``1 - u_1`` (every outcome on the front). ``simplex``: uniform random points on
    the simplex ``sum_i u_i = 1`` (every outcome on the front). ``noisy-simplex``: the simplex
    plus N(0, 0.01^2) noise (a large front, most outcomes close to it).
    """
    rng = np.random.default_rng(seed)
    if kind == "uniform":
        return rng.random((n, k))
    if kind == "anti":
        x = rng.random(n)
        cols = [x, 1.0 - x, *[0.5 * (1.0 - x) for _ in range(k - 2)]]
        return np.ascontiguousarray(np.column_stack(cols))
    U = rng.exponential(size=(n, k))
    U /= U.sum(axis=1, keepdims=True)
    if kind == "noisy-simplex":
        U += rng.normal(0.0, 0.01, size=U.shape)
    return U


def time_call(fn: Callable[[], Any], repeats: int) -> dict[str, float]:
    fn()  # warm-up (imports, page faults)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return {"best_s": min(times), "median_s": statistics.median(times), "repeats": repeats}


def run_case(name: str, U: np.ndarray, repeats: int, out_dir: Path | None) -> dict[str, Any]:
    from accord.analysis import pareto_front

    timing = time_call(lambda: pareto_front(U), repeats)
    tracemalloc.start()
    front = pareto_front(U)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    if out_dir is not None:
        np.save(out_dir / f"{name}.accord.npy", front)
    return {
        "case": name,
        "side": "accord",
        "n": int(U.shape[0]),
        "k": int(U.shape[1]),
        "front_size": int(front.size),
        **timing,
        "peak_bytes": int(peak),
        "peak_over_U": peak / U.nbytes,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, help="directory with <case>.npy (run_pareto.py)")
    parser.add_argument("--cases", nargs="*", help="run only these cases")
    parser.add_argument("--seed", type=int, default=20250725)
    args = parser.parse_args(argv)
    results = []
    for i, (name, n, k, kind, repeats) in enumerate(CASES):
        if args.cases and name not in args.cases:
            continue
        if args.data is not None:
            path = args.data / f"{name}.npy"
            if not path.exists():
                continue
            U = np.load(path)
        else:
            U = make_case(n, k, kind, args.seed + i)
        result = run_case(name, U, repeats, args.data)
        results.append(result)
        print(json.dumps(result), flush=True)
        print(
            f"{name:>22}  front {result['front_size']:>8}  best {result['best_s'] * 1e3:9.2f} ms"
            f"  median {result['median_s'] * 1e3:9.2f} ms  peak {result['peak_over_U']:.2f} x U",
            file=sys.stderr,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
