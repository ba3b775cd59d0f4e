"""Bargaining solution points: closed forms, a published example, exact brute force, bad input."""

from __future__ import annotations

import itertools
import json
import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from accord.analysis import (
    BargainingSolution,
    bargaining_solutions,
    egalitarian,
    kalai_smorodinsky,
    nash_bargaining,
    pareto_front,
    utilitarian,
)
from accord.errors import AnalysisError


def unit_pie(n_steps: int) -> np.ndarray:
    """Linear utilities of a split of a unit pie: party 1 gets x, party 2 gets 1 - x."""
    x = np.arange(n_steps + 1) / n_steps
    return np.column_stack([x, 1.0 - x])


# ---------------------------------------------------------------- closed forms


def test_unit_pie_nash_ks_egalitarian_give_the_midpoint() -> None:
    U = unit_pie(1000)
    for solve in (nash_bargaining, kalai_smorodinsky, egalitarian):
        result = solve(U, [0.0, 0.0])
        assert result.indices.tolist() == [500], solve.__name__
        np.testing.assert_allclose(result.utilities, [[0.5, 0.5]])
    assert nash_bargaining(U, [0, 0]).value == pytest.approx(0.25)
    assert egalitarian(U, [0, 0]).value == pytest.approx(0.5)
    assert kalai_smorodinsky(U, [0, 0]).value == pytest.approx(0.5)


def test_unit_pie_utilitarian_is_indifferent_between_all_deals() -> None:
    # Every split has sum 1 (up to rounding): all outcomes better than d = 0 for both tie.
    result = utilitarian(unit_pie(1000), [0.0, 0.0])
    assert result.indices.tolist() == list(range(1, 1000))
    assert result.value == pytest.approx(1.0)


@pytest.mark.parametrize(("w", "n_steps", "share"), [((1, 3), 1000, 0.25), ((2, 1), 3000, 2 / 3)])
def test_asymmetric_nash_splits_the_pie_in_proportion_to_weights(
    w: tuple[float, float], n_steps: int, share: float
) -> None:
    # max w1 log x + w2 log(1 - x)  =>  x = w1 / (w1 + w2)
    result = nash_bargaining(unit_pie(n_steps), [0.0, 0.0], weights=w)
    assert result.indices.tolist() == [round(share * n_steps)]
    np.testing.assert_allclose(result.utilities[0], [share, 1 - share], atol=1e-12)
    assert result.value == pytest.approx(share ** w[0] * (1 - share) ** w[1])
    assert result.weights is not None and result.weights.tolist() == list(w)


def test_disagreement_point_shifts_the_nash_split() -> None:
    # Gains over d = (0.2, 0): maximise (x - 0.2)(1 - x)  =>  x = 0.6.
    result = nash_bargaining(unit_pie(1000), [0.2, 0.0])
    assert result.indices.tolist() == [600]
    # Kalai-Smorodinsky: ideal = (1, 0.8); (x - 0.2)/0.8 = (1 - x)/0.8  =>  x = 0.6 too.
    assert kalai_smorodinsky(unit_pie(1000), [0.2, 0.0]).indices.tolist() == [600]


def polygon_frontier(vertices: list[tuple[float, float]], step: float) -> np.ndarray:
    """Points along the upper-right boundary of a polygon, plus its vertices."""
    pts = []
    for (x0, y0), (x1, y1) in itertools.pairwise(vertices):
        n = max(1, round(max(abs(x1 - x0), abs(y1 - y0)) / step))
        t = np.arange(n + 1) / n
        seg = np.column_stack([x0 + t * (x1 - x0), y0 + t * (y1 - y0)])
        pts.append(seg if not pts else seg[1:])  # each vertex once
    return np.concatenate(pts)


def test_kalai_smorodinsky_1975_monotonicity_example() -> None:
    """Kalai & Smorodinsky (1975), Econometrica 43(3), the example that motivates monotonicity.

    S = conv{(0,0), (0,1), (3/4,3/4), (1,0)}, T = conv{(0,0), (0,1), (1,0.7), (1,0)}, d = 0.
    T contains S and offers player 2 more for every utility of player 1, yet the Nash
    solution moves from (3/4, 3/4) in S to (1, 0.7) in T: player 2 loses. The KS solution
    moves from (3/4, 3/4) to the point of T's frontier u2 = 1 - 0.3 u1 on the diagonal,
    u1 = u2 = 1/1.3 = 10/13 (computed by hand): player 2 gains.
    """
    rng = np.random.default_rng(0)
    step = 1 / 1300
    S = polygon_frontier([(0, 1), (0.75, 0.75), (1, 0)], step)
    T = polygon_frontier([(0, 1), (1, 0.7), (1, 0)], step)
    # add dominated interior points: they must not change anything
    S = np.concatenate([S, rng.random((500, 2)) * 0.7])
    T = np.concatenate([T, rng.random((500, 2)) * 0.7])
    d = [0.0, 0.0]

    ks_s, ks_t = kalai_smorodinsky(S, d), kalai_smorodinsky(T, d)
    np.testing.assert_allclose(ks_s.utilities, [[0.75, 0.75]], atol=1e-12)
    np.testing.assert_allclose(ks_t.utilities, [[10 / 13, 10 / 13]], atol=1e-12)
    np.testing.assert_allclose(ks_t.ideal, [1.0, 1.0])
    assert ks_t.utilities[0, 1] > ks_s.utilities[0, 1]  # monotonicity

    nash_s, nash_t = nash_bargaining(S, d), nash_bargaining(T, d)
    np.testing.assert_allclose(nash_s.utilities, [[0.75, 0.75]], atol=1e-12)
    np.testing.assert_allclose(nash_t.utilities, [[1.0, 0.7]], atol=1e-12)
    assert nash_t.utilities[0, 1] < nash_s.utilities[0, 1]  # Nash is not monotone


