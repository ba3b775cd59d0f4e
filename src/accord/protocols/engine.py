"""Shared machinery of the protocols: views, events, walkouts and returns."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from accord.errors import ConfigurationError
from accord.protocols.problem import NegotiationProblem
from accord.protocols.results import Departure, Event, NegotiationResult, Outcome
from accord.protocols.strategies import Mediator, MediatorView, Strategy, View


def check_deadline(deadline: int) -> int:
    """Validate a deadline in rounds."""
    if isinstance(deadline, bool) or int(deadline) != deadline or int(deadline) < 1:
        raise ConfigurationError(f"deadline must be a whole number of rounds >= 1, got {deadline}")
    return int(deadline)


class Session:
    """One running negotiation: the problem, the players, the trace so far."""

    def __init__(
        self,
        problem: NegotiationProblem,
        strategies: Sequence[Strategy],
        deadline: int,
        seed: int | None,
        mediator: Mediator | None = None,
    ) -> None:
        self.problem = problem
        self.deadline = check_deadline(deadline)
        if len(strategies) != problem.n_parties:
            raise ConfigurationError(
                f"{problem.n_parties} parties need {problem.n_parties} strategies, got {len(strategies)}"
            )
        self.strategies = list(strategies)
        self.mediator = mediator
        self.seed = seed
        streams = np.random.SeedSequence(seed).spawn(problem.n_parties + 1)
        self.rngs = [np.random.default_rng(s) for s in streams]
        self.events: list[Event] = []
        self.history: list[tuple[int, int]] = []
        self.present = [True] * problem.n_parties
        self.departures: list[Departure] = []
        self._acc = [problem.acceptable_for(i) for i in range(problem.n_parties)]
        self._u_cache: dict[int, np.ndarray] = {}
        for i, s in enumerate(self.strategies):
            s.reset(problem, i, self.deadline)
        if mediator is not None:
            mediator.reset(problem, self.deadline)

    # ------------------------------------------------------------ views and events
    def name(self, party: int) -> str:
        """Party name, or the mediator's."""
        if party < 0:
            return "mediator"
        return self.problem.party_names[party]

    def utilities(self, round: int) -> np.ndarray:
        """Discounted utility matrix of this round (cached per round)."""
        got = self._u_cache.get(round)
        if got is None:
            self._u_cache.clear()
            got = self.problem.U * self.problem.discount_at(round)
            self._u_cache[round] = got
        return got

    def view(self, party: int, round: int) -> View:
        """What ``party`` sees in ``round``."""
        return View(
            problem=self.problem,
            me=party,
            round=round,
            deadline=self.deadline,
            t=(round + 1) / (self.deadline + 1),
            utility=self.utilities(round)[:, party],
            no_deal=float(self.problem.no_deal_at(round)[party]),
            acceptable=self._acc[party],
            history=self.history,
            rng=self.rngs[party],
        )

    def mediator_view(
        self,
        round: int,
        text: int | None,
        offers: dict[int, int],
        objections: dict[int, bool],
        stalled: int,
        tried: set[int],
    ) -> MediatorView:
        """What the mediator sees."""
        return MediatorView(
            problem=self.problem,
            round=round,
            deadline=self.deadline,
            text=text,
            offers=dict(offers),
            objections=dict(objections),
            stalled=stalled,
            rng=self.rngs[-1],
            tried=tried,
        )

    def check_outcome(self, offer: int, who: int) -> int:
        """A strategy must return an outcome index of the problem."""
        o = int(offer)
        if not 0 <= o < self.problem.n_outcomes:
            raise ValueError(f"{self.name(who)} proposed outcome {o}, outside 0..n_outcomes-1")
        return o

    def record(self, round: int, actor: int, action: str, offer: int | None = None, note: str = "") -> None:
        """Append one event to the trace."""
        utils = None
        terms = None
        if offer is not None:
            utils = tuple(float(x) for x in self.utilities(round)[offer])
            terms = self.problem.terms(offer)
        self.events.append(Event(round, self.name(actor), action, offer, utils, terms, note))

    def offer_made(self, round: int, party: int, offer: int, action: str = "offer", note: str = "") -> None:
        """Record an offer/proposal and let every other present party observe it."""
        self.record(round, party, action, offer, note)
        self.history.append((party, offer))
        for j, s in enumerate(self.strategies):
            if j != party and self.present[j]:
                s.observe(self.view(j, round), party, offer)

    # ------------------------------------------------------------ walkouts
    def walkouts(self, round: int) -> None:
        """Let absent parties come back and present ones leave (in party order)."""
        for i, s in enumerate(self.strategies):
            v = self.view(i, round)
            if not self.present[i]:
                if s.come_back(v):
                    self.present[i] = True
                    self.record(round, i, "return", note="outside option has decayed")
                    for k, d in enumerate(self.departures):
                        if d.actor == self.name(i) and d.returned is None:
                            self.departures[k] = Departure(d.actor, d.round, d.reason, round)
                continue
            reason = s.leave(v)
            if reason:
                self.present[i] = False
                self.record(round, i, "leave", note=reason)
                self.departures.append(Departure(self.name(i), round, reason))

    def would_sign(self, party: int, round: int, offer: int) -> bool:
        """Is ``offer`` within the party's red lines and worth its no-deal value now?"""
        u = self.utilities(round)[offer, party]
        return bool(self._acc[party][offer] and u >= self.problem.no_deal_at(round)[party])

    def all_present(self) -> bool:
        """Is every party at the table?"""
        return all(self.present)

    # ------------------------------------------------------------ endings
    def agreement(self, round: int, offer: int) -> Outcome:
        """Outcome of a deal on ``offer`` in ``round``."""
        return Outcome(
            agreement=True,
            offer=offer,
            round=round,
            rounds=round + 1,
            utilities=tuple(float(x) for x in self.utilities(round)[offer]),
            terms=self.problem.terms(offer),
            cause="agreement",
            detail=f"agreed in round {round}",
        )

    def breakdown(self, rounds: int, mediator_away: bool = False) -> Outcome:
        """Outcome of no deal after ``rounds`` rounds (payoffs: no-deal values then)."""
        nd = self.problem.no_deal_at(rounds)
        away = {self.name(i) for i, here in enumerate(self.present) if not here}
        absent = [d for d in self.departures if d.returned is None and d.actor in away]
        if absent:
            d = absent[0]
            cause = "walkout"
            detail = f"{d.actor} walked out in round {d.round}: {d.reason}"
        elif mediator_away:
            cause = "mediator-withdrew"
            detail = "the mediator withdrew and did not come back before the deadline"
        else:
            cause = "deadline"
            detail = f"no agreement within {rounds} rounds"
        return Outcome(
            agreement=False,
            offer=None,
            round=rounds - 1,
            rounds=rounds,
            utilities=tuple(float(x) for x in nd),
            terms=None,
            cause=cause,
            detail=detail,
        )

    def result(self, protocol: str, outcome: Outcome) -> NegotiationResult:
        """Package the run."""
        return NegotiationResult(
            protocol=protocol,
            parties=self.problem.party_names,
            strategies=tuple(s.describe() for s in self.strategies),
            mediator=None if self.mediator is None else self.mediator.describe(),
            deadline=self.deadline,
            seed=self.seed,
            events=self.events,
            outcome=outcome,
            departures=self.departures,
        )
