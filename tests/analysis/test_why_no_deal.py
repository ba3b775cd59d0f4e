"""Why no deal, leverage, trades and Monte Carlo, checked against exhaustive search on small spaces."""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import accord
from accord.analysis import leverage, requirement_matrix, why_no_deal, zopa
from accord.analysis.logrolling import logrolls
from accord.analysis.report import analyze
from accord.analysis.uncertainty import first_order_indices, monte_carlo, uncertain_params
from accord.scenario import from_dict
from accord.space import OutcomeSpace


def two_party(
    a_min: float, b_max: float, d_a: float = 0.2, d_b: float = 0.2, levers: list | None = None
) -> OutcomeSpace:
    """Two parties on one km issue (0..3 step 0.1) and a yes/no issue; red lines a >= a_min, b <= b_max."""
    data = {
        "id": "t",
        "title": "t",
        "as_of": "2025-01-01",
        "issues": [
            {"id": "km", "kind": "numeric", "min": 0, "max": 3, "step": 0.1, "unit": "km"},
            {"id": "aid", "kind": "categorical", "options": ["un", "mixed", "other"]},
        ],
        "actors": [
            {
                "id": "a",
                "name": "A",
                "role": "party",
                "capability": 0.6,
                "positions": {
                    "km": {"ideal": 3, "salience": 0.6, "red_line": {"min": a_min}},
                    "aid": {"salience": 0.4, "values": {"un": 0.0, "mixed": 0.6, "other": 1.0}},
                },
                "no_deal": {"value": d_a, "decay": 0.01},
            },
            {
                "id": "b",
                "name": "B",
                "role": "party",
                "capability": 0.4,
                "positions": {
                    "km": {"ideal": 0, "salience": 0.5, "red_line": {"max": b_max}},
                    "aid": {
                        "salience": 0.5,
                        "values": {"un": 1.0, "mixed": 0.7, "other": 0.0},
                        "red_line": {"forbid": ["other"]},
                    },
                },
                "no_deal": {"value": d_b},
            },
            {"id": "m", "name": "M", "role": "mediator", "capability": 0.5, "levers": levers or []},
        ],
    }
    return OutcomeSpace(from_dict(data))


def test_red_line_gap_gives_one_conflict_set_and_two_relaxations() -> None:
    space = two_party(2.0, 1.3)
    w = why_no_deal(space)
    assert not w.zopa_exists and w.exact
    assert [[(r.actor, r.issue) for r in c] for c in w.conflict_sets] == [[("a", "km"), ("b", "km")]]
    relaxed = {tuple((r.actor, r.issue) for r in rel.requirements): rel for rel in w.relaxations}
    assert set(relaxed) == {(("a", "km"),), (("b", "km"),)}
    # least concession is exactly the other side's red line
    assert relaxed[(("a", "km"),)].terms["km"] == pytest.approx(1.3)
    assert relaxed[(("b", "km"),)].terms["km"] == pytest.approx(2.0)
    assert (
        "A would have to accept 1.3 km on km (its red line: at least 2 km)" in relaxed[(("a", "km"),)].needed
    )


def test_deal_exists_when_red_lines_overlap() -> None:
    space = two_party(1.0, 1.5)
    assert zopa(space).exists
    assert why_no_deal(space).zopa_exists


def _brute_minimal_sets(met: np.ndarray) -> tuple[set[frozenset[int]], set[frozenset[int]]]:
    k = met.shape[1]
    feasible = {}
    for r in range(k + 1):
        for s in combinations(range(k), r):
            feasible[frozenset(s)] = bool(met[:, list(s)].all(axis=1).any()) if s else True
    full = frozenset(range(k))
    mus = {s for s, f in feasible.items() if not f and all(feasible[s - {j}] for j in s)}
    mcs = {s for s in feasible if feasible[full - s] and all(not feasible[full - (s - {j})] for j in s)}
    return mus, mcs


