"""Sweep throughput: one process against Ray on this machine's cores, measured in one run.

What it measures (Gaza July-2025 scenario, job ``analyze``, Monte Carlo over every ranged number):

1. scaling from 1 to 2 workers: the same samples in this process, on Ray with 1 CPU and on Ray
   with 2 CPUs (Ray started and its worker processes warmed up beforehand; the start-up and
   warm-up times are reported separately);
2. the per-sample overhead of Ray: (Ray with 1 CPU - this process) / samples, as a share of a
   sample's own compute;
3. a 100,000-sample Monte Carlo: this process against Ray on 2 cores (``--big``; default 100,000).

Because the machine is shared, each repetition first measures how many cores it actually gives two
busy processes (``capacity_2_procs``: 2.0 when both cores are free): a 2-worker speedup can only be
judged against that figure.

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
import tempfile
import time
from pathlib import Path

import accord
from accord.scale import sweep


def _ray_start(cpus: int) -> float:
    import ray

    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    os.environ["RAY_worker_niceness"] = "0"  # as accord.sweep does when it starts Ray locally
    t0 = time.perf_counter()
    ray.init(num_cpus=cpus, include_dashboard=False, log_to_driver=False, logging_level=logging.ERROR)
    return time.perf_counter() - t0


def _ray_stop() -> None:
    import ray

    ray.shutdown()


def _best(xs: list[float]) -> float:
    return min(xs)


def _spin(n: int) -> float:
    t0 = time.perf_counter()
    x = 0
    for i in range(n):
        x += i * i
    return time.perf_counter() - t0


def _capacity(n: int = 3_000_000) -> float:
    """How many cores this machine gives two busy processes right now (2.0 when both are free):
    the same fixed work in one process, then in two at once."""
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(2) as pool:
        list(pool.map(_spin, [1000, 1000]))  # start both
        one = pool.submit(_spin, n).result()
        t0 = time.perf_counter()
        list(pool.map(_spin, [n, n]))
        two = time.perf_counter() - t0
    return 2 * one / two


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=20_000, help="samples for the scaling and overhead runs")
    ap.add_argument("--big", type=int, default=100_000, help="samples of the large Monte Carlo (0: skip)")
    ap.add_argument("--repeat", type=int, default=3, help="alternating repetitions (best of)")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    gaza = accord.load("gaza-2025-07")
    out: dict[str, object] = {"load_before": os.getloadavg(), "cores": os.cpu_count(), "n": args.n}
    t: dict[str, list[float]] = {"inline": [], "ray1": [], "ray2": [], "processes2": []}
    starts: list[float] = []
    reference = None
    capacity: list[float] = []
    for _ in range(args.repeat):
        capacity.append(_capacity())
        inline = sweep(gaza, "analyze", runs=args.n, seed=args.seed, workers=1)
        t["inline"].append(inline.seconds)
        reference = reference or inline.columns
        for cpus in (1, 2):
            starts.append(_ray_start(cpus))
            sweep(gaza, "analyze", runs=200 * cpus, seed=args.seed + 1, backend="ray")  # warm the workers
            res = sweep(gaza, "analyze", runs=args.n, seed=args.seed, backend="ray")
            assert res.columns == reference
            t[f"ray{cpus}"].append(res.seconds)
            out[f"ray{cpus}_batch"] = res.batch_size
            _ray_stop()
        procs = sweep(gaza, "analyze", runs=args.n, seed=args.seed, workers=2, backend="processes")
        assert procs.columns == reference
        t["processes2"].append(procs.seconds)
    out["seconds_all"] = t
    out["capacity_2_procs"] = capacity
    out["speedup_ray_1_to_2_each"] = [a / b for a, b in zip(t["ray1"], t["ray2"], strict=True)]
    out["speedup_processes_each"] = [a / b for a, b in zip(t["inline"], t["processes2"], strict=True)]
    best = {k: _best(v) for k, v in t.items()}
    out["seconds_best"] = best
    out["ray_start_s"] = starts
    out["per_sample_ms"] = 1e3 * best["inline"] / args.n
    out["speedup_ray_1_to_2"] = best["ray1"] / best["ray2"]
    out["speedup_inline_to_ray2"] = best["inline"] / best["ray2"]
    out["speedup_inline_to_processes2"] = best["inline"] / best["processes2"]
    out["ray_overhead_share"] = (best["ray1"] - best["inline"]) / best["inline"]
    out["ray_overhead_per_sample_us"] = 1e6 * (best["ray1"] - best["inline"]) / args.n

    if args.big:
        # Ray started once (start-up reported above); inline and Ray alternate, best of two
        out["big_n"] = args.big
        tb: dict[str, list[float]] = {"inline": [], "ray2": []}
        _ray_start(2)
        sweep(gaza, "analyze", runs=400, seed=args.seed + 1, backend="ray")
        big_ref = None
        big_capacity = []
        for _ in range(2):
            big_capacity.append(_capacity())
            big_inline = sweep(gaza, "analyze", runs=args.big, seed=args.seed, workers=1)
            tb["inline"].append(big_inline.seconds)
            big_ray = sweep(gaza, "analyze", runs=args.big, seed=args.seed, backend="ray")
            tb["ray2"].append(big_ray.seconds)
            big_ref = big_ref or big_inline.columns
            assert big_ray.columns == big_ref == big_inline.columns
            out["big_p_deal"] = big_ray.summary["deal_now"]["share_true"]
        with tempfile.TemporaryDirectory() as d:  # the same with every row written to Parquet
            t0 = time.perf_counter()
            sweep(
                gaza, "analyze", runs=args.big, seed=args.seed, backend="ray", output=Path(d) / "mc.parquet"
            )
            out["big_ray2_parquet_s"] = time.perf_counter() - t0
            out["big_parquet_mb"] = (Path(d) / "mc.parquet").stat().st_size / 1e6
        _ray_stop()
        out["big_seconds_all"] = tb
        out["big_capacity_2_procs"] = big_capacity
        bi, br = min(tb["inline"]), min(tb["ray2"])
        out["big_inline_s"] = bi
        out["big_inline_per_s"] = args.big / bi
        out["big_ray2_s"] = br
        out["big_ray2_per_s"] = args.big / br
        out["big_speedup"] = bi / br
    out["load_after"] = os.getloadavg()
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
