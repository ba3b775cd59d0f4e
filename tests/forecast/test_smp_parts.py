"""SMP building blocks: closed forms, cross-checks between the fast and plain paths."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.errors import ConfigurationError
from accord.forecast import smp
from accord.forecast.smp import (
    SMPConfig,
    big_r_from_prob,
    bs_util,
    coalitions,
    pair_coalitions,
    pce,
    salience_distance,
    smp_run,
    victory_prob,
    vote,
)


def test_distance_and_utility_closed_forms() -> None:
    ideal = np.array([[0.0, 0.0]])
    pos = np.array([[0.3, 0.4], [0.0, 1.0]])
    sal = np.array([[1.0, 1.0]])
    # sqrt((0.09 + 0.16) / 2) and sqrt(1 / 2)
    np.testing.assert_allclose(salience_distance(ideal, pos, sal), [[np.sqrt(0.125), np.sqrt(0.5)]])
    assert bs_util(0.5, 0.0) == 0.5
    assert bs_util(0.5, 1.0) == 0.75  # risk averse: concave
    assert bs_util(0.5, -0.5) == 0.375
    assert bs_util(1.2, 0.5) == pytest.approx(-0.3)


def test_linear_victory_and_conditional_pce() -> None:
    c = np.array([[1e-8, 2.0], [1.0, 1e-8]])
    pv = victory_prob("linear", c)
    np.testing.assert_allclose(pv, [[0.5, 2 / 3], [1 / 3, 0.5]])
    np.testing.assert_allclose(pce("conditional", pv), [2 / 3, 1 / 3])
    np.testing.assert_allclose(victory_prob("square", c)[0, 1], 0.8)  # KTAB: 2:1 gives 4/5
    assert big_r_from_prob([0.1, 0.2, 0.7], "mid").tolist() == pytest.approx([-0.5, -0.25, 1.0])


@settings(max_examples=40, deadline=None)
@given(st.integers(2, 7), st.integers(2, 6), st.integers(0, 10_000))
def test_coalition_fast_path_equals_definition(n: int, o: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    w = rng.uniform(0.1, 5, n)
    u = rng.uniform(0, 1, (n, o))
    brute = np.full((o, o), 1e-8)
    for a in range(o):
        for b in range(o):
            if a != b:
                brute[a, b] += sum(max(w[k] * (u[k, a] - u[k, b]), 0.0) for k in range(n))
    # the fast path sums |w u_a - w u_b| / 2: cancellation error is relative to the scale
    scale = 1e-12 * brute.max()
    np.testing.assert_allclose(coalitions("proportional", w, u), brute, rtol=1e-12, atol=scale)
    a_idx, b_idx = np.meshgrid(np.arange(o), np.arange(o), indexing="ij")
    pc = pair_coalitions("proportional", w, u, a_idx.ravel(), b_idx.ravel()).reshape(o, o)
    np.testing.assert_allclose(pc, brute, rtol=1e-12, atol=1e-15)
    for rule in ("binary", "prop_bin", "prop_cubic", "cubic", "asym_prospect"):
        # KTAB's definition: each pair voted once, the later option first
        slow = np.full((o, o), 1e-8)
        for a in range(o):
            for b in range(a):
                v = vote(rule, w, u[:, a] - u[:, b])
                slow[a, b] += np.maximum(v, 0).sum()
                slow[b, a] += np.maximum(-v, 0).sum()
        np.testing.assert_allclose(coalitions(rule, w, u), slow, rtol=1e-12, atol=1e-15)
        pc = pair_coalitions(rule, w, u, a_idx.ravel(), b_idx.ravel()).reshape(o, o)
        np.testing.assert_allclose(pc, slow, rtol=1e-12, atol=1e-15)


@settings(max_examples=40, deadline=None)
@given(st.integers(2, 8), st.integers(0, 10_000), st.sampled_from(smp.VICTORY_MODELS))
def test_pce_models_are_distributions(n: int, seed: int, vpm: str) -> None:
    rng = np.random.default_rng(seed)
    c = rng.uniform(0.01, 3, (n, n))
    pv = victory_prob(vpm, c)
    np.testing.assert_allclose(pv + pv.T, 1.0, atol=1e-9)
    for model in smp.PCE_MODELS:
        p = pce(model, pv, c, vpm)
        assert p.shape == (n,) and np.all(p >= 0) and p.sum() == pytest.approx(1.0, abs=1e-6)


def _random_state(n: int, m: int, seed: int, cfg: SMPConfig) -> tuple[smp._State, np.ndarray]:
    rng = np.random.default_rng(seed)
    cap = rng.uniform(10, 200, n)
    pos = rng.uniform(0, 1, (n, m))
    sal = rng.uniform(0.1, 1, (n, m))
    sal = sal / sal.sum(1, keepdims=True) * rng.uniform(0.5, 1, (n, 1))
    return smp._state(pos, cap, sal, cfg), np.stack([cap, sal.sum(1)])


@pytest.mark.parametrize(
    "cfg",
    [
        SMPConfig(),
        SMPConfig(voting_rule="prop_cubic", pce="markov_incentive"),
        SMPConfig(voting_rule="binary", big_r_adjust="full", big_r_range="max"),
        SMPConfig(third_party_commit="full"),
    ],
)
def test_vectorised_challenges_equal_single_estimates(cfg: SMPConfig) -> None:
    n = 9
    st_, (cap, ssum) = _random_state(n, 3, 5, cfg)
    w = cap * ssum
    for i in range(n):
        ph, edu = smp._challenges_by(st_, w, ssum, cfg, i)
        for j in range(n):
            if i == j:
                continue
            p1, e1 = smp._challenge_one(st_, w, ssum, cfg, i, i, i, j)
            assert ph[j] == pytest.approx(p1, rel=1e-12)
            assert edu[j] == pytest.approx(e1, rel=1e-9, abs=1e-12)


def test_two_actors_at_same_spot_share_probability_and_run_converges() -> None:
    cap = [50.0, 50.0, 20.0, 30.0]
    pos = [[20.0, 20.0], [20.0, 20.0], [80.0, 70.0], [60.0, 30.0]]
    sal = [[0.5, 0.5], [0.5, 0.5], [0.4, 0.4], [0.3, 0.6]]
    r = smp_run(cap, pos, sal)
    assert r.probabilities[0, 0] == r.probabilities[0, 1]
    assert r.probabilities[0].sum() > 0
    assert r.converged and r.turns >= 2
    assert np.all((r.positions >= 0) & (r.positions <= 100))


def test_config_validation() -> None:
    with pytest.raises(ConfigurationError, match="did you mean 'proportional'"):
        SMPConfig(voting_rule="proportinal")
    with pytest.raises(ConfigurationError, match="min_iter"):
        SMPConfig(min_iter=5, max_iter=2)


def test_stochastic_transitions_are_seeded() -> None:
    rng = np.random.default_rng(3)
    cap = rng.uniform(10, 100, 8)
    pos = rng.uniform(0, 100, (8, 2))
    sal = rng.uniform(0.1, 0.5, (8, 2))
    cfg = SMPConfig(state_transition="stochastic", seed=11, max_iter=8)
    a = smp_run(cap, pos, sal, cfg)
    b = smp_run(cap, pos, sal, cfg)
    assert np.array_equal(a.positions, b.positions)


def test_degenerate_inputs_do_not_fail() -> None:
    # everyone already agrees: no challenge, risk neutral, stops after the minimum turns
    r = smp_run([1.0, 2.0, 3.0], [[50.0, 50.0]] * 3, [[0.5, 0.5]] * 3)
    assert r.turns == 2 and r.converged and r.ratios == [0.0, 0.0]
    assert np.all(r.risk == 0.0) and np.all(r.positions == 50.0)
    # actors caring about disjoint dimensions
    r = smp_run([1.0, 2.0, 3.0], [[0, 0], [100, 100], [50, 0]], [[1.0, 0.0], [0.0, 1.0], [0.5, 0.5]])
    assert r.converged and np.all((r.positions >= 0) & (r.positions <= 100))


def test_batched_target_search_equals_one_at_a_time() -> None:
    cfg = SMPConfig()
    st_, (cap, ssum) = _random_state(40, 4, 9, cfg)
    w = cap * ssum
    batched = smp._best_targets_batched(st_, w, ssum, cfg)
    buf = np.empty((5, 40, 40))
    single = [smp._best_target(st_, w, ssum, cfg, i, buf) for i in range(40)]
    assert [b[0] for b in batched] == [s[0] for s in single]
    np.testing.assert_allclose([b[1:] for b in batched], [s[1:] for s in single], rtol=1e-12)
    # and the pruned search equals the full search
    for i in range(40):
        _ph, edu = smp._challenges_by(st_, w, ssum, cfg, i)
        edu[i] = -np.inf
        j = int(np.argmax(edu))
        assert batched[i][0] == (j if edu[j] > 1e-5 else -1)


def test_threads_do_not_change_a_larger_run() -> None:
    rng = np.random.default_rng(2)
    cap, pos = rng.uniform(10, 200, 70), rng.uniform(0, 100, (70, 3))
    sal = rng.uniform(0.1, 0.3, (70, 3))
    cfg = SMPConfig(max_iter=3)
    a = smp_run(cap, pos, sal, cfg, workers=1)
    b = smp_run(cap, pos, sal, cfg, workers=2)
    assert np.array_equal(a.positions, b.positions)
    assert np.array_equal(a.probabilities, b.probabilities)
