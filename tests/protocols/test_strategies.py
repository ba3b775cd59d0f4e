"""Each strategy on its own: the rule it documents, and the registry."""

from __future__ import annotations

import numpy as np
import pytest

from accord.errors import ConfigurationError
from accord.protocols.problem import NegotiationProblem
from accord.protocols.simulate import simulate
from accord.protocols.strategies import (
    MEDIATORS,
    STRATEGIES,
    BadFaith,
    Hardliner,
    NashSingleText,
    Strategy,
    SubgamePerfect,
    TimeBased,
    TitForTat,
    View,
    backward_induction,
    frequency_model,
    make_mediator,
    make_strategy,
    mediator_table,
    nash_products,
    strategy_table,
)

from .conftest import pie, two_issues

RNG = np.random.default_rng(0)


def view(
    problem: NegotiationProblem,
    me: int = 0,
    round: int = 0,
    deadline: int = 9,
    rng: np.random.Generator = RNG,
) -> View:
    return View(
        problem=problem,
        me=me,
        round=round,
        deadline=deadline,
        t=(round + 1) / (deadline + 1),
        utility=problem.U[:, me] * problem.discount_at(round)[me],
        no_deal=float(problem.no_deal_at(round)[me]),
        acceptable=problem.acceptable_for(me),
        history=[],
        rng=rng,
    )


def ready(s: Strategy, problem: NegotiationProblem, me: int = 0, deadline: int = 9) -> Strategy:
    s.reset(problem, me, deadline)
    return s


# ---------------------------------------------------------------- registry
def test_registry_lists_every_strategy_with_metadata() -> None:
    rows = strategy_table()
    assert {r.name for r in rows} == set(STRATEGIES)
    for r in rows + mediator_table():
        assert r.family and r.source, r.name
        assert isinstance(r.stochastic, bool) and isinstance(r.uses_opponent_model, bool)
        assert r.to_dict()["name"] == r.name
    assert {r.name for r in rows if r.stochastic} == {"random", "bad-faith"}
    assert [r.name for r in rows if r.uses_opponent_model] == ["frequency"]
    assert set(MEDIATORS) == {"split-difference", "nash-single-text"}


def test_make_strategy_by_name_with_parameters() -> None:
    s = make_strategy("time-based:exponent=2.5,walkout=true")
    assert isinstance(s, TimeBased) and s.exponent == 2.5 and s.walkout is True
    assert make_strategy("linear").walkout is False
    assert s.describe() == "time-based(exponent=2.5)"
    assert make_strategy("boulware").exponent == 4.0  # type: ignore[attr-defined]
    assert make_strategy("conceder").exponent == 0.25  # type: ignore[attr-defined]
    assert isinstance(make_mediator("nash-single-text:patience=3"), NashSingleText)


@pytest.mark.parametrize(
    ("call", "needle"),
    [
        (lambda: make_strategy("bolware"), "did you mean 'boulware'"),
        (lambda: make_strategy("tit-for-tatt"), "did you mean 'tit-for-tat'"),
        (lambda: make_strategy("linear:speed=2"), "bad parameters"),
        (lambda: make_strategy("linear:exponent"), "key=value"),
        (lambda: make_strategy("time-based:exponent=-1"), "positive"),
        (lambda: make_mediator("nash"), "unknown mediator"),
    ],
)
def test_bad_names_and_parameters(call, needle: str) -> None:
    with pytest.raises(ConfigurationError) as err:
        call()
    assert needle in str(err.value) and "\n" not in str(err.value)


# ---------------------------------------------------------------- time-based
def test_time_based_threshold_offer_and_acceptance() -> None:
    p = pie(101)
    s = ready(TimeBased(exponent=2.0), p)
    v = view(p, round=4, deadline=9)  # t = 0.5 -> aspiration 1 - 0.25 = 0.75
    assert s.threshold(v) == pytest.approx(0.75)
    assert s.propose(v) == 75  # worst outcome with u0 >= 0.75
    assert s.respond(v, 75) and not s.respond(v, 74)


