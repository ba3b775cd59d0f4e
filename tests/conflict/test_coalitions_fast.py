"""Vectorized coalitional Nash/GMR/SEQ against the direct search of the definitions."""

from __future__ import annotations

from itertools import combinations
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from tests.conflict.strategies import random_models

from accord import conflict
from accord.conflict.coalitions import coalition_stable
from accord.conflict.coalitions_fast import coalition_tables_fast
from accord.conflict.graphsearch import MoveCache
from accord.errors import ConfigurationError

#: A 14-option model (16,384 states) past the direct search's limit.
BIG = Path(__file__).parent / "data" / "big14.yaml"


@settings(max_examples=80, deadline=None)
@given(random_models(max_dms=4, max_options=7))
def test_fast_equals_direct_search(model) -> None:  # type: ignore[no-untyped-def]
    _assert_fast_equals_direct_search(model)


def _assert_fast_equals_direct_search(model: conflict.ConflictModel) -> None:
    """Every coalition of ``model``: the vectorized CNash/CGMR/CSEQ tables equal the direct search."""
    cache = MoveCache(model)
    groups = [c for r in range(1, model.n_dms + 1) for c in combinations(range(model.n_dms), r)]
    for h in groups:
        fast = coalition_tables_fast(model, h)
        for c in ("nash", "gmr", "seq"):
            slow = [
                coalition_stable(model, h, s, c, cache=cache, details=False)[0] for s in range(model.n_states)
            ]
            np.testing.assert_array_equal(fast[c], np.array(slow), err_msg=f"{c} {h}")


@settings(max_examples=40, deadline=None)
@given(random_models(max_dms=3, max_options=8, max_per_dm=4))
def test_fast_equals_direct_search_with_many_options_per_member(model) -> None:  # type: ignore[no-untyped-def]
    # Members with 3-4 options: one move may change several of a member's options at once.
    _assert_fast_equals_direct_search(model)


def test_coalition_analysis_checks_its_groups() -> None:
    model = conflict.load_model("elmira")
    for bad, said in (
        ([[]], "at least one decision maker"),
        ([[5]], "out of range"),
        ([[-1]], "out of range"),
    ):
        with pytest.raises(ConfigurationError, match=said):
            conflict.coalition_analysis(model, bad, ["nash"])
    # A coalition given twice (in any order of its members) is analysed once.
    result = conflict.coalition_analysis(model, [["MoE", "UR"], ["UR", "MoE"], [0]], ["nash", "smr"])
    assert result.coalitions == [(0, 1), (0,)]
    data = result.to_dict()
    smr = data["concepts"]["smr"]
    assert smr["stable_count"] == {k: len(v) for k, v in smr["stable"].items()}
    # MoE alone: as many as the ordinary SMR analysis finds for MoE.
    assert (
        smr["stable_count"]["MoE"]
        == conflict.analyze(model, ["smr"]).to_dict()["concepts"]["smr"]["stable_count"]["MoE"]
    )
    assert (
        len(data["concepts"]["nash"]["stable"]["MoE+UR"])
        == data["concepts"]["nash"]["stable_count"]["MoE+UR"]
    )
    assert "stable" not in result.to_dict(all_states=False)["concepts"]["nash"]


def test_coalition_analysis_beyond_the_direct_search_limit() -> None:
    # 14 options, 16,384 states: CNash/CGMR/CSEQ of small coalitions run; CSMR and a coalition
    # with more than 12 options are refused with what to ask for instead.
    model = conflict.load_model(str(BIG))
    result = conflict.coalition_analysis(model, [["A", "B"]], ["nash", "gmr", "seq"])
    assert set(result.tables) == {"nash", "gmr", "seq"}
    with pytest.raises(ConfigurationError, match=r"coalitional SMR .* ask for nash, gmr and seq only"):
        conflict.coalition_analysis(model, [["A", "B"]], ["smr"])
    with pytest.raises(ConfigurationError, match="a coalition with more than 12 options"):
        conflict.coalition_analysis(model, [["A", "B", "C"]], ["nash"])


def test_single_dm_coalitions_are_the_ordinary_concepts() -> None:
    model = conflict.load_model("gaza-2025-07")
    tables = conflict.stability_tables(model, ["nash", "gmr", "seq"])
    for i in range(model.n_dms):
        fast = coalition_tables_fast(model, [i])
        for c in ("nash", "gmr", "seq"):
            np.testing.assert_array_equal(fast[c], tables[c][i])


def test_elmira_coalition_published_result() -> None:
    # Kilgour et al. (2001); Inohara & Hipel (2008): state 5 (NYNNY) is not stable for MoE+UR, who
    # jointly move to 8 (YNYNY); state 8 is.
    model = conflict.load_model("elmira")
    fast = coalition_tables_fast(model, [0, 1])
    for c in ("nash", "gmr", "seq"):
        assert not fast[c][model.state_id("NYNNY")] and fast[c][model.state_id("YNYNY")]
