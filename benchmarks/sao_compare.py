"""Canonical SAO benchmark: accord vs NegMAS, measured in one run on this machine.

Runs ``accord.protocols.bench.run_sao_benchmark`` in this interpreter (the project's
``.venv``) and ``benchmarks/negmas_sao.py`` with ``benchmarks/.venv-negmas/bin/python``
(NegMAS installed only there), one after the other, each single-process for the same
wall-time budget; prints both JSON results, the throughput ratio, and checks that the
seeds NegMAS ran have the same agreement and round in both.

    .venv/bin/python benchmarks/sao_compare.py --seconds 10

Create the NegMAS environment once with::

    python3.11 -m venv benchmarks/.venv-negmas && benchmarks/.venv-negmas/bin/pip install negmas
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
from pathlib import Path
from typing import Any

from accord.protocols.bench import run_sao_benchmark

HERE = Path(__file__).resolve().parent
NEGMAS_PY = HERE / ".venv-negmas" / "bin" / "python"


def run_negmas(seconds: float, first_seed: int, steps: int) -> dict[str, Any]:
    """Run the NegMAS side in its own environment and parse its JSON line."""
    if not NEGMAS_PY.exists():
        raise SystemExit(
            f"{NEGMAS_PY} not found; create it with: python3.11 -m venv "
            "benchmarks/.venv-negmas && benchmarks/.venv-negmas/bin/pip install negmas"
        )
    cmd = [
        str(NEGMAS_PY),
        str(HERE / "negmas_sao.py"),
        "--seconds",
        str(seconds),
        "--first-seed",
        str(first_seed),
        "--steps",
        str(steps),
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=True)
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="accord vs NegMAS on the canonical SAO case")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--first-seed", type=int, default=0)
    parser.add_argument("--steps", type=int, default=1000)
    args = parser.parse_args(argv)

    ours = run_sao_benchmark(
        seconds=args.seconds, first_seed=args.first_seed, steps=args.steps, agreements=True
    )
    theirs = run_negmas(args.seconds, args.first_seed, args.steps)
    by_seed = {a["seed"]: a for a in ours["agreements"]}
    mismatches = [
        (a["seed"], a, by_seed.get(a["seed"])) for a in theirs["agreements"] if by_seed.get(a["seed"]) != a
    ]
    ratio = ours["negotiations_per_second"] / theirs["negotiations_per_second"]
    summary = {
        "machine": f"{platform.machine()} {platform.python_implementation()} {platform.python_version()}",
        "accord": {k: v for k, v in ours.items() if k != "agreements"},
        "negmas": {k: v for k, v in theirs.items() if k != "agreements"},
        "ratio_negotiations_per_second": ratio,
        "seeds_compared": len(theirs["agreements"]),
        "seeds_mismatched": [m[0] for m in mismatches],
    }
    json.dump(summary, sys.stdout, indent=2)
    sys.stdout.write("\n")
    print(
        f"accord {ours['negotiations_per_second']:.1f}/s vs NegMAS "
        f"{theirs['negotiations_per_second']:.2f}/s -> {ratio:.0f}x; "
        f"{len(theirs['agreements']) - len(mismatches)}/{len(theirs['agreements'])} "
        "seeds with identical agreement and round",
        file=sys.stderr,
    )
    return 1 if mismatches else 0


if __name__ == "__main__":
    raise SystemExit(main())
