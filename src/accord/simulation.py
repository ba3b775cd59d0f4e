"""Simulated talks on a scenario: one run with its trace, or many runs over uncertain parameters.

This module joins the scenario layer (:class:`~accord.space.OutcomeSpace`, uncertain parameters)
to the protocol engine (:mod:`accord.protocols`). Strategies come from each actor's ``strategy``
in the file or, by default, from its no-deal clock: a party whose no-deal value erodes faster than
the others' concedes earlier (time-based aspiration exponent ``e = 2 ** ((mean - own) / mean)`` of
the parties' decay rates; ``e > 1`` concedes late, as a Boulware, ``e < 1`` early, as a Conceder;
Faratin, Sierra & Jennings 1998). This mapping is a modelling default, stated as such in reports.

For Monte Carlo, each run draws every number that has a ``range``, rebuilds the utilities and red
lines for the draw, and plays the talks. To keep thousands of runs fast, offers are restricted to
packages that are Pareto-efficient for the parties within at least one party's red lines (a party
does not table a package that leaves value on the table for everyone); acceptance is unaffected.
Run ``i`` uses child ``i`` of ``numpy.random.SeedSequence(seed)``, so results are identical for any
number of worker processes.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from accord.analysis.pareto import pareto_front
from accord.analysis.uncertainty import (
    UncertainParam,
    _Compiled,
    sample_params,
    terms_distribution,
    uncertain_params,
)
from accord.errors import ConfigurationError, did_you_mean, one_of
from accord.protocols import NegotiationProblem, NegotiationResult, simulate
from accord.scenario.schema import Scenario
from accord.space import OutcomeSpace

FloatArray = NDArray[np.float64]


def default_strategies(scenario: Scenario, decays: FloatArray | None = None) -> list[str]:
    """Strategy spec per party: its own ``strategy``, else a time-based one set by its no-deal clock."""
    parties = scenario.parties
    if decays is None:
        decays = np.array([p.no_deal.decay.value if p.no_deal and p.no_deal.decay else 0.0 for p in parties])
    mean = float(np.mean(decays)) if len(decays) else 0.0
    out = []
    for p, dec in zip(parties, decays, strict=True):
        if p.strategy is not None:
            out.append(p.strategy)
        elif mean <= 0:
            out.append("linear")
        else:
            e = float(2.0 ** ((mean - dec) / mean))
            out.append(f"time-based:exponent={e:.3g}")
    return out


def _decode(space: OutcomeSpace, index: NDArray[np.int64] | None) -> Any:
    if index is None:
        return space.decode

    def dec(i: int) -> dict[str, Any]:
        return space.decode(int(index[i]))

    return dec


def scenario_problem(space: OutcomeSpace, clock_per_round: float | None = None) -> NegotiationProblem:
    """The parties' negotiation problem of a scenario, all packages, no-deal values on its clock."""
    sim = space.scenario.simulation
    return NegotiationProblem.from_space(space, clock_per_round=clock_per_round or sim.clock_per_round)


@dataclass(frozen=True)
class SimulationSettings:
    """Protocol, strategies and limits of a simulation (defaults from the scenario)."""

    protocol: str
    strategies: list[str]
    mediator: str | None
    deadline: int
    walkouts: bool
    clock_per_round: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "protocol": self.protocol,
            "strategies": list(self.strategies),
            "mediator": self.mediator,
            "deadline": self.deadline,
            "walkouts": self.walkouts,
            "clock_per_round": self.clock_per_round,
        }


