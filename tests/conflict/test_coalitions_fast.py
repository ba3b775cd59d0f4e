"""Vectorized coalitional Nash/GMR/SEQ against the direct search of the definitions."""

from __future__ import annotations

from itertools import combinations

import numpy as np
from hypothesis import given, settings
from tests.conflict.strategies import random_models

from accord import conflict
from accord.conflict.coalitions import coalition_stable
from accord.conflict.coalitions_fast import coalition_tables_fast
from accord.conflict.graphsearch import MoveCache


@settings(max_examples=80, deadline=None)
@given(random_models(max_dms=4, max_options=7))
def test_fast_equals_direct_search(model) -> None:  # type: ignore[no-untyped-def]
    cache = MoveCache(model)
    groups = [c for r in range(1, model.n_dms + 1) for c in combinations(range(model.n_dms), r)]
    for h in groups:
        fast = coalition_tables_fast(model, h)
        for c in ("nash", "gmr", "seq"):
            slow = [
                coalition_stable(model, h, s, c, cache=cache, details=False)[0] for s in range(model.n_states)
            ]
            np.testing.assert_array_equal(fast[c], np.array(slow), err_msg=f"{c} {h}")


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
