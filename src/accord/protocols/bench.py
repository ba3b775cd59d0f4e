"""The canonical bilateral alternating-offers benchmark (``accord bench sao``).

A fixed, fully specified case timed identically by accord and by NegMAS (see
``benchmarks/negmas_sao.py`` and ``docs/simulation-performance.md``): three issues with
22 integer values each (10,648 outcomes), seeded linear-additive utilities, a Boulware
negotiator (exponent 4, first proposer) against a Conceder (exponent 0.25), 1000 rounds,
NegMAS ``SAOMechanism`` semantics. Each negotiation builds its scenario (utility tables
and the utility of every outcome) and is solved exactly by
:func:`accord.protocols.timebased_sao.solve`; both are inside the timing.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from accord.errors import ConfigurationError
from accord.protocols.timebased_sao import NEGMAS_BELOW, solve
from accord.protocols.timecurves import EXPONENTS, thresholds

N_ISSUES = 3
N_VALUES = 22
#: Aspiration exponents of party 0 (Boulware) and party 1 (Conceder).
PARTY_EXPONENTS = (EXPONENTS["boulware"], EXPONENTS["conceder"])
#: NegMAS's default threshold tolerance (``eps`` of ``UtilBasedNegotiator``).
EPS = 1e-4


def canonical_utilities(seed: int) -> NDArray[np.float64]:
    """Both parties' utility of all 22^3 outcomes for one benchmark seed.

    Draws exactly as the benchmark specifies: ``rng = numpy.random.default_rng(seed)``;
    for party 0 then party 1, three issue weights (normalised to sum 1), then three
    22-value tables, each min-max scaled to [0, 1]; the utility of ``(v0, v1, v2)`` is
    ``w0*V0[v0] + w1*V1[v1] + w2*V2[v2]`` summed left to right (as NegMAS does, so the
    floats are identical). The 138 numbers are drawn in one call, which gives the same
    PCG64 stream as the specified sequence of calls.

    Returns
    -------
    ndarray, shape (2, 10648)
        Row ``p`` is party ``p``'s utility; outcome numbering is that of
        :func:`decode_canonical` (``v2 * 484 + v0 * 22 + v1``, chosen so that the
        broadcast sum runs over long contiguous rows).
    """
    x = np.random.Generator(np.random.PCG64(seed)).random(2 * (N_ISSUES + N_ISSUES * N_VALUES))
    per = N_ISSUES + N_ISSUES * N_VALUES
    w0 = x[0:N_ISSUES]
    w1 = x[per : per + N_ISSUES]
    w = np.concatenate((w0 / w0.sum(), w1 / w1.sum()))
    r = np.concatenate((x[N_ISSUES:per], x[per + N_ISSUES :])).reshape(2 * N_ISSUES, N_VALUES)
    mn = r.min(axis=1, keepdims=True)
    tables = (w[:, None] * ((r - mn) / (r.max(axis=1, keepdims=True) - mn))).reshape(2, N_ISSUES, N_VALUES)
    ab = (tables[:, 0, :, None] + tables[:, 1, None, :]).reshape(2, 1, N_VALUES * N_VALUES)
    return (ab + tables[:, 2, :, None]).reshape(2, -1)


def decode_canonical(index: int) -> tuple[int, int, int]:
    """Issue values ``(v0, v1, v2)`` of a canonical outcome number ``v2*484 + v0*22 + v1``."""
    v2, rest = divmod(int(index), N_VALUES * N_VALUES)
    v0, v1 = divmod(rest, N_VALUES)
    return v0, v1, v2


def run_canonical(seed: int, steps: int = 1000) -> tuple[tuple[int, int, int] | None, int]:
    """Build and run one canonical negotiation.

    Returns
    -------
    (agreement, rounds)
        The agreed ``(v0, v1, v2)`` (``None`` on timeout) and the number of rounds,
        NegMAS's ``state.step`` at the end.
    """
    u = canonical_utilities(seed)
    # Reserved value 0 = the worst utility (every issue at its 0.0 value), so umin = 0.
    umax = u.max(axis=1)
    lo0 = thresholds(steps, PARTY_EXPONENTS[0], 0.0, float(umax[0]), EPS)
    lo1 = thresholds(steps, PARTY_EXPONENTS[1], 0.0, float(umax[1]), EPS)
    outcome, rounds = solve(u[0], u[1], lo0, lo1, NEGMAS_BELOW)
    return (decode_canonical(outcome) if outcome >= 0 else None), rounds


@dataclass
class BenchResult:
    """Throughput of the canonical SAO benchmark."""

    negotiations_per_second: float
    agreement_rate: float
    mean_rounds: float
    n_negotiations: int
    seconds: float
    first_seed: int
    steps: int
    agreements: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self, agreements: bool = True) -> dict[str, Any]:
        """JSON-serialisable dict (the ``accord bench sao --json`` object)."""
        d: dict[str, Any] = {
            "implementation": "accord",
            "negotiations_per_second": float(self.negotiations_per_second),
            "agreement_rate": float(self.agreement_rate),
            "mean_rounds": float(self.mean_rounds),
            "n_negotiations": int(self.n_negotiations),
            "seconds": float(self.seconds),
            "first_seed": int(self.first_seed),
            "steps": int(self.steps),
        }
        if agreements:
            d["agreements"] = list(self.agreements)
        return d


def run_sao_benchmark(
    seconds: float = 10.0,
    first_seed: int = 0,
    steps: int = 1000,
    n: int | None = None,
    agreements: bool = False,
) -> dict[str, Any]:
    """Run the canonical SAO benchmark and return its JSON object.

    Runs negotiations with seeds ``first_seed, first_seed + 1, ...`` in this process
    until ``seconds`` of wall time have passed (or exactly ``n`` negotiations if ``n``
    is given), after one untimed warm-up negotiation.

    Parameters
    ----------
    seconds : float
        Wall-time budget (ignored when ``n`` is given). Must be > 0.
    first_seed : int
        Seed of the first negotiation (>= 0).
    steps : int
        Deadline in rounds (>= 1).
    n : int, optional
        Run exactly this many negotiations.
    agreements : bool
        Include the per-seed list ``agreements`` (seed, agreement, rounds).

    Returns
    -------
    dict
        ``negotiations_per_second``, ``agreement_rate``, ``mean_rounds``,
        ``n_negotiations``, ``seconds`` (plus ``first_seed``, ``steps``,
        ``implementation`` and, if asked, ``agreements``).

    Raises
    ------
    ConfigurationError
        For a non-positive ``seconds``, ``steps`` or ``n``, or a negative seed.
    """
    if steps < 1:
        raise ConfigurationError(f"steps must be at least 1, got {steps}")
    if first_seed < 0:
        raise ConfigurationError(f"first-seed must be >= 0, got {first_seed}")
    if n is None and not seconds > 0:
        raise ConfigurationError(f"seconds must be positive, got {seconds}")
    if n is not None and n < 1:
        raise ConfigurationError(f"n must be at least 1, got {n}")
    run_canonical(2**31 - 1, steps)  # warm-up (imports, caches of the time curves)
    records: list[dict[str, Any]] = []
    n_agree = 0
    total_rounds = 0
    seed = first_seed
    clock = time.perf_counter
    start = clock()
    while True:
        agreement, rounds = run_canonical(seed, steps)
        n_agree += agreement is not None
        total_rounds += rounds
        if agreements:
            records.append(
                {
                    "seed": seed,
                    "agreement": list(agreement) if agreement else None,
                    "rounds": rounds,
                }
            )
        seed += 1
        elapsed = clock() - start
        done = seed - first_seed
        if (n is not None and done >= n) or (n is None and elapsed >= seconds):
            break
    done = seed - first_seed
    return BenchResult(
        negotiations_per_second=done / elapsed if elapsed > 0 else float("inf"),
        agreement_rate=n_agree / done,
        mean_rounds=total_rounds / done,
        n_negotiations=done,
        seconds=elapsed,
        first_seed=first_seed,
        steps=steps,
        agreements=records,
    ).to_dict(agreements=agreements)
