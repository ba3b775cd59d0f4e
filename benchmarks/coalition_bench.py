"""Coalitional Nash/GMR/SEQ at scale: three two-DM coalitions of the random 6-DM models.

The models are those of ``conflict_bench.py`` (random prioritization preferences, seed 0); each
size runs in this process, one after the other.

usage: .venv/bin/python benchmarks/coalition_bench.py [--options 12 14 16 18 20]
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from accord import conflict
from conflict_bench import random_model


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--options", type=int, nargs="*", default=[12, 14, 16, 18, 20])
    args = ap.parse_args()
    print(
        f"{'options':>7} {'states':>9} {'seconds':>8} {'peak MB':>8}  coalitional equilibria (CNash CGMR CSEQ)"
    )
    for n in args.options:
        model = random_model(n, 6, 0)
        t0 = time.perf_counter()
        r = conflict.coalition_analysis(
            model, coalitions=[[0, 1], [2, 3], [4, 5]], concepts=["nash", "gmr", "seq"]
        )
        dt = time.perf_counter() - t0
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        eq = " ".join(str(len(r.equilibria(c))) for c in r.tables)
        print(f"{n:>7} {model.n_states:>9,} {dt:>8.2f} {rss:>8.0f}  {eq}", flush=True)


if __name__ == "__main__":
    main()
