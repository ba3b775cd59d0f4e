"""Closed-form alternating offers between time-based agents vs a round-by-round loop."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.protocols.timebased_sao import offer_positions, solve, solve_full
from accord.protocols.timecurves import aspiration, relative_times, thresholds


def brute_offer(u: np.ndarray, low: float, below: float) -> int:
    """Offer rule written out plainly: nearest to `low` among u >= low - below,
    preferring the lowest utility >= low on ties (clamped to the best outcome).
    Outcomes of equal utility are ordered by their index."""
    order = range(len(u))
    above = [i for i in order if u[i] >= low]
    succ = min(above, key=lambda i: (u[i], i)) if above else max(order, key=lambda i: (u[i], i))
    near = [i for i in order if low - below <= u[i] < low]
    if near:
        pred = max(near, key=lambda i: (u[i], i))
        if abs(u[pred] - low) < abs(u[succ] - low):
            return pred
    return succ


def brute_run(u0, u1, lo0, lo1, below):
    """Round-by-round simulation of the protocol (party 0 opens; then 0 responds, offers;
    1 responds, offers)."""
    standing = None
    for k in range(len(lo0)):
        if standing is not None and u0[standing] >= lo0[k]:
            return standing, k + 1
        standing = brute_offer(u0, lo0[k], below)
        if u1[standing] >= lo1[k]:
            return standing, k + 1
        standing = brute_offer(u1, lo1[k], below)
    return -1, len(lo0)


def test_relative_times_follow_the_step_clock() -> None:
    t = relative_times(4)
    assert t.tolist() == [1 / 5, 2 / 5, 3 / 5, 4 / 5]


def test_aspiration_is_one_minus_t_to_the_e() -> None:
    a = aspiration(9, 2.0)
    t = relative_times(9)
    assert np.allclose(a, 1 - t**2)
    assert np.all(np.diff(a) < 0)
    assert np.all(aspiration(5, math.inf) == 1.0)


def test_thresholds_scale_and_clip() -> None:
    lo = thresholds(3, 1.0, umin=0.2, umax=0.8, eps=0.0)
    assert np.allclose(lo, 0.2 + 0.6 * (1 - np.array([1, 2, 3]) / 4))
    lo = thresholds(3, 1.0, umin=0.0, umax=1.0, eps=0.9)
    assert lo.min() == 0.0  # clipped at umin


def test_offer_positions_pick_worst_in_band() -> None:
    s = np.array([0.1, 0.3, 0.5, 0.7])
    assert offer_positions(s, np.array([0.3, 0.31, 0.0, 0.9])).tolist() == [1, 2, 0, 3]
    # with a tolerance, a strictly nearer outcome just under the threshold is taken
    assert offer_positions(s, np.array([0.31, 0.45]), below=0.02).tolist() == [1, 2]


utilities = st.integers(2, 40).flatmap(
    lambda n: st.tuples(
        st.lists(st.floats(0, 1), min_size=n, max_size=n),
        st.lists(st.floats(0, 1), min_size=n, max_size=n),
    )
)


@settings(max_examples=150, deadline=None)
@given(
    uu=utilities,
    e0=st.sampled_from([0.25, 0.5, 1.0, 2.0, 4.0, 10.0]),
    e1=st.sampled_from([0.25, 0.5, 1.0, 2.0, 4.0, 10.0]),
    steps=st.integers(1, 60),
    below=st.sampled_from([0.0, 0.01, 0.05]),
    eps=st.sampled_from([0.0, 1e-4, 0.05]),
)
def test_vectorised_solvers_match_round_by_round(uu, e0, e1, steps, below, eps) -> None:
    u0 = np.array(uu[0])
    u1 = np.array(uu[1])
    lo0 = thresholds(steps, e0, float(u0.min()), float(u0.max()), eps)
    lo1 = thresholds(steps, e1, float(u1.min()), float(u1.max()), eps)
    expected = brute_run(u0, u1, lo0, lo1, below)
    full = solve_full(u0, u1, lo0, lo1, below)
    fast = solve(u0, u1, lo0, lo1, below, covers=(0, 3, 10), max_candidates=10**6)
    assert full == expected
    assert fast == expected


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10**6), n=st.integers(50, 3000), steps=st.integers(10, 400))
def test_lazy_solver_equals_full_solver_on_larger_problems(seed, n, steps) -> None:
    rng = np.random.default_rng(seed)
    u0, u1 = rng.random(n), rng.random(n)
    lo0 = thresholds(steps, 4.0, 0.0, float(u0.max()))
    lo1 = thresholds(steps, 0.25, 0.0, float(u1.max()))
    for below in (0.0, 1e-6, 1e-3):
        assert solve(u0, u1, lo0, lo1, below, covers=(7, 31, 127)) == solve_full(u0, u1, lo0, lo1, below)
        assert solve(u0, u1, lo0, lo1, below, max_candidates=5) == solve_full(u0, u1, lo0, lo1, below)


def test_no_overlap_times_out() -> None:
    u0 = np.array([1.0, 0.0])
    u1 = np.array([0.0, 1.0])
    lo = np.full(5, 0.9)
    assert solve(u0, u1, lo, lo) == (-1, 5)
    assert brute_run(u0, u1, lo, lo, 0.0) == (-1, 5)