def settings(
    scenario: Scenario,
    *,
    protocol: str | None = None,
    strategies: list[str] | None = None,
    mediator: str | None = None,
    deadline: int | None = None,
    walkouts: bool | None = None,
) -> SimulationSettings:
    """Resolve simulation settings: explicit arguments over the scenario's ``simulation`` block."""
    sim = scenario.simulation
    proto = protocol or sim.protocol
    from accord.protocols import PROTOCOLS

    if proto not in PROTOCOLS:
        raise ConfigurationError(
            f"unknown protocol '{proto}'{did_you_mean(proto, PROTOCOLS)}; valid: {one_of(PROTOCOLS)}"
        )
    med = None
    if proto != "alternating-offers":
        med = mediator or sim.mediator_strategy
        if sim.mediator is None and not any(a.role == "mediator" for a in scenario.actors):
            raise ConfigurationError(
                f"protocol '{proto}' needs a mediator, but the scenario has no actor with role 'mediator'"
            )
    elif mediator is not None:
        raise ConfigurationError("alternating offers has no mediator; use --protocol single-text or shuttle")
    dl = deadline if deadline is not None else sim.deadline
    if dl < 1:
        raise ConfigurationError(f"deadline must be at least 1 round, got {dl}")
    strats = strategies or default_strategies(scenario)
    n = len(scenario.parties)
    if len(strats) == 1 and n > 1:
        strats = strats * n
    if len(strats) != n:
        raise ConfigurationError(
            f"give one strategy for every party ({n}), or one for all; got {len(strats)}"
        )
    return SimulationSettings(
        proto, list(strats), med, dl, sim.walkouts if walkouts is None else walkouts, sim.clock_per_round
    )


def run(space: OutcomeSpace, cfg: SimulationSettings, seed: int | None = 0) -> NegotiationResult:
    """One simulated negotiation on the scenario as written (all packages, full trace)."""
    problem = scenario_problem(space, cfg.clock_per_round)
    return simulate(
        problem,
        cfg.strategies,
        protocol=cfg.protocol,
        mediator=cfg.mediator,
        deadline=cfg.deadline,
        seed=seed,
        walkouts=cfg.walkouts,
    )


class _Draws:
    """Builds the negotiation problem of one parameter draw (picklable for worker processes)."""

    def __init__(self, space: OutcomeSpace, params: list[UncertainParam], clock_per_round: float) -> None:
        self.space = space
        self.params = params
        self.comp = _Compiled(space, params)
        self.clock = clock_per_round
        self.decay_idx = [i for i, b in enumerate(self.comp.bind) if b[0] == "no_deal" and b[3] == 1]

    def _full(
        self, pieces: list[FloatArray], oks: list[NDArray[np.bool_]]
    ) -> tuple[FloatArray, NDArray[np.bool_]]:
        """Utilities and red-line masks of every package of the grid for one draw."""
        P = pieces[0].shape[1]
        U = np.empty((self.space.n_grid, P))
        acc = np.empty((self.space.n_grid, P), dtype=bool)
        for p in range(P):  # outer sums issue by issue: contiguous, no short inner loops
            u = pieces[0][:, p]
            a = oks[0][:, p]
            for k in range(1, len(pieces)):
                u = np.add.outer(u, pieces[k][:, p]).ravel()
                a = np.logical_and.outer(a, oks[k][:, p]).ravel()
            U[:, p] = u
            acc[:, p] = a
        return U, acc

    def problem(self, values: FloatArray) -> tuple[NegotiationProblem, NDArray[np.int64], FloatArray]:
        pieces, oks, nd = self.comp.draw(values)
        P = nd.shape[0]
        if self.comp.constraint_ok is None:
            index = _efficient_boxes(pieces, oks)
            lv = np.stack(np.unravel_index(index, self.space.shape), axis=1)
            U = np.zeros((index.size, P))
            acc = np.ones((index.size, P), dtype=bool)
            for k in range(len(pieces)):
                U += pieces[k][lv[:, k]]
                acc &= oks[k][lv[:, k]]
        else:
            U, acc = self._full(pieces, oks)
            acc &= self.comp.constraint_ok.reshape(-1)[:, None]
            keep: set[int] = set()
            for p in range(P):
                rows = np.flatnonzero(acc[:, p])
                if rows.size:
                    keep.update(int(i) for i in rows[pareto_front(U[rows])])
            index = np.array(sorted(keep), dtype=np.int64)
            U, acc = U[index], acc[index]
        if index.size == 0:  # nobody can propose anything: every package crosses someone's red line
            full_u, full_acc = self._full(pieces, oks)
            index = np.array([int(np.argmax(full_u.sum(axis=1)))], dtype=np.int64)
            U, acc = full_u[index], full_acc[index]
        nd_params = nd.copy()
        clock = self.clock

        def no_deal(round: int) -> FloatArray:
            t = round * clock
            return np.maximum(nd_params[:, 2], nd_params[:, 0] - nd_params[:, 1] * t)

        problem = NegotiationProblem(
            U=U,
            no_deal=no_deal,
            acceptable=acc,
            party_names=tuple(self.space.actors.ids[int(p)] for p in self.space.actors.parties),
            decode=None,
        )
        # the flat grid index of kept packages (for decoding terms later)
        return problem, index, nd[:, 1]


