"""Alternating offers, bilateral and multilateral (stacked, round-robin proposers)."""

from __future__ import annotations

from collections.abc import Sequence

from accord.errors import ConfigurationError
from accord.protocols.engine import Session
from accord.protocols.problem import NegotiationProblem
from accord.protocols.results import NegotiationResult
from accord.protocols.strategies import Strategy

#: Note on an offer its proposer would not sign (below its no-deal value or red line).
UNSIGNED = "the proposer would not sign this (below its no-deal value or red line)"


def alternating_offers(
    problem: NegotiationProblem,
    strategies: Sequence[Strategy],
    deadline: int,
    seed: int | None = None,
    first: int = 0,
) -> NegotiationResult:
    """Run alternating offers until agreement, walkout or deadline.

    Round ``k``: absent parties may come back and present ones may walk out; if all are
    at the table, party ``(first + k) mod n`` proposes and every other party, in order
    after the proposer, accepts or rejects; the offer passes when every party accepts.
    With two parties this is Rubinstein's (1982) alternating-offers game with a
    deadline; with more it is a stacked alternating-offers protocol in which an offer
    needs unanimous acceptance (Aydogan et al. 2017, "Alternating offers protocols for
    multilateral negotiation"), with the proposer rotating round-robin. While a party is
    away no offer can pass, but the clock (discounting, no-deal decay) runs on.

    Parameters
    ----------
    problem : NegotiationProblem
    strategies : sequence of Strategy
        One per party, in column order.
    deadline : int
        Number of rounds (>= 1).
    seed : int, optional
        Seeds every stochastic strategy (``SeedSequence(seed).spawn``): same seed, same
        trace.
    first : int
        Party proposing in round 0.
    """
    n = problem.n_parties
    if not 0 <= first < n:
        raise ConfigurationError(f"first proposer must be a party index 0..{n - 1}, got {first}")
    s = Session(problem, strategies, deadline, seed)
    for k in range(s.deadline):
        s.walkouts(k)
        if not s.all_present():
            continue
        p = (first + k) % n
        offer = s.check_outcome(s.strategies[p].propose(s.view(p, k)), p)
        # A proposer left with nothing it prefers to no deal may still make an offer, but
        # it would not sign it, so that offer cannot pass.
        agreed = s.would_sign(p, k, offer)
        s.offer_made(k, p, offer, note="" if agreed else UNSIGNED)
        for j in [(p + i) % n for i in range(1, n)]:
            ok = bool(s.strategies[j].respond(s.view(j, k), offer))
            s.record(k, j, "accept" if ok else "reject", offer)
            agreed &= ok
        if agreed:
            return s.result("alternating-offers", s.agreement(k, offer))
    return s.result("alternating-offers", s.breakdown(s.deadline))
