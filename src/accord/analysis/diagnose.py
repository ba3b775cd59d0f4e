"""Why no deal: which red lines collide.

A set of red lines *collides* on an issue when no level of that issue satisfies all of them at once.
:func:`red_line_collisions` reports, for every issue, each minimal group of parties whose red lines
collide there (for two parties, the pair; with more parties a group of three can collide without any
pair colliding). This is the issue-by-issue part of a minimal-conflict-set analysis (cf. irreducible
infeasible subsystems, Chinneck 2008, *Feasibility and Infeasibility in Optimization*, ch. 6).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

import numpy as np
from numpy.typing import NDArray

from accord.scenario.checks import level_ids
from accord.scenario.schema import CategoricalIssue, NumericIssue, Param, RedLine
from accord.space import AnyIssue, OutcomeSpace, red_line_mask


def _with_unit(x: float, unit: str | None) -> str:
    """A number and its unit as the product writes them everywhere: ``2 km``, ``7%``."""
    suffix = "" if not unit else (unit if unit == "%" else f" {unit}")
    return f"{float(x):,.6g}{suffix}"


def describe_red_line(issue: AnyIssue, red_line: RedLine) -> str:
    """Plain-words statement of a red line, in the issue's own units or level labels."""
    parts: list[str] = []

    def show(v: Param | str) -> str:
        return display(issue, v.value) if isinstance(v, Param) else _label(issue, v)

    if red_line.min is not None and red_line.max is not None:
        parts.append(f"between {show(red_line.min)} and {show(red_line.max)}")
    elif red_line.min is not None:
        parts.append(f"at least {show(red_line.min)}")
    elif red_line.max is not None:
        parts.append(f"at most {show(red_line.max)}")
    if red_line.allow is not None:
        parts.append("only " + " or ".join(_label(issue, i) for i in red_line.allow))
    if red_line.forbid:
        parts.append("rules out " + " and ".join(_label(issue, i) for i in red_line.forbid))
    return "; ".join(parts)


def _label(issue: AnyIssue, level_id: str) -> str:
    levels = getattr(issue, "levels", None) or getattr(issue, "options", None) or []
    for lv in levels:
        if lv.id == level_id:
            return lv.label or lv.id
    return level_id


@dataclass(frozen=True)
class Collision:
    """A minimal group of parties whose red lines leave no common level on one issue."""

    issue: str
    issue_label: str
    parties: list[str]
    red_lines: dict[str, str]
    gap: float | None
    unit: str

    def sentence(self, names: dict[str, str]) -> str:
        """One sentence in plain words."""
        who = [f"{names.get(p, p)} requires {self.red_lines[p]}" for p in self.parties]
        text = f"{self.issue_label}: " + ", while ".join(who)
        if self.gap is not None:
            text += f" (gap {_with_unit(self.gap, self.unit)})"
        return text

    def to_dict(self) -> dict[str, Any]:
        return {
            "issue": self.issue,
            "parties": list(self.parties),
            "red_lines": dict(self.red_lines),
            "gap": self.gap,
            "unit": self.unit,
        }


def red_line_collisions(space: OutcomeSpace) -> list[Collision]:
    """Minimal groups of parties whose red lines collide, issue by issue.

    Parameters
    ----------
    space : OutcomeSpace

    Returns
    -------
    list of Collision
        Empty when every issue has at least one level all parties accept. Each collision is minimal:
        dropping any one party's red line from the group leaves a common level.
    """
    parties = [int(p) for p in space.actors.parties]
    allowed = space.allowed_tables()
    out: list[Collision] = []
    for k, issue in enumerate(space.issues):
        table = allowed[k][:, parties]
        if table.all(axis=1).any():
            continue
        found: list[tuple[int, ...]] = []
        for size in range(1, len(parties) + 1):
            for group in combinations(range(len(parties)), size):
                if any(set(f) <= set(group) for f in found):
                    continue
                if not table[:, list(group)].all(axis=1).any():
                    found.append(group)
        for group in found:
            ids = [space.actors.ids[parties[g]] for g in group]
            lines = {}
            for pid in ids:
                pos = space.scenario.actor(pid).positions[issue.id]
                assert pos.red_line is not None
                lines[pid] = describe_red_line(issue, pos.red_line)
            gap = None
            if isinstance(issue, NumericIssue) and len(group) == 2:
                grid = space.grids[k]
                a, b = (table[:, g] for g in group)
                if a.any() and b.any():
                    lo_a, hi_a = grid[a].min(), grid[a].max()
                    lo_b, hi_b = grid[b].min(), grid[b].max()
                    gap = float(max(lo_a - hi_b, lo_b - hi_a))
            out.append(
                Collision(
                    issue=issue.id,
                    issue_label=issue.label or issue.id,
                    parties=ids,
                    red_lines=lines,
                    gap=gap,
                    unit=issue.unit if isinstance(issue, NumericIssue) else "",
                )
            )
    return out


