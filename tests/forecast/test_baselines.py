"""Baselines: closed forms, brute-force cross-checks and properties."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.errors import ConfigurationError, ModelError
from accord.forecast import SpatialProblem, run
from accord.forecast.baselines import compromise, nash_bargaining, weighted_median


def test_compromise_closed_form() -> None:
    cap = [1.0, 2.0, 1.0]
    pos = [[0.0, 10.0], [50.0, 20.0], [100.0, 90.0]]
    sal = [[1.0, 0.5], [0.5, 0.5], [1.0, 1.0]]
    # dim 0: weights 1, 1, 1 -> 50; dim 1: weights 0.5, 1, 1 -> (5 + 20 + 90) / 2.5 = 46
    np.testing.assert_allclose(compromise(cap, pos, sal), [50.0, 46.0])


def test_compromise_all_zero_salience_falls_back_to_capability() -> None:
    out = compromise([1.0, 3.0], [[0.0], [100.0]], [[0.0], [0.0]])
    np.testing.assert_allclose(out, [75.0])


def test_weighted_median_closed_form() -> None:
    cap = [1.0, 1.0, 1.0, 4.0]
    pos = [[0.0], [10.0], [20.0], [90.0]]
    sal = [[1.0], [1.0], [1.0], [1.0]]
    # total 7, half 3.5: cumulative 1, 2, 3, 7 -> the heavy actor at 90 is the median
    np.testing.assert_allclose(weighted_median(cap, pos, sal), [90.0])
    # with weight 3 the split is exactly half: midpoint of 20 and 90
    np.testing.assert_allclose(weighted_median([1, 1, 1, 3], pos, sal), [55.0])


def test_weighted_median_ignores_order_of_actors() -> None:
    pos = np.array([[30.0], [10.0], [70.0]])
    cap = np.array([1.0, 1.0, 1.0])
    sal = np.ones((3, 1))
    assert weighted_median(cap, pos, sal)[0] == 30.0
    assert weighted_median(cap[::-1], pos[::-1], sal)[0] == 30.0


def test_nash_quadratic_two_actors_closed_form() -> None:
    # u_i = -(x - p_i)^2, q = 0, p = 60, 100, equal weights: first-order condition
    # 2/x = 1/(120 - x) + 1/(200 - x)  =>  x^2 - 240 x + 12000 = 0  =>  x = 120 - sqrt(2400)
    x = nash_bargaining([1, 1], [[60.0], [100.0]], [[0.5], [0.5]], [0.0])
    assert x[0] == pytest.approx(120 - math.sqrt(2400), abs=1e-7)


def test_nash_linear_two_actors_closed_form() -> None:
    # u_i = -|x - p_i|, q = 0: on [60, 100] the Nash product is (120 - x)^w1 * x^w2,
    # maximised at x = 120 w2 / (w1 + w2): 60 for equal weights, 90 for w2 = 3 w1.
    pos, sq = [[60.0], [100.0]], [0.0]
    assert nash_bargaining([1, 1], pos, [[1], [1]], sq, exponent=1)[0] == pytest.approx(60, abs=1e-7)
    assert nash_bargaining([1, 3], pos, [[1], [1]], sq, exponent=1)[0] == pytest.approx(90, abs=1e-7)


def test_nash_status_quo_between_actors_is_a_veto() -> None:
    x = nash_bargaining([1, 1], [[20.0], [80.0]], [[1], [1]], [50.0])
    assert x[0] == 50.0


def test_nash_single_interested_actor_gets_its_ideal() -> None:
    x = nash_bargaining([1, 1], [[70.0], [10.0]], [[1], [0]], [0.0])
    assert x[0] == pytest.approx(70.0, abs=1e-7)


@settings(max_examples=60, deadline=None)
@given(
    st.integers(min_value=2, max_value=6).flatmap(
        lambda n: st.tuples(
            st.lists(st.floats(0.1, 10), min_size=n, max_size=n),
            st.lists(st.floats(0, 100), min_size=n, max_size=n),
            st.lists(st.floats(0.05, 1), min_size=n, max_size=n),
            st.floats(0, 100),
        )
    )
)
def test_nash_matches_brute_force_grid(args: tuple[list[float], ...]) -> None:
    cap, pos, sal, q = args
    p = np.array(pos)[:, None]
    s = np.array(sal)[:, None]
    x = nash_bargaining(cap, p, s, [q])[0]
    grid = np.linspace(0, 100, 20001)
    gain = (p[:, 0, None] - q) ** 2 - (grid[None, :] - p[:, 0, None]) ** 2
    with np.errstate(divide="ignore", invalid="ignore"):
        obj = np.where(
            np.all(gain > 0, axis=0),
            (np.array(cap)[:, None] * s[:, 0, None] * np.log(np.maximum(gain, 1e-300))).sum(0),
            -np.inf,
        )
    r = np.abs(q - p[:, 0])
    lo, hi = max(0.0, float(np.max(p[:, 0] - r))), min(100.0, float(np.min(p[:, 0] + r)))
    if hi - lo < 0.05:  # acceptable set narrower than the grid resolves
        assert lo - 1e-9 <= x <= hi + 1e-9
    elif np.all(np.isinf(obj)):
        assert x == pytest.approx(q, abs=1e-6)  # only the status quo is acceptable to all
    else:
        best = grid[np.argmax(obj)]
        assert x == pytest.approx(best, abs=0.02)


@settings(max_examples=60, deadline=None)
@given(
    st.integers(min_value=2, max_value=8).flatmap(
        lambda n: st.tuples(
            st.lists(st.floats(0.1, 10), min_size=n, max_size=n),
            st.lists(st.floats(0, 100), min_size=n, max_size=n),
            st.lists(st.floats(0.0, 1), min_size=n, max_size=n),
        )
    )
)
def test_baselines_lie_within_the_range_of_positions(args: tuple[list[float], ...]) -> None:
    cap, pos, sal = args
    p = np.array(pos)[:, None]
    s = np.array(sal)[:, None]
    lo, hi = p.min() - 1e-9, p.max() + 1e-9
    assert lo <= compromise(cap, p, s)[0] <= hi
    med = weighted_median(cap, p, s)[0]
    assert lo <= med <= hi


def _problem(**kw: object) -> SpatialProblem:
    base: dict[str, object] = dict(
        actors=["a", "b", "c"],
        dimensions=["x"],
        capability=[1.0, 2.0, 1.0],
        position=[[0.0], [50.0], [100.0]],
        salience=[[1.0], [0.5], [1.0]],
    )
    base.update(kw)
    return SpatialProblem(**base)  # type: ignore[arg-type]


def test_run_facade_and_to_dict() -> None:
    res = run(_problem(), "compromise")
    assert res.forecast == {"x": pytest.approx(50.0)}
    d = res.to_dict()
    assert d["model"] == "compromise" and d["forecast"]["x"] == pytest.approx(50.0)
    assert run(_problem(), "median").forecast["x"] == 50.0
    nash = run(_problem(status_quo=[0.0]), "nash")
    assert nash.forecast["x"] == 0.0  # actor 'a' sits at the status quo: veto


def test_run_errors_are_one_line() -> None:
    with pytest.raises(ConfigurationError, match="did you mean 'median'"):
        run(_problem(), "medain")
    with pytest.raises(ModelError, match="status_quo"):
        run(_problem(), "nash")
    with pytest.raises(ConfigurationError, match="no option"):
        run(_problem(), "compromise", foo=1)


@pytest.mark.parametrize(
    ("kw", "msg"),
    [
        ({"actors": ["a"], "capability": [1], "position": [[1]], "salience": [[1]]}, "at least 2"),
        ({"position": [[0.0], [50.0], [101.0]]}, r"position\[c\]\[x\]: 101 is off the scale"),
        ({"salience": [[1.0], [1.5], [1.0]]}, r"salience\[b\]\[x\]"),
        ({"capability": [1.0, -2.0, 1.0]}, r"capability\[b\]"),
        ({"capability": [1.0, 2.0]}, "shape"),
        ({"actors": ["a", "a", "c"]}, "duplicate"),
        ({"position": [[0.0], ["x"], [1.0]]}, "numeric"),
        ({"status_quo": [120.0]}, "status_quo"),
    ],
)
def test_problem_validation(kw: dict[str, object], msg: str) -> None:
    with pytest.raises(ModelError, match=msg) as info:
        _problem(**kw)
    assert "\n" not in str(info.value)


def test_result_text_and_html() -> None:
    res = run(_problem(), "compromise")
    assert str(res).splitlines() == ["compromise forecast:", "  x    50.00"]
    assert "<td>x</td><td>50.00</td>" in res._repr_html_()
