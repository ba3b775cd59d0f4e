"""NegMAS side of the canonical SAO benchmark (``/work/shared/benchmarks/sao-canonical.md``).

Runs NegMAS's own ``SAOMechanism`` with ``BoulwareTBNegotiator`` (party 0, first
proposer) against ``ConcederTBNegotiator`` (party 1) on the seeded 3-issue, 22-value
scenario, for consecutive seeds, and prints one JSON object with the throughput and the
per-seed agreements.

This script is run with the benchmark's own interpreter, ``benchmarks/.venv-negmas``
(NegMAS is AGPL; it is never a dependency of accord)::

    python3.11 -m venv benchmarks/.venv-negmas
    benchmarks/.venv-negmas/bin/pip install negmas
    benchmarks/.venv-negmas/bin/python benchmarks/negmas_sao.py --seconds 10

It uses only ``numpy`` and ``negmas``; it does not import accord.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any

import numpy as np

N_ISSUES = 3
N_VALUES = 22


def tables(seed: int) -> list[tuple[np.ndarray, list[np.ndarray]]]:
    """Weights and value tables of both parties, drawn exactly as the spec says."""
    rng = np.random.default_rng(seed)
    out = []
    for _party in (0, 1):
        w = rng.random(N_ISSUES)
        w = w / w.sum()
        vals = []
        for _k in range(N_ISSUES):
            r = rng.random(N_VALUES)
            vals.append((r - r.min()) / (r.max() - r.min()))
        out.append((w, vals))
    return out


def run_one(seed: int, steps: int) -> tuple[tuple[int, ...] | None, int]:
    """Build and run one negotiation; return (agreement, rounds)."""
    from negmas import BoulwareTBNegotiator, ConcederTBNegotiator, SAOMechanism, make_issue
    from negmas.preferences import LinearAdditiveUtilityFunction

    issues = [make_issue(values=N_VALUES, name=f"i{k}") for k in range(N_ISSUES)]
    mechanism = SAOMechanism(issues=issues, n_steps=steps)
    ufuns = []
    for w, vals in tables(seed):
        ufuns.append(
            LinearAdditiveUtilityFunction(
                values=[{int(x): float(v[x]) for x in range(N_VALUES)} for v in vals],
                weights=[float(x) for x in w],
                outcome_space=mechanism.outcome_space,
                reserved_value=0.0,
            )
        )
    mechanism.add(BoulwareTBNegotiator(name="boulware"), ufun=ufuns[0])
    mechanism.add(ConcederTBNegotiator(name="conceder"), ufun=ufuns[1])
    state = mechanism.run()
    agreement = tuple(int(x) for x in state.agreement) if state.agreement is not None else None
    return agreement, int(state.step)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--first-seed", type=int, default=0)
    parser.add_argument("--steps", type=int, default=1000)
    parser.add_argument("-n", type=int, default=None, help="run exactly n negotiations")
    args = parser.parse_args(argv)

    import negmas

    run_one(10**9, args.steps)  # warm-up: imports, caches
    agreements: list[dict[str, Any]] = []
    start = time.perf_counter()
    seed = args.first_seed
    while True:
        agreement, rounds = run_one(seed, args.steps)
        agreements.append(
            {"seed": seed, "agreement": list(agreement) if agreement else None, "rounds": rounds}
        )
        seed += 1
        elapsed = time.perf_counter() - start
        if args.n is not None:
            if len(agreements) >= args.n:
                break
        elif elapsed >= args.seconds:
            break
    n = len(agreements)
    result = {
        "implementation": f"negmas {negmas.__version__}",
        "python": sys.version.split()[0],
        "negotiations_per_second": n / elapsed,
        "agreement_rate": sum(a["agreement"] is not None for a in agreements) / n,
        "mean_rounds": sum(a["rounds"] for a in agreements) / n,
        "n_negotiations": n,
        "seconds": elapsed,
        "first_seed": args.first_seed,
        "steps": args.steps,
        "agreements": agreements,
    }
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