def joint_red_line_conflict(space: OutcomeSpace) -> bool:
    """True when every issue has a level all parties accept, yet no whole outcome does.

    That happens only through linkage constraints (an issue's acceptable levels exclude another's).
    """
    if red_line_collisions(space):
        return False
    return not bool(space.acceptable()[:, space.actors.parties].all(axis=1).any())


def level_labels(issue: AnyIssue) -> list[str]:
    """Display labels of an issue's levels (numbers for numeric issues)."""
    if isinstance(issue, NumericIssue):
        return []
    return [_label(issue, i) for i in level_ids(issue)]


# ----------------------------------------------------------------------------------------------
# Minimal conflict sets and minimal relaxations
# ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Requirement:
    """One thing a party insists on: a red line on an issue, or being better off than no deal."""

    kind: str  # "red_line" | "no_deal"
    actor: str
    issue: str | None
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "actor": self.actor, "issue": self.issue, "text": self.text}


@dataclass(frozen=True)
class RequirementMatrix:
    """Which outcome meets which requirement, and by how much it misses.

    Attributes
    ----------
    requirements : list of Requirement
    met : ndarray of bool, shape (n_outcomes, k)
    shortfall : ndarray of float, shape (n_outcomes, k)
        0 where met; otherwise how far the outcome is from meeting it: distance beyond the red line
        as a fraction of the issue's range (1 for a forbidden option), or the utility by which the
        outcome falls short of the no-deal value.
    """

    requirements: list[Requirement]
    met: NDArray[np.bool_]
    shortfall: NDArray[np.float64]


def requirement_matrix(
    space: OutcomeSpace, t: float = 0.0, U: NDArray[np.float64] | None = None
) -> RequirementMatrix:
    """Every party's red lines and no-deal condition, evaluated on every outcome."""
    U = space.utilities() if U is None else U
    lv = space.levels()
    d = space.no_deal(t)
    reqs: list[Requirement] = []
    met_cols: list[NDArray[np.bool_]] = []
    short_cols: list[NDArray[np.float64]] = []
    for p in (int(x) for x in space.actors.parties):
        actor = space.scenario.actors[p]
        for k, issue in enumerate(space.issues):
            pos = actor.positions.get(issue.id)
            if pos is None or pos.red_line is None:
                continue
            grid = space.grids[k]
            allowed = red_line_mask(issue, pos, grid)
            if isinstance(issue, CategoricalIssue):
                dist = (~allowed).astype(np.float64)
            else:
                ok_x = grid[allowed]
                span = float(grid[-1] - grid[0]) or 1.0
                if ok_x.size == 0:
                    dist = np.ones(grid.size)
                else:
                    dist = np.min(np.abs(grid[:, None] - ok_x[None, :]), axis=1) / span
            reqs.append(Requirement("red_line", actor.id, issue.id, describe_red_line(issue, pos.red_line)))
            met_cols.append(allowed[lv[:, k]])
            short_cols.append(dist[lv[:, k]])
        reqs.append(Requirement("no_deal", actor.id, None, f"better off than no deal (value {d[p]:.2f})"))
        gap = d[p] - U[:, p]
        met_cols.append(gap < -1e-12)
        short_cols.append(np.maximum(gap, 0.0) + np.where(gap >= -1e-12, 1e-9, 0.0))
    return RequirementMatrix(reqs, np.stack(met_cols, axis=1), np.stack(short_cols, axis=1))


