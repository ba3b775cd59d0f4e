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

from accord.errors import Location
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
    known = [getattr(i, "status_quo", None) for i in dims]
    status_quo = None
    if dims and all(v is not None for v in known):
        status_quo = np.array([_scale(i, v) for i, v in zip(dims, known, strict=True)])
    problem = SpatialProblem(
        actors=tuple(a.name for a in actors),
        dimensions=tuple(i.id for i in dims),
        capability=np.array([a.capability.value for a in actors]),
        position=np.clip(pos, 0.0, 100.0),
        salience=sal,
        status_quo=status_quo,
        source=scenario.id,
    )
    return problem, ScenarioDimensions(dims, skipped)


def _scale(issue: AnyIssue, value: Any) -> float:
    """A value in issue units (a number, a :class:`Param` or a level id) on the 0-100 scale."""
    if isinstance(issue, NumericIssue):
        x = float(getattr(value, "value", value))
        return 100.0 * (x - issue.min) / (issue.max - issue.min)
    ids = level_ids(issue)
    return 100.0 * ids.index(str(value)) / (len(ids) - 1)


def parse_status_quo(scenario: Scenario, items: Sequence[str]) -> dict[str, float | str]:
    """``ISSUE=VALUE`` strings (issue units, or a level id) checked against the scenario's issues.

    Raises :class:`~accord.errors.ConfigurationError` naming ``--status-quo`` and what is valid.
    """
    from accord.errors import ConfigurationError, Location, did_you_mean

    here = Location(path="--status-quo")
    dims = {i.id: i for i in scenario.issues if not isinstance(i, CategoricalIssue)}
    out: dict[str, float | str] = {}
    for item in items:
        iid, sep, raw = item.partition("=")
        iid, raw = iid.strip(), raw.strip()
        if not sep or not iid or not raw:
            raise ConfigurationError(f"'{item}': give ISSUE=VALUE, e.g. {next(iter(dims), 'issue')}=3", here)
        issue = dims.get(iid)
        if issue is None:
            raise ConfigurationError(
                f"'{item}': no numeric or ordinal issue '{iid}'{did_you_mean(iid, list(dims))}; "
                f"issues: {', '.join(dims)}",
                here,
            )
        if isinstance(issue, NumericIssue):
            try:
                x = float(raw)
            except ValueError:
                raise ConfigurationError(
                    f"'{item}': {iid} takes a number in {issue.unit or 'its unit'}", here
                ) from None
            if not issue.min <= x <= issue.max:
                raise ConfigurationError(
                    f"'{item}': {x:g} is outside {iid}'s range [{issue.min:g}, {issue.max:g}]", here
                )
            out[iid] = x
        else:
            ids = level_ids(issue)
            if raw not in ids:
                raise ConfigurationError(
                    f"'{item}': {iid} takes one of its levels: {', '.join(ids)}{did_you_mean(raw, ids)}", here
                )
            out[iid] = raw
    return out


def forecast_scenario(
    scenario: Scenario,
    model: str = "smp",
    *,
    status_quo: dict[str, float | str] | None = None,
    **options: Any,
) -> dict[str, Any]:
    """Run one forecast model on a scenario; the result with values in the issues' own units.

    ``status_quo`` (issue id -> value in issue units or level id) overrides the issues'
    ``status_quo`` for the spatial Nash bargaining model, which needs one on every numeric and
    ordinal issue.
    """
    import dataclasses

    from accord.errors import ModelError
    from accord.forecast import model_name, run

    problem, dims = spatial_problem(scenario)
    if model_name(model) == "nash":
        given = {i.id: getattr(i, "status_quo", None) for i in dims.issues}
        given.update(status_quo or {})
        missing = [d for d, v in given.items() if v is None]
        if missing:
            raise ModelError(
                "the spatial Nash bargaining forecast needs the status quo (what holds with no agreement) "
                f"on every numeric and ordinal issue; missing: {', '.join(missing)}. Give `status_quo:` on "
                "those issues in the scenario, or --status-quo ISSUE=VALUE",
                Location(file=scenario.id, path="issues"),
            )
        sq = np.array([_scale(i, given[i.id]) for i in dims.issues])
        problem = dataclasses.replace(problem, status_quo=sq)
    result = run(problem, model, **options)
    data = result.to_dict()
    data["forecast_0_100"] = dict(data["forecast"])
    data["forecast"] = {d: dims.to_issue_units(d, v) for d, v in result.forecast.items()}
    data["skipped_issues"] = dims.skipped
    data["scale"] = "issue units (0-100 values in forecast_0_100)"
    return data
