"""GMCR+ save-file writer: pattern cover and the round trip through accord's reader."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord import conflict
from accord.conflict.model import FORBID_BOTH, ConflictModel, pattern_mask
from accord.errors import ConfigurationError

from .strategies import random_models


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 7), st.integers(0, 2**32 - 1), st.sampled_from([0.05, 0.5, 0.95]))
def test_pattern_cover_is_exact_and_disjoint(n: int, seed: int, p: float) -> None:
    rng = np.random.default_rng(seed)
    mask = rng.random(2**n) < p
    patterns = conflict.pattern_cover(mask)
    hits = np.zeros(2**n, dtype=np.int64)
    for pat in patterns:
        assert len(pat) == n
        hits += pattern_mask(pat, 2**n)
    np.testing.assert_array_equal(hits, mask.astype(np.int64))  # union is the mask, no overlap


def test_pattern_cover_is_compact_for_a_constraint_on_few_options() -> None:
    # "options 2 and 5 not both taken" over 12 options is one pattern, not 1024 states.
    mask = pattern_mask("--Y--Y------", 2**12)
    assert conflict.pattern_cover(mask) == ["--Y--Y------"]
    assert conflict.pattern_cover(np.zeros(8, dtype=bool)) == []
    assert conflict.pattern_cover(np.ones(8, dtype=bool)) == ["---"]
    with pytest.raises(ValueError, match="power of two"):
        conflict.pattern_cover(np.ones(6, dtype=bool))


def _same_model(a: ConflictModel, b: ConflictModel) -> None:
    assert a.options == b.options
    assert a.dm_names == b.dm_names
    assert [d.options for d in a.dms] == [d.options for d in b.dms]
    np.testing.assert_array_equal(a.codes, b.codes)
    np.testing.assert_array_equal(a.forbid, b.forbid)
    for k in range(a.n_dms):  # same order and ties (levels may be renumbered)
        la, lb = a.levels[k], b.levels[k]
        np.testing.assert_array_equal(la[:, None] < la[None, :], lb[:, None] < lb[None, :])
        np.testing.assert_array_equal(la[:, None] == la[None, :], lb[:, None] == lb[None, :])


@settings(max_examples=60, deadline=None)
@given(random_models(max_dms=4, max_options=6))
def test_write_gmcr_round_trips_through_the_reader(model: ConflictModel) -> None:
    if (model.forbid == FORBID_BOTH).any():
        with pytest.raises(ConfigurationError, match="neither direction"):
            conflict.write_gmcr(model)
        return
    text = json.dumps(conflict.write_gmcr(model))
    back = conflict.parse_gmcr(text, "random.gmcr")
    _same_model(model, back)
    for name, tab in conflict.stability_tables(model, conflict.CONCEPTS).items():
        np.testing.assert_array_equal(tab, conflict.stability_tables(back, (name,))[name])


def test_write_gmcr_elmira_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    # The published Elmira model (built-in): written, read back from a .gmcr path, same equilibria.
    model = conflict.load_model("elmira")
    data = conflict.write_gmcr(model)
    assert data["useManualPreferenceRanking"] is True
    assert [o["permittedDirection"] for o in data["options"]] == ["fwd", "back", "both", "fwd", "both"]
    path = tmp_path / "elmira.gmcr"
    path.write_text(json.dumps(data))
    back = conflict.load_model(path)
    _same_model(model, back)
    a, b = conflict.analyze(model), conflict.analyze(back)
    for c in a.concepts:
        assert a.equilibria(c) == b.equilibria(c)