def test_boulware_concedes_later_than_conceder() -> None:
    p = pie(1001)
    v = view(p, round=2, deadline=9)
    b = ready(make_strategy("boulware"), p)
    c = ready(make_strategy("conceder"), p)
    assert p.U[b.propose(v), 0] > p.U[c.propose(v), 0]


def test_time_based_respects_no_deal_and_red_lines() -> None:
    x = np.linspace(0, 1, 11)
    acc = np.ones((11, 2), dtype=bool)
    acc[10, 0] = False  # party 0's best outcome crosses its own red line
    p = NegotiationProblem(U=np.c_[x, 1 - x], no_deal=[0.4, 0.0], acceptable=acc)
    s = ready(make_strategy("conceder"), p)
    v = view(p, round=8, deadline=9)
    assert s.propose(v) <= 9
    assert not s.respond(v, 3)  # 0.3 < no-deal 0.4
    assert not s.respond(v, 10)  # red line


def test_hardliner_never_moves() -> None:
    p = pie(11)
    s = ready(Hardliner(), p)
    for k in range(9):
        v = view(p, round=k)
        assert s.propose(v) == 10
        assert not s.respond(v, 9) and s.respond(v, 10)


def test_random_strategy_is_rational_and_reproducible() -> None:
    p = NegotiationProblem(U=np.c_[np.linspace(0, 1, 50), np.zeros(50)], no_deal=[0.5, 0.0])
    s = ready(make_strategy("random"), p)
    rng = np.random.default_rng(5)
    offers = [s.propose(view(p, rng=rng)) for _ in range(30)]
    assert all(p.U[o, 0] >= 0.5 for o in offers) and len(set(offers)) > 5
    again = ready(make_strategy("random"), p)
    rng = np.random.default_rng(5)
    assert [again.propose(view(p, rng=rng)) for _ in range(30)] == offers


def test_tit_for_tat_reciprocates_concessions() -> None:
    p = pie(101)
    s = ready(TitForTat(opening=0.0), p)
    v = view(p)
    assert s.propose(v) == 100
    s.observe(v, 1, 10)  # opponent offers x = 0.10 -> my utility 0.10
    s.observe(v, 1, 30)  # then x = 0.30: it conceded 0.20 to me
    assert s.propose(v) == 80  # I concede 0.20 back
    s.observe(v, 1, 20)  # a retraction is not rewarded
    assert s.propose(v) == 80


def test_frequency_model_learns_what_the_opponent_holds_fixed() -> None:
    p = two_issues(5)
    lv = p.levels
    assert lv is not None
    # the opponent always asks for b = 4 and varies a
    offers = [int(np.flatnonzero((lv[:, 0] == a) & (lv[:, 1] == 4))[0]) for a in (0, 1, 2, 3)]
    est = frequency_model(p, offers)
    hi_b = est[(lv[:, 1] == 4)].mean()
    lo_b = est[(lv[:, 1] == 0)].mean()
    assert hi_b > lo_b
    assert est.max() <= 1.0 and est.min() >= 0.0
    assert frequency_model(pie(5), [1, 1, 2]).tolist() == [0.0, 1.0, 0.5, 0.0, 0.0]


def test_frequency_strategy_offers_what_the_model_favours() -> None:
    p = two_issues(5)
    lv = p.levels
    assert lv is not None
    s = ready(make_strategy("frequency:band=0.5"), p, me=0)
    v = view(p, me=0, round=8)  # threshold 0.1 + (1 - 0.9**2) * 0.9 = 0.271
    v.history.extend((1, int(o)) for o in np.flatnonzero(lv[:, 1] == 4)[:3])
    o = s.propose(v)
    assert lv[o, 1] == 4  # gives the opponent the value it keeps asking for


def test_bad_faith_fakes_concessions_then_reopens() -> None:
    p = pie(101)
    s = ready(BadFaith(reopen_at=0.5), p)
    early = [s.propose(view(p, round=k, deadline=20)) for k in range(4)]
    assert all(p.U[o, 0] >= 0.97 for o in early) and len(set(early)) > 1
    late = s.propose(view(p, round=12, deadline=20))
    assert late == 100  # back to its best: the "settled" points are re-opened


