"""NegMAS side of the Pareto benchmark: time ``negmas.preferences.pareto_frontier_active``.

Run with the NegMAS benchmark environment (never a dependency of accord)::

    benchmarks/.venv-negmas/bin/python benchmarks/negmas_pareto.py --data DIR --cases ...

Reads ``DIR/<case>.npy`` (written by ``benchmarks/run_pareto.py``), calls NegMAS's fastest
public function for a ready utility matrix, writes the sorted front indices to
``DIR/<case>.negmas.npy`` and prints one JSON object per case. This file only calls NegMAS's
public API; it contains no NegMAS code.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
import warnings
from pathlib import Path

import numpy as np


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--cases", nargs="+", required=True)
    parser.add_argument("--repeats", nargs="+", type=int, required=True)
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")
    import negmas
    from negmas.preferences import pareto_frontier_active

    for name, repeats in zip(args.cases, args.repeats, strict=True):
        U = np.load(args.data / f"{name}.npy")
        if repeats > 1:
            pareto_frontier_active(U)  # warm-up
        times = []
        front = None
        for _ in range(repeats):
            start = time.perf_counter()
            front = pareto_frontier_active(U)
            times.append(time.perf_counter() - start)
        front = np.sort(np.asarray(front, dtype=np.int64))
        np.save(args.data / f"{name}.negmas.npy", front)
        result = {
            "case": name,
            "side": "negmas",
            "negmas_version": negmas.__version__,
            "n": int(U.shape[0]),
            "k": int(U.shape[1]),
            "front_size": int(front.size),
            "best_s": min(times),
            "median_s": statistics.median(times),
            "repeats": repeats,
        }
        print(json.dumps(result), flush=True)
        print(f"negmas {name:>22}  best {min(times) * 1e3:10.1f} ms", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
