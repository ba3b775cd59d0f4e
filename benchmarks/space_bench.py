"""Utility-matrix speed: 10^6 outcomes x 5 actors, and `accord --help` start-up time.

Run:  .venv/bin/python benchmarks/space_bench.py [--json]

Builds a scenario with six numeric issues of ten levels (10^6 outcomes) and five actors with mixed
utility shapes and red lines, then times ``OutcomeSpace(...)``, ``utilities()`` (broadcast path),
``utilities(idx)`` (gather path, used when constraints remove outcomes), ``acceptable()``, and a
chunked pass. Reports the best of several repeats, in outcomes per second. Start-up is the median
wall time of ``accord --help`` in a fresh interpreter.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from accord.scenario import from_dict
from accord.space import OutcomeSpace

SHAPES = ["linear", "peaked", "step", "linear", "peaked"]


def million_scenario(n_actors: int = 5) -> dict[str, Any]:
    issues = [{"id": f"i{k}", "kind": "numeric", "min": 0, "max": 9, "step": 1} for k in range(6)]
    actors = []
    for a in range(n_actors):
        positions = {}
        for k in range(6):
            pos: dict[str, Any] = {"ideal": (3 * a + k) % 10, "salience": 0.1 + 0.15 * ((a + k) % 5)}
            shape = SHAPES[(a + k) % len(SHAPES)]
            pos["shape"] = shape
            if shape != "linear":
                pos["tolerance"] = 2
            if k == a % 6:
                pos["red_line"] = {"min": 2}
            positions[f"i{k}"] = pos
        actors.append(
            {"id": f"a{a}", "name": f"A{a}", "role": "party", "capability": 1, "positions": positions}
        )
    return {
        "id": "million",
        "title": "10^6 outcomes",
        "as_of": "2025-01-01",
        "issues": issues,
        "actors": actors,
    }


def best(fn: Any, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def help_startup(repeat: int = 7) -> float:
    exe = Path(sys.executable).with_name("accord")
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run([str(exe), "--help"], capture_output=True, check=True)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> dict[str, Any]:
    scenario = from_dict(million_scenario())
    t_space = best(lambda: OutcomeSpace(scenario), 3)
    space = OutcomeSpace(scenario)
    n = space.n_outcomes
    t_full = best(space.utilities)
    idx = np.arange(n, dtype=np.int64)
    t_gather = best(lambda: space.utilities(idx), 3)
    t_mask = best(space.acceptable)
    t_chunks = best(lambda: sum(u.shape[0] for _, u in space.iter_utilities(250_000)), 3)
    # The obvious per-outcome Python loop, on a sample, for the ratio.
    sample = 20_000
    levels = space.levels(idx[:sample])
    w = space.weights
    tables = space.value_tables()

    def naive() -> None:
        for row in levels:
            for a in range(w.shape[0]):
                sum(w[a, k] * tables[k][row[k], a] for k in range(len(tables)))

    t_naive = best(naive, 1) * n / sample
    result = {
        "n_outcomes": n,
        "n_actors": len(space.actors.ids),
        "space_build_s": t_space,
        "utilities_s": t_full,
        "utilities_outcomes_per_s": n / t_full,
        "utilities_gather_s": t_gather,
        "naive_python_loop_s_extrapolated": t_naive,
        "speedup_vs_naive_loop": t_naive / t_full,
        "acceptable_mask_s": t_mask,
        "chunked_250k_s": t_chunks,
        "help_startup_s": help_startup(),
    }
    return result


if __name__ == "__main__":
    res = main()
    if "--json" in sys.argv:
        print(json.dumps(res, indent=2))
    else:
        for k, v in res.items():
            print(f"{k:28s} {v:,.4f}" if isinstance(v, float) else f"{k:28s} {v:,}")
