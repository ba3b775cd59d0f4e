"""The main job: from a scenario to the results a briefing shows.

Each function here calls library functions and returns plain result objects; rendering lives in
:mod:`accord.report`. ``brief`` is what ``accord`` (and ``make run``) runs on a scenario.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from accord.analysis.diagnose import (
    Collision,
    describe_red_line,
    joint_red_line_conflict,
    red_line_collisions,
)
from accord.analysis.zopa import Zopa, zopa
from accord.scenario.checks import level_ids
from accord.scenario.schema import NumericIssue, Param, Position, Scenario
from accord.space import AnyIssue, OutcomeSpace


def display_value(issue: AnyIssue, value: Param | str | float | None) -> str:
    """A position or outcome value in the issue's own terms: ``2 km``, or a level's label."""
    if value is None:
        return "-"
    if isinstance(issue, NumericIssue):
        x = value.value if isinstance(value, Param) else float(value)
        unit = "" if not issue.unit else (issue.unit if issue.unit == "%" else f" {issue.unit}")
        return f"{x:,.6g}{unit}"
    levels = getattr(issue, "levels", None) or getattr(issue, "options", None) or []
    for lv in levels:
        if lv.id == value:
            return lv.label or lv.id
    return str(value)


@dataclass(frozen=True)
class Stance:
    """One actor's stance on one issue, in words."""

    actor: str
    wants: str
    red_line: str | None
    salience: float
    weight: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "actor": self.actor,
            "wants": self.wants,
            "red_line": self.red_line,
            "salience": self.salience,
            "weight": self.weight,
        }


def _wants(issue: AnyIssue, pos: Position) -> str:
    if pos.ideal is not None:
        return display_value(issue, pos.ideal)
    if pos.values:
        best = max(pos.values.items(), key=lambda kv: kv[1].value)[0]
        return display_value(issue, best)
    return "-"


@dataclass
class Briefing:
    """Everything the briefing shows, as numbers and short strings (no formatting)."""

    scenario: Scenario
    n_outcomes: int
    shape: dict[str, int]
    stances: dict[str, list[Stance]]
    no_deal_now: dict[str, float]
    no_deal_horizon: dict[str, float]
    zopa_now: Zopa
    zopa_horizon: Zopa
    collisions: list[Collision]
    joint_conflict: bool
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def names(self) -> dict[str, str]:
        """Actor id -> display name."""
        return {a.id: a.name for a in self.scenario.actors}

    def to_dict(self) -> dict[str, Any]:
        s = self.scenario
        return {
            "scenario": {"id": s.id, "title": s.title, "as_of": s.as_of.isoformat()},
            "n_outcomes": self.n_outcomes,
            "issues": {k: [st.to_dict() for st in v] for k, v in self.stances.items()},
            "actors": [
                {
                    "id": a.id,
                    "name": a.name,
                    "role": a.role,
                    "capability": a.capability.value,
                    "no_deal_now": self.no_deal_now.get(a.id),
                    "no_deal_horizon": self.no_deal_horizon.get(a.id),
                }
                for a in s.actors
            ],
            "clock": {"unit": s.clock.unit, "horizon": s.clock.horizon},
            "deal_possible_now": self.zopa_now.exists,
            "zopa_now": self.zopa_now.to_dict(),
            "zopa_horizon": self.zopa_horizon.to_dict(),
            "red_line_collisions": [c.to_dict() for c in self.collisions],
            "joint_red_line_conflict": self.joint_conflict,
            "timings_s": dict(self.timings),
        }


def brief(scenario: Scenario) -> Briefing:
    """Load-validate-build-analyse: the results of the main job for one scenario."""
    t0 = time.perf_counter()
    space = OutcomeSpace(scenario)
    t1 = time.perf_counter()
    U = space.utilities()
    t2 = time.perf_counter()
    stances: dict[str, list[Stance]] = {}
    weights = space.weights
    for k, issue in enumerate(space.issues):
        rows = []
        for a, actor in enumerate(scenario.actors):
            pos = actor.positions.get(issue.id)
            if pos is None:
                continue
            rows.append(
                Stance(
                    actor=actor.id,
                    wants=_wants(issue, pos),
                    red_line=describe_red_line(issue, pos.red_line) if pos.red_line else None,
                    salience=pos.salience.value,
                    weight=float(weights[a, k]),
                )
            )
        stances[issue.id] = rows
    nd0 = space.no_deal(0)
    ndh = space.no_deal(scenario.clock.horizon)
    z0 = zopa(space, 0, U)
    zh = zopa(space, scenario.clock.horizon, U)
    collisions = red_line_collisions(space)
    joint = joint_red_line_conflict(space) if not collisions else False
    t3 = time.perf_counter()
    return Briefing(
        scenario=scenario,
        n_outcomes=space.n_outcomes,
        shape={i.id: n for i, n in zip(space.issues, space.shape, strict=True)},
        stances=stances,
        no_deal_now={a: float(nd0[i]) for i, a in enumerate(space.actors.ids)},
        no_deal_horizon={a: float(ndh[i]) for i, a in enumerate(space.actors.ids)},
        zopa_now=z0,
        zopa_horizon=zh,
        collisions=collisions,
        joint_conflict=joint,
        timings={"space": t1 - t0, "utilities": t2 - t1, "analysis": t3 - t2},
    )


__all__ = ["Briefing", "Stance", "brief", "display_value", "level_ids"]
