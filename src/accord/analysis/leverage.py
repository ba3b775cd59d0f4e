"""Leverage: the least use of each lever (alone or with one other) that opens a deal.

A lever acts on one party's requirement (see :class:`~accord.scenario.schema.Lever`):

- ``pressure`` (no issue) and ``incentive`` act on the target's no-deal condition: at outcome ``o``
  they are needed in the amount ``d_p - U_p(o)`` (utility units);
- ``guarantee`` on issue ``i`` raises the target's value there, ``v -> v + g (1 - v)``, so at ``o``
  it is needed with strength ``(d_p - U_p(o)) / (w_pi (1 - v_pi(o_i)))``;
- ``pressure`` on issue ``i`` moves the target's red line there, needed by the distance of ``o_i``
  beyond it (issue units, or levels on ordinal issues).

An outcome is opened by a set of levers when every requirement it misses is addressed by one of
them within its ``max``; the cost of that is the sum of ``cost * amount``. Minimising over all
outcomes gives the exact least amount (and cost) per lever and per pair of levers on the discrete
outcome grid. This follows the "moves to change the game" view of mediator leverage (Lax & Sebenius
2006, *3-D Negotiation*, ch. 4; Zartman & Touval 1985 on mediator power as pressure and
side-payments), made quantitative over an explicit outcome space.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations
from typing import Any

import numpy as np
from numpy.typing import NDArray

from accord.analysis.diagnose import RequirementMatrix, display, requirement_matrix
from accord.scenario.schema import NumericIssue
from accord.space import OutcomeSpace, _coord

_EPS = 1e-9


@dataclass(frozen=True)
class LeverRef:
    """A lever, who holds it, and which requirement it acts on."""

    owner: str
    id: str
    kind: str
    target: str
    issue: str | None
    max: float
    cost: float
    requirement: int  # column in the requirement matrix, -1 if it acts on no party requirement

    def to_dict(self) -> dict[str, Any]:
        return {
            "owner": self.owner,
            "id": self.id,
            "kind": self.kind,
            "target": self.target,
            "issue": self.issue,
            "max": self.max,
            "cost": self.cost,
        }


@dataclass(frozen=True)
class LeverUse:
    """The least use of one lever or a pair that opens a deal."""

    levers: list[LeverRef]
    amounts: list[float]
    units: list[str]
    cost: float
    opens: bool
    outcome: int | None
    terms: dict[str, float | str] | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "levers": [f"{lv.owner}.{lv.id}" for lv in self.levers],
            "amounts": list(self.amounts),
            "units": list(self.units),
            "max": [lv.max for lv in self.levers],
            "cost": self.cost,
            "opens": self.opens,
            "outcome": self.outcome,
            "terms": dict(self.terms) if self.terms is not None else None,
        }


@dataclass(frozen=True)
class Leverage:
    """Result of :func:`leverage`: every lever alone, the best pairs, and the cheapest way."""

    deal_exists: bool
    levers: list[LeverRef]
    singles: list[LeverUse]
    pairs: list[LeverUse]

    @property
    def cheapest(self) -> LeverUse | None:
        """The cheapest single lever or pair that opens a deal (None if none does)."""
        opening = [u for u in (*self.singles, *self.pairs) if u.opens]
        return min(opening, key=lambda u: (u.cost, len(u.levers))) if opening else None

    def to_dict(self) -> dict[str, Any]:
        cheapest = self.cheapest
        return {
            "deal_exists": self.deal_exists,
            "levers": [lv.to_dict() for lv in self.levers],
            "singles": [u.to_dict() for u in self.singles],
            "pairs": [u.to_dict() for u in self.pairs],
            "cheapest": cheapest.to_dict() if cheapest is not None else None,
        }


def lever_refs(space: OutcomeSpace, rm: RequirementMatrix) -> list[LeverRef]:
    """All levers in the scenario, matched to the party requirement each acts on."""
    out = []
    for actor in space.scenario.actors:
        for lv in actor.levers:
            kind = "red_line" if (lv.kind == "pressure" and lv.issue is not None) else "no_deal"
            col = -1
            for j, req in enumerate(rm.requirements):
                if (
                    req.actor == lv.target
                    and req.kind == kind
                    and (kind == "no_deal" or req.issue == lv.issue)
                ):
                    col = j
            out.append(
                LeverRef(
                    owner=actor.id,
                    id=lv.id,
                    kind=lv.kind,
                    target=lv.target,
                    issue=lv.issue,
                    max=float(lv.max.value),
                    cost=float(lv.cost.value) if lv.cost is not None else 1.0,
                    requirement=col,
                )
            )
    return out


def lever_need(
    space: OutcomeSpace, ref: LeverRef, U: NDArray[np.float64], d: NDArray[np.float64]
) -> NDArray[np.float64]:
    """Amount of ``ref`` needed at each outcome to meet the requirement it acts on (0 if met)."""
    n = U.shape[0]
    if ref.requirement < 0:
        return np.full(n, np.inf)
    p = space.actors.index(ref.target)
    gap = d[p] - U[:, p] + _EPS
    if ref.kind in ("incentive", "pressure") and ref.issue is None:
        return np.maximum(gap, 0.0)
    k = space.issue_ids.index(str(ref.issue))
    lv = space.levels()[:, k]
    if ref.kind == "guarantee":
        w = space.weights[p, k]
        v = space.value_tables()[k][:, p][lv]
        room = w * (1.0 - v)
        with np.errstate(divide="ignore", invalid="ignore"):
            need = np.where(gap <= 0, 0.0, np.where(room > 0, gap / room, np.inf))
        return need
    # pressure on a red line: distance beyond the (min/max) red line, in issue units
    issue = space.issues[k]
    pos = space.scenario.actors[p].positions[issue.id]
    assert pos.red_line is not None
    x = space.grids[k][lv]
    need = np.zeros(n)
    if pos.red_line.min is not None:
        need = np.maximum(need, _coord(issue, pos.red_line.min) - x)
    if pos.red_line.max is not None:
        need = np.maximum(need, x - _coord(issue, pos.red_line.max))
    return np.maximum(need, 0.0)


def _unit(space: OutcomeSpace, ref: LeverRef) -> str:
    if ref.kind == "guarantee":
        return "share of the fear removed"
    if ref.issue is not None:
        issue = space.scenario.issue(ref.issue)
        return issue.unit if isinstance(issue, NumericIssue) and issue.unit else "levels"
    return "utility"


def _best_use(
    space: OutcomeSpace,
    refs: list[LeverRef],
    needs: list[NDArray[np.float64]],
    rm: RequirementMatrix,
) -> LeverUse:
    cols = {r.requirement for r in refs}
    others = [j for j in range(rm.met.shape[1]) if j not in cols]
    base = rm.met[:, others].all(axis=1) if others else np.ones(rm.met.shape[0], dtype=bool)
    total = np.zeros(rm.met.shape[0])
    within = base.copy()
    # with two levers on the same requirement, the cheaper one per outcome is used
    per_req: dict[int, NDArray[np.float64]] = {}
    for ref, need in zip(refs, needs, strict=True):
        c = np.where(need <= ref.max + _EPS, need * ref.cost, np.inf)
        per_req[ref.requirement] = np.minimum(per_req.get(ref.requirement, np.full_like(c, np.inf)), c)
    for c in per_req.values():
        within &= np.isfinite(c)
        total = total + np.where(np.isfinite(c), c, 0.0)
    cost = np.where(within, total, np.inf)
    if not np.isfinite(cost).any():
        # report the amounts that would be needed ignoring the levers' maxima
        raw = np.zeros(rm.met.shape[0])
        for ref, need in zip(refs, needs, strict=True):
            raw = raw + need * ref.cost
        raw = np.where(base, raw, np.inf)
        if not np.isfinite(raw).any():
            return LeverUse(
                refs,
                [float("inf")] * len(refs),
                [_unit(space, r) for r in refs],
                float("inf"),
                False,
                None,
                None,
            )
        o = int(np.argmin(raw))
        return LeverUse(
            refs,
            [float(n[o]) for n in needs],
            [_unit(space, r) for r in refs],
            float(raw[o]),
            False,
            o,
            space.decode(o),
        )
    o = int(np.argmin(cost))
    return LeverUse(
        refs,
        [float(n[o]) for n in needs],
        [_unit(space, r) for r in refs],
        float(cost[o]),
        True,
        o,
        space.decode(o),
    )


def leverage(
    space: OutcomeSpace, t: float = 0.0, U: NDArray[np.float64] | None = None, *, pairs: bool = True
) -> Leverage:
    """The least use of every lever, alone and in pairs, that opens a deal.

    Parameters
    ----------
    space : OutcomeSpace
    t : float
        Clock time at which no-deal values are taken.
    U : ndarray, optional
        Precomputed utility matrix.
    pairs : bool
        Also evaluate every pair of levers acting on different requirements.

    Returns
    -------
    Leverage
        ``singles`` (one per lever, in scenario order) and ``pairs`` (those that open a deal, or
        the cheapest few that don't), with amounts in the lever's units and the outcome reached.
    """
    U = space.utilities() if U is None else U
    rm = requirement_matrix(space, t, U)
    d = space.no_deal(t)
    refs = lever_refs(space, rm)
    needs = [lever_need(space, r, U, d) for r in refs]
    exists = bool(rm.met.all(axis=1).any())
    singles = [_best_use(space, [r], [n], rm) for r, n in zip(refs, needs, strict=True) if r.requirement >= 0]
    pair_uses: list[LeverUse] = []
    if pairs:
        usable = [(r, n) for r, n in zip(refs, needs, strict=True) if r.requirement >= 0]
        for (r1, n1), (r2, n2) in combinations(usable, 2):
            if r1.requirement == r2.requirement:
                continue
            use = _best_use(space, [r1, r2], [n1, n2], rm)
            if use.opens:
                pair_uses.append(use)
        pair_uses.sort(key=lambda u: u.cost)
    return Leverage(exists, refs, singles, pair_uses)


def describe_use(space: OutcomeSpace, use: LeverUse) -> str:
    """Plain words: 'United States: pressure on Israel (withdrawal), 0.7 km of at most 1 km'."""
    names = {a.id: a.name for a in space.scenario.actors}
    parts = []
    for ref, amount, unit in zip(use.levers, use.amounts, use.units, strict=True):
        what = f"{ref.kind} on {names.get(ref.target, ref.target)}"
        if ref.issue is not None:
            issue = space.scenario.issue(ref.issue)
            what += f" ({issue.label or issue.id})"
            if ref.kind == "pressure":
                amount_s = display(issue, amount) if isinstance(issue, NumericIssue) else f"{amount:g} levels"
                max_s = display(issue, ref.max) if isinstance(issue, NumericIssue) else f"{ref.max:g} levels"
                parts.append(f"{names.get(ref.owner, ref.owner)}: {what}, {amount_s} of at most {max_s}")
                continue
        parts.append(
            f"{names.get(ref.owner, ref.owner)}: {what}, {amount:.2f} of at most {ref.max:.2f} ({unit})"
        )
    return "; ".join(parts)
