"""Full bargaining analysis of the Gaza scenario, and a 10,000-draw Monte Carlo.

Run:  .venv/bin/python benchmarks/analysis_bench.py [--json]

Targets (issue: bargaining analysis): items 2-5 (solution points, ZOPA, why no deal, leverage and
logrolling) in <= 2 s; a 10,000-sample Monte Carlo in <= 30 s, on this 2-core machine.
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any

import accord
from accord.analysis.report import analyze
from accord.analysis.uncertainty import monte_carlo


def main() -> dict[str, Any]:
    t0 = time.perf_counter()
    space = accord.OutcomeSpace(accord.load("gaza-2025-07"))
    t_load = time.perf_counter() - t0
    best = float("inf")
    timings: dict[str, float] = {}
    for _ in range(3):
        t0 = time.perf_counter()
        a = analyze(space, runs=0)
        dt = time.perf_counter() - t0
        if dt < best:
            best, timings = dt, a.timings
    t0 = time.perf_counter()
    mc = monte_carlo(space, 10_000, seed=0)
    t_mc = time.perf_counter() - t0
    return {
        "n_outcomes": space.n_outcomes,
        "load_and_space_s": t_load,
        "analysis_items_2_to_5_s": best,
        "analysis_parts_s": timings,
        "monte_carlo_10000_s": t_mc,
        "monte_carlo_draws_per_s": 10_000 / t_mc,
        "p_deal": mc.p_deal,
    }


if __name__ == "__main__":
    res = main()
    print(
        json.dumps(res, indent=2)
        if "--json" in sys.argv
        else "\n".join(f"{k:28s} {v}" for k, v in res.items())
    )