def _feasible_subsets(met: NDArray[np.bool_]) -> NDArray[np.bool_]:
    """``f[S]`` = some outcome meets every requirement in the bit set ``S`` (sum over supersets)."""
    k = met.shape[1]
    weights = 1 << np.arange(k, dtype=np.int64)
    masks = np.unique(met.astype(np.int64) @ weights)
    f = np.zeros(1 << k, dtype=bool)
    f[masks] = True
    idx = np.arange(1 << k, dtype=np.int64)
    for b in range(k):
        bit = 1 << b
        without = idx[(idx & bit) == 0]
        f[without] |= f[without | bit]
    return f


@dataclass(frozen=True)
class Relaxation:
    """A minimal set of requirements to drop, and the least each must give way, at one outcome."""

    requirements: list[Requirement]
    outcome: int
    terms: dict[str, float | str]
    needed: list[str]
    total_shortfall: float
    short: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "requirements": [r.to_dict() for r in self.requirements],
            "short": list(self.short),
            "outcome": self.outcome,
            "terms": dict(self.terms),
            "needed": list(self.needed),
            "total_shortfall": self.total_shortfall,
        }


@dataclass(frozen=True)
class WhyNoDeal:
    """Result of :func:`why_no_deal`.

    Attributes
    ----------
    conflict_sets : list of list of Requirement
        Minimal sets of requirements that cannot all be met (irreducible: drop any one and the rest
        can be met together).
    relaxations : list of Relaxation
        Minimal sets of requirements whose relaxation opens a deal (every other requirement kept),
        each with the outcome that needs the least relaxation and what that relaxation is, in the
        issue's own units or in utility; sorted by total shortfall.
    exact : bool
        True when all minimal sets were enumerated (up to 22 requirements), False when a single
        conflict set was found by a deletion filter.
    """

    zopa_exists: bool
    conflict_sets: list[list[Requirement]]
    relaxations: list[Relaxation]
    exact: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "zopa_exists": self.zopa_exists,
            "conflict_sets": [[r.to_dict() for r in s] for s in self.conflict_sets],
            "relaxations": [r.to_dict() for r in self.relaxations],
            "exact": self.exact,
        }


def _needed_text(
    space: OutcomeSpace,
    req: Requirement,
    outcome: int,
    U: NDArray[np.float64],
    d: NDArray[np.float64],
    names: dict[str, str],
) -> str:
    name = names.get(req.actor, req.actor)
    if req.kind == "no_deal":
        a = space.actors.index(req.actor)
        return (
            f"{name} would have to accept a deal worth {U[outcome, a]:.2f} to it, below its no-deal value "
            f"{d[a]:.2f} (a drop of {d[a] - U[outcome, a]:.2f})"
        )
    assert req.issue is not None
    issue = space.scenario.issue(req.issue)
    value = space.decode(outcome)[req.issue]
    shown = display(issue, value)
    return f"{name} would have to accept {shown} on {issue.label or issue.id} (its red line: {req.text})"


def _short_text(
    space: OutcomeSpace,
    req: Requirement,
    outcome: int,
    U: NDArray[np.float64],
    d: NDArray[np.float64],
    names: dict[str, str],
) -> str:
    name = names.get(req.actor, req.actor)
    if req.kind == "no_deal":
        a = space.actors.index(req.actor)
        return f"{name} settles for {U[outcome, a]:.2f} (no-deal value {d[a]:.2f})"
    assert req.issue is not None
    issue = space.scenario.issue(req.issue)
    return f"{name} accepts {display(issue, space.decode(outcome)[req.issue])} on {issue.label or issue.id}"


def display(issue: AnyIssue, value: float | str) -> str:
    """A value in the issue's own terms."""
    if isinstance(issue, NumericIssue):
        return _with_unit(float(value), issue.unit)
    return _label(issue, str(value))


