"""The vectorized (matrix-form) stability analysis against direct graph search from the definitions."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from tests.conflict.strategies import random_models

from accord.conflict import stability
from accord.conflict.graphsearch import explain, stability_tables_search
from accord.conflict.matrix import stability_tables_dense
from accord.conflict.model import build_model, pattern_mask
from accord.conflict.stability import CONCEPTS, stability_tables


@settings(max_examples=120, deadline=None)
@given(random_models())
def test_vectorized_equals_direct_search(model) -> None:  # type: ignore[no-untyped-def]
    fast = stability_tables(model, CONCEPTS)
    slow = stability_tables_search(model, CONCEPTS)
    for c in CONCEPTS:
        np.testing.assert_array_equal(fast[c], slow[c], err_msg=c)


@settings(max_examples=60, deadline=None)
@given(random_models())
def test_sorted_improvement_path_equals_direct_search(model) -> None:  # type: ignore[no-untyped-def]
    # Force the sort-based unilateral-improvement reduction for every DM without irreversible options.
    saved = stability.SORTED_UI_MIN_OPTIONS
    stability.SORTED_UI_MIN_OPTIONS = 1
    try:
        fast = stability_tables(model, ["seq"])["seq"]
    finally:
        stability.SORTED_UI_MIN_OPTIONS = saved
    np.testing.assert_array_equal(fast, stability_tables_search(model, ["seq"])["seq"])


@settings(max_examples=80, deadline=None)
@given(random_models())
def test_vectorized_equals_dense_matrix_method(model) -> None:  # type: ignore[no-untyped-def]
    fast = stability_tables(model, CONCEPTS)
    dense = stability_tables_dense(model, CONCEPTS)
    for c in CONCEPTS:
        np.testing.assert_array_equal(fast[c], dense[c], err_msg=c)


@settings(max_examples=60, deadline=None)
@given(random_models())
def test_concept_inclusions(model) -> None:  # type: ignore[no-untyped-def]
    # Fang et al. (1993), Theorem 3.1: R ⊆ SMR ⊆ GMR and R ⊆ SEQ ⊆ GMR, DM by DM.
    t = stability_tables(model, CONCEPTS)
    assert not (t["nash"] & ~t["smr"]).any()
    assert not (t["smr"] & ~t["gmr"]).any()
    assert not (t["nash"] & ~t["seq"]).any()
    assert not (t["seq"] & ~t["gmr"]).any()


def test_sanction_needs_an_opponent_to_move_twice() -> None:
    """Fang et al. (1993) let an opponent move more than once in a sanction (not twice in a row).

    Options (a | b1 b2 | c) for A | B | C. With a = Y the patterns YYYN, YNNY and YNYN are
    infeasible, so from YNNN the only way to YYYY (A's worst state) is B, C, B:
    YNNN -> YYNN -> YYNY -> YYYY. A's improvement NNNN -> YNNN is therefore deterred (GMR), but
    would not be if each opponent could move only once.
    """
    infeasible = pattern_mask("YYYN", 16) | pattern_mask("YNNY", 16) | pattern_mask("YNYN", 16)
    model = build_model("twice", [("A", ["a"]), ("B", ["b1", "b2"]), ("C", ["c"])], infeasible=infeasible)
    lv = np.ones((3, model.n_states), dtype=np.int64)
    for p in model.patterns():
        lv[0, model.state_id(p)] = 1 if p[0] == "N" else 2
    lv[0, model.state_id("YYYY")] = 0
    model.levels = lv
    s = model.state_id("NNNN")
    fast = stability_tables(model, ["gmr"])["gmr"]
    slow = stability_tables_search(model, ["gmr"])["gmr"]
    assert fast[0, s] and slow[0, s]
    why = explain(model, "A", "NNNN", "gmr")
    (det,) = why.improvements
    assert model.pattern(det.target) == "YNNN"
    assert det.sanction is not None
    assert [model.dms[j].name for j, _, _ in det.sanction] == ["B", "C", "B"]
    assert model.pattern(det.sanction[-1][2]) == "YYYY"