def _efficient_boxes(pieces: list[FloatArray], oks: list[NDArray[np.bool_]]) -> NDArray[np.int64]:
    """Flat grid indices of the packages Pareto-efficient for the parties within each party's red lines.

    Red lines are per issue, so each party's acceptable packages form a box, and utilities are sums
    over issues: the efficient set of a sum of independent parts is the efficient set of the sums of
    the parts' efficient sets. So it is built issue by issue, pruning after each, without ever
    enumerating the grid.
    """
    P = pieces[0].shape[1]
    keep: set[int] = set()
    for p in range(P):
        index = np.zeros(1, dtype=np.int64)
        util = np.zeros((1, P))
        for piece, ok in zip(pieces, oks, strict=True):
            levels = np.flatnonzero(ok[:, p])
            if levels.size == 0:
                index = np.zeros(0, dtype=np.int64)
                break
            part = piece[levels]
            front = pareto_front(part)
            levels, part = levels[front], part[front]
            n = piece.shape[0]
            index = (index[:, None] * n + levels[None, :]).ravel()
            util = (util[:, None, :] + part[None, :, :]).reshape(-1, P)
            front = pareto_front(util)
            index, util = index[front], util[front]
        keep.update(int(i) for i in index)
    return np.array(sorted(keep), dtype=np.int64)


def _run_chunk(
    args: tuple[_Draws, SimulationSettings, FloatArray, list[np.random.SeedSequence], bool],
) -> list[dict[str, Any]]:
    draws, cfg, X, children, derive = args
    out = []
    for values, child in zip(X, children, strict=True):
        problem, index, decays = draws.problem(values)
        strategies = cfg.strategies if not derive else default_strategies(draws.space.scenario, decays)
        seed = int(child.generate_state(1)[0])
        res = simulate(
            problem,
            strategies,
            protocol=cfg.protocol,
            mediator=cfg.mediator,
            deadline=cfg.deadline,
            seed=seed,
            walkouts=cfg.walkouts,
        )
        o = res.outcome
        first_out = min(res.departures, key=lambda d: d.round).actor if res.departures else None
        out.append(
            {
                "agreement": o.agreement,
                "grid_index": int(index[o.offer]) if o.agreement and o.offer is not None else -1,
                "rounds": o.rounds,
                "cause": o.cause,
                "utilities": list(o.utilities),
                "first_walkout": first_out,
            }
        )
    return out


@dataclass
class SimulationMonteCarlo:
    """Summary of many simulated negotiations over drawn parameters."""

    runs: int
    seed: int | None
    settings: SimulationSettings
    derived_strategies: bool
    agreement_rate: float
    rounds_to_deal: dict[str, float] | None
    causes: dict[str, int]
    first_walkout: dict[str, int]
    terms: dict[str, dict[str, Any]]
    mean_utilities: dict[str, float]
    seconds: float
    workers: int
    runs_detail: list[dict[str, Any]] = field(default_factory=list, repr=False)

    def to_dict(self, detail: bool = False) -> dict[str, Any]:
        d: dict[str, Any] = {
            "runs": self.runs,
            "seed": self.seed,
            "settings": self.settings.to_dict(),
            "strategies_from_clock": self.derived_strategies,
            "agreement_rate": self.agreement_rate,
            "rounds_to_deal": self.rounds_to_deal,
            "causes": dict(self.causes),
            "first_walkout": dict(self.first_walkout),
            "deal_terms": self.terms,
            "mean_utilities": dict(self.mean_utilities),
            "seconds": self.seconds,
            "workers": self.workers,
        }
        if detail:
            d["runs_detail"] = list(self.runs_detail)
        return d


