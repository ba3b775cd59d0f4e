"""Unknown preferences (Li, Hipel, Kilgour & Fang 2004)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from tests.conflict.strategies import random_models

from accord import conflict
from accord.conflict.stability import CONCEPTS, stability_tables
from accord.conflict.uncertain import stability_tables_uncertain


@settings(max_examples=40, deadline=None)
@given(random_models(max_dms=3, max_options=5))
def test_without_unknown_pairs_both_variants_are_the_ordinary_concepts(model) -> None:  # type: ignore[no-untyped-def]
    ordinary = stability_tables(model, CONCEPTS)
    for variant in ("a", "b"):
        tab = stability_tables_uncertain(model, CONCEPTS, variant=variant, unknown={})
        for c in CONCEPTS:
            np.testing.assert_array_equal(tab[c], ordinary[c], err_msg=f"{c} {variant}")


@settings(max_examples=40, deadline=None)
@given(random_models(max_dms=3, max_options=4))
def test_variant_a_is_stricter_and_unknowns_only_remove_stability_under_a(model) -> None:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(model.n_states)
    m = model.n_states
    unknown = {}
    for i in range(model.n_dms):
        u = rng.random((m, m)) < 0.2
        u = u | u.T
        np.fill_diagonal(u, False)
        unknown[i] = u
    a = stability_tables_uncertain(model, CONCEPTS, variant="a", unknown=unknown)
    b = stability_tables_uncertain(model, CONCEPTS, variant="b", unknown=unknown)
    ordinary = stability_tables(model, ["nash"])["nash"]
    for c in CONCEPTS:
        assert not (a[c] & ~b[c]).any(), c  # a DM that also tries unknown moves is harder to hold
    # Nash_b: known improvements only, and an unknown pair is never an improvement
    assert not (ordinary & ~b["nash"]).any()


def test_unknown_pairs_from_the_file() -> None:
    # Prisoner's Dilemma where P1 does not know how it compares mutual cooperation (YY) with its
    # defection against a cooperator (NY). Under variant a P1 may try NY from YY; P2's answer NN
    # is known to be worse for P1, so YY stays GMR stable; under Nash_a it is not stable.
    text = """
decision_makers:
  - {name: P1, options: [C1]}
  - {name: P2, options: [C2]}
preferences:
  P1: {ranking: [YY, NY, NN, YN], unknown: [[YY, NY]]}
  P2: [YN, YY, NN, NY]
"""
    model = conflict.loads_model(text)
    yy = model.state_id("YY")
    assert model.meta["unknown"]["P1"] == [(yy, model.state_id("NY"))]
    a = stability_tables_uncertain(model, ["nash", "gmr"], variant="a")
    b = stability_tables_uncertain(model, ["nash", "gmr"], variant="b")
    assert not a["nash"][0, yy] and b["nash"][0, yy]
    assert a["gmr"][0, yy] and b["gmr"][0, yy]
