"""Mediator strategies for the single-text and shuttle protocols."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np
from numpy.typing import NDArray

from accord.protocols.problem import NegotiationProblem

FloatArray = NDArray[np.float64]


@dataclass
class MediatorView:
    """What a mediator sees.

    Attributes
    ----------
    problem : NegotiationProblem
        The mediator is *informed*: it knows every party's utilities, as if elicited in
        confidence (Raiffa 1982, ch. 14).
    round, deadline : int
    text : int or None
        Current single negotiating text / proposal being carried.
    offers : dict of int -> int
        Latest offer of each party (shuttle).
    objections : dict of int -> bool
        Which parties objected to the last proposal.
    stalled : int
        Rounds since the text last changed.
    rng : numpy.random.Generator
    """

    problem: NegotiationProblem
    round: int
    deadline: int
    text: int | None
    offers: dict[int, int]
    objections: dict[int, bool]
    stalled: int
    rng: np.random.Generator
    tried: set[int] = field(default_factory=set)


class Mediator:
    """Base class of mediator strategies.

    ``patience`` (rounds without the text changing before the mediator withdraws, ``None``
    = never) and ``cooloff`` (rounds away before it comes back, ``None`` = never).
    """

    name: ClassVar[str] = "mediator"
    family: ClassVar[str] = "mediator"
    stochastic: ClassVar[bool] = False
    uses_opponent_model: ClassVar[bool] = False
    source: ClassVar[str] = ""

    def __init__(self, patience: int | None = None, cooloff: int | None = 3) -> None:
        self.patience = patience
        self.cooloff = cooloff
        self.params: dict[str, Any] = {}
        if patience is not None:
            self.params["patience"] = patience

    def describe(self) -> str:
        """Name with parameters."""
        if not self.params:
            return self.name
        return f"{self.name}({', '.join(f'{k}={v}' for k, v in self.params.items())})"

    def reset(self, problem: NegotiationProblem, deadline: int) -> None:
        """Prepare for a new negotiation."""
        U = problem.U
        self._lo = U.min(axis=0)
        self._span = np.where(np.ptp(U, axis=0) > 0, np.ptp(U, axis=0), 1.0)
        self._acc = (
            problem.acceptable.all(axis=1)
            if problem.acceptable is not None
            else np.ones(problem.n_outcomes, dtype=bool)
        )
        if not self._acc.any():
            self._acc = np.ones(problem.n_outcomes, dtype=bool)

    def normalised(self, problem: NegotiationProblem) -> FloatArray:
        """Utilities rescaled to [0, 1] per party."""
        return np.asarray((problem.U - self._lo) / self._span)

    def initial(self, view: MediatorView) -> int:
        """First text: a "straw man" everyone can improve on (lowest total normalised
        utility among outcomes within everyone's red lines), as Raiffa's single text
        starts from a draft no side has written (Raiffa 1982, ch. 14)."""
        total = self.normalised(view.problem).sum(axis=1)
        return int(np.argmin(np.where(self._acc, total, np.inf)))

    def propose(self, view: MediatorView) -> int:
        """Next proposal."""
        raise NotImplementedError

    def withdraw(self, view: MediatorView) -> str | None:
        """Reason to withdraw now, or None."""
        if self.patience is not None and view.stalled >= self.patience:
            return f"no progress in {view.stalled} rounds"
        return None

    def resume(self, view: MediatorView, away: int) -> bool:
        """Come back after ``away`` rounds?"""
        return self.cooloff is not None and away >= self.cooloff


def nash_products(problem: NegotiationProblem, round: int) -> FloatArray:
    """Nash product ``prod_i max(0, u_i - d_i)`` of every outcome (Nash 1950)."""
    gains = problem.U * problem.discount_at(round) - problem.no_deal_at(round)
    return np.asarray(np.prod(np.maximum(gains, 0.0), axis=1))


class NashSingleText(Mediator):
    """Hill-climbs a single negotiating text towards the Nash bargaining solution.

    From the current text it proposes the neighbouring outcome (every issue moved by at
    most one level when the problem has issue levels, otherwise any outcome) that no
    party likes less than the text and that has the largest Nash product; when none improves
    the product it proposes the text itself for signature. Raiffa (1982), *The Art and
    Science of Negotiation*, ch. 14 (single negotiating text); Nash (1950) for the
    target; mediated hill climbing as in Klein, Faratin, Sayama & Bar-Yam (2003).
    """

    name = "nash-single-text"
    source = "Raiffa (1982) ch. 14; Nash (1950) Econometrica 18; Klein et al. (2003)"

    def neighbours(self, problem: NegotiationProblem, text: int) -> np.ndarray:
        """Outcomes within one level of ``text`` on every issue (all, without levels)."""
        if problem.levels is None:
            return np.ones(problem.n_outcomes, dtype=bool)
        step = np.abs(problem.levels - problem.levels[text]).max(axis=1)
        return np.asarray(step <= 1)

    def propose(self, view: MediatorView) -> int:
        p = view.problem
        text = view.text if view.text is not None else self.initial(view)
        U = p.U
        improving = self._acc & (U >= U[text]).all(axis=1) & self.neighbours(p, text)
        for o in view.tried:
            improving[o] = False  # candidates some party already objected to
        improving[text] = True
        nash = nash_products(p, view.round)
        score = np.where(improving, nash, -np.inf)
        best = int(np.argmax(score))
        return text if score[best] <= nash[text] else best


class SplitTheDifference(Mediator):
    """Proposes the outcome nearest the midpoint of the parties' positions.

    Positions are the parties' latest offers (shuttle) or, in a single text, the current
    text and each party's ideal outcome; "nearest" is Euclidean distance in utilities
    rescaled to [0, 1] per party, among outcomes within everyone's red lines. The
    classic compromise rule (Raiffa 1982, ch. 4; Pruitt 1981, *Negotiation Behavior*).
    """

    name = "split-difference"
    source = "Raiffa (1982) ch. 4; Pruitt (1981) Negotiation Behavior"

    def propose(self, view: MediatorView) -> int:
        V = self.normalised(view.problem)
        if view.offers:
            target = V[list(view.offers.values())].mean(axis=0)
        else:
            text = view.text if view.text is not None else self.initial(view)
            target = 0.5 * (V[text] + V.max(axis=0))
        d = ((V - target) ** 2).sum(axis=1)
        d = np.where(self._acc, d, np.inf)
        for o in view.tried:
            if o != view.text:
                d[o] = np.inf
        return int(np.argmin(d))