@settings(max_examples=40, deadline=None)
@given(
    a_min=st.sampled_from([0.5, 1.0, 1.5, 2.0, 2.5]),
    b_max=st.sampled_from([0.5, 1.0, 1.5, 2.0, 2.5]),
    d_a=st.floats(0.0, 0.9),
    d_b=st.floats(0.0, 0.9),
)
def test_minimal_sets_match_exhaustive_search(a_min: float, b_max: float, d_a: float, d_b: float) -> None:
    space = two_party(a_min, b_max, d_a, d_b)
    rm = requirement_matrix(space)
    w = why_no_deal(space)
    mus, mcs = _brute_minimal_sets(rm.met)
    index = {(r.kind, r.actor, r.issue): j for j, r in enumerate(rm.requirements)}
    got_mus = {frozenset(index[(r.kind, r.actor, r.issue)] for r in c) for c in w.conflict_sets}
    got_mcs = {
        frozenset(index[(r.kind, r.actor, r.issue)] for r in rel.requirements) for rel in w.relaxations
    }
    if w.zopa_exists:
        assert mus == set() and rm.met.all(axis=1).any()
    else:
        assert got_mus == mus
        assert got_mcs == mcs
        for rel in w.relaxations:  # the reported outcome meets every requirement not relaxed
            keep = [
                j
                for j in range(rm.met.shape[1])
                if j not in {index[(r.kind, r.actor, r.issue)] for r in rel.requirements}
            ]
            assert rm.met[rel.outcome, keep].all()


def test_no_deal_relaxation_reports_the_utility_drop() -> None:
    space = two_party(1.0, 1.5, d_a=0.95)  # A's no-deal value is higher than anything B can give it
    w = why_no_deal(space)
    assert not w.zopa_exists
    [single] = [r for r in w.relaxations if [q.kind for q in r.requirements] == ["no_deal"]]
    U = space.utilities()
    ok = requirement_matrix(space).met
    # exact: the best A can get among outcomes meeting every other requirement
    others = [j for j in range(ok.shape[1]) if j != 1]  # requirement 1: A better off than no deal
    best_for_a = U[ok[:, others].all(axis=1), 0].max()
    assert U[single.outcome, 0] == pytest.approx(best_for_a)


def test_leverage_pressure_on_red_lines_matches_brute_force() -> None:
    levers = [
        {"id": "push_a", "kind": "pressure", "target": "a", "issue": "km", "max": 0.5, "cost": 1.0},
        {"id": "push_b", "kind": "pressure", "target": "b", "issue": "km", "max": 0.3, "cost": 0.5},
    ]
    space = two_party(2.0, 1.3, levers=levers)
    lev = leverage(space)
    a, b = lev.singles
    assert not a.opens and a.amounts[0] == pytest.approx(0.7)  # needs the whole gap alone
    assert not b.opens
    [pair] = lev.pairs
    assert pair.opens
    # cheapest split of the 0.7 km gap: B's cheaper 0.3 km, A's remaining 0.4 km
    assert pair.amounts == pytest.approx([0.4, 0.3])
    assert pair.cost == pytest.approx(0.4 * 1.0 + 0.3 * 0.5)
    assert lev.cheapest is pair


def test_no_deal_pressure_amount_is_exact() -> None:
    levers = [{"id": "press", "kind": "pressure", "target": "a", "max": 0.5}]
    space = two_party(1.0, 1.5, d_a=0.95, levers=levers)
    lev = leverage(space)
    [use] = lev.singles
    U = space.utilities()
    met = requirement_matrix(space).met
    others = met[:, [0, 2, 3, 4]].all(axis=1)  # everything but A's no-deal condition
    need = 0.95 - U[others, 0].max()
    assert use.opens and use.amounts[0] == pytest.approx(need, abs=1e-6)


def test_logroll_gains_for_both_on_textbook() -> None:
    [trade] = logrolls(accord.OutcomeSpace(accord.load("textbook-two-party")))
    assert trade.joint_gain
    assert trade.first_gets == ["leave"] and trade.second_gets == ["pay"]
    assert trade.weight_ratio["security"] == pytest.approx(2.0)


