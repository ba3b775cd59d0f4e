"""Zone of possible agreement (ZOPA).

The ZOPA is the set of outcomes that every party strictly prefers to its no-deal
value and that cross none of any party's red lines (Raiffa 1982, *The Art and Science of
Negotiation*, ch. 4; Lax & Sebenius 1986). Its size and its extent issue by issue tell whether, and
where, a deal is possible.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from accord.scenario.checks import level_ids
from accord.scenario.schema import NumericIssue
from accord.space import OutcomeSpace


@dataclass(frozen=True)
class IssueRange:
    """Extent of a set of outcomes on one issue."""

    issue: str
    kind: str
    min: float | None = None
    max: float | None = None
    levels: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"issue": self.issue, "kind": self.kind}
        if self.kind == "numeric":
            d.update(min=self.min, max=self.max)
        else:
            d["levels"] = list(self.levels)
        return d


@dataclass(frozen=True)
class Zopa:
    """Result of :func:`zopa`.

    Attributes
    ----------
    n_outcomes : int
        Size of the outcome space.
    n_within_red_lines : int
        Outcomes that cross no party's red line.
    outcomes : ndarray of int64
        Outcome numbers in the ZOPA (within red lines and better than no deal for every party).
    t : float
        Clock time (units of the scenario's clock) at which no-deal values were taken.
    bounds : list of IssueRange
        Extent of the ZOPA on each issue (empty if the ZOPA is empty).
    """

    n_outcomes: int
    n_within_red_lines: int
    outcomes: NDArray[np.int64]
    t: float
    no_deal: dict[str, float]
    bounds: list[IssueRange]

    @property
    def size(self) -> int:
        """Number of outcomes in the ZOPA."""
        return int(self.outcomes.size)

    @property
    def exists(self) -> bool:
        """True if at least one outcome is in the ZOPA."""
        return self.size > 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "exists": self.exists,
            "size": self.size,
            "n_outcomes": self.n_outcomes,
            "n_within_red_lines": self.n_within_red_lines,
            "t": self.t,
            "no_deal": dict(self.no_deal),
            "bounds": [b.to_dict() for b in self.bounds],
        }


def issue_ranges(space: OutcomeSpace, outcomes: NDArray[np.int64]) -> list[IssueRange]:
    """Extent of a set of outcomes on each issue (numeric min/max, or the levels that occur)."""
    if outcomes.size == 0:
        return []
    lv = space.levels(outcomes)
    out = []
    for k, issue in enumerate(space.issues):
        present = np.unique(lv[:, k])
        if isinstance(issue, NumericIssue):
            g = space.grids[k][present]
            out.append(IssueRange(issue.id, issue.kind, float(g.min()), float(g.max())))
        else:
            ids = level_ids(issue)
            out.append(IssueRange(issue.id, issue.kind, levels=[ids[i] for i in present]))
    return out


def zopa(space: OutcomeSpace, t: float = 0.0, U: NDArray[np.float64] | None = None) -> Zopa:
    """The outcomes every party prefers to no deal without crossing any party's red line.

    Parameters
    ----------
    space : OutcomeSpace
    t : float
        Clock time at which to take the no-deal values (they decay with the humanitarian clock).
    U : ndarray, optional
        A precomputed utility matrix of ``space`` (all actors), to avoid recomputing it.

    Returns
    -------
    Zopa
    """
    parties = space.actors.parties
    U = space.utilities() if U is None else U
    ok = space.acceptable()[:, parties].all(axis=1)
    d = space.no_deal(t)
    better = (U[:, parties] > d[parties][None, :] + 1e-12).all(axis=1)
    inside = np.flatnonzero(ok & better).astype(np.int64)
    return Zopa(
        n_outcomes=space.n_outcomes,
        n_within_red_lines=int(ok.sum()),
        outcomes=inside,
        t=float(t),
        no_deal={space.actors.ids[p]: float(d[p]) for p in parties},
        bounds=issue_ranges(space, inside),
    )
