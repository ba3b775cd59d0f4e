"""Monte Carlo of simulated talks on the Gaza scenario: 10,000 runs on 1 and 2 worker processes.

Run:  .venv/bin/python benchmarks/simulation_bench.py [--runs N] [--json]

Target (issue: simulation): 10,000 runs in <= 60 s on this 2-core machine. Each run draws every
uncertain number of the scenario, rebuilds the parties' efficient packages and red lines for the
draw, and plays alternating offers for up to 48 rounds with walkouts enabled. Both worker counts
give identical per-run results (checked here).
"""

from __future__ import annotations

import json
import os
import sys
import time
from typing import Any

import accord
from accord import simulation as sim


def main(runs: int = 10_000) -> dict[str, Any]:
    space = accord.OutcomeSpace(accord.load("gaza-2025-07"))
    cfg = sim.settings(space.scenario)
    sim.monte_carlo(space, cfg, runs=50, seed=0)  # warm-up
    out: dict[str, Any] = {"runs": runs, "load_average_before": os.getloadavg()[0]}
    results = {}
    for workers in (1, 2):
        t0 = time.perf_counter()
        mc = sim.monte_carlo(space, cfg, runs=runs, seed=0, workers=workers)
        dt = time.perf_counter() - t0
        results[workers] = mc
        out[f"seconds_{workers}_workers"] = dt
        out[f"runs_per_s_{workers}_workers"] = runs / dt
    out["speedup_2_vs_1"] = out["seconds_1_workers"] / out["seconds_2_workers"]
    out["identical_results"] = results[1].runs_detail == results[2].runs_detail
    out["agreement_rate"] = results[2].agreement_rate
    out["causes"] = results[2].causes
    out["load_average_after"] = os.getloadavg()[0]
    return out


if __name__ == "__main__":
    n = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 10_000
    res = main(n)
    print(
        json.dumps(res, indent=2)
        if "--json" in sys.argv
        else "\n".join(f"{k:28s} {v}" for k, v in res.items())
    )
