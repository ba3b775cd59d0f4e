"""Logrolling: trades across issues that leave both sides better off.

When two parties weigh issues differently, each can give way where it cares less and gain where it
cares more, so that both end up better than at a split-the-difference compromise (Raiffa 1982,
*The Art and Science of Negotiation*, ch. 10; Pruitt 1981, *Negotiation Behavior*, on logrolling).
For each pair of parties this module reports the ratio of their issue weights (where each should
hold firm) and the exact best trade on the outcome grid: the package inside both parties' red lines
that maximises the smaller of the two gains over the compromise package.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations
from typing import Any

import numpy as np
from numpy.typing import NDArray

from accord.scenario.schema import CategoricalIssue
from accord.space import OutcomeSpace


@dataclass(frozen=True)
class Trade:
    """The best logroll between two parties, measured from the split-the-difference package."""

    parties: tuple[str, str]
    weight_ratio: dict[str, float]
    compromise: dict[str, float | str]
    compromise_utility: tuple[float, float]
    trade: dict[str, float | str] | None
    trade_utility: tuple[float, float] | None
    gains: tuple[float, float] | None
    first_gets: list[str]
    second_gets: list[str]
    ignores_red_lines: bool = False

    @property
    def joint_gain(self) -> bool:
        """True when both parties gain over the compromise."""
        return self.gains is not None and min(self.gains) > 1e-12

    def to_dict(self) -> dict[str, Any]:
        return {
            "parties": list(self.parties),
            "weight_ratio": dict(self.weight_ratio),
            "compromise": dict(self.compromise),
            "compromise_utility": list(self.compromise_utility),
            "trade": dict(self.trade) if self.trade is not None else None,
            "trade_utility": list(self.trade_utility) if self.trade_utility is not None else None,
            "gains": list(self.gains) if self.gains is not None else None,
            "joint_gain": self.joint_gain,
            "first_gets": list(self.first_gets),
            "second_gets": list(self.second_gets),
            "ignores_red_lines": self.ignores_red_lines,
        }


def _compromise_levels(space: OutcomeSpace, a: int, b: int) -> list[int]:
    """Per issue, the level halfway between the two ideals (best joint level on categorical issues)."""
    tables = space.value_tables()
    w = space.weights
    out = []
    for k, issue in enumerate(space.issues):
        va, vb = tables[k][:, a], tables[k][:, b]
        if isinstance(issue, CategoricalIssue):
            out.append(int(np.argmax(w[a, k] * va + w[b, k] * vb)))
            continue
        grid = space.grids[k]
        ia, ib = grid[int(np.argmax(va))], grid[int(np.argmax(vb))]
        out.append(int(np.argmin(np.abs(grid - (ia + ib) / 2))))
    return out


def logrolls(space: OutcomeSpace, U: NDArray[np.float64] | None = None) -> list[Trade]:
    """The best cross-issue trade for every pair of parties.

    Parameters
    ----------
    space : OutcomeSpace
    U : ndarray, optional
        Precomputed utility matrix.
    """
    U = space.utilities() if U is None else U
    ok = space.acceptable()
    w = space.weights
    lv_all = space.levels()
    out = []
    for a, b in combinations([int(p) for p in space.actors.parties], 2):
        ratio = {}
        for k, issue in enumerate(space.issues):
            ratio[issue.id] = float(w[a, k] / w[b, k]) if w[b, k] > 0 else float("inf")
        comp_lv = _compromise_levels(space, a, b)
        pieces = space.weighted_tables()
        cu = (
            float(sum(pieces[k][comp_lv[k], a] for k in range(len(comp_lv)))),
            float(sum(pieces[k][comp_lv[k], b] for k in range(len(comp_lv)))),
        )
        comp_terms = _terms(space, comp_lv)
        inside = ok[:, a] & ok[:, b]
        ignores = not bool(inside.any())
        if ignores:  # the red lines collide: show the integrative potential regardless
            inside = np.ones_like(inside)
        score = np.where(inside, np.minimum(U[:, a] - cu[0], U[:, b] - cu[1]), -np.inf)
        if not np.isfinite(score).any():
            out.append(
                Trade(
                    (space.actors.ids[a], space.actors.ids[b]),
                    ratio,
                    comp_terms,
                    cu,
                    None,
                    None,
                    None,
                    [],
                    [],
                )
            )
            continue
        best = float(score.max())
        ties = np.flatnonzero(score >= best - 1e-12)
        o = int(ties[np.argmax(U[ties, a] + U[ties, b])])
        tables = space.value_tables()
        first, second = [], []
        for k, issue in enumerate(space.issues):
            lo, lc = lv_all[o, k], comp_lv[k]
            if lo == lc:
                continue
            da = tables[k][lo, a] - tables[k][lc, a]
            db = tables[k][lo, b] - tables[k][lc, b]
            if da > 0 >= db:
                first.append(issue.id)
            elif db > 0 >= da:
                second.append(issue.id)
        out.append(
            Trade(
                parties=(space.actors.ids[a], space.actors.ids[b]),
                weight_ratio=ratio,
                compromise=comp_terms,
                compromise_utility=cu,
                trade=space.decode(o),
                trade_utility=(float(U[o, a]), float(U[o, b])),
                gains=(float(U[o, a] - cu[0]), float(U[o, b] - cu[1])),
                first_gets=first,
                second_gets=second,
                ignores_red_lines=ignores,
            )
        )
    return out


def _terms(space: OutcomeSpace, levels: list[int]) -> dict[str, float | str]:
    from accord.scenario.checks import level_ids
    from accord.scenario.schema import NumericIssue

    out: dict[str, float | str] = {}
    for k, issue in enumerate(space.issues):
        out[issue.id] = (
            float(space.grids[k][levels[k]])
            if isinstance(issue, NumericIssue)
            else level_ids(issue)[levels[k]]
        )
    return out
