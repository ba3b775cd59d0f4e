"""accord's SMP against KTAB's ``smpc`` on the same random problems, in one run.

For each size, a KTAB-style random problem (see ``smp_speed.py``) is written as a KTAB CSV;
KTAB's ``smpc --logmin`` (built from KTAB's public sources with g++ into the git-ignored
``benchmarks/.venv-ktab/``; the build recipe is not part of this repository) and accord's ``smp_run`` are each timed on it (wall clock,
same machine, one after the other), and the lines KTAB's own regression script compares
(stopping-rule ratios and winning-probability histories) are checked for identity.

usage: .venv/bin/python benchmarks/ktab_peer.py [--sizes 10x3 40x5 80x10] [--smpc PATH]
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from accord.forecast.ktab_io import read_ktab_csv, write_ktab_csv
from accord.forecast.smp import smp_run
from smp_speed import random_problem

HERE = Path(__file__).parent


def ktab_lines(log: str) -> list[str]:
    return [" ".join(x.split()) for x in log.splitlines() if re.search("Fractional|prob :", x)]


def ours_lines(run, actors: tuple[str, ...]) -> list[str]:  # type: ignore[no-untyped-def]
    out = [f"Fractional change compared to first step: {r:.4f} (target=0.0200)" for r in run.ratios]
    for i, a in enumerate(actors):
        out.append(f"{a}, prob :" + "".join(f" {p:.4f}" for p in run.probabilities[:, i]))
    return [" ".join(x.split()) for x in out]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", nargs="*", default=["10x3", "40x5", "80x10"])
    ap.add_argument("--smpc", type=Path, default=HERE / ".venv-ktab" / "smpc")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--timeout", type=float, default=900.0)
    args = ap.parse_args()
    results = []
    for size in args.sizes:
        n, m = (int(v) for v in size.split("x"))
        with tempfile.TemporaryDirectory() as tmp:
            csv = Path(tmp) / f"random{n}x{m}.csv"
            write_ktab_csv(random_problem(n, m, args.seed), csv, name=f"r{n}x{m}", description="b")
            pr = read_ktab_csv(csv).problem
            (Path(tmp) / "smpc-logger.conf").write_text((args.smpc.parent / "smpc-logger.conf").read_text())
            t0 = time.perf_counter()
            try:
                subprocess.run(
                    [str(args.smpc), "--logmin", "--csv", str(csv), "--connstr",
                     f"Driver=QSQLITE;Database={tmp}/ktab"],
                    cwd=tmp, check=True, capture_output=True, timeout=args.timeout,
                )  # fmt: skip
                t_ktab: float | None = time.perf_counter() - t0
                log = next(Path(tmp).glob("smpc-*_log.txt")).read_text()
            except subprocess.TimeoutExpired:
                t_ktab, log = None, ""
            t0 = time.perf_counter()
            run = smp_run(pr.capability, pr.position, pr.salience)
            t_ours = time.perf_counter() - t0
            same = ktab_lines(log) == ours_lines(run, pr.actors) if log else None
            results.append(
                {
                    "size": size,
                    "turns": run.turns,
                    "ktab_seconds": None if t_ktab is None else round(t_ktab, 3),
                    "accord_seconds": round(t_ours, 3),
                    "ktab_over_accord": None if t_ktab is None else round(t_ktab / t_ours, 1),
                    "identical_regression_lines": same,
                }
            )
            print(json.dumps(results[-1]), flush=True)


if __name__ == "__main__":
    main()
