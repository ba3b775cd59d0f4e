"""Forecast input from an accord scenario: positions, saliences and capabilities on a 0-100 scale.

Each numeric or ordinal issue is one dimension: a numeric issue's range ``[min, max]`` maps linearly
onto 0-100, an ordinal issue's levels onto equal steps. Categorical issues have no order and are
left out (the result says so). Every actor with a position on at least one dimension takes part,
with its capability; an actor's salience on a dimension is its normalised weight (the saliences of
its issues divided by their sum, as in the bargaining analysis), so each actor's saliences sum to at
most 1, as KTAB's Spatial Model of Politics requires. An actor without a position on a dimension
sits at its midpoint with salience 0; a position given as a table of values uses the best level.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from accord.forecast.problem import SpatialProblem
from accord.scenario.checks import level_ids
from accord.scenario.schema import CategoricalIssue, NumericIssue, Scenario
from accord.space import AnyIssue, OutcomeSpace, _coord


@dataclass(frozen=True)
class ScenarioDimensions:
    """How forecast dimensions map back to the scenario's issues."""

    issues: Sequence[AnyIssue]
    skipped: list[str]

    def to_issue_units(self, dimension: str, value: float) -> float | str:
        """A 0-100 value back in the issue's units (numeric) or as the nearest level (ordinal)."""
        issue = next(i for i in self.issues if i.id == dimension)
        if isinstance(issue, NumericIssue):
            return float(issue.min + (issue.max - issue.min) * value / 100.0)
        ids = level_ids(issue)
        return ids[round(value / 100.0 * (len(ids) - 1))]


def spatial_problem(scenario: Scenario) -> tuple[SpatialProblem, ScenarioDimensions]:
    """The forecast input of a scenario (see the module docstring for the mapping)."""
    space = OutcomeSpace(scenario)
    dims = [i for i in scenario.issues if not isinstance(i, CategoricalIssue)]
    skipped = [i.id for i in scenario.issues if isinstance(i, CategoricalIssue)]
    weights = space.weights
    cols = [space.issue_ids.index(i.id) for i in dims]
    actors = [a for a in scenario.actors if any(i.id in a.positions for i in dims)]
    pos = np.full((len(actors), len(dims)), 50.0)
    sal = np.zeros((len(actors), len(dims)))
    for r, actor in enumerate(actors):
        a = space.actors.index(actor.id)
        for c, issue in enumerate(dims):
            p = actor.positions.get(issue.id)
            if p is None:
                continue
            if p.ideal is not None:
                x = _coord(issue, p.ideal)
            else:  # table: the best level
                vals = p.values or {}
                best = max(vals.items(), key=lambda kv: kv[1].value)[0]
                x = float(level_ids(issue).index(best))
            lo, hi = (
                (issue.min, issue.max)
                if isinstance(issue, NumericIssue)
                else (0.0, len(level_ids(issue)) - 1.0)
            )
            pos[r, c] = 100.0 * (x - lo) / (hi - lo)
            sal[r, c] = weights[a, cols[c]]
    problem = SpatialProblem(
        actors=tuple(a.name for a in actors),
        dimensions=tuple(i.id for i in dims),
        capability=np.array([a.capability.value for a in actors]),
        position=np.clip(pos, 0.0, 100.0),
        salience=sal,
        source=scenario.id,
    )
    return problem, ScenarioDimensions(dims, skipped)


def forecast_scenario(scenario: Scenario, model: str = "smp", **options: Any) -> dict[str, Any]:
    """Run one forecast model on a scenario; the result with values in the issues' own units."""
    from accord.forecast import run

    problem, dims = spatial_problem(scenario)
    result = run(problem, model, **options)
    data = result.to_dict()
    data["forecast_0_100"] = dict(data["forecast"])
    data["forecast"] = {d: dims.to_issue_units(d, v) for d, v in result.forecast.items()}
    data["skipped_issues"] = dims.skipped
    data["scale"] = "issue units (0-100 values in forecast_0_100)"
    return data
