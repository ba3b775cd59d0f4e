"""Sweep throughput: one process against Ray on this machine's cores, measured in one run.

What it measures (Gaza July-2025 scenario, job ``analyze``, Monte Carlo over every ranged number):

1. scaling from 1 to 2 workers: the same samples in this process, on Ray with 1 CPU and on Ray
   with 2 CPUs (Ray started beforehand; its start-up time is reported separately);
2. the per-sample overhead of Ray: (Ray with 1 CPU - this process) / samples, as a share of a
   sample's own compute;
3. a 100,000-sample Monte Carlo: this process against Ray on 2 cores (``--big``; default 100,000).

The machine may be shared: the load average is printed before and after, and both sides of every
ratio run in the same invocation. Usage::

    .venv/bin/python benchmarks/sweep_bench.py            # 20,000 samples for 1-2, 100,000 for big
    .venv/bin/python benchmarks/sweep_bench.py --n 5000 --big 0   # quick
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import time

import accord
from accord.scale import sweep


def _ray_start(cpus: int) -> float:
    import ray

    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    t0 = time.perf_counter()
    ray.init(num_cpus=cpus, include_dashboard=False, log_to_driver=False, logging_level=logging.ERROR)
    return time.perf_counter() - t0


def _ray_stop() -> None:
    import ray

    ray.shutdown()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=20_000, help="samples for the scaling and overhead runs")
    ap.add_argument("--big", type=int, default=100_000, help="samples of the large Monte Carlo (0: skip)")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    gaza = accord.load("gaza-2025-07")
    out: dict[str, object] = {"load_before": os.getloadavg(), "cores": os.cpu_count()}

    inline = sweep(gaza, "analyze", runs=args.n, seed=args.seed, workers=1)
    out["inline_s"] = inline.seconds
    out["per_sample_ms"] = 1e3 * inline.seconds / args.n

    out["ray_start_1cpu_s"] = _ray_start(1)
    ray1 = sweep(gaza, "analyze", runs=args.n, seed=args.seed, backend="ray")
    _ray_stop()
    out["ray1_s"] = ray1.seconds
    out["ray1_batch"] = ray1.batch_size
    assert ray1.columns == inline.columns

    out["ray_start_2cpu_s"] = _ray_start(2)
    ray2 = sweep(gaza, "analyze", runs=args.n, seed=args.seed, backend="ray")
    out["ray2_s"] = ray2.seconds
    assert ray2.columns == inline.columns

    procs = sweep(gaza, "analyze", runs=args.n, seed=args.seed, workers=2, backend="processes")
    out["processes2_s"] = procs.seconds
    assert procs.columns == inline.columns

    out["speedup_ray_1_to_2"] = ray1.seconds / ray2.seconds
    out["speedup_inline_to_ray2"] = inline.seconds / ray2.seconds
    out["speedup_inline_to_processes2"] = inline.seconds / procs.seconds
    out["ray_overhead_share"] = (ray1.seconds - inline.seconds) / inline.seconds

    if args.big:
        big_inline = sweep(gaza, "analyze", runs=args.big, seed=args.seed, workers=1)
        big_ray = sweep(gaza, "analyze", runs=args.big, seed=args.seed, backend="ray")
        assert big_ray.columns == big_inline.columns
        out["big_n"] = args.big
        out["big_inline_s"] = big_inline.seconds
        out["big_inline_per_s"] = args.big / big_inline.seconds
        out["big_ray2_s"] = big_ray.seconds
        out["big_ray2_per_s"] = args.big / big_ray.seconds
        out["big_speedup"] = big_inline.seconds / big_ray.seconds
        out["big_p_deal"] = big_ray.summary["deal_now"]["share_true"]
    _ray_stop()
    out["load_after"] = os.getloadavg()
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
