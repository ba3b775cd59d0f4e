"""Mediated protocols: single negotiating text and shuttle mediation."""

from __future__ import annotations

from collections.abc import Sequence

from accord.errors import ConfigurationError
from accord.protocols.engine import Session
from accord.protocols.problem import NegotiationProblem
from accord.protocols.results import NegotiationResult
from accord.protocols.strategies import Mediator, Strategy


def _need(mediator: Mediator | None, protocol: str) -> Mediator:
    if mediator is None:
        raise ConfigurationError(
            f"protocol '{protocol}' needs a mediator (e.g. 'nash-single-text' or 'split-difference')"
        )
    return mediator


class _MediatorPresence:
    """Tracks a mediator withdrawing and coming back."""

    def __init__(self, s: Session) -> None:
        self.s = s
        self.away_since: int | None = None
        self.resumed_at: int | None = None

    def update(self, k: int, text: int | None, stalled: int) -> bool:
        """Returns True when the mediator is present this round."""
        s = self.s
        m = s.mediator
        assert m is not None
        if self.resumed_at is not None:  # patience counts from the mediator's return
            stalled = min(stalled, k - self.resumed_at)
        view = s.mediator_view(k, text, {}, {}, stalled, set())
        if self.away_since is not None:
            if m.resume(view, k - self.away_since):
                s.record(k, -1, "resume", text)
                for i, d in enumerate(s.departures):
                    if d.actor == "mediator" and d.returned is None:
                        s.departures[i] = type(d)(d.actor, d.round, d.reason, k)
                self.away_since = None
                self.resumed_at = k
                return True
            return False
        reason = m.withdraw(view)
        if reason:
            s.record(k, -1, "withdraw", text, note=reason)
            from accord.protocols.results import Departure

            s.departures.append(Departure("mediator", k, reason))
            self.away_since = k
            return False
        return True


def single_text(
    problem: NegotiationProblem,
    strategies: Sequence[Strategy],
    mediator: Mediator | None,
    deadline: int,
    seed: int | None = None,
) -> NegotiationResult:
    """Mediated single negotiating text (Raiffa 1982, ch. 14).

    The mediator drafts a text; each round it proposes a (possibly revised) text and
    every party either signs it (``accept``), rejects it without objecting to the
    revision, or objects (the revision is worse for it than the standing text). The text
    is adopted when no party objects; the negotiation ends when every party signs, at
    the deadline, or when a party walks out and does not return. A mediator with
    ``patience`` withdraws after that many rounds without the text changing and comes
    back after ``cooloff`` rounds; while it is away nothing is proposed.
    """
    m = _need(mediator, "single-text")
    s = Session(problem, strategies, deadline, seed, m)
    presence = _MediatorPresence(s)
    n = problem.n_parties
    text: int | None = None
    stalled = 0
    tried: set[int] = set()
    objections: dict[int, bool] = {}
    for k in range(s.deadline):
        s.walkouts(k)
        if not presence.update(k, text, stalled) or not s.all_present():
            continue
        view = s.mediator_view(k, text, {}, objections, stalled, tried)
        cand = s.check_outcome(m.initial(view) if text is None else m.propose(view), -1)
        s.offer_made(k, -1, cand, "propose")
        signed = True
        objections = {}
        for j in range(n):
            v = s.view(j, k)
            ok = bool(s.strategies[j].respond(v, cand))
            obj = (not ok) and text is not None and bool(s.strategies[j].objects(v, cand, text))
            objections[j] = obj
            s.record(k, j, "accept" if ok else ("object" if obj else "reject"), cand)
            signed &= ok
        if signed:
            return s.result("single-text", s.agreement(k, cand))
        if any(objections.values()):
            tried.add(cand)
            stalled += 1
        elif cand != text:
            text = cand
            tried = set()
            stalled = 0
        else:
            stalled += 1
    return s.result("single-text", s.breakdown(s.deadline, mediator_away=presence.away_since is not None))


def shuttle(
    problem: NegotiationProblem,
    strategies: Sequence[Strategy],
    mediator: Mediator | None,
    deadline: int,
    seed: int | None = None,
) -> NegotiationResult:
    """Shuttle mediation: the parties never meet; every relay costs a round.

    In round ``k`` the mediator visits party ``k mod n`` and puts the current proposal to
    it. The party accepts, or rejects and gives the mediator its own offer; the mediator
    then reshapes the proposal from the parties' latest offers (its strategy's
    ``propose``). A proposal passes once every party has accepted it since it last
    changed (the party whose offer the mediator relays unchanged is asked at once). See
    Kissinger-style shuttle diplomacy as modelled by Hopmann (1996), *The Negotiation
    Process and the Resolution of International Conflicts*, ch. 12.
    """
    m = _need(mediator, "shuttle")
    s = Session(problem, strategies, deadline, seed, m)
    presence = _MediatorPresence(s)
    n = problem.n_parties
    proposal: int | None = None
    accepted: set[int] = set()
    offers: dict[int, int] = {}
    stalled = 0
    for k in range(s.deadline):
        s.walkouts(k)
        if not presence.update(k, proposal, stalled) or not s.all_present():
            continue
        p = k % n
        v = s.view(p, k)
        if proposal is not None:
            ok = bool(s.strategies[p].respond(v, proposal))
            s.record(k, p, "accept" if ok else "reject", proposal)
            if ok:
                accepted.add(p)
                if len(accepted) == n:
                    return s.result("shuttle", s.agreement(k, proposal))
                stalled += 1
                continue
        own = s.check_outcome(s.strategies[p].propose(v), p)
        s.offer_made(k, p, own)
        offers[p] = own
        view = s.mediator_view(k, proposal, offers, {}, stalled, set())
        new = s.check_outcome(m.propose(view), -1)
        if new != proposal:
            s.offer_made(k, -1, new, "propose")
            proposal = new
            accepted = set()
            stalled = 0
            if new == own:  # its own offer, relayed as it is: the party signs it if it can
                ok = bool(s.strategies[p].respond(v, new))
                s.record(k, p, "accept" if ok else "reject", new)
                if ok:
                    accepted.add(p)
        else:
            stalled += 1
    return s.result("shuttle", s.breakdown(s.deadline, mediator_away=presence.away_since is not None))