def test_monte_carlo_is_reproducible_and_matches_the_slow_path() -> None:
    space = accord.OutcomeSpace(accord.load("textbook-two-party"))
    mc1 = monte_carlo(space, 200, seed=7)
    mc2 = monte_carlo(space, 200, seed=7)
    np.testing.assert_array_equal(mc1.exists_now, mc2.exists_now)
    np.testing.assert_array_equal(mc1.nash_index, mc2.nash_index)
    # each draw, rebuilt as a full scenario and analysed the slow way, agrees
    params = uncertain_params(space.scenario)
    base = accord.scenario.to_data(space.scenario)
    for s in range(0, 200, 25):
        data = _with_values(base, params, mc1.samples[s])
        sp = OutcomeSpace(from_dict(data))
        z = zopa(sp)
        assert z.exists == bool(mc1.exists_now[s])
        if z.exists:
            U = sp.utilities()
            d = sp.no_deal(0)[:2]
            gains = np.log(U[z.outcomes][:, :2] - d).sum(axis=1)
            assert sp.index[z.outcomes[int(np.argmax(gains))]] == mc1.nash_index[s]


def _with_values(base: dict, params: list, values: np.ndarray) -> dict:
    import copy

    data = copy.deepcopy(base)
    for p, v in zip(params, values, strict=True):
        node = data
        for part in p.path[:-1]:
            node = node[part]
        leaf = node[p.path[-1]]
        if isinstance(leaf, dict):
            leaf["value"] = float(v)
            leaf.pop("range", None)
        else:
            node[p.path[-1]] = float(v)
    return data


def test_first_order_index_finds_the_driver() -> None:
    rng = np.random.default_rng(0)
    X = rng.random((4000, 3))
    y = (X[:, 1] > 0.5).astype(float)
    s = first_order_indices(X, y)
    assert s[1] > 0.9 and s[0] < 0.02 and s[2] < 0.02


def test_gaza_analysis_finds_the_withdrawal_gap_and_the_paired_lever() -> None:
    a = analyze(accord.OutcomeSpace(accord.load("gaza-2025-07")), runs=200)
    assert not a.zopa.exists
    assert [c.issue for c in a.collisions] == ["withdrawal_km"]
    cheapest = a.leverage.cheapest
    assert cheapest is not None and len(cheapest.levers) == 2
    assert {lv.issue for lv in cheapest.levers} == {"withdrawal_km"}
    assert a.monte_carlo is not None and 0 < a.monte_carlo.p_deal < 0.5


def test_constant_utilities_get_a_clear_error() -> None:
    data = {
        "id": "flat",
        "title": "flat",
        "as_of": "2025-01-01",
        "issues": [{"id": "x", "kind": "ordinal", "levels": ["low", "mid", "high"]}],
        "actors": [
            {
                "id": "a",
                "name": "A",
                "role": "party",
                "capability": 1,
                "positions": {"x": {"ideal": "high", "salience": 1}},
            },
            {
                "id": "b",
                "name": "B",
                "role": "party",
                "capability": 1,
                "positions": {"x": {"salience": 1, "values": {"low": 0.5, "mid": 0.5, "high": 0.5}}},
            },
        ],
    }
    with pytest.raises(accord.ScenarioError, match=r"party 'b' values every package the same \(0.50\)"):
        analyze(OutcomeSpace(from_dict(data)), runs=0)


def test_uncertain_parameters_are_named_in_words() -> None:
    from accord.analysis.uncertainty import uncertain_params
    from accord.scenario.loader import load

    labels = {p.path: p.label for p in uncertain_params(load("gaza-2025-07"))}
    depth = "Depth of the Israeli-held perimeter zone during the truce"
    assert labels[("actors", 0, "positions", "withdrawal_km", "red_line", "min")] == (
        f"Government of Israel: red line on {depth} (at least)"
    )
    assert labels[("actors", 0, "positions", "withdrawal_km", "salience")] == (
        f"Government of Israel: weight of {depth}"
    )
    assert labels[("actors", 0, "positions", "guarantee", "values", "none")] == (
        "Government of Israel: value of 'No outside guarantee' on Guarantee of Israeli adherence to the truce"
    )
    assert labels[("actors", 0, "no_deal", "value")] == "Government of Israel: value of no deal"
    us = next(k for k in labels if k[2] == "levers" and k[-1] == "max")
    assert labels[us].endswith("most pressure on Government of Israel")
