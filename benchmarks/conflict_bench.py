"""Scale benchmark for the GMCR stability analysis (Nash, GMR, SMR, SEQ for every DM).

Builds a random option-form model with ``n`` options spread over ``d`` decision makers (a few
infeasibility patterns, some irreversible options, preferences from random option-prioritization
statements, as GMCR II builds them) and times the full analysis. Each size runs in a fresh
process so that the peak resident memory (``ru_maxrss``) is that size's own.

Usage::

    .venv/bin/python benchmarks/conflict_bench.py                 # curve 10..22 options, 6 DMs
    .venv/bin/python benchmarks/conflict_bench.py --options 20    # one size
    .venv/bin/python benchmarks/conflict_bench.py --json out.json
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from typing import Any

import numpy as np


def random_model(n_options: int, n_dms: int, seed: int = 0, statements: int = 8) -> Any:
    """A random model with ``n_options`` options over ``n_dms`` DMs (deterministic in ``seed``)."""
    from accord.conflict.logic import prioritization_scores, rank_from_scores
    from accord.conflict.model import build_model, pattern_mask

    rng = np.random.default_rng(seed)
    sizes = [n_options // n_dms + (1 if i < n_options % n_dms else 0) for i in range(n_dms)]
    dms = [(f"DM{i}", [f"o{i}_{j}" for j in range(k)]) for i, k in enumerate(sizes)]
    n = n_options
    infeasible = np.zeros(2**n, dtype=bool)
    for _ in range(3):  # three random 3-option exclusions
        pat = ["-"] * n
        for i in rng.choice(n, 3, replace=False):
            pat[i] = "Y"
        infeasible |= pattern_mask("".join(pat), 2**n)
    forbid = [int(rng.integers(1, 3)) if rng.random() < 0.2 else 0 for _ in range(n)]

    def levels(codes: np.ndarray) -> np.ndarray:
        bits = ((codes[:, None] >> np.arange(n)) & 1).astype(bool)
        out = []
        for _ in range(n_dms):
            truths = []
            for _ in range(statements):  # option or negation, sometimes a conjunction
                a, b = rng.choice(n, 2, replace=False)
                t = bits[:, a] if rng.random() < 0.5 else ~bits[:, a]
                if rng.random() < 0.4:
                    t = t & (bits[:, b] if rng.random() < 0.5 else ~bits[:, b])
                truths.append(t)
            out.append(rank_from_scores(prioritization_scores(truths)))
        return np.stack(out)

    return build_model(f"random-{n}x{n_dms}", dms, infeasible=infeasible, forbid=forbid, level_fn=levels)


def run_one(n_options: int, n_dms: int, seed: int, statements: int = 8) -> dict[str, Any]:
    """Build and analyse one model in this process; return timings and peak memory."""
    from accord.conflict.stability import stability_tables

    t0 = time.perf_counter()
    model = random_model(n_options, n_dms, seed, statements)
    t1 = time.perf_counter()
    tables = stability_tables(model, ("nash", "gmr", "smr", "seq"))
    t2 = time.perf_counter()
    return {
        "options": n_options,
        "dms": n_dms,
        "states": model.n_states,
        "statements": statements,
        "distinct_levels": [int(np.unique(lv).size) for lv in model.levels],
        "build_s": round(t1 - t0, 3),
        "analyse_s": round(t2 - t1, 3),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "equilibria": {c: int(t.all(axis=0).sum()) for c, t in tables.items()},
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--options", type=int, nargs="*", default=None)
    ap.add_argument("--dms", type=int, default=6)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--statements", type=int, default=8, help="prioritization statements per DM")
    ap.add_argument("--json", default=None)
    ap.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(run_one(args.options[0], args.dms, args.seed, args.statements)))
        return
    sizes = args.options or list(range(10, 23, 2))
    rows = []
    print(f"{'options':>7} {'states':>9} {'build s':>8} {'analyse s':>10} {'peak MB':>8}  equilibria")
    for n in sizes:
        cmd = [sys.executable, __file__, "--one", "--options", str(n), "--dms", str(args.dms)]
        cmd += ["--statements", str(args.statements)]
        out = subprocess.run([*cmd, "--seed", str(args.seed)], capture_output=True, text=True, check=True)
        row = json.loads(out.stdout)
        rows.append(row)
        print(
            f"{row['options']:>7} {row['states']:>9} {row['build_s']:>8} {row['analyse_s']:>10} "
            f"{row['peak_rss_mb']:>8}  {row['equilibria']}"
        )
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(rows, fh, indent=2)


if __name__ == "__main__":
    main()
