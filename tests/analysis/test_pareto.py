"""Pareto front: brute-force cross-checks, adversarial inputs, hand-computed cases, bad input."""

from __future__ import annotations

from unittest import mock

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import accord.analysis.pareto as pareto_module
from accord.analysis import pareto_front
from accord.errors import AccordError, AnalysisError


def brute_force_front(U: np.ndarray) -> np.ndarray:
    """O(n^2 k) reference: rows that no other row weakly dominates."""
    U = np.asarray(U, dtype=float)
    if U.shape[0] == 0:
        return np.empty(0, dtype=np.int64)
    ge = (U[:, None, :] >= U[None, :, :]).all(axis=2)
    gt = (U[:, None, :] > U[None, :, :]).any(axis=2)
    dominated = (ge & gt).any(axis=0)
    return np.flatnonzero(~dominated).astype(np.int64)


def check(U: np.ndarray) -> np.ndarray:
    got = pareto_front(U)
    assert got.dtype == np.int64
    np.testing.assert_array_equal(got, brute_force_front(U))
    return got


# ---------------------------------------------------------------- hand-computed cases


def test_two_party_hand_example() -> None:
    U = np.array(
        [
            [1.0, 0.0],  # 0 front (best for party 1)
            [0.0, 1.0],  # 1 front
            [0.5, 0.5],  # 2 front
            [0.4, 0.4],  # 3 dominated by 2
            [1.0, 0.0],  # 4 duplicate of 0: kept
            [0.5, 0.2],  # 5 dominated by 2
            [0.9, 0.0],  # 6 dominated by 0 (equal in one column, worse in the other)
        ]
    )
    np.testing.assert_array_equal(pareto_front(U), [0, 1, 2, 4])


def test_three_party_hand_example() -> None:
    U = np.array(
        [
            [3, 1, 1],  # 0 front
            [1, 3, 1],  # 1 front
            [1, 1, 3],  # 2 front
            [1, 1, 1],  # 3 dominated by all of 0, 1, 2
            [2, 2, 2],  # 4 front
            [2, 2, 1],  # 5 dominated by 4
            [3, 1, 0],  # 6 dominated by 0 (weakly: equal, equal, less)
            [2, 2, 2],  # 7 duplicate of 4: kept
        ],
        dtype=float,
    )
    np.testing.assert_array_equal(pareto_front(U), [0, 1, 2, 4, 7])


def test_single_party_keeps_all_maxima() -> None:
    np.testing.assert_array_equal(pareto_front([[1.0], [3.0], [2.0], [3.0]]), [1, 3])


def test_weak_domination_removes_rows_equal_in_all_but_one_column() -> None:
    np.testing.assert_array_equal(pareto_front([[1, 1, 1, 1], [1, 1, 1, 2]]), [1])


def test_all_rows_identical_all_kept() -> None:
    np.testing.assert_array_equal(pareto_front(np.ones((5, 3))), np.arange(5))


def test_empty_and_degenerate_shapes() -> None:
    out = pareto_front(np.empty((0, 3)))
    assert out.dtype == np.int64 and out.size == 0
    np.testing.assert_array_equal(pareto_front(np.empty((4, 0))), np.arange(4))
    np.testing.assert_array_equal(pareto_front([[0.3, 0.1]]), [0])


def test_integer_and_boolean_input_accepted() -> None:
    np.testing.assert_array_equal(pareto_front(np.array([[1, 2], [2, 1], [1, 1]])), [0, 1])
    np.testing.assert_array_equal(pareto_front(np.array([[True, False], [True, True]])), [1])


def test_signed_zero_counts_as_equal() -> None:
    np.testing.assert_array_equal(pareto_front([[0.0, 1.0], [-0.0, 1.0]]), [0, 1])


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("U", "fragment"),
    [
        (np.array([1.0, 2.0]), "must be 2-D"),
        (np.zeros((2, 2, 2)), "must be 2-D"),
        (np.array([[0.0, np.nan]]), "finite"),
        (np.array([[0.0, 1.0], [np.inf, 0.0]]), "finite"),
        (np.array([[-np.inf, 1.0]]), "finite"),
        (np.array([["a", "b"]]), "real numbers"),
        (np.array([[1 + 2j, 0]]), "complex"),
        ([[1.0, 2.0], [3.0]], "2-D"),
    ],
)
def test_bad_input_is_a_clear_one_line_error(U: object, fragment: str) -> None:
    with pytest.raises(AnalysisError) as info:
        pareto_front(U)
    message = str(info.value)
    assert fragment in message
    assert "\n" not in message
    assert message.startswith("U: ")
    assert isinstance(info.value, AccordError) and isinstance(info.value, ValueError)