def test_kalai_smorodinsky_on_a_curved_frontier() -> None:
    # Frontier u2 = 1 - u1^2, d = 0, ideal (1, 1). KS: u1 = u2 = t with t = 1 - t^2, i.e.
    # t = (sqrt 5 - 1)/2 (the golden ratio conjugate). Nash: max u1 (1 - u1^2) at
    # u1 = 1/sqrt 3, u2 = 2/3. (Computed by hand.)
    u1 = np.linspace(0.0, 1.0, 200_001)
    U = np.column_stack([u1, 1.0 - u1**2])
    t = (math.sqrt(5) - 1) / 2
    np.testing.assert_allclose(kalai_smorodinsky(U, [0, 0]).utilities[0], [t, t], atol=1e-5)
    nash = nash_bargaining(U, [0, 0]).utilities[0]
    np.testing.assert_allclose(nash, [1 / math.sqrt(3), 2 / 3], atol=1e-5)


def test_utilitarian_and_egalitarian_differ_hand_example() -> None:
    U = np.array([[10.0, 1.0], [4.0, 4.0], [3.0, 5.0], [0.0, 9.0]])
    d = [0.0, 0.0]
    # sums 11, 8, 8, 9 -> utilitarian picks row 0; smallest gains 1, 4, 3, 0 -> egalitarian row 1
    # (row 3 is not better than d for party 1); Nash products 10, 16, 15 -> row 1.
    assert utilitarian(U, d).indices.tolist() == [0]
    assert utilitarian(U, d).value == 11.0
    assert egalitarian(U, d).indices.tolist() == [1]
    assert egalitarian(U, d).value == 4.0
    assert nash_bargaining(U, d).indices.tolist() == [1]
    assert nash_bargaining(U, d).value == 16.0
    # without a participation constraint row 0 still wins, and d = None is allowed
    assert utilitarian(U).indices.tolist() == [0]
    assert utilitarian(U).to_dict()["disagreement"] is None


def test_leximin_tie_break_and_symmetric_ties() -> None:
    U = np.array([[2.0, 3.0], [2.0, 5.0], [5.0, 2.0], [1.0, 9.0]])
    # min gains 2, 2, 2, 1: the leximin step prefers (2, 5) and (5, 2) over (2, 3)
    result = egalitarian(U, [0, 0])
    assert result.indices.tolist() == [1, 2]
    assert result.index == 1
    assert "2 tied outcomes" in result.message


def test_mask_excludes_outcomes() -> None:
    U = unit_pie(10)
    mask = np.ones(11, dtype=bool)
    mask[5] = False
    result = nash_bargaining(U, [0, 0], mask=mask)
    assert result.indices.tolist() == [4, 6]  # two symmetric next-best splits tie
    assert result.n_candidates == 8


def test_no_deal_better_than_disagreement_is_an_empty_result() -> None:
    U = np.array([[1.0, 0.0], [0.0, 1.0], [0.5, 0.2]])
    for result in bargaining_solutions(U, [0.5, 0.5]).values():
        assert isinstance(result, BargainingSolution)
        assert not result.feasible
        assert result.indices.size == 0 and result.utilities.shape == (0, 2)
        assert result.value is None and result.index is None
        assert "disagreement" in result.message
        json.dumps(result.to_dict())
    assert not nash_bargaining(np.empty((0, 2)), [0, 0]).feasible


def test_to_dict_is_json_serialisable() -> None:
    results = bargaining_solutions(unit_pie(100), np.zeros(2), weights=[1, 2])
    payload = json.loads(json.dumps({k: v.to_dict() for k, v in results.items()}))
    assert payload["nash"]["indices"] == [33]
    assert payload["kalai_smorodinsky"]["ideal"] == [1.0, 1.0]
    assert payload["egalitarian"]["feasible"] is True
    assert isinstance(payload["utilitarian"]["value"], float)


