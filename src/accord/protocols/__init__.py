"""Negotiation protocols and strategies over a numeric problem.

Three lines from a utility matrix to a simulated negotiation::

    from accord.protocols import NegotiationProblem, simulate
    problem = NegotiationProblem(U=U, no_deal=[0.2, 0.1])      # U: (n_outcomes, n_parties)
    result = simulate(problem, ["boulware", "conceder"], deadline=50, seed=1)

``result.outcome`` says how it ended, ``result.events`` is the trace and
``result.to_dict()`` is JSON-ready. See ``docs/protocols.md``.
"""

from __future__ import annotations

from accord.protocols.alternating import alternating_offers
from accord.protocols.bench import run_sao_benchmark
from accord.protocols.mediated import shuttle, single_text
from accord.protocols.problem import NegotiationProblem
from accord.protocols.results import (
    Departure,
    Event,
    NegotiationResult,
    Outcome,
    replay,
)
from accord.protocols.simulate import (
    PROTOCOLS,
    MonteCarloResult,
    simulate,
    simulate_many,
)
from accord.protocols.strategies import (
    MEDIATORS,
    STRATEGIES,
    make_mediator,
    make_strategy,
    mediator_table,
    strategy_table,
)

__all__ = [
    "MEDIATORS",
    "PROTOCOLS",
    "STRATEGIES",
    "Departure",
    "Event",
    "MonteCarloResult",
    "NegotiationProblem",
    "NegotiationResult",
    "Outcome",
    "alternating_offers",
    "make_mediator",
    "make_strategy",
    "mediator_table",
    "replay",
    "run_sao_benchmark",
    "shuttle",
    "simulate",
    "simulate_many",
    "single_text",
    "strategy_table",
]