def test_nan_position_is_reported() -> None:
    U = np.zeros((10, 3))
    U[7, 2] = np.nan
    with pytest.raises(AnalysisError, match=r"row 7, column 2"):
        pareto_front(U)


def test_huge_finite_values_are_not_mistaken_for_inf() -> None:
    U = np.array([[1e308, 1e308], [1e308, 0.0], [-1e308, 1e308]])
    check(U)


# ---------------------------------------------------------------- property tests

finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)


@st.composite
def matrices(draw: st.DrawFn) -> np.ndarray:
    k = draw(st.integers(1, 5))
    n = draw(st.one_of(st.integers(0, 40), st.integers(60, 250)))  # >= 65 rows: pruning runs
    kind = draw(st.sampled_from(["float", "grid", "dup", "opposed", "anti"]))
    if kind == "float":
        return draw(hnp.arrays(np.float64, (n, k), elements=finite))
    if kind == "grid":  # many ties
        return draw(hnp.arrays(np.int8, (n, k), elements=st.integers(0, 3))).astype(float)
    if kind == "dup":
        base = draw(hnp.arrays(np.int8, (max(n, 1), k), elements=st.integers(0, 5)))
        rows = draw(st.lists(st.integers(0, max(n, 1) - 1), min_size=n, max_size=n))
        return base[rows].astype(float)
    weights = draw(hnp.arrays(np.int8, (n, k), elements=st.integers(0, 6))).astype(float)
    if kind == "opposed":  # points on a simplex: nearly every row on the front
        total = weights.sum(axis=1, keepdims=True)
        total[total == 0] = 1.0
        return weights / total
    # exactly anti-correlated columns
    t = weights[:, :1]
    return np.hstack([t, -t, *([t * 0.5] * (k - 2))]) if k >= 2 else t


@settings(max_examples=200, deadline=None)
@given(matrices())
def test_matches_brute_force(U: np.ndarray) -> None:
    check(U)


@settings(max_examples=50, deadline=None)
@given(matrices(), st.randoms(use_true_random=False))
def test_invariant_under_row_permutation(U: np.ndarray, rnd: object) -> None:
    perm = np.arange(U.shape[0])
    rnd.shuffle(perm)  # type: ignore[attr-defined]
    front = set(pareto_front(U).tolist())
    front_perm = {int(perm[i]) for i in pareto_front(U[perm])}
    assert front == front_perm


# ---------------------------------------------------------------- larger inputs (pruning paths)


@pytest.mark.parametrize("k", [1, 2, 3, 4, 5])
@pytest.mark.parametrize("kind", ["uniform", "grid", "simplex", "noisy-simplex", "correlated"])
def test_larger_inputs_match_brute_force(k: int, kind: str) -> None:
    rng = np.random.default_rng(1000 * k + len(kind))
    n = 2500
    if kind == "uniform":
        U = rng.random((n, k))
    elif kind == "grid":
        U = rng.integers(0, 12, (n, k)).astype(float)
    elif kind == "simplex":
        U = rng.random((n, k))
        U /= U.sum(axis=1, keepdims=True)
    elif kind == "noisy-simplex":
        U = rng.random((n, k))
        U /= U.sum(axis=1, keepdims=True)
        U += rng.normal(0.0, 0.02, U.shape)
    else:
        U = rng.random((n, 1)) + 0.1 * rng.random((n, k))
    # duplicate some rows, including front rows
    U = np.concatenate([U, U[rng.integers(0, n, 200)]])
    check(U)


