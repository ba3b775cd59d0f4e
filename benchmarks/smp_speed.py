"""Speed of accord's SMP on a random 250-actor x 10-dimension problem.

The problem is drawn like KTAB's ``SMPModel::randomSMP`` (capabilities U(10, 200); each
actor's saliences U(0.1, 1) rescaled to a total U(0.75, 0.99); positions U(0, 100)), with a
fixed numpy seed. Each configuration is run once, in this process, after a warm-up on the
small KTAB example.

Usage::

    .venv/bin/python benchmarks/smp_speed.py [--actors 250] [--dims 10] [--seed 7]
    .venv/bin/python benchmarks/smp_speed.py --write-csv /tmp/random250.csv  # for KTAB's smpc
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from accord.forecast import SpatialProblem
from accord.forecast.ktab_io import read_ktab_csv, write_ktab_csv
from accord.forecast.smp import smp_run


def random_problem(n: int, m: int, seed: int) -> SpatialProblem:
    """A KTAB-style random SMP problem."""
    rng = np.random.default_rng(seed)
    cap = rng.uniform(10.0, 200.0, n)
    total = rng.uniform(0.75, 0.99, n)
    sal = rng.uniform(0.1, 1.0, (n, m))
    sal = sal / sal.sum(axis=1, keepdims=True) * total[:, None]
    pos = rng.uniform(0.0, 100.0, (n, m))
    return SpatialProblem([f"A{i:03d}" for i in range(n)], [f"D{k}" for k in range(m)], cap, pos, sal)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--actors", type=int, default=250)
    ap.add_argument("--dims", type=int, default=10)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--write-csv", type=Path, default=None)
    args = ap.parse_args()
    pr = random_problem(args.actors, args.dims, args.seed)
    if args.write_csv:
        write_ktab_csv(pr, args.write_csv, name="random", description="benchmark")
        pr = read_ktab_csv(args.write_csv).problem  # exactly what KTAB will read
    small = read_ktab_csv(Path(__file__).parents[1] / "tests/forecast/data/dummyData_3Dim.csv")
    smp_run(small.problem.capability, small.problem.position, small.problem.salience)
    out = {}
    for workers in (1, 2):
        t0 = time.perf_counter()
        run = smp_run(pr.capability, pr.position, pr.salience, workers=workers)
        dt = time.perf_counter() - t0
        out[f"workers={workers}"] = {
            "seconds": round(dt, 3),
            "turns": run.turns,
            "seconds_per_turn": round(dt / run.turns, 4),
            "converged": run.converged,
        }
    print(json.dumps({"actors": args.actors, "dims": args.dims, "seed": args.seed, **out}))


if __name__ == "__main__":
    main()
