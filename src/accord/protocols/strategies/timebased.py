"""Time-based concession (Faratin, Sierra & Jennings 1998)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from accord.protocols.problem import NegotiationProblem
from accord.protocols.strategies.base import Strategy, View, worst_at_least


class TimeBased(Strategy):
    """Concede on a fixed schedule: threshold ``nd + (1 - t**e) * (umax - nd)``.

    The party offers the outcome with the lowest own utility at or above its threshold
    (the "worst in band") and accepts any offer at or above it. ``e > 1`` concedes late
    (Boulware), ``e = 1`` linearly, ``e < 1`` early (Conceder).

    Faratin, P., Sierra, C. & Jennings, N. R. (1998). Negotiation decision functions for
    autonomous agents. *Robotics and Autonomous Systems* 24(3-4), 159-182, section 4.2.1
    (time-dependent tactics, polynomial family).
    """

    name = "time-based"
    family = "time-based"
    source = "Faratin, Sierra & Jennings (1998), Robotics and Autonomous Systems 24, sec. 4.2.1"

    def __init__(self, exponent: float = 1.0, **kw: Any) -> None:
        super().__init__(**kw)
        if not exponent > 0:
            from accord.errors import ConfigurationError

            raise ConfigurationError(f"exponent must be positive, got {exponent}")
        self.exponent = float(exponent)
        self.params = {"exponent": self.exponent}

    def threshold(self, view: View) -> float:
        """Utility the party insists on now (never below its no-deal value)."""
        umax = view.umax()
        nd = view.no_deal
        a = 1.0 if math.isinf(self.exponent) else 1.0 - view.t**self.exponent
        return max(nd, nd + a * (umax - nd))

    def propose(self, view: View) -> int:
        got = worst_at_least(view.utility, view.candidates(), self.threshold(view))
        return view.best() if got is None else got

    def respond(self, view: View, offer: int) -> bool:
        return bool(
            view.acceptable[offer]
            and view.utility[offer] >= view.no_deal
            and view.utility[offer] >= self.threshold(view)
        )


class Boulware(TimeBased):
    """Time-based with ``e = 4``: holds out, concedes near the deadline."""

    name = "boulware"

    def __init__(self, exponent: float = 4.0, **kw: Any) -> None:
        super().__init__(exponent, **kw)


class Linear(TimeBased):
    """Time-based with ``e = 1``: concedes at a constant rate."""

    name = "linear"

    def __init__(self, exponent: float = 1.0, **kw: Any) -> None:
        super().__init__(exponent, **kw)


class Conceder(TimeBased):
    """Time-based with ``e = 0.25``: concedes early."""

    name = "conceder"

    def __init__(self, exponent: float = 0.25, **kw: Any) -> None:
        super().__init__(exponent, **kw)


class Hardliner(Strategy):
    """Always offers its best outcome; accepts only an offer as good as that.

    The "hardheaded"/take-it-or-leave-it limit of time-based tactics (``e -> inf``),
    Faratin, Sierra & Jennings (1998), sec. 4.2.1.
    """

    name = "hardliner"
    family = "fixed"
    source = "Faratin, Sierra & Jennings (1998), sec. 4.2.1 (e -> infinity)"

    def propose(self, view: View) -> int:
        return view.best()

    def respond(self, view: View, offer: int) -> bool:
        return bool(
            view.acceptable[offer]
            and view.utility[offer] >= view.no_deal
            and view.utility[offer] >= view.umax() - 1e-12
        )


class RandomStrategy(Strategy):
    """Offers a uniformly random outcome it prefers to no deal; accepts such an offer
    with probability ``p_accept``. A baseline (Axelrod's "Random" player)."""

    name = "random"
    family = "random"
    stochastic = True
    source = "Axelrod (1980) tournament baseline; random negotiator baseline"

    def __init__(self, p_accept: float = 0.5, **kw: Any) -> None:
        super().__init__(**kw)
        self.p_accept = float(p_accept)
        self.params = {"p_accept": self.p_accept}

    def propose(self, view: View) -> int:
        idx = np.flatnonzero(view.candidates())
        if idx.size == 0:
            return view.best()
        return int(idx[view.rng.integers(idx.size)])

    def respond(self, view: View, offer: int) -> bool:
        ok = view.acceptable[offer] and view.utility[offer] >= view.no_deal
        return bool(ok and view.rng.random() < self.p_accept)


class TitForTat(Strategy):
    """Tit-for-tat in utility space: concede as much as the opponent just conceded.

    The party keeps a target utility, starting at its best. Each time an opponent's
    offer improves (in the party's own utility) on that opponent's previous offer, the
    target drops by the same amount, times ``reciprocity`` (absolute tit-for-tat,
    Faratin, Sierra & Jennings 1998, sec. 4.2.3, with delta = 1). ``opening`` is a
    one-off concession in the first move so that two tit-for-tat players do not stall.
    It offers the worst outcome at or above its target and accepts offers at or above.
    """

    name = "tit-for-tat"
    family = "behaviour-based"
    source = "Faratin, Sierra & Jennings (1998), sec. 4.2.3 (absolute tit-for-tat)"

    def __init__(self, reciprocity: float = 1.0, opening: float = 0.05, **kw: Any) -> None:
        super().__init__(**kw)
        self.reciprocity = float(reciprocity)
        self.opening = float(opening)
        self.params = {"reciprocity": self.reciprocity, "opening": self.opening}
        self._target: float | None = None

    def reset(self, problem: NegotiationProblem, me: int, deadline: int) -> None:
        super().reset(problem, me, deadline)
        self._target = None
        self._prev: dict[int, float] = {}

    def observe(self, view: View, party: int, offer: int) -> None:
        super().observe(view, party, offer)
        if party < 0:
            return
        u = float(view.utility[offer])
        prev = self._prev.get(party)
        if prev is not None and self._target is not None and u > prev:
            self._target -= self.reciprocity * (u - prev)
        self._prev[party] = u

    def _current(self, view: View) -> float:
        if self._target is None:
            self._target = view.umax() - self.opening * self._range
        return max(self._target, view.no_deal)

    def propose(self, view: View) -> int:
        got = worst_at_least(view.utility, view.candidates(), self._current(view))
        return view.best() if got is None else got

    def respond(self, view: View, offer: int) -> bool:
        ok = view.acceptable[offer] and view.utility[offer] >= view.no_deal
        return bool(ok and view.utility[offer] >= self._current(view))
