"""Protocols: invariants on every run, hand-computed cases, walkouts, errors."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.errors import ConfigurationError
from accord.protocols.problem import NegotiationProblem
from accord.protocols.results import NegotiationResult, replay
from accord.protocols.simulate import simulate, simulate_many
from accord.protocols.strategies import STRATEGIES

from .conftest import pie, random_problem, two_issues

PARTY_STRATEGIES = sorted(set(STRATEGIES) - {"subgame-perfect"})


def check_invariants(problem: NegotiationProblem, r: NegotiationResult) -> None:
    n = problem.n_outcomes
    for e in r.events:
        assert 0 <= e.round < r.deadline
        if e.offer is not None:
            assert 0 <= e.offer < n
            assert e.utilities == pytest.approx(tuple(problem.utilities_at(e.offer, e.round)))
        if e.action == "accept":
            i = r.parties.index(e.actor)
            assert e.utilities is not None
            assert e.utilities[i] >= problem.no_deal_at(e.round)[i] - 1e-12
            assert problem.acceptable_for(i)[e.offer]
    o = r.outcome
    assert 1 <= o.rounds <= r.deadline
    if o.agreement:
        assert o.offer is not None
        assert o.utilities == pytest.approx(tuple(problem.utilities_at(o.offer, o.round)))
        assert problem.acceptable is None or problem.acceptable[o.offer].all()
    else:
        assert o.utilities == pytest.approx(tuple(problem.no_deal_at(o.rounds)))
    assert replay(r, problem.n_parties) == (o.agreement, o.offer, o.round)
    json.dumps(r.to_dict())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 10**6),
    names=st.lists(st.sampled_from(PARTY_STRATEGIES), min_size=2, max_size=3),
    walkouts=st.sampled_from([None, True]),
    protocol=st.sampled_from(["alternating-offers", "single-text", "shuttle"]),
    mediator=st.sampled_from(["nash-single-text", "split-difference", "nash-single-text:patience=3"]),
    deadline=st.integers(1, 40),
)
def test_invariants_hold_on_every_run(seed, names, walkouts, protocol, mediator, deadline) -> None:
    problem = random_problem(seed, n_outcomes=40, n_parties=len(names))
    kw = {
        "protocol": protocol,
        "mediator": None if protocol == "alternating-offers" else mediator,
        "deadline": deadline,
        "seed": seed,
        "walkouts": walkouts,
    }
    r = simulate(problem, names, **kw)
    check_invariants(problem, r)
    again = simulate(problem, names, **kw)
    assert again.to_dict() == r.to_dict()  # same seed, same trace


def test_two_linear_agents_agree_where_computed_by_hand() -> None:
    # Deadline 9: t_k = (k+1)/10. Party 0 asks x >= 1 - t_k, party 1 accepts iff
    # 1 - x >= 1 - t_k, i.e. x <= t_k. Party 0 proposes in even rounds; the first even
    # round with 1 - t_k <= t_k is k = 4 (t = 0.5): x = 0.5, rounds = 5.
    r = simulate(pie(101), "linear", deadline=9)
    assert (r.outcome.agreement, r.outcome.offer, r.outcome.rounds) == (True, 50, 5)
    assert r.outcome.utilities == (0.5, 0.5)
    assert [e.action for e in r.events[-2:]] == ["offer", "accept"]


def test_boulware_against_conceder_by_hand() -> None:
    # Deadline 19, t_k = (k+1)/20, grid step 0.001. Party 0 (Boulware) offers
    # x = ceil(1 - t^4); party 1 (Conceder) offers x = floor(t^0.25) (its share 1 - x >=
    # 1 - t^0.25). Party 1 accepts party 0's offer iff 1 - x >= 1 - t^0.25; party 0
    # accepts iff x >= 1 - t^4. Enumerate the rounds:
    grid = 1000
    expected = None
    for k in range(19):
        t = (k + 1) / 20
        if k % 2 == 0:
            x = np.ceil((1 - t**4) * grid - 1e-9) / grid
            if 1 - x >= 1 - t**0.25 - 1e-12:
                expected = (k, x)
                break
        else:
            x = np.floor(t**0.25 * grid + 1e-9) / grid
            if x >= 1 - t**4 - 1e-12:
                expected = (k, x)
                break
    assert expected is not None
    r = simulate(pie(grid + 1), ["boulware", "conceder"], deadline=19)
    assert r.outcome.round == expected[0]
    assert r.outcome.utilities[0] == pytest.approx(expected[1])


def test_hardliner_against_hardliner_runs_to_the_deadline() -> None:
    r = simulate(pie(11), "hardliner", deadline=7)
    assert not r.outcome.agreement and r.outcome.cause == "deadline"
    assert r.outcome.rounds == 7 and r.summary["distinct_offers"] == 2


def test_multilateral_offer_needs_everyone() -> None:
    # three parties, the third one only accepts outcome 2
    U = np.array([[1.0, 1.0, 0.0], [0.9, 0.9, 0.1], [0.5, 0.5, 1.0]])
    p = NegotiationProblem(U=U, no_deal=[0.0, 0.0, 0.0])
    r = simulate(p, ["linear", "linear", "hardliner"], deadline=30)
    assert r.outcome.agreement and r.outcome.offer == 2
    proposers = [e.actor for e in r.events if e.action == "offer"]
    assert proposers[:4] == ["P0", "P1", "P2", "P0"]  # round robin
    check_invariants(p, r)


def test_discounting_shrinks_the_deal() -> None:
    p = pie(101, discount=(0.9, 0.9))
    r = simulate(p, "linear", deadline=9)
    assert r.outcome.utilities[0] == pytest.approx(0.9**r.outcome.round * 0.5)


def test_walkout_is_recorded_with_who_when_why() -> None:
    # Party 0's outside option is worth 0.45; a hardliner opponent never offers it more
    # than 0 -> party 0 walks out once its patience (t >= 0.25) is over.
    x = np.linspace(0, 1, 101)
    p = NegotiationProblem(U=np.c_[x, 1 - x], no_deal=[0.45, 0.0], party_names=("A", "B"))
    stay = simulate(p, ["linear", "hardliner"], deadline=20)
    assert stay.outcome.cause == "deadline" and not stay.departures  # walkouts are opt-in
    r = simulate(p, ["linear", "hardliner"], deadline=20, walkouts=True)
    assert r.outcome.cause == "walkout"
    d = r.departures[0]
    assert d.actor == "A" and d.round == 5 and "no-deal value 0.450" in d.reason
    assert d.returned is None
    assert "A walked out in round 5" in r.outcome.detail
    assert r.outcome.utilities == (0.45, 0.0)
    check_invariants(p, r)


def test_party_comes_back_when_its_outside_option_decays() -> None:
    x = np.linspace(0, 1, 101)
    p = NegotiationProblem(U=np.c_[x, 1 - x], no_deal=lambda k: np.array([0.6 - 0.02 * k, 0.0]))
    # Boulware offers party 0 nothing early on: it leaves (expected value 0 < 0.3 in
    # round 15) and returns once its outside option has decayed below 0 (round 31).
    r = simulate(p, ["linear:walkout=true", "boulware"], deadline=60)
    acts = [(e.round, e.actor, e.action) for e in r.events if e.action in ("leave", "return")]
    assert acts == [(15, "P0", "leave"), (31, "P0", "return")]
    assert r.departures[0].returned == 31
    assert r.outcome.agreement
    check_invariants(p, r)


def test_bad_faith_opponent_loses_trust_and_the_other_side_walks_out() -> None:
    x = np.linspace(0, 1, 101)
    p = NegotiationProblem(U=np.c_[x, 1 - x], no_deal=[0.3, 0.0])
    honest = simulate(p, ["linear", "linear"], deadline=40)
    assert honest.outcome.agreement
    r = simulate(p, ["linear:patience=0.5,walkout=true", "bad-faith:reopen_at=0.2"], deadline=40, seed=1)
    assert r.outcome.cause == "walkout"
    assert r.departures[0].actor == "P0" and "trust 0.50 after retracted offers" in r.departures[0].reason


def test_mediator_withdraws_and_comes_back() -> None:
    p = two_issues(11)
    r = simulate(
        p,
        "hardliner",
        protocol="single-text",
        mediator="nash-single-text:patience=3,cooloff=2",
        deadline=20,
    )
    acts = [e.action for e in r.events if e.actor == "mediator"]
    assert "withdraw" in acts and "resume" in acts
    assert r.departures[0].actor == "mediator" and r.departures[0].returned is not None
    assert r.outcome.cause == "deadline"


def test_mediator_that_never_returns_is_the_cause() -> None:
    p = two_issues(11)
    r = simulate(
        p,
        "hardliner",
        protocol="shuttle",
        mediator="split-difference:patience=2,cooloff=None",
        deadline=30,
    )
    assert r.outcome.cause == "mediator-withdrew"


def test_shuttle_relays_and_reaches_a_deal_with_decoded_terms() -> None:
    p = two_issues(11)
    r = simulate(p, "linear", protocol="shuttle", mediator="split-difference", deadline=60)
    assert r.outcome.agreement and r.outcome.terms is not None
    relayed = [e for e in r.events if e.action == "propose"]
    assert relayed and all(e.terms is not None for e in relayed)
    # parties never meet: each round has one party act (plus the mediator)
    for k in {e.round for e in r.events}:
        assert len({e.actor for e in r.events if e.round == k} - {"mediator"}) <= 1
    check_invariants(p, r)


@pytest.mark.parametrize(
    ("kwargs", "needle"),
    [
        ({"deadline": 0}, "deadline must be"),
        ({"deadline": 2.5}, "deadline must be"),
        ({"protocol": "single-text"}, "needs a mediator"),
        ({"protocol": "shuttle"}, "needs a mediator"),
        ({"protocol": "alternating"}, "did you mean 'alternating-offers'"),
        ({"mediator": "split-difference"}, "has no mediator"),
        ({"strategies": "bolware"}, "did you mean 'boulware'"),
        ({"strategies": ["linear"] * 3}, "2 parties need 2 strategies"),
        ({"first": 2}, "first proposer"),
    ],
)
def test_configuration_errors_are_one_line(kwargs: dict, needle: str) -> None:
    with pytest.raises(ConfigurationError) as err:
        simulate(pie(11), **kwargs)
    assert needle in str(err.value) and "\n" not in str(err.value)


def _factory(rng: np.random.Generator) -> NegotiationProblem:
    return random_problem(int(rng.integers(10**6)), n_outcomes=30)


def test_monte_carlo_is_identical_for_one_or_two_workers() -> None:
    kw = {"strategies": ["random", "conceder"], "deadline": 20}
    one = simulate_many(_factory, runs=12, seed=7, workers=1, **kw)
    two = simulate_many(_factory, runs=12, seed=7, workers=2, **kw)
    assert one.to_dict() == two.to_dict()
    d = one.to_dict()
    assert d["runs"] == 12 and 0.0 <= d["agreement_rate"] <= 1.0
    assert sum(d["causes"].values()) == 12
    other = simulate_many(_factory, runs=12, seed=8, workers=1, **kw)
    assert other.to_dict() != d
    with pytest.raises(ConfigurationError):
        simulate_many(_factory, runs=0)


def test_an_offer_its_proposer_would_not_sign_cannot_pass() -> None:
    # Party 0's outside option (2.0) beats every outcome: it still has to offer in its
    # turns, but the offer cannot pass even though party 1 accepts anything.
    p = NegotiationProblem(U=[[1.0, 0.0], [0.5, 0.5]], no_deal=[2.0, -1.0])
    r = simulate(p, ["linear", "random:p_accept=1"], deadline=6, seed=0)
    assert not r.outcome.agreement
    p0_offers = [e for e in r.events if e.actor == "P0" and e.action == "offer"]
    assert p0_offers and all("would not sign" in e.note for e in p0_offers)
    check_invariants(p, r)


def test_result_prints_and_displays() -> None:
    r = simulate(two_issues(5), "linear", deadline=20)
    text = str(r)
    assert text.splitlines()[1].startswith("agreement in round") and "north" in text
    html = r._repr_html_()
    assert html.startswith("<div>") and "<table>" in html and "north" in html
    broke = simulate(pie(11), "hardliner", deadline=3)
    assert "no agreement (deadline)" in str(broke)
