"""Scenario-level simulation: settings, one run, Monte Carlo reproducibility and invariants."""

from __future__ import annotations

import numpy as np
import pytest

import accord
from accord import simulation as sim
from accord.errors import ConfigurationError


@pytest.fixture(scope="module")
def textbook() -> accord.OutcomeSpace:
    return accord.OutcomeSpace(accord.load("textbook-two-party"))


def test_default_strategies_follow_the_no_deal_clock(textbook: accord.OutcomeSpace) -> None:
    # employer decays 0.02/week, union 0.03/week: the union is under more pressure, concedes earlier
    e_employer, e_union = (float(s.split("=")[1]) for s in sim.default_strategies(textbook.scenario))
    assert e_employer == pytest.approx(2 ** (0.005 / 0.025), rel=1e-2) and e_employer > 1 > e_union


def test_settings_errors(textbook: accord.OutcomeSpace) -> None:
    with pytest.raises(ConfigurationError, match="did you mean 'shuttle'"):
        sim.settings(textbook.scenario, protocol="shuttl")
    with pytest.raises(ConfigurationError, match="deadline must be at least 1"):
        sim.settings(textbook.scenario, deadline=0)
    with pytest.raises(ConfigurationError, match="one strategy for every party"):
        sim.settings(textbook.scenario, strategies=["boulware", "linear", "conceder"])
    with pytest.raises(ConfigurationError, match="alternating offers has no mediator"):
        sim.settings(textbook.scenario, mediator="split-difference")


def test_one_run_reaches_a_deal_inside_the_zopa(textbook: accord.OutcomeSpace) -> None:
    cfg = sim.settings(textbook.scenario, strategies=["linear"], deadline=40, walkouts=False)
    res = sim.run(textbook, cfg, seed=3)
    assert res.outcome.agreement
    from accord.analysis import zopa

    z = zopa(textbook, t=res.outcome.round * cfg.clock_per_round)
    assert res.outcome.offer in set(z.outcomes.tolist())
    again = sim.run(textbook, cfg, seed=3)
    assert again.to_dict() == res.to_dict()


@pytest.mark.parametrize("protocol", ["alternating-offers", "single-text", "shuttle"])
def test_monte_carlo_same_for_one_or_two_workers(textbook: accord.OutcomeSpace, protocol: str) -> None:
    cfg = sim.settings(textbook.scenario, protocol=protocol, deadline=30)
    one = sim.monte_carlo(textbook, cfg, runs=24, seed=5, workers=1)
    two = sim.monte_carlo(textbook, cfg, runs=24, seed=5, workers=2)
    assert one.runs_detail == two.runs_detail
    assert 0 <= one.agreement_rate <= 1
    assert sum(one.causes.values()) == 24


def test_monte_carlo_deals_respect_red_lines(textbook: accord.OutcomeSpace) -> None:
    cfg = sim.settings(textbook.scenario, deadline=30)
    mc = sim.monte_carlo(textbook, cfg, runs=60, seed=1)
    assert mc.agreement_rate > 0.5
    pay = [
        textbook.grids[0][np.unravel_index(r["grid_index"], textbook.shape)[0]]
        for r in mc.runs_detail
        if r["agreement"]
    ]
    # every deal lies within the widest red lines any draw allows (union >= 2 %, employer <= 8 %)
    assert min(pay) >= 2 and max(pay) <= 8


def test_gaza_simulation_mostly_breaks_down() -> None:
    space = accord.OutcomeSpace(accord.load("gaza-2025-07"))
    mc = sim.monte_carlo(space, sim.settings(space.scenario), runs=40, seed=0)
    assert mc.agreement_rate < 0.3
    assert mc.causes.get("deadline", 0) + mc.causes.get("walkout", 0) >= 28


def test_bad_faith_accusation_drives_walkouts() -> None:
    from accord.jobs import accused_of_bad_faith

    scenario = accord.load("gaza-2025-07")
    assert accused_of_bad_faith(scenario) == ["hamas"]
    space = accord.OutcomeSpace(scenario)
    strategies = [
        "bad-faith" if s.startswith("time-based") and i == 1 else s
        for i, s in enumerate(sim.default_strategies(scenario))
    ]
    mc = sim.monte_carlo(space, sim.settings(scenario, strategies=strategies), runs=40, seed=0)
    assert mc.causes.get("walkout", 0) >= 20
    assert set(mc.first_walkout) == {"israel"}


def test_efficient_packages_built_issue_by_issue_match_the_full_grid() -> None:
    from accord.analysis import pareto_front
    from accord.analysis.uncertainty import sample_params, uncertain_params

    space = accord.OutcomeSpace(accord.load("gaza-2025-07"))
    params = uncertain_params(space.scenario)
    draws = sim._Draws(space, params, 0.25)
    for values in sample_params(params, 5, seed=3):
        pieces, oks, _ = draws.comp.draw(values)
        fast = sim._efficient_boxes(pieces, oks)
        U, acc = draws._full(pieces, oks)
        slow: set[int] = set()
        for p in range(U.shape[1]):
            rows = np.flatnonzero(acc[:, p])
            slow.update(int(i) for i in rows[pareto_front(U[rows])])
        assert set(fast.tolist()) == slow