def test_retractions_lower_trust() -> None:
    p = pie(101)
    s = ready(make_strategy("linear"), p)
    v = view(p)
    s.observe(v, 1, 40)
    s.observe(v, 1, 50)
    assert s.trust == 1.0
    s.observe(v, 1, 10)  # takes back 0.4 of what it had offered
    assert s.trust == 0.5


# ---------------------------------------------------------------- equilibrium
def test_backward_induction_last_round_is_ultimatum() -> None:
    p = pie(11, discount=(0.9, 0.9))
    offers, values = backward_induction(p, deadline=1)
    assert offers.tolist() == [10]  # take everything: the responder gets no deal (0)
    assert values[0].tolist() == [1.0, 0.0]


@pytest.mark.parametrize(("d1", "d2"), [(0.9, 0.8), (0.8, 0.9), (0.95, 0.95), (0.6, 0.7)])
def test_rubinstein_split(d1: float, d2: float) -> None:
    """Rubinstein (1982): the first proposer's share tends to (1 - d2) / (1 - d1 d2)."""
    n = 10001
    p = pie(n, discount=(d1, d2))
    r = simulate(p, "subgame-perfect", deadline=300)
    assert r.outcome.agreement and r.outcome.rounds == 1
    share = p.U[r.outcome.offer, 0]
    # each backward step can round by one grid step; the errors add up geometrically
    tol = 2.0 / (n - 1) / (1 - d1 * d2)
    assert share == pytest.approx((1 - d2) / (1 - d1 * d2), abs=tol)


def test_subgame_perfect_needs_two_parties() -> None:
    p = NegotiationProblem(U=np.eye(3), no_deal=[0, 0, 0])
    with pytest.raises(ConfigurationError, match="exactly 2 parties"):
        simulate(p, "subgame-perfect", deadline=5)
    assert isinstance(make_strategy("subgame-perfect"), SubgamePerfect)


# ---------------------------------------------------------------- mediators
def test_nash_products() -> None:
    p = NegotiationProblem(U=[[0.5, 0.5], [0.9, 0.2], [0.3, 0.3]], no_deal=[0.1, 0.1])
    assert nash_products(p, 0) == pytest.approx([0.16, 0.08, 0.04])


def test_nash_single_text_climbs_to_the_nash_point_on_a_symmetric_problem() -> None:
    p = two_issues(11)
    nash = int(np.argmax(nash_products(p, 0)))
    r = simulate(p, "linear", protocol="single-text", mediator="nash-single-text", deadline=60)
    assert r.outcome.agreement and r.outcome.offer == nash
    assert r.outcome.terms == {"a": 3, "b": 3}
    # without issue structure every outcome is a neighbour: same point
    flat = NegotiationProblem(U=p.U, no_deal=[0.1, 0.1])
    r2 = simulate(flat, "linear", protocol="single-text", mediator="nash-single-text", deadline=60)
    assert r2.outcome.offer == nash


def test_split_the_difference_relays_the_midpoint() -> None:
    p = pie(101)
    m = make_mediator("split-difference")
    m.reset(p, 10)
    from accord.protocols.strategies import MediatorView

    v = MediatorView(p, 0, 10, None, {0: 80, 1: 40}, {}, 0, np.random.default_rng(0))
    assert m.propose(v) == 60


def test_subgame_perfect_reads_who_proposes_first() -> None:
    d1, d2 = 0.9, 0.8
    p = pie(10001, discount=(d1, d2))
    r = simulate(p, "subgame-perfect", deadline=300, first=1)
    assert r.outcome.rounds == 1
    # party 1 proposes first and keeps (1 - d1) / (1 - d1 d2) of the pie
    assert p.U[r.outcome.offer, 1] == pytest.approx((1 - d1) / (1 - d1 * d2), abs=1e-3)
