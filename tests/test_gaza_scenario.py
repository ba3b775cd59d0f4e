"""The built-in Gaza scenario (Doha talks, July 2025): provenance, structure and the reported impasse."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pytest

import accord
from accord.analysis import red_line_collisions, zopa
from accord.scenario import (
    DEFAULT_SCENARIO,
    CategoricalIssue,
    NumericIssue,
    OrdinalIssue,
    Scenario,
    builtin_names,
    dump,
    estimates_without_range,
    from_dict,
    loads,
    to_data,
    unsourced_params,
)
from accord.scenario.checks import iter_params

NAME = "gaza-2025-07"


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return accord.load(NAME)


@pytest.fixture(scope="module")
def space(scenario: Scenario) -> accord.OutcomeSpace:
    return accord.OutcomeSpace(scenario)


def test_loads_as_builtin_and_default(scenario: Scenario) -> None:
    assert scenario.id == NAME
    assert NAME in builtin_names()
    assert DEFAULT_SCENARIO == NAME
    assert scenario.as_of == dt.date(2025, 7, 24)
    assert scenario.clock.unit == "week"
    assert scenario.clock.horizon == 12


def test_every_number_is_sourced_or_an_estimate_with_a_range(scenario: Scenario) -> None:
    assert unsourced_params(scenario) == []
    assert estimates_without_range(scenario) == []


def test_every_param_source_is_a_listed_source_or_estimate(scenario: Scenario) -> None:
    ids = {s.id for s in scenario.sources}
    params = list(iter_params(scenario, ()))
    assert len(params) > 100  # the walk really visits the scenario's numbers
    for path, p in params:
        assert p.source == "estimate" or p.source in ids, path


def test_sources_are_complete_and_not_the_fact_sheet(scenario: Scenario) -> None:
    assert len(scenario.sources) >= 40
    for s in scenario.sources:
        assert s.publisher and s.title and s.date and s.url, s.id
        assert s.url.startswith("http"), s.id
        assert "facts.md" not in s.url and "/work/" not in s.url, s.id
        assert s.id.lower() == s.id and not s.id.startswith("S"), s.id


def test_every_listed_source_is_used(scenario: Scenario) -> None:
    data = to_data(scenario)
    del data["sources"]
    cited = json.dumps(data)
    for s in scenario.sources:
        assert s.id in cited, f"source {s.id} is listed but never cited"


def test_issues(scenario: Scenario) -> None:
    ids = [i.id for i in scenario.issues]
    assert ids == [
        "withdrawal_km",
        "lifers_per_hostage",
        "detainees_per_hostage",
        "guarantee",
        "permanence",
        "aid",
    ]
    w = scenario.issue("withdrawal_km")
    assert isinstance(w, NumericIssue)
    assert (w.kind, w.min, w.max, w.step, w.unit) == ("numeric", 0.5, 3.0, 0.1, "km")
    lifers = scenario.issue("lifers_per_hostage")
    assert isinstance(lifers, NumericIssue)
    assert (lifers.kind, lifers.min, lifers.max, lifers.step) == ("numeric", 10, 25, 1)
    det = scenario.issue("detainees_per_hostage")
    assert isinstance(det, NumericIssue)
    assert (det.kind, det.min, det.max, det.step) == ("numeric", 100, 220, 10)
    g = scenario.issue("guarantee")
    assert isinstance(g, OrdinalIssue)
    assert [lv.id for lv in g.levels] == ["none", "us_during_truce", "us_qatar_egypt"]
    p = scenario.issue("permanence")
    assert isinstance(p, OrdinalIssue)
    assert [lv.id for lv in p.levels] == ["resume_allowed", "extend_while_talking", "permanent_end"]
    a = scenario.issue("aid")
    assert isinstance(a, CategoricalIssue)
    assert [lv.id for lv in a.options] == ["un_network", "un_and_ghf", "ghf_only"]
    for issue in scenario.issues:
        assert issue.description and issue.sources, issue.id


def test_actors_and_roles(scenario: Scenario) -> None:
    roles = {a.id: a.role for a in scenario.actors}
    assert roles == {
        "israel": "party",
        "hamas": "party",
        "united_states": "mediator",
        "qatar": "mediator",
        "egypt": "mediator",
        "hostage_families": "stakeholder",
        "coalition_hardliners": "stakeholder",
        "international": "stakeholder",
    }
    for a in scenario.actors:
        assert 0 <= a.capability.value <= 1, a.id
    for pid in ("israel", "hamas"):
        party = scenario.actor(pid)
        assert set(party.positions) == {i.id for i in scenario.issues}
        assert (
            party.no_deal is not None and party.no_deal.decay is not None and party.no_deal.floor is not None
        )
        assert party.constraints
    for mid in ("united_states", "qatar", "egypt"):
        assert scenario.actor(mid).levers, mid


def test_reported_figures(scenario: Scenario) -> None:
    """Key numbers as public reporting gives them (see the sources cited on each)."""
    israel, hamas = scenario.actor("israel"), scenario.actor("hamas")
    iw = israel.positions["withdrawal_km"].red_line
    hw = hamas.positions["withdrawal_km"].red_line
    assert iw is not None and hw is not None
    assert iw.min is not None and not isinstance(iw.min, str)
    assert hw.max is not None and not isinstance(hw.max, str)
    assert iw.min.value == 2.0 and iw.min.source == "toi-2025-07-15-revised-maps"  # Rafah buffer 3 -> 2 km
    assert (
        hw.max.value == 1.3 and hw.max.source == "alhadath-2025-07-25-final-reply"
    )  # 1.3 km from Philadelphi
    ideal = hamas.positions["lifers_per_hostage"].ideal
    assert ideal is not None and not isinstance(ideal, str)
    assert ideal.value == 20  # 200 for 10 living hostages (Axios)
    us_ideal = scenario.actor("united_states").positions["lifers_per_hostage"].ideal
    assert us_ideal is not None and not isinstance(us_ideal, str)
    assert us_ideal.value == 12.5  # 125 for 10 in the May framework (Channel 12 via JNS)


def test_red_lines_carry_source_and_note(scenario: Scenario) -> None:
    n = 0
    for actor in scenario.actors:
        for iid, pos in actor.positions.items():
            if pos.red_line is not None:
                n += 1
                assert pos.red_line.source and pos.red_line.note, (actor.id, iid)
    assert n >= 8


def test_withdrawal_is_the_only_red_line_collision(space: accord.OutcomeSpace) -> None:
    collisions = red_line_collisions(space)
    assert [c.issue for c in collisions] == ["withdrawal_km"]
    (c,) = collisions
    assert sorted(c.parties) == ["hamas", "israel"]
    assert c.gap == pytest.approx(0.7)
    assert not zopa(space).exists


def test_without_the_withdrawal_red_lines_a_zopa_opens(scenario: Scenario) -> None:
    """The collision on the perimeter is what blocks a deal: drop it and a zone of agreement exists,
    and it widens as the no-deal values decay with the clock."""
    data = to_data(scenario)
    for actor in data["actors"]:
        if actor["id"] in ("israel", "hamas"):
            del actor["positions"]["withdrawal_km"]["red_line"]
        # levers that move those red lines have nothing left to move
        actor["levers"] = [
            lv
            for lv in actor.get("levers", [])
            if lv.get("issue") != "withdrawal_km" or lv["kind"] != "pressure"
        ]
    relaxed = accord.OutcomeSpace(from_dict(data))
    assert red_line_collisions(relaxed) == []
    z0, z12 = zopa(relaxed, t=0), zopa(relaxed, t=12)
    assert z0.exists
    assert z12.size >= z0.size
    lifers = next(b for b in z0.bounds if b.issue == "lifers_per_hostage")
    assert (lifers.min, lifers.max) == (13.0, 15.0)  # between Hamas's floor and Israel's ceiling


def test_no_deal_values_decay_faster_for_hamas(space: accord.OutcomeSpace) -> None:
    ids = list(space.actors.ids)
    i, h = ids.index("israel"), ids.index("hamas")
    d0, d12 = space.no_deal(0), space.no_deal(12)
    assert d12[i] < d0[i] and d12[h] < d0[h]
    assert d0[h] - d12[h] > d0[i] - d12[i]


def test_utilities_are_bounded(space: accord.OutcomeSpace) -> None:
    U = space.utilities()
    assert U.shape == (space.n_outcomes, 8)
    assert np.all(U >= -1e-12) and np.all(U <= 1 + 1e-12)


def test_dump_load_round_trip(scenario: Scenario) -> None:
    for fmt in ("yaml", "json"):
        again = loads(dump(scenario, fmt), name=f"<{fmt}>")
        assert again == scenario


def test_events_in_order_and_not_after_as_of(scenario: Scenario) -> None:
    dates = [e.date for e in scenario.events]
    assert dates == sorted(dates)
    assert dates[0] == dt.date(2025, 7, 1)
    assert all(d <= scenario.as_of for d in dates)
    kinds = {e.kind for e in scenario.events}
    assert {
        "proposal",
        "counterproposal",
        "walkout",
        "accusation",
        "pressure",
        "statement",
        "resumption",
    } <= kinds
    for e in scenario.events:
        assert e.sources, e.description
    recall = [e for e in scenario.events if e.kind == "walkout"]
    assert {a for e in recall for a in e.actors} == {"israel", "united_states"}
    assert all(e.date == dt.date(2025, 7, 24) for e in recall)
