"""Expected-utility model (Scholz, Calbert & Smith 2011): closed forms and invariants."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.forecast import SpatialProblem, run
from accord.forecast.baselines import weighted_median
from accord.forecast.expected_utility import (
    CAPITULATE,
    COMPROMISE,
    CONFRONT,
    basic_utilities,
    eu_run,
    expected_utilities,
    median_position,
    resolve_offers,
    risk_exponents,
    success_probabilities,
)

actors = st.integers(3, 8).flatmap(
    lambda n: st.tuples(
        st.lists(st.floats(0.1, 10), min_size=n, max_size=n),
        st.lists(st.floats(0, 1), min_size=n, max_size=n),
        st.lists(st.floats(0.05, 1), min_size=n, max_size=n),
    )
)


@settings(max_examples=60, deadline=None)
@given(actors)
def test_probabilities_are_complementary(args: tuple[list[float], ...]) -> None:
    c, x, s = (np.array(a) for a in args)
    p = success_probabilities(x, c * s)
    assert np.all((p >= 0) & (p <= 1))
    np.testing.assert_allclose(p + p.T, 1.0, atol=1e-12)


def test_probability_closed_form() -> None:
    # actors at 0, 0.5, 1 with weights 1, 1, 2; contest of the first against the last:
    # votes 1 (for the first), 0 (indifferent), 2 (for the last), so P = 1/3 and 2/3
    p = success_probabilities([0.0, 0.5, 1.0], [1.0, 1.0, 2.0])
    assert p[0, 2] == pytest.approx(1 / 3)
    assert p[2, 0] == pytest.approx(2 / 3)


def test_risk_neutral_utilities_and_expected_utility_closed_form() -> None:
    # with r = 1: U^s = 2d, U^f = -2d, U^sq = 0, so with Q = 1
    # EU[i, j] = 2 d_ij (1 - 2 s_j (1 - P_ij))
    x = np.array([0.0, 0.3, 1.0])
    s = np.array([0.5, 0.8, 0.2])
    w = np.array([1.0, 2.0, 1.5]) * s
    u = basic_utilities(x, 0.3, np.ones(3))
    d = np.abs(x[:, None] - x[None, :])
    np.testing.assert_allclose(u["s"], 2 * d, atol=1e-12)
    np.testing.assert_allclose(u["f"], -2 * d, atol=1e-12)
    np.testing.assert_allclose(u["sq"], 0.0, atol=1e-12)
    p = success_probabilities(x, w)
    eu = expected_utilities(x, s, w, 0.3, np.ones(3))
    expect = 2 * d * (1 - 2 * s[None, :] * (1 - p))
    np.fill_diagonal(expect, 0.0)
    np.testing.assert_allclose(eu, expect, atol=1e-12)


@settings(max_examples=60, deadline=None)
@given(actors)
def test_risk_exponents_span_half_to_two(args: tuple[list[float], ...]) -> None:
    c, x, s = (np.array(a) for a in args)
    w = c * s
    r = risk_exponents(expected_utilities(x, s, w, median_position(x, w), np.ones(len(x))))
    assert np.all((r >= 0.5 - 1e-12) & (r <= 2 + 1e-12))
    if not np.allclose(r, 1.0):
        assert r.min() == pytest.approx(0.5) and r.max() == pytest.approx(2.0)


@settings(max_examples=60, deadline=None)
@given(actors)
def test_median_voter_is_weighted_median(args: tuple[list[float], ...]) -> None:
    c, x, s = (np.array(a) for a in args)
    w = c * s
    half = w.sum() / 2
    order = np.argsort(x)
    cum = np.cumsum(w[order])
    if np.any(np.isclose(cum, half)) or len(set(x.tolist())) < len(x):
        return  # ties: any point between the two middle positions wins
    assert median_position(x, w) == pytest.approx(weighted_median(w, x[:, None], np.ones((len(x), 1)))[0])


def test_offer_resolution_cases() -> None:
    x = np.array([0.0, 1.0, 0.5, 0.8])
    eu = np.zeros((4, 4))
    eu[0, 1], eu[1, 0] = 0.6, 0.2  # both gain, 1 gains less: 1 loses the confrontation
    eu[0, 2], eu[2, 0] = 0.5, -0.1  # 2 loses less than 0 gains: compromise by 0.1/0.5
    eu[1, 3], eu[3, 1] = 0.2, -0.4  # 3 loses more than 1 gains: capitulation
    new, outcome, sender = resolve_offers(x, eu)
    assert outcome.tolist() == [0, CONFRONT, COMPROMISE, CAPITULATE]
    assert new[1] == 0.0 and new[3] == 1.0
    assert new[2] == pytest.approx(0.5 - 0.5 * 0.2)
    assert sender.tolist() == [-1, 0, 0, 1]
    assert new[0] == 0.0  # 1 challenged 0 too but 0 expects to win: stays


def test_run_stays_in_hull_and_is_deterministic() -> None:
    rng = np.random.default_rng(4)
    c, pos, sal = rng.uniform(1, 10, 7), rng.uniform(10, 90, (7, 2)), rng.uniform(0.1, 1, (7, 2))
    a = eu_run(c, pos, sal)
    b = eu_run(c, pos, sal)
    for d in range(2):
        for ra, rb in zip(a[d], b[d], strict=True):
            assert np.array_equal(ra.positions, rb.positions)
            assert pos[:, d].min() - 1e-9 <= ra.positions.min()
            assert ra.positions.max() <= pos[:, d].max() + 1e-9


def test_facade() -> None:
    pr = SpatialProblem(
        ["a", "b", "c", "d"],
        ["x"],
        [10.0, 1.0, 1.0, 1.0],
        [[20.0], [80.0], [60.0], [30.0]],
        [[0.9], [0.5], [0.5], [0.5]],
    )
    res = run(pr, "eu")
    assert res.model == "eu" and res.turns >= 1
    assert res.forecast["x"] == pytest.approx(20.0)  # the dominant actor is the median voter
    assert res.to_dict()["history"][0]["positions"]["b"]["x"] == 80.0
    with pytest.raises(Exception, match="no option"):
        run(pr, "eu", rounds=3)