@pytest.mark.parametrize(
    ("kwargs", "path"),
    [
        ({"U": np.zeros(3), "disagreement": [0]}, "U"),
        ({"U": [[np.nan, 1.0]], "disagreement": [0, 0]}, "U"),
        ({"U": np.zeros((2, 0)), "disagreement": []}, "U"),
        ({"U": np.ones((2, 2)), "disagreement": [0, 0, 0]}, "disagreement"),
        ({"U": np.ones((2, 2)), "disagreement": [0, np.nan]}, "disagreement"),
        ({"U": np.ones((2, 2)), "disagreement": [0, 0], "mask": [1, 0]}, "mask"),
        ({"U": np.ones((2, 2)), "disagreement": [0, 0], "mask": [True]}, "mask"),
        ({"U": np.ones((2, 2)), "disagreement": [0, 0], "weights": [1, 0]}, "weights"),
        ({"U": np.ones((2, 2)), "disagreement": [0, 0], "weights": [1, 2, 3]}, "weights"),
        ({"U": np.ones((2, 2)), "disagreement": [0, 0], "rtol": -1.0}, "rtol"),
    ],
)
def test_bad_input_names_the_argument(kwargs: dict[str, object], path: str) -> None:
    with pytest.raises(AnalysisError) as info:
        nash_bargaining(**kwargs)  # type: ignore[arg-type]
    assert info.value.location.path == path
    assert "\n" not in str(info.value)


# ---------------------------------------------------------------- exact brute force


def reference(U: np.ndarray, d: np.ndarray, mask: np.ndarray, kind: str, w: np.ndarray) -> list:
    """Exact (integer / Fraction) maximisers with leximin ties for the max-min solutions."""
    rows = [i for i in range(len(U)) if mask[i] and all(U[i] > d)]
    if not rows:
        return []
    gains = {i: [int(U[i, c] - d[c]) for c in range(U.shape[1])] for i in rows}
    if kind == "nash":
        key = {i: math.prod(g ** int(wc) for g, wc in zip(gains[i], w, strict=True)) for i in rows}
    elif kind == "utilitarian":
        key = {i: sum(gains[i]) for i in rows}
    elif kind == "egalitarian":
        key = {i: tuple(sorted(gains[i])) for i in rows}
    else:
        rational = [i for i in range(len(U)) if mask[i] and all(U[i] >= d)]
        ideal = [max(int(U[i, c]) for i in rational) for c in range(U.shape[1])]
        key = {
            i: tuple(sorted(Fraction(g, ideal[c] - int(d[c])) for c, g in enumerate(gains[i]))) for i in rows
        }
    best = max(key.values())
    return [i for i in rows if key[i] == best]


@st.composite
def problems(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    k = draw(st.integers(1, 4))
    n = draw(st.integers(0, 40))
    U = draw(hnp.arrays(np.int8, (n, k), elements=st.integers(-3, 12))).astype(float)
    d = draw(hnp.arrays(np.int8, (k,), elements=st.integers(-3, 3))).astype(float)
    mask = draw(hnp.arrays(np.bool_, (n,), elements=st.booleans()))
    w = draw(hnp.arrays(np.int8, (k,), elements=st.integers(1, 3)))
    return U, d, mask, w


@settings(max_examples=150, deadline=None)
@given(problems(), st.sampled_from(["nash", "weighted", "egalitarian", "ks", "utilitarian"]))
def test_matches_exact_brute_force(
    problem: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray], kind: str
) -> None:
    U, d, mask, w = problem
    if kind in ("nash", "weighted"):
        weights = w if kind == "weighted" else np.ones_like(w)
        got = nash_bargaining(U, d, weights=weights if kind == "weighted" else None, mask=mask)
        expected = reference(U, d, mask, "nash", weights)
    elif kind == "egalitarian":
        got, expected = egalitarian(U, d, mask=mask), reference(U, d, mask, kind, w)
    elif kind == "ks":
        got, expected = kalai_smorodinsky(U, d, mask=mask), reference(U, d, mask, kind, w)
    else:
        got, expected = utilitarian(U, d, mask=mask), reference(U, d, mask, kind, w)
    assert got.indices.tolist() == expected
    assert got.feasible == bool(expected)
    if expected:
        # every optimum lies on the Pareto front of the candidates
        cand = np.flatnonzero(mask & (U > d).all(axis=1))
        front = set(cand[pareto_front(U[cand])].tolist())
        assert set(expected) <= front


@settings(max_examples=60, deadline=None)
@given(problems(), st.lists(st.integers(-2, 2), min_size=4, max_size=4), st.integers(-5, 5))
def test_nash_and_ks_are_invariant_to_positive_affine_rescaling(
    problem: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
    exponents: list[int],
    shift: int,
) -> None:
    U, d, mask, _ = problem
    k = U.shape[1]
    scale = 2.0 ** np.array(exponents[:k])  # exact in floating point
    U2, d2 = U * scale + shift, d * scale + shift
    for solve in (nash_bargaining, kalai_smorodinsky):
        assert solve(U2, d2, mask=mask).indices.tolist() == solve(U, d, mask=mask).indices.tolist()


def test_text_and_html_display() -> None:
    result = nash_bargaining(unit_pie(10), [0, 0])
    assert str(result).startswith("nash: outcome 5 of 9 candidates")
    page = result._repr_html_()
    assert "<table>" in page and "<td>5</td>" in page and "<td>0.5</td>" in page
    empty = nash_bargaining(unit_pie(10), [1, 1])
    assert "<table>" not in empty._repr_html_() and "disagreement" in empty._repr_html_()
