"""Everything the bargaining analysis says about one scenario, in one result object."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from accord.analysis.diagnose import (
    Collision,
    WhyNoDeal,
    red_line_collisions,
    requirement_matrix,
    why_no_deal,
)
from accord.analysis.leverage import Leverage, leverage
from accord.analysis.logrolling import Trade, logrolls
from accord.analysis.pareto import pareto_front
from accord.analysis.solutions import BargainingSolution, bargaining_solutions
from accord.analysis.uncertainty import MonteCarlo, monte_carlo
from accord.analysis.zopa import Zopa, zopa
from accord.errors import Location, ScenarioError
from accord.space import OutcomeSpace


@dataclass
class Solutions:
    """Bargaining solution points and the set of outcomes they were taken over."""

    over: str  # "zopa" or a description of the relaxed set
    points: dict[str, BargainingSolution]
    terms: dict[str, dict[str, float | str] | None]
    utilities: dict[str, dict[str, float] | None]
    n_pareto: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "over": self.over,
            "n_pareto": self.n_pareto,
            "points": {
                k: {
                    "feasible": v.feasible,
                    "value": v.value,
                    "message": v.message,
                    "terms": self.terms[k],
                    "utilities": self.utilities[k],
                }
                for k, v in self.points.items()
            },
        }


@dataclass
class Analysis:
    """Result of :func:`analyze`."""

    zopa: Zopa
    zopa_horizon: Zopa
    collisions: list[Collision]
    why: WhyNoDeal
    solutions: Solutions
    leverage: Leverage
    trades: list[Trade]
    monte_carlo: MonteCarlo | None
    timings: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "zopa": self.zopa.to_dict(),
            "zopa_horizon": self.zopa_horizon.to_dict(),
            "red_line_collisions": [c.to_dict() for c in self.collisions],
            "why_no_deal": self.why.to_dict(),
            "solutions": self.solutions.to_dict(),
            "leverage": self.leverage.to_dict(),
            "logrolling": [t.to_dict() for t in self.trades],
            "monte_carlo": self.monte_carlo.to_dict() if self.monte_carlo is not None else None,
            "timings_s": dict(self.timings),
        }


def _solutions(space: OutcomeSpace, U: np.ndarray, why: WhyNoDeal, z: Zopa, t: float) -> Solutions:
    parties = space.actors.parties
    d = space.no_deal(t)
    cap = np.array([space.scenario.actors[int(p)].capability.value for p in parties])
    if z.exists:
        mask = np.zeros(space.n_outcomes, dtype=bool)
        mask[z.outcomes] = True
        over = "zopa"
        d_used = d[parties]
    elif why.relaxations:
        # where the model lands if the least relaxation is made: every other requirement kept
        rel = why.relaxations[0]
        rm = requirement_matrix(space, t, U)
        dropped = {(r.kind, r.actor, r.issue) for r in rel.requirements}
        keep = [j for j, r in enumerate(rm.requirements) if (r.kind, r.actor, r.issue) not in dropped]
        mask = np.asarray(rm.met[:, keep].all(axis=1))
        over = "if " + " and ".join(rel.short)
        # a party whose no-deal condition is relaxed bargains from the worst it would accept
        d_used = d[parties].copy()
        for i, p in enumerate(parties):
            if ("no_deal", space.actors.ids[int(p)], None) in dropped:
                d_used[i] = float(U[mask, int(p)].min()) - 1e-9 if mask.any() else d_used[i]
    else:
        mask = np.zeros(space.n_outcomes, dtype=bool)
        over = "nothing"
        d_used = d[parties]
    Up = U[:, parties]
    points = bargaining_solutions(Up, d_used, weights=cap if cap.sum() > 0 else None, mask=mask)
    if cap.sum() > 0:
        from accord.analysis.solutions import nash_bargaining

        points["nash_weighted"] = nash_bargaining(Up, d_used, weights=cap, mask=mask)
        points["nash"] = nash_bargaining(Up, d_used, mask=mask)
    terms: dict[str, dict[str, float | str] | None] = {}
    utils: dict[str, dict[str, float] | None] = {}
    for k, sol in points.items():
        if sol.index is None:
            terms[k] = None
            utils[k] = None
        else:
            terms[k] = space.decode(sol.index)
            utils[k] = {a: float(U[sol.index, i]) for i, a in enumerate(space.actors.ids)}
    n_pareto = int(pareto_front(Up[mask]).size) if mask.any() else 0
    return Solutions(over, points, terms, utils, n_pareto)


def check_bargainable(space: OutcomeSpace, U: np.ndarray) -> None:
    """Raise a clear error when some party values every package the same (nothing to bargain over)."""
    for p in (int(x) for x in space.actors.parties):
        col = U[:, p]
        if float(col.max() - col.min()) < 1e-12:
            actor = space.scenario.actors[p]
            raise ScenarioError(
                f"party '{actor.id}' values every package the same ({float(col[0]):.2f}), so there is nothing to "
                "bargain over; give it an ideal or table values that differ across levels",
                Location(path=f"actors[{p}].positions"),
            )


def analyze(space: OutcomeSpace, *, t: float = 0.0, runs: int = 1000, seed: int | None = 0) -> Analysis:
    """The full bargaining analysis of a scenario.

    Parameters
    ----------
    space : OutcomeSpace
    t : float
        Clock time at which no-deal values are taken.
    runs : int
        Monte Carlo draws over uncertain parameters (0 to skip).
    seed : int or None
        Seed of the Monte Carlo draws.
    """
    times: dict[str, float] = {}
    t0 = time.perf_counter()
    U = space.utilities()
    times["utilities"] = time.perf_counter() - t0
    check_bargainable(space, U)
    t0 = time.perf_counter()
    z = zopa(space, t, U)
    zh = zopa(space, t + space.scenario.clock.horizon, U)
    times["zopa"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    collisions = red_line_collisions(space)
    why = why_no_deal(space, t, U)
    times["why_no_deal"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    sols = _solutions(space, U, why, z, t)
    times["solutions"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    lev = leverage(space, t, U)
    times["leverage"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    trades = logrolls(space, U)
    times["logrolling"] = time.perf_counter() - t0
    mc = None
    if runs > 0:
        t0 = time.perf_counter()
        mc = monte_carlo(space, runs, seed)
        times["monte_carlo"] = time.perf_counter() - t0
    return Analysis(z, zh, collisions, why, sols, lev, trades, mc, times)