def why_no_deal(
    space: OutcomeSpace,
    t: float = 0.0,
    U: NDArray[np.float64] | None = None,
    *,
    max_exact: int = 22,
    max_sets: int = 50,
) -> WhyNoDeal:
    """What blocks a deal, and the least that would open one.

    The requirements are every party's red lines and its condition of being better off than no
    deal. A *conflict set* is a minimal set of requirements no outcome meets together (an
    irreducible infeasible subsystem; Chinneck 2008, ch. 6); a *relaxation* is a minimal set whose
    removal leaves some outcome meeting all the others (a minimal correction set; Liffiton &
    Sakallah 2008, J. Automated Reasoning 40). Both are found exactly over the outcome grid: the
    outcomes' met-requirement bit patterns are closed under subsets by a sum-over-supersets pass,
    O(k 2^k) for k requirements. For each relaxation, the outcome that needs the least total
    relaxation is reported with the concession in the issue's units or in utility.

    Parameters
    ----------
    space : OutcomeSpace
    t : float
        Clock time at which no-deal values are taken.
    U : ndarray, optional
        Precomputed utility matrix.
    max_exact : int
        Largest number of requirements enumerated exactly; above it one conflict set is found by a
        deletion filter and single-requirement relaxations only are checked.
    max_sets : int
        Most sets reported of each kind.
    """
    U = space.utilities() if U is None else U
    rm = requirement_matrix(space, t, U)
    k = len(rm.requirements)
    full = (1 << k) - 1
    all_met = bool(rm.met.all(axis=1).any())
    names = {a.id: a.name for a in space.scenario.actors}
    d = space.no_deal(t)
    parties = space.actors.parties
    if all_met:
        return WhyNoDeal(True, [], [], True)

    def reqs(bits: int) -> list[Requirement]:
        return [rm.requirements[j] for j in range(k) if bits >> j & 1]

    conflict_bits: list[int] = []
    relax_bits: list[int] = []
    exact = k <= max_exact
    if exact:
        f = _feasible_subsets(rm.met)
        popcount = np.array([bin(s).count("1") for s in range(1 << k)])
        idx = np.arange(1 << k)
        # minimal infeasible sets: infeasible, and removing any one member makes it feasible
        infeasible = ~f
        minimal = infeasible.copy()
        for b in range(k):
            has = (idx >> b) & 1 == 1
            minimal[has] &= f[idx[has] & ~(1 << b)]
        conflict_bits = sorted((int(s) for s in idx[minimal]), key=lambda s: (popcount[s], s))[:max_sets]
        # minimal correction sets: complement feasible, and no proper subset has that property
        corr = f[full ^ idx]
        minimal_c = corr.copy()
        for b in range(k):
            has = (idx >> b) & 1 == 1
            minimal_c[has] &= ~corr[idx[has] & ~(1 << b)]
        relax_bits = sorted((int(s) for s in idx[minimal_c]), key=lambda s: (popcount[s], s))
    else:
        # deletion filter: one irreducible infeasible subsystem
        current = full
        for j in range(k):
            trial = current & ~(1 << j)
            cols = [i for i in range(k) if trial >> i & 1]
            if not rm.met[:, cols].all(axis=1).any():
                current = trial
        conflict_bits = [current]
        for j in range(k):
            cols = [i for i in range(k) if i != j]
            if rm.met[:, cols].all(axis=1).any():
                relax_bits.append(1 << j)

    relaxations: list[Relaxation] = []
    for bits in relax_bits:
        keep = [j for j in range(k) if not bits >> j & 1]
        ok = rm.met[:, keep].all(axis=1) if keep else np.ones(rm.met.shape[0], dtype=bool)
        cols = [j for j in range(k) if bits >> j & 1]
        cost = np.where(ok, rm.shortfall[:, cols].sum(axis=1), np.inf)
        least = float(cost.min())
        # Among the outcomes needing the least relaxation, the most balanced one: the largest
        # smallest surplus over no deal across parties (egalitarian tie-break).
        ties = np.flatnonzero(cost <= least + 1e-9)
        surplus = (U[np.ix_(ties, parties)] - d[parties][None, :]).min(axis=1)
        best = int(ties[int(np.argmax(surplus))])
        relaxations.append(
            Relaxation(
                requirements=reqs(bits),
                outcome=best,
                terms=space.decode(best),
                needed=[_needed_text(space, rm.requirements[j], best, U, d, names) for j in cols],
                total_shortfall=float(cost[best]),
                short=[_short_text(space, rm.requirements[j], best, U, d, names) for j in cols],
            )
        )
    relaxations.sort(key=lambda r: (len(r.requirements), r.total_shortfall))
    return WhyNoDeal(False, [reqs(b) for b in conflict_bits], relaxations[:max_sets], exact)
