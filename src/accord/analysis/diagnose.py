"""Why no deal: which red lines collide.

A set of red lines *collides* on an issue when no level of that issue satisfies all of them at once.
:func:`red_line_collisions` reports, for every issue, each minimal group of parties whose red lines
collide there (for two parties, the pair; with more parties a group of three can collide without any
pair colliding). This is the issue-by-issue part of a minimal-conflict-set analysis (cf. irreducible
infeasible subsystems, Chinneck 2008, *Feasibility and Infeasibility in Optimization*, ch. 6).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations
from typing import Any

from accord.scenario.checks import level_ids
from accord.scenario.schema import NumericIssue, Param, RedLine
from accord.space import AnyIssue, OutcomeSpace


def _fmt_number(x: float) -> str:
    return f"{x:,.6g}"


def describe_red_line(issue: AnyIssue, red_line: RedLine) -> str:
    """Plain-words statement of a red line, in the issue's own units or level labels."""
    parts: list[str] = []
    unit = f" {issue.unit}" if isinstance(issue, NumericIssue) and issue.unit else ""

    def show(v: Param | str) -> str:
        if isinstance(v, Param):
            return f"{_fmt_number(v.value)}{unit}"
        return _label(issue, v)

    if red_line.min is not None and red_line.max is not None:
        parts.append(f"between {show(red_line.min)} and {show(red_line.max)}")
    elif red_line.min is not None:
        parts.append(f"at least {show(red_line.min)}")
    elif red_line.max is not None:
        parts.append(f"at most {show(red_line.max)}")
    if red_line.allow is not None:
        parts.append("only " + " or ".join(_label(issue, i) for i in red_line.allow))
    if red_line.forbid:
        parts.append("not " + " or ".join(_label(issue, i) for i in red_line.forbid))
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
            text += f" (gap {_fmt_number(self.gap)}{' ' + self.unit if self.unit else ''})"
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


__all__ = ["Collision", "describe_red_line", "joint_red_line_conflict", "level_labels", "red_line_collisions"]
