"""What a negotiator sees, and the base class every party strategy extends."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np
from numpy.typing import NDArray

from accord.protocols.problem import NegotiationProblem

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]


@dataclass
class View:
    """A party's view of the negotiation when it has to act.

    Attributes
    ----------
    problem : NegotiationProblem
    me : int
        The party's column in ``problem.U``.
    round, deadline : int
        Current round (0-based) and the number of rounds allowed.
    t : float
        Relative time ``(round + 1) / (deadline + 1)`` (in (0, 1)).
    utility : ndarray
        The party's utility of every outcome if agreed this round (discounted).
    no_deal : float
        The party's no-deal value now.
    acceptable : bool ndarray
        Outcomes within the party's red lines.
    history : list of (party, outcome)
        Every offer or proposal so far in order (party ``-1`` = mediator).
    rng : numpy.random.Generator
        The party's own random stream.
    """

    problem: NegotiationProblem
    me: int
    round: int
    deadline: int
    t: float
    utility: FloatArray
    no_deal: float
    acceptable: BoolArray
    history: list[tuple[int, int]]
    rng: np.random.Generator

    def candidates(self) -> BoolArray:
        """Outcomes the party may propose or accept: within red lines, >= no deal."""
        return np.asarray(self.acceptable & (self.utility >= self.no_deal))

    def best(self) -> int:
        """The party's best outcome within its red lines (lowest index on ties)."""
        u = np.where(self.acceptable, self.utility, -np.inf)
        return int(np.argmax(u))

    def umax(self) -> float:
        """Utility of :meth:`best`."""
        return float(self.utility[self.best()])


def worst_at_least(utility: FloatArray, mask: BoolArray, low: float) -> int | None:
    """Outcome with the lowest utility ``>= low`` among ``mask`` (lowest index on ties)."""
    ok = mask & (utility >= low)
    if not ok.any():
        return None
    u = np.where(ok, utility, np.inf)
    return int(np.argmin(u))


class Strategy:
    """Base class of party strategies (Axelrod-style metadata in class attributes).

    Subclasses override :meth:`propose` and :meth:`respond`; the base class keeps the
    beliefs used for walking out: ``trust`` (belief that the others negotiate in good
    faith, lowered when an opponent retracts a concession or re-opens a settled point)
    and the best offer received.

    Walking out (opt in with ``walkout=True``): after ``patience`` of the time has passed, the party
    leaves when its expected value of continuing,
    ``trust * projected + (1 - trust) * no_deal(deadline)``, is below its current
    no-deal value. ``projected`` extrapolates the best offer received so far linearly
    to the deadline (capped at the party's best). It comes back when its (decaying)
    no-deal value falls below the expected value it had when it left.
    """

    name: ClassVar[str] = "base"
    family: ClassVar[str] = ""
    stochastic: ClassVar[bool] = False
    uses_opponent_model: ClassVar[bool] = False
    source: ClassVar[str] = ""
    params: dict[str, Any]

    def __init__(
        self,
        walkout: bool = False,
        patience: float = 0.25,
        suspicion: float = 0.5,
        retraction_tolerance: float = 0.02,
    ) -> None:
        self.walkout = walkout
        self.patience = patience
        self.suspicion = suspicion
        self.retraction_tolerance = retraction_tolerance
        self.params = {}
        self.trust = 1.0
        self._received: list[tuple[int, float]] = []  # (round, raw utility) of offers to me
        self._last_from: dict[int, float] = {}
        self._ev_at_leave = -np.inf
        self.me = -1

    # ------------------------------------------------------------ lifecycle
    def reset(self, problem: NegotiationProblem, me: int, deadline: int) -> None:
        """Prepare for a new negotiation (called once before round 0)."""
        self.me = me
        self.trust = 1.0
        self._received = []
        self._last_from = {}
        self._ev_at_leave = -np.inf
        self._range = float(np.ptp(problem.U[:, me])) or 1.0

    def describe(self) -> str:
        """Name with parameters, e.g. ``time-based(exponent=4.0)``."""
        if not self.params:
            return self.name
        inner = ", ".join(f"{k}={v}" for k, v in self.params.items())
        return f"{self.name}({inner})"

    # ------------------------------------------------------------ decisions
    def propose(self, view: View) -> int:
        """Outcome to offer now."""
        raise NotImplementedError

    def respond(self, view: View, offer: int) -> bool:
        """Accept ``offer`` now?"""
        raise NotImplementedError

    def objects(self, view: View, candidate: int, text: int) -> bool:
        """Single text: object to replacing ``text`` by ``candidate``? (truthful)."""
        return bool(view.utility[candidate] < view.utility[text])

    def observe(self, view: View, party: int, offer: int) -> None:
        """See another party's offer (or a mediator's proposal, ``party == -1``)."""
        u = float(self.problem_u(view, offer))
        if party >= 0:
            prev = self._last_from.get(party)
            if prev is not None and u < prev - self.retraction_tolerance * self._range:
                self.trust *= self.suspicion
            self._last_from[party] = u
        acc = view.acceptable
        if acc is not None and not bool(acc[offer]):
            # an offer across my red line is worth no more to me than no deal
            u = min(u, float(view.no_deal))
        self._received.append((view.round, u))

    @staticmethod
    def problem_u(view: View, offer: int) -> float:
        """Raw (undiscounted) utility of ``offer`` to the viewing party."""
        return float(view.problem.U[offer, view.me])

    # ------------------------------------------------------------ walking out
    def expected_continuation(self, view: View) -> float | None:
        """Expected value of staying (see class docstring), or None without data."""
        if len(self._received) < 2:
            return None
        rounds = np.array([r for r, _ in self._received], dtype=float)
        utils = np.maximum.accumulate(np.array([u for _, u in self._received]))
        best = float(utils[-1])
        span = rounds[-1] - rounds[0]
        slope = (utils[-1] - utils[0]) / span if span > 0 else 0.0
        projected = min(best + slope * (view.deadline - 1 - view.round), view.umax())
        disc = view.problem.discount_at(view.deadline - 1)[view.me]
        nd_end = float(view.problem.no_deal_at(view.deadline)[view.me])
        return float(self.trust * projected * disc + (1 - self.trust) * nd_end)

    def leave(self, view: View) -> str | None:
        """Reason to walk out now, or None to stay."""
        if not self.walkout or view.t < self.patience:
            return None
        ev = self.expected_continuation(view)
        if ev is None or ev >= view.no_deal:
            return None
        self._ev_at_leave = ev
        why = "expected value of continuing"
        if self.trust < 1.0:
            why += f" (trust {self.trust:.2f} after retracted offers)"
        return f"{why} {ev:.3f} < no-deal value {view.no_deal:.3f}"

    def come_back(self, view: View) -> bool:
        """Return after leaving? (when the outside option has decayed enough)."""
        return bool(view.no_deal < self._ev_at_leave)


@dataclass
class StrategyInfo:
    """Registry entry: the metadata of a strategy class."""

    name: str
    family: str
    stochastic: bool
    uses_opponent_model: bool
    source: str
    params: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-serialisable dict."""
        return dict(self.__dict__)