def assert_is_exact_front(U: np.ndarray, front: np.ndarray) -> None:
    """Certificate without O(n^2) work: no row dominates a front row, and every other row
    is dominated by some front row. Together these say ``front`` is exactly the front."""
    F = U[front]
    others = np.setdiff1d(np.arange(U.shape[0]), front)
    for a in range(0, U.shape[0], 2000):
        block = U[a : a + 2000]
        dominates_front = (block[:, None, :] >= F[None, :, :]).all(axis=2) & (
            block[:, None, :] > F[None, :, :]
        ).any(axis=2)
        assert not dominates_front.any()
    for a in range(0, others.size, 2000):
        rows = U[others[a : a + 2000]]
        dominated = (F[None, :, :] >= rows[:, None, :]).all(axis=2) & (F[None, :, :] > rows[:, None, :]).any(
            axis=2
        )
        assert dominated.any(axis=1).all()


@pytest.mark.parametrize("k", [2, 3, 4])
def test_large_uniform_inputs_use_both_pruning_stages(k: int) -> None:
    rng = np.random.default_rng(7 + k)
    U = rng.random((200_000 if k < 4 else 60_000, k))
    front = pareto_front(U)
    assert_is_exact_front(U, front)
    # duplicating front rows keeps every copy
    U2 = np.concatenate([U, U[front[:5]]])
    np.testing.assert_array_equal(pareto_front(U2), np.concatenate([front, U.shape[0] + np.arange(5)]))


def test_large_opposed_three_party_front() -> None:
    rng = np.random.default_rng(3)
    U = rng.exponential(size=(6_000, 3))
    U /= U.sum(axis=1, keepdims=True)
    U[::7] *= 0.999  # some rows just below the simplex: dominated by nothing or by few
    U = np.round(U, 3)  # many ties
    assert_is_exact_front(U, pareto_front(U))


# ---------------------------------------------------------------- admissible rows


@settings(max_examples=100, deadline=None)
@given(matrices(), st.data())
def test_mask_gives_the_front_of_the_admissible_rows(U: np.ndarray, data: st.DataObject) -> None:
    mask = data.draw(hnp.arrays(np.bool_, (U.shape[0],), elements=st.booleans()))
    rows = np.flatnonzero(mask)
    expected = rows[brute_force_front(U[rows])]
    np.testing.assert_array_equal(pareto_front(U, mask=mask), expected)


def test_mask_hand_example_and_bad_masks() -> None:
    U = [[1, 0], [0, 1], [0.5, 0.5], [0.4, 0.4]]
    # without row 2, row 3 is no longer dominated
    np.testing.assert_array_equal(pareto_front(U, mask=[True, True, False, True]), [0, 1, 3])
    np.testing.assert_array_equal(pareto_front(U, mask=[True] * 4), [0, 1, 2])
    assert pareto_front(U, mask=[False] * 4).size == 0
    with pytest.raises(AnalysisError, match="mask: must have one entry per outcome"):
        pareto_front(U, mask=[True, False])
    with pytest.raises(AnalysisError, match="mask: must be a boolean array"):
        pareto_front(U, mask=[1, 0, 1, 1])


# ---------------------------------------------------------------- k >= 4: both exact methods


@settings(max_examples=150, deadline=None)
@given(matrices())
def test_divide_and_conquer_for_four_or_more_parties_matches_brute_force(U: np.ndarray) -> None:
    # A zero work budget makes sort-filter-skyline give way to divide and conquer at once.
    with mock.patch.object(pareto_module, "_SFS_WORK", 0.0):
        check(U)


@pytest.mark.parametrize("k", [4, 5])
@pytest.mark.parametrize("work", [0.0, np.inf])
def test_both_methods_for_four_or_more_parties_on_larger_inputs(k: int, work: float) -> None:
    rng = np.random.default_rng(k)
    U = rng.exponential(size=(1500, k))
    U /= U.sum(axis=1, keepdims=True)
    U = np.round(U, 2)  # ties and duplicates
    with mock.patch.object(pareto_module, "_SFS_WORK", work):
        check(U)


def test_layout_and_dtype_do_not_matter() -> None:
    rng = np.random.default_rng(11)
    U = np.round(rng.random((3000, 3)), 2)
    expected = pareto_front(U)
    np.testing.assert_array_equal(pareto_front(np.asfortranarray(U)), expected)
    np.testing.assert_array_equal(pareto_front(U.astype(np.float32)), expected)
    wide = np.zeros((3000, 6))
    wide[:, ::2] = U
    np.testing.assert_array_equal(pareto_front(wide[:, ::2]), expected)  # strided view
    np.testing.assert_array_equal(pareto_front(U.tolist()), expected)
