"""One call to simulate a negotiation, and Monte Carlo over many."""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np

from accord.errors import ConfigurationError, did_you_mean, one_of
from accord.protocols.alternating import alternating_offers
from accord.protocols.engine import check_deadline
from accord.protocols.mediated import shuttle, single_text
from accord.protocols.problem import NegotiationProblem
from accord.protocols.results import NegotiationResult
from accord.protocols.strategies import Mediator, Strategy, make_mediator, make_strategy

#: Protocol names accepted by :func:`simulate`.
PROTOCOLS = ("alternating-offers", "single-text", "shuttle")
MEDIATED = ("single-text", "shuttle")


def _strategies(
    spec: str | Strategy | Sequence[str | Strategy], n: int, walkouts: bool | None = None
) -> list[Strategy]:
    if isinstance(spec, str | Strategy):
        spec = [spec] * n
    spec = list(spec)
    if len(spec) != n:
        raise ConfigurationError(f"{n} parties need {n} strategies, got {len(spec)}")
    # fresh, independent objects: a Strategy keeps per-negotiation state
    out = [copy.deepcopy(make_strategy(x)) for x in spec]
    if walkouts is not None:
        for s in out:
            s.walkout = walkouts
    return out


def simulate(
    problem: NegotiationProblem,
    strategies: str | Strategy | Sequence[str | Strategy] = "linear",
    protocol: str = "alternating-offers",
    mediator: str | Mediator | None = None,
    deadline: int = 100,
    seed: int | None = None,
    first: int = 0,
    walkouts: bool | None = None,
) -> NegotiationResult:
    """Simulate one negotiation.

    Parameters
    ----------
    problem : NegotiationProblem
    strategies : str, Strategy or sequence of them
        Registry names (``"boulware"``, ``"time-based:exponent=2"``...) or objects, one
        per party, or one for everybody.
    protocol : {"alternating-offers", "single-text", "shuttle"}
    mediator : str or Mediator, optional
        Required by the mediated protocols (``"nash-single-text"``,
        ``"split-difference"``, optionally ``":patience=5,cooloff=3"``).
    deadline : int
        Rounds allowed (>= 1).
    seed : int, optional
        Same seed, same trace.
    first : int
        First proposer (alternating offers).
    walkouts : bool, optional
        Let every party walk out (``True``) or none (``False``); default: each
        strategy's own ``walkout`` parameter (off unless given, e.g. ``"linear:walkout=true"``).

    Returns
    -------
    NegotiationResult

    Raises
    ------
    ConfigurationError
        Unknown protocol or strategy, deadline < 1, a mediated protocol without a
        mediator, or a mediator for a protocol that has none.
    """
    if protocol not in PROTOCOLS:
        raise ConfigurationError(
            f"unknown protocol '{protocol}'{did_you_mean(protocol, PROTOCOLS)}; valid: {one_of(PROTOCOLS)}"
        )
    deadline = check_deadline(deadline)
    strats = _strategies(strategies, problem.n_parties, walkouts)
    if protocol == "alternating-offers":
        if mediator is not None:
            raise ConfigurationError(
                "protocol 'alternating-offers' has no mediator; use 'single-text' or 'shuttle'"
            )
        return alternating_offers(problem, strats, deadline, seed, first)
    med = None if mediator is None else copy.deepcopy(make_mediator(mediator))
    run = single_text if protocol == "single-text" else shuttle
    return run(problem, strats, med, deadline, seed)


@dataclass
class MonteCarloResult:
    """Summary of many simulated negotiations."""

    runs: int
    seed: int | None
    outcomes: list[dict[str, Any]]

    @property
    def agreement_rate(self) -> float:
        """Share of runs that ended in agreement."""
        return float(np.mean([o["agreement"] for o in self.outcomes]))

    def to_dict(self) -> dict[str, Any]:
        """JSON-serialisable summary plus every run's outcome."""
        utils = np.array([o["utilities"] for o in self.outcomes], dtype=float)
        rounds = np.array([o["rounds"] for o in self.outcomes], dtype=float)
        return {
            "runs": self.runs,
            "seed": self.seed,
            "agreement_rate": self.agreement_rate,
            "mean_rounds": float(rounds.mean()),
            "mean_utilities": utils.mean(axis=0).tolist(),
            "causes": dict(Counter(o["cause"] for o in self.outcomes)),
            "outcomes": self.outcomes,
        }


def _one(
    args: tuple[Callable[[np.random.Generator], NegotiationProblem], Any, dict[str, Any]],
) -> dict[str, Any]:
    factory, child, kw = args
    problem_rng, run_seed = child.spawn(2)
    problem = factory(np.random.default_rng(problem_rng))
    seed = int(run_seed.generate_state(1)[0])
    out = simulate(problem, seed=seed, **kw).outcome.to_dict()
    out["seed"] = seed
    return out


def simulate_many(
    problem_factory: Callable[[np.random.Generator], NegotiationProblem],
    runs: int,
    seed: int | None = 0,
    workers: int = 1,
    **kwargs: Any,
) -> MonteCarloResult:
    """Monte Carlo: simulate ``runs`` negotiations, each on a freshly drawn problem.

    Run ``i`` gets child ``i`` of ``numpy.random.SeedSequence(seed).spawn(runs)``; it
    draws its problem with ``problem_factory(Generator)`` (e.g. uncertain parameters
    sampled from their ranges) and seeds the strategies from the same child, so the
    result is identical for any number of ``workers`` (local processes; the factory
    must then be picklable, i.e. a module-level function).

    ``kwargs`` are passed to :func:`simulate` (strategies, protocol, mediator,
    deadline, first, walkouts).
    """
    if runs < 1:
        raise ConfigurationError(f"runs must be at least 1, got {runs}")
    if workers < 1:
        raise ConfigurationError(f"workers must be at least 1, got {workers}")
    children = np.random.SeedSequence(seed).spawn(runs)
    jobs = [(problem_factory, c, kwargs) for c in children]
    if workers == 1:
        outcomes = [_one(j) for j in jobs]
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            outcomes = list(pool.map(_one, jobs, chunksize=max(1, runs // (4 * workers))))
    return MonteCarloResult(runs=runs, seed=seed, outcomes=outcomes)
