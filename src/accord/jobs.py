"""The main job: from a scenario to the results a briefing shows.

Each function here calls library functions and returns plain result objects; rendering lives in
:mod:`accord.report`. ``brief`` is what ``accord`` (and ``make run``) runs on a scenario.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from accord.analysis.diagnose import Collision, describe_red_line, display
from accord.analysis.report import Analysis, analyze
from accord.analysis.zopa import Zopa
from accord.scenario.schema import Param, Position, Scenario
from accord.space import AnyIssue, OutcomeSpace

if TYPE_CHECKING:
    from accord.conflict_brief import ConflictSummary
    from accord.simulation import SimulationMonteCarlo


def display_value(issue: AnyIssue, value: Param | str | float | None) -> str:
    """A position or outcome value in the issue's own terms: ``2 km``, or a level's label."""
    if value is None:
        return "-"
    return display(issue, value.value if isinstance(value, Param) else value)


def terms_lines(scenario: Scenario, terms: dict[str, dict[str, Any]], *, spread: bool = False) -> list[str]:
    """One phrase per issue of a terms distribution: the median of a numeric issue (with its 90% range
    when ``spread``), the commonest level and its share otherwise."""
    out = []
    for iid, d in terms.items():
        issue = scenario.issue(iid)
        label = issue.label or iid
        if "median" in d:
            if spread:
                out.append(
                    f"{label}: {display_value(issue, d['median'])} "
                    f"(90% within {display_value(issue, d['p5'])}–{display_value(issue, d['p95'])})"
                )
            else:
                out.append(f"{label} {display_value(issue, d['median'])}")
        else:
            best = max(d["shares"].items(), key=lambda kv: kv[1])
            out.append(f"{label}: {display_value(issue, best[0])} ({best[1]:.0%})")
    return out


def terms_summary(scenario: Scenario, terms: dict[str, dict[str, Any]]) -> str:
    """Typical deal terms from a terms distribution, on one line (see :func:`terms_lines`)."""
    return "; ".join(terms_lines(scenario, terms))


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
    space: OutcomeSpace
    stances: dict[str, list[Stance]]
    no_deal_now: dict[str, float]
    no_deal_horizon: dict[str, float]
    analysis: Analysis
    simulation: SimulationMonteCarlo | None = None
    bad_faith: dict[str, SimulationMonteCarlo] = field(default_factory=dict)
    conflict: ConflictSummary | None = None
    forecasts: dict[str, dict[str, Any]] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def n_outcomes(self) -> int:
        """Number of possible packages."""
        return self.space.n_outcomes

    @property
    def zopa_now(self) -> Zopa:
        """The zone of possible agreement now."""
        return self.analysis.zopa

    @property
    def zopa_horizon(self) -> Zopa:
        """The zone of possible agreement at the clock's horizon."""
        return self.analysis.zopa_horizon

    @property
    def collisions(self) -> list[Collision]:
        """Red lines that collide issue by issue."""
        return self.analysis.collisions

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
            "analysis": self.analysis.to_dict(),
            "simulation": self.simulation.to_dict() if self.simulation is not None else None,
            "simulation_bad_faith": {k: v.to_dict() for k, v in self.bad_faith.items()},
            "conflict": self.conflict.to_dict() if self.conflict is not None else None,
            "forecasts": dict(self.forecasts),
            "timings_s": dict(self.timings),
        }


def stances(scenario: Scenario, space: OutcomeSpace) -> dict[str, list[Stance]]:
    """Every actor's stance on every issue it has a position on, in words."""
    out: dict[str, list[Stance]] = {}
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
        out[issue.id] = rows
    return out


FORECAST_MODELS = ("compromise", "median", "smp")


def forecast_all(scenario: Scenario, models: tuple[str, ...] = FORECAST_MODELS) -> dict[str, dict[str, Any]]:
    """Forecasts of the scenario's ordered issues by each model (the compromise baseline first)."""
    from accord.forecast.from_scenario import forecast_scenario

    out: dict[str, dict[str, Any]] = {}
    n_actors = sum(1 for a in scenario.actors if a.positions)
    for m in models:
        if m == "smp" and n_actors < 3:
            continue
        out[m] = forecast_scenario(scenario, m)
    return out


def accused_of_bad_faith(scenario: Scenario) -> list[str]:
    """Parties that an ``accusation`` event in the scenario is aimed at, in order of first accusation."""
    parties = {p.id for p in scenario.parties}
    out: list[str] = []
    for ev in sorted(scenario.events, key=lambda e: e.date):
        if ev.kind == "accusation":
            out.extend(t for t in ev.targets if t in parties and t not in out)
    return out


def brief(
    scenario: Scenario,
    *,
    runs: int = 1000,
    seed: int = 0,
    sim_runs: int = 200,
    progress: Callable[[str, float], None] | None = None,
) -> Briefing:
    """The main job: build the outcome space and run the analyses the briefing shows.

    Parameters
    ----------
    scenario : Scenario
    runs : int
        Monte Carlo draws over the scenario's uncertain parameters (0 to skip).
    seed : int
        Seed of the draws.
    sim_runs : int
        Simulated negotiations over drawn parameters (0 to skip).
    progress : callable or None
        Called as ``progress(step, fraction_done)`` as the job advances (the workbench's progress bar).
    """

    def tell(step: str, done: float) -> None:
        if progress is not None:
            progress(step, done)

    tell("outcome space", 0.0)
    t0 = time.perf_counter()
    space = OutcomeSpace(scenario)
    t1 = time.perf_counter()
    share = 0.5 if sim_runs > 0 else 1.0
    tell("bargaining analysis", 0.05)
    result = analyze(space, runs=runs, seed=seed)
    t2 = time.perf_counter()
    simulated = None
    bad_faith: dict[str, SimulationMonteCarlo] = {}
    if sim_runs > 0:
        from accord import simulation

        tell("simulated talks", share)
        simulated = simulation.monte_carlo(
            space,
            simulation.settings(scenario),
            runs=sim_runs,
            seed=seed,
            progress=lambda n: tell("simulated talks", share + (1 - share) * n / sim_runs),
        )
        for accused in accused_of_bad_faith(scenario):
            strategies = [
                "bad-faith" if p.id == accused else s
                for p, s in zip(scenario.parties, simulation.default_strategies(scenario), strict=True)
            ]
            cfg = simulation.settings(scenario, strategies=strategies)
            bad_faith[accused] = simulation.monte_carlo(space, cfg, runs=sim_runs, seed=seed)
    t3 = time.perf_counter()
    tell("graph model", 0.95)
    from accord.conflict_brief import conflict_summary

    stability = conflict_summary(scenario)
    t4 = time.perf_counter()
    forecasts = forecast_all(scenario)
    t5 = time.perf_counter()
    tell("done", 1.0)
    nd0 = space.no_deal(0)
    ndh = space.no_deal(scenario.clock.horizon)
    return Briefing(
        scenario=scenario,
        space=space,
        stances=stances(scenario, space),
        no_deal_now={a: float(nd0[i]) for i, a in enumerate(space.actors.ids)},
        no_deal_horizon={a: float(ndh[i]) for i, a in enumerate(space.actors.ids)},
        analysis=result,
        simulation=simulated,
        bad_faith=bad_faith,
        conflict=stability,
        forecasts=forecasts,
        timings={
            "space": t1 - t0,
            "analysis": t2 - t1,
            "simulation": t3 - t2,
            "conflict": t4 - t3,
            "forecast": t5 - t4,
        },
    )


__all__ = ["Briefing", "Stance", "brief", "display_value", "stances", "terms_lines", "terms_summary"]
