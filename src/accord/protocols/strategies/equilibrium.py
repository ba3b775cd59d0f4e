"""Subgame-perfect play of bilateral alternating offers (Rubinstein 1982, Stahl 1972)."""

from __future__ import annotations

from typing import Any

import numpy as np

from accord.errors import ConfigurationError
from accord.protocols.problem import NegotiationProblem
from accord.protocols.strategies.base import Strategy, View


def backward_induction(
    problem: NegotiationProblem, deadline: int, first: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Subgame-perfect offers and values of finite-horizon alternating offers.

    Two parties alternate proposals (``first`` proposes in round 0); an agreement on
    ``o`` in round ``k`` pays ``delta_i**k * U[o, i]``, no agreement by ``deadline``
    pays ``no_deal(deadline)``. Backward induction (Stahl 1972; the finite-horizon
    version of Rubinstein 1982): in round ``k`` the proposer offers, among outcomes
    acceptable to both whose discounted value to the responder is at least the
    responder's continuation value ``V_r(k+1)``, the best for itself (the responder
    accepts when indifferent); if that is worse for the proposer than ``V_p(k+1)`` it
    offers nothing acceptable. As ``deadline`` grows, the first proposer's share of a
    unit pie tends to ``(1 - d2) / (1 - d1 d2)`` (Rubinstein 1982, Theorem).

    Returns
    -------
    offers : ndarray of int, shape (deadline,)
        Equilibrium offer per round (``-1``: no acceptable offer).
    values : ndarray, shape (deadline + 1, 2)
        Continuation value of each party at the start of each round.
    """
    if problem.n_parties != 2:
        raise ConfigurationError("the subgame-perfect strategy needs exactly 2 parties")
    U = problem.U
    acc = (
        problem.acceptable.all(axis=1)
        if problem.acceptable is not None
        else np.ones(problem.n_outcomes, dtype=bool)
    )
    values = np.zeros((deadline + 1, 2))
    values[deadline] = problem.no_deal_at(deadline)
    offers = np.full(deadline, -1, dtype=np.int64)
    for k in range(deadline - 1, -1, -1):
        p = (first + k) % 2
        r = 1 - p
        d = problem.discount_at(k)
        ok = acc & (d[r] * U[:, r] >= values[k + 1, r])
        if ok.any():
            own = np.where(ok, d[p] * U[:, p], -np.inf)
            o = int(np.argmax(own))
            if own[o] >= values[k + 1, p]:
                offers[k] = o
                values[k, p] = own[o]
                values[k, r] = d[r] * U[o, r]
                continue
        values[k] = values[k + 1]
    return offers, values


class SubgamePerfect(Strategy):
    """Plays the subgame-perfect equilibrium of bilateral alternating offers.

    Knows both parties' utilities, discount factors and the deadline (complete
    information). Proposes the equilibrium offer; accepts an offer whose value now is
    at least its equilibrium continuation value (and its no-deal value). Who proposes
    first is read from the protocol at the strategy's first decision. See
    :func:`backward_induction`.
    """

    name = "subgame-perfect"
    family = "equilibrium"
    source = "Rubinstein (1982) Econometrica 50(1) 97-109; Stahl (1972)"

    def __init__(self, **kw: Any) -> None:
        kw.setdefault("walkout", False)
        super().__init__(**kw)

    def reset(self, problem: NegotiationProblem, me: int, deadline: int) -> None:
        super().reset(problem, me, deadline)
        if problem.n_parties != 2:
            raise ConfigurationError("the subgame-perfect strategy needs exactly 2 parties")
        self._problem = problem
        self._deadline = deadline
        self._solved: tuple[np.ndarray, np.ndarray] | None = None

    def _solve(self, proposer: int, round: int) -> tuple[np.ndarray, np.ndarray]:
        if self._solved is None:
            first = (proposer - round) % 2
            self._solved = backward_induction(self._problem, self._deadline, first)
        return self._solved

    def propose(self, view: View) -> int:
        offers, _ = self._solve(view.me, view.round)
        o = int(offers[view.round])
        return view.best() if o < 0 else o

    def respond(self, view: View, offer: int) -> bool:
        _, values = self._solve(1 - view.me, view.round)
        cont = values[view.round + 1, view.me]
        ok = view.acceptable[offer] and view.utility[offer] >= view.no_deal
        return bool(ok and view.utility[offer] >= cont)
