"""Traces and outcomes of simulated negotiations (plain dataclasses with ``to_dict``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

#: Actions recorded in a trace.
ACTIONS = (
    "offer",  # a party proposes an outcome
    "propose",  # a mediator proposes a text / relays a proposal
    "accept",
    "reject",
    "object",  # single text: rejects the text and objects to the change
    "leave",
    "return",
    "withdraw",  # mediator leaves
    "resume",  # mediator comes back
)


def _py(x: Any) -> Any:
    """Convert numpy scalars / arrays (recursively) to plain Python."""
    if isinstance(x, np.generic):
        return x.item()
    if isinstance(x, np.ndarray):
        return x.tolist()
    if isinstance(x, dict):
        return {str(k): _py(v) for k, v in x.items()}
    if isinstance(x, list | tuple):
        return [_py(v) for v in x]
    return x


@dataclass(frozen=True)
class Event:
    """One step of a negotiation.

    Attributes
    ----------
    round : int
        Round index (0-based).
    actor : str
        Party or mediator name.
    action : str
        One of :data:`ACTIONS`.
    offer : int or None
        Outcome index the action refers to (the offer made or responded to).
    utilities : tuple of float or None
        Every party's (discounted) utility of ``offer`` in this round.
    terms : dict or None
        Decoded terms of ``offer`` when the problem has a decoder.
    note : str
        Reason (for leave / withdraw / object) or strategy remark.
    """

    round: int
    actor: str
    action: str
    offer: int | None = None
    utilities: tuple[float, ...] | None = None
    terms: dict[str, Any] | None = None
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON-serialisable dict."""
        return {
            "round": int(self.round),
            "actor": self.actor,
            "action": self.action,
            "offer": None if self.offer is None else int(self.offer),
            "utilities": None if self.utilities is None else [float(u) for u in self.utilities],
            "terms": _py(self.terms),
            "note": self.note,
        }


@dataclass(frozen=True)
class Departure:
    """A party or mediator leaving (and maybe coming back)."""

    actor: str
    round: int
    reason: str
    returned: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-serialisable dict."""
        return {
            "actor": self.actor,
            "round": int(self.round),
            "reason": self.reason,
            "returned": None if self.returned is None else int(self.returned),
        }


@dataclass(frozen=True)
class Outcome:
    """How a negotiation ended.

    Attributes
    ----------
    agreement : bool
        Whether a deal was reached.
    offer : int or None
        The agreed outcome index.
    round : int
        Round of agreement, or the last round played.
    rounds : int
        Rounds played (agreement round + 1, or the deadline).
    utilities : tuple of float
        Each party's payoff: discounted utility of the deal, or its no-deal value.
    terms : dict or None
        Decoded terms of the deal.
    cause : str
        ``"agreement"``, ``"deadline"``, ``"walkout"`` or ``"mediator-withdrew"``.
    detail : str
        One sentence, e.g. who walked out, when and why.
    """

    agreement: bool
    offer: int | None
    round: int
    rounds: int
    utilities: tuple[float, ...]
    terms: dict[str, Any] | None = None
    cause: str = "agreement"
    detail: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON-serialisable dict."""
        return {
            "agreement": bool(self.agreement),
            "offer": None if self.offer is None else int(self.offer),
            "round": int(self.round),
            "rounds": int(self.rounds),
            "utilities": [float(u) for u in self.utilities],
            "terms": _py(self.terms),
            "cause": self.cause,
            "detail": self.detail,
        }


@dataclass
class NegotiationResult:
    """Trace, outcome and summary of one simulated negotiation."""

    protocol: str
    parties: tuple[str, ...]
    strategies: tuple[str, ...]
    mediator: str | None
    deadline: int
    seed: int | None
    events: list[Event]
    outcome: Outcome
    departures: list[Departure] = field(default_factory=list)

    @property
    def summary(self) -> dict[str, Any]:
        """Summary statistics: rounds, offers made, agreement, payoffs, walkouts."""
        offers = [e for e in self.events if e.action in ("offer", "propose")]
        return {
            "agreement": self.outcome.agreement,
            "cause": self.outcome.cause,
            "rounds": self.outcome.rounds,
            "n_events": len(self.events),
            "n_offers": len(offers),
            "distinct_offers": len({e.offer for e in offers}),
            "utilities": [float(u) for u in self.outcome.utilities],
            "welfare": float(sum(self.outcome.utilities)),
            "walkouts": len(self.departures),
        }

    def __str__(self) -> str:
        o = self.outcome
        head = f"{self.protocol}: {', '.join(self.parties)} ({', '.join(self.strategies)})"
        if o.agreement:
            terms = f" {o.terms}" if o.terms else f" outcome {o.offer}"
            body = f"agreement in round {o.round}:{terms}"
        else:
            body = f"no agreement ({o.cause}): {o.detail}"
        pay = ", ".join(f"{n} {u:.3f}" for n, u in zip(self.parties, o.utilities, strict=True))
        return f"{head}\n{body}\npayoffs: {pay}"

    def _repr_html_(self, max_events: int = 60) -> str:
        """Jupyter display: outcome line and the trace as a table."""
        from html import escape

        rows = []
        for e in self.events[:max_events]:
            utils = "" if e.utilities is None else ", ".join(f"{u:.3f}" for u in e.utilities)
            what = "" if e.offer is None else escape(str(e.terms or e.offer))
            rows.append(
                f"<tr><td>{e.round}</td><td>{escape(e.actor)}</td><td>{e.action}</td>"
                f"<td>{what}</td><td>{utils}</td><td>{escape(e.note)}</td></tr>"
            )
        more = len(self.events) - max_events
        tail = f"<p>... {more} more events</p>" if more > 0 else ""
        lines = "<br>".join(escape(line) for line in str(self).splitlines())
        return (
            f"<div><p>{lines}</p><table><tr><th>round</th><th>actor</th><th>action</th>"
            f"<th>offer</th><th>utilities</th><th>note</th></tr>{''.join(rows)}</table>"
            f"{tail}</div>"
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-serialisable dict (trace included)."""
        return {
            "protocol": self.protocol,
            "parties": list(self.parties),
            "strategies": list(self.strategies),
            "mediator": self.mediator,
            "deadline": int(self.deadline),
            "seed": self.seed,
            "outcome": self.outcome.to_dict(),
            "summary": self.summary,
            "departures": [d.to_dict() for d in self.departures],
            "trace": [e.to_dict() for e in self.events],
        }


def replay(result: NegotiationResult, n_parties: int) -> tuple[bool, int | None, int]:
    """Re-derive (agreement, offer, round) from a trace alone.

    The rules of each protocol, applied to the recorded events: in alternating offers
    the last offer passes if its proposer would sign it (no note on the event) and every
    other party accepted it in that round; in a single text the last proposal passes if
    every party accepted it in that round; in shuttle mediation the last proposal passes
    if every party accepted it after it was made.
    """
    ev = result.events
    kinds = ("offer",) if result.protocol == "alternating-offers" else ("propose",)
    last = max((i for i, e in enumerate(ev) if e.action in kinds), default=None)
    if last is None:
        return False, None, result.outcome.round
    e0 = ev[last]
    names = set(result.parties)
    later = [e for e in ev[last + 1 :] if e.action == "accept" and e.offer == e0.offer]
    if result.protocol != "shuttle":
        later = [e for e in later if e.round == e0.round]
    accepted = {e.actor for e in later}
    if result.protocol == "alternating-offers" and not e0.note:
        accepted.add(e0.actor)
    if accepted >= names and len(names) == n_parties and later:
        return True, e0.offer, later[-1].round
    return False, None, result.outcome.round
