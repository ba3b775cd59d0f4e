"""Time accord's SMP (default KTAB configuration) on every issue of the DEU III data.

Target (issue #7): every DEU III issue forecast with the SMP in <= 10 s in total on 2 cores.
The data are not shipped (see validation/README.md); pass the path of Dataset_DEU_III.csv or
a tab-separated copy. Issues are independent, so besides one process in sequence the
script also runs them on a pool of ``--workers`` processes (each issue one task; the pool
is started and warmed before the clock starts).

Usage::

    .venv/bin/python benchmarks/deu_smp_timing.py PATH/deu3.csv [--repeats 3] [--workers 2]
"""

from __future__ import annotations

import argparse
import json
import os
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from accord.forecast import run
from accord.forecast.validation import ValidationIssue, read_deu_csv


def forecast(issue: ValidationIssue) -> tuple[float, int, bool]:
    r = run(issue.problem, "smp")
    return next(iter(r.forecast.values())), r.turns, bool(r.converged)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("path")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = ap.parse_args()

    issues = read_deu_csv(args.path)
    forecast(issues[0])  # warm-up (imports, caches)
    seq = []
    for _ in range(args.repeats):
        t0 = time.perf_counter()
        out = [forecast(i) for i in issues]
        seq.append(time.perf_counter() - t0)
    par = []
    with ProcessPoolExecutor(max_workers=args.workers) as pool:
        list(pool.map(forecast, issues[: args.workers * 2]))  # start and warm the workers
        for _ in range(args.repeats):
            t0 = time.perf_counter()
            out_p = list(pool.map(forecast, issues, chunksize=8))
            par.append(time.perf_counter() - t0)
    assert out_p == out, "parallel and sequential forecasts differ"
    turns = [t for _, t, _ in out]
    figures = {
        "issues": len(issues),
        "max_actors": max(i.problem.n_actors for i in issues),
        "turns_total": sum(turns),
        "turns_max": max(turns),
        "not_converged": sum(not c for _, _, c in out),
        "sequential_seconds_min": min(seq),
        "sequential_seconds_all": seq,
        f"pool{args.workers}_seconds_min": min(par),
        f"pool{args.workers}_seconds_all": par,
        "cpu_count": os.cpu_count(),
        "loadavg": os.getloadavg(),
    }
    print(json.dumps(figures, indent=1))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1) + "\n")


if __name__ == "__main__":
    main()