def monte_carlo(
    space: OutcomeSpace,
    cfg: SimulationSettings,
    runs: int = 1000,
    seed: int | None = 0,
    workers: int = 1,
    progress: Any = None,
) -> SimulationMonteCarlo:
    """Simulate ``runs`` negotiations, each with every uncertain number drawn from its range.

    Parameters
    ----------
    space : OutcomeSpace
    cfg : SimulationSettings
        Protocol, strategies (if the caller did not set them, each draw derives them from its own
        no-deal clocks), deadline and walkouts.
    runs : int
    seed : int or None
        Same seed, same result, for any number of ``workers``.
    workers : int
        Local processes (``0``: one per core).
    progress : callable, optional
        Called with the number of runs finished so far.
    """
    if runs < 1:
        raise ConfigurationError(f"runs must be at least 1, got {runs}")
    workers = os.cpu_count() or 1 if workers == 0 else workers
    if workers < 1:
        raise ConfigurationError(f"workers must be at least 1 (or 0 for one per core), got {workers}")
    t0 = time.perf_counter()
    params = uncertain_params(space.scenario)
    ss = np.random.SeedSequence(seed)
    param_seq, run_seq = ss.spawn(2)
    X = sample_params(params, runs, np.random.default_rng(param_seq))
    children = run_seq.spawn(runs)
    derive = cfg.strategies == default_strategies(space.scenario) and all(
        p.strategy is None for p in space.scenario.parties
    )
    draws = _Draws(space, params, cfg.clock_per_round)
    size = max(1, min(250, -(-runs // (4 * workers))))
    chunks = [(draws, cfg, X[i : i + size], children[i : i + size], derive) for i in range(0, runs, size)]
    results: list[dict[str, Any]] = []
    if workers == 1:
        for ch in chunks:
            results.extend(_run_chunk(ch))
            if progress is not None:
                progress(len(results))
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            for part in pool.map(_run_chunk, chunks):
                results.extend(part)
                if progress is not None:
                    progress(len(results))
    return summarize(space, cfg, results, runs, seed, time.perf_counter() - t0, workers, derive)


def summarize(
    space: OutcomeSpace,
    cfg: SimulationSettings,
    results: list[dict[str, Any]],
    runs: int,
    seed: int | None,
    seconds: float,
    workers: int,
    derive: bool,
) -> SimulationMonteCarlo:
    """Aggregate per-run outcomes into rates, distributions and counts."""
    deals = [r for r in results if r["agreement"]]
    rounds = np.array([r["rounds"] for r in deals], dtype=float)
    rtd = None
    if rounds.size:
        rtd = {
            "mean": float(rounds.mean()),
            "median": float(np.median(rounds)),
            "p90": float(np.quantile(rounds, 0.9)),
        }
    terms = terms_distribution(space, np.array([r["grid_index"] for r in deals], dtype=np.int64))
    parties = [space.actors.ids[int(p)] for p in space.actors.parties]
    utils = np.array([r["utilities"] for r in results], dtype=float)
    return SimulationMonteCarlo(
        runs=runs,
        seed=seed,
        settings=cfg,
        derived_strategies=derive,
        agreement_rate=len(deals) / len(results),
        rounds_to_deal=rtd,
        causes=dict(Counter(r["cause"] for r in results)),
        first_walkout=dict(Counter(r["first_walkout"] for r in results if r["first_walkout"])),
        terms=terms,
        mean_utilities={p: float(utils[:, i].mean()) for i, p in enumerate(parties)},
        seconds=seconds,
        workers=workers,
        runs_detail=results,
    )
