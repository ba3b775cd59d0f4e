"""The jobs a sweep can run on every sample, as a small registry.

A job is a function ``row(scenario_variant, seed) -> dict`` returning one flat row of results
(column name -> bool, number, string or None). That is all a new module needs to plug in:
``register_job("forecast", forecast_row)``. A job may also offer a *fast path*, ``compile(space,
params) -> Evaluator``, which substitutes the swept numbers into arrays built once (as
:class:`accord.analysis.uncertainty._Compiled` does) instead of building and validating a scenario per
sample; both paths must give the same row for the same numbers (tested).

``forecast`` and ``conflict`` are registered as placeholders: they look for a ``sweep_row(scenario,
seed)`` function in :mod:`accord.forecast` / :mod:`accord.conflict` and, when that module is not in
this version, raise a one-line :class:`~accord.errors.ConfigurationError`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

from accord.errors import ConfigurationError, did_you_mean, one_of
from accord.scenario.checks import level_ids
from accord.scenario.schema import NumericIssue, Scenario
from accord.space import OutcomeSpace

FloatArray = NDArray[np.float64]
Row = dict[str, Any]
RowFn = Callable[[Scenario, int], Row]


class Evaluator(Protocol):
    """A compiled job: numbers for the swept Params (in order) and a seed in, one row out."""

    def __call__(self, values: FloatArray, seed: int) -> Row: ...  # pragma: no cover


CompileFn = Callable[[OutcomeSpace, list[Any]], Evaluator]


@dataclass(frozen=True)
class Job:
    """A registered sweep job."""

    name: str
    row: RowFn | None
    compile: CompileFn | None = None
    description: str = ""
    module: str | None = None  # for placeholders: the module expected to provide ``sweep_row``

    def implementation(self) -> Job | None:
        """This job, or the implementation its module provides, or None when there is none."""
        if self.row is not None:
            return self
        assert self.module is not None
        try:
            mod = importlib.import_module(self.module)
        except ImportError:
            return None
        fn = getattr(mod, "sweep_row", None)
        if fn is None:
            return None
        return Job(self.name, fn, getattr(mod, "sweep_compile", None), self.description, self.module)

    def resolve(self) -> Job:
        """This job ready to run; a one-line error when this version does not provide it."""
        if self.name == "conflict" and self.row is None:
            raise ConfigurationError(
                "job 'conflict' has nothing to sweep: a graph model's preferences are rankings, not "
                "numbers with ranges; use `accord conflict inverse` (which rankings make a state stable) "
                f"or the priority sensitivity in accord.conflict; available now: {one_of(available_jobs())}"
            )
        job = self.implementation()
        if job is None:
            raise ConfigurationError(
                f"job '{self.name}' is not available in this version ({self.module} does not provide "
                f"sweep_row yet); available now: {one_of(available_jobs())}"
            )
        return job


JOBS: dict[str, Job] = {}


def register_job(name: str, row: RowFn, *, compile: CompileFn | None = None, description: str = "") -> Job:
    """Add (or replace) a sweep job: ``row(scenario_variant, seed) -> flat dict``."""
    job = Job(name, row, compile, description)
    JOBS[name] = job
    return job


def available_jobs() -> list[str]:
    """Names of the jobs that can run in this version."""
    return [name for name, job in JOBS.items() if job.implementation() is not None]


def get_job(name: str) -> Job:
    """The job called ``name`` (ConfigurationError with the nearest name otherwise)."""
    job = JOBS.get(name)
    if job is None:
        raise ConfigurationError(f"unknown job '{name}'{did_you_mean(name, JOBS)}; valid: {one_of(JOBS)}")
    return job.resolve()


# ------------------------------------------------------------------------------------------ analyze
def _terms(space: OutcomeSpace, flat: int, prefix: str) -> Row:
    """Issue-by-issue terms of a package given by its flat grid index (None when -1)."""
    out: Row = {}
    if flat < 0:
        return {f"{prefix}{issue.id}": None for issue in space.issues}
    lv = np.unravel_index(flat, space.shape)
    for k, issue in enumerate(space.issues):
        if isinstance(issue, NumericIssue):
            out[f"{prefix}{issue.id}"] = float(space.grids[k][int(lv[k])])
        else:
            out[f"{prefix}{issue.id}"] = level_ids(issue)[int(lv[k])]
    return out


class AnalyzeEvaluator:
    """Deal now, deal at the horizon and the Nash bargaining terms (Nash 1950) of one draw.

    The same computation as :func:`accord.analysis.uncertainty.monte_carlo` per draw: the ZOPA
    among the parties restricted to the sub-box inside every red line, and the package that
    maximises the product of the parties' gains over their no-deal values at clock time 0.
    """

    def __init__(self, space: OutcomeSpace, params: list[Any]) -> None:
        from accord.analysis.uncertainty import _Compiled

        self.space = space
        self.comp = _Compiled(space, params)
        self.h = float(space.scenario.clock.horizon)

    def __call__(self, values: FloatArray, seed: int) -> Row:
        exists, nash = self.comp.evaluate(values, (0.0, self.h))
        return {"deal_now": exists[0], "deal_horizon": exists[1], **_terms(self.space, nash, "nash.")}


def analyze_row(scenario: Scenario, seed: int) -> Row:
    """The ``analyze`` job on one scenario variant (see :class:`AnalyzeEvaluator`)."""
    space = OutcomeSpace(scenario)
    return AnalyzeEvaluator(space, [])(np.zeros(0), seed)


# ----------------------------------------------------------------------------------------- simulate
class SimulateEvaluator:
    """One simulated negotiation of one draw, with the scenario's simulation settings.

    As :func:`accord.simulation.monte_carlo` does per run: utilities and red lines rebuilt for the
    draw, offers restricted to the parties' Pareto-efficient packages, strategies derived from each
    draw's no-deal clocks unless the scenario names them.
    """

    def __init__(self, space: OutcomeSpace, params: list[Any]) -> None:
        from accord import simulation as sim

        self.space = space
        self.cfg = sim.settings(space.scenario)
        self.draws = sim._Draws(space, params, self.cfg.clock_per_round)
        self.derive = all(p.strategy is None for p in space.scenario.parties)
        self.parties = [space.actors.ids[int(p)] for p in space.actors.parties]

    def __call__(self, values: FloatArray, seed: int) -> Row:
        from accord.protocols import simulate
        from accord.simulation import default_strategies

        problem, index, decays = self.draws.problem(values)
        strategies = default_strategies(self.space.scenario, decays) if self.derive else self.cfg.strategies
        res = simulate(
            problem,
            strategies,
            protocol=self.cfg.protocol,
            mediator=self.cfg.mediator,
            deadline=self.cfg.deadline,
            seed=seed,
            walkouts=self.cfg.walkouts,
        )
        o = res.outcome
        flat = int(self.space.index[int(index[o.offer])]) if o.agreement and o.offer is not None else -1
        first_out = min(res.departures, key=lambda d: d.round).actor if res.departures else None
        row: Row = {
            "agreement": bool(o.agreement),
            "rounds": int(o.rounds),
            "cause": str(o.cause),
            "first_walkout": first_out,
            **_terms(self.space, flat, "terms."),
        }
        for name, u in zip(self.parties, o.utilities, strict=True):
            row[f"utility.{name}"] = float(u)
        return row


def simulate_row(scenario: Scenario, seed: int) -> Row:
    """The ``simulate`` job on one scenario variant (see :class:`SimulateEvaluator`)."""
    space = OutcomeSpace(scenario)
    return SimulateEvaluator(space, [])(np.zeros(0), seed)


register_job(
    "analyze",
    analyze_row,
    compile=AnalyzeEvaluator,
    description="deal now / at the horizon, Nash bargaining terms per issue",
)
register_job(
    "simulate",
    simulate_row,
    compile=SimulateEvaluator,
    description="one simulated negotiation: agreement, rounds, cause, terms, utilities",
)
JOBS["forecast"] = Job("forecast", None, None, "spatial forecast (accord.forecast)", "accord.forecast")
JOBS["conflict"] = Job("conflict", None, None, "graph-model stability (accord.conflict)", "accord.conflict")


__all__ = [
    "JOBS",
    "AnalyzeEvaluator",
    "Evaluator",
    "Job",
    "SimulateEvaluator",
    "analyze_row",
    "available_jobs",
    "get_job",
    "register_job",
    "simulate_row",
]
