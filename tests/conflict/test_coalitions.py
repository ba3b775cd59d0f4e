"""Coalition analysis, status quo analysis, inverse GMCR and limited-move stability."""

from __future__ import annotations

import dataclasses
import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from tests.conflict.strategies import random_models
from tests.conflict.test_examples import ELMIRA, PD, numbered

from accord import conflict
from accord.conflict.coalitions import coalition_analysis
from accord.conflict.inverse import inverse
from accord.conflict.limited import limited_move, non_myopic
from accord.conflict.stability import CONCEPTS, stability_tables
from accord.conflict.statusquo import status_quo_paths
from accord.errors import ConfigurationError


@settings(max_examples=30, deadline=None)
@given(random_models(max_dms=3, max_options=5))
def test_singleton_coalitions_are_the_individual_concepts(model) -> None:  # type: ignore[no-untyped-def]
    singles = [[i] for i in range(model.n_dms)]
    coal = coalition_analysis(model, singles)
    ind = stability_tables(model, CONCEPTS)
    for c in CONCEPTS:
        for i in range(model.n_dms):
            np.testing.assert_array_equal(coal.tables[c][(i,)], ind[c][i], err_msg=f"{c} {i}")


def test_elmira_coalition_moe_ur() -> None:
    # Kilgour, Hipel, Fang & Peng (2001) and Inohara & Hipel (2008): state 5, an equilibrium under
    # every individual concept, is not coalitionally stable: MoE and UR can jointly move to 8
    # (MoE modifies its control order, UR accepts it), which both prefer; 8 remains stable.
    model = conflict.load_model("elmira")
    coal = coalition_analysis(model)
    moe_ur = (0, 1)
    five, eight = model.state_id("NYNNY"), model.state_id("YNYNY")
    for c in CONCEPTS:
        assert not coal.tables[c][moe_ur][five]
        assert coal.tables[c][moe_ur][eight]
    assert numbered(model, ELMIRA, coal.equilibria("nash")) == [8, 9]
    assert numbered(model, ELMIRA, coal.equilibria("seq")) == [8, 9]
    # Under GMR and SMR states 1 and 4 also survive: every coalitional improvement from them can
    # be sanctioned.
    assert numbered(model, ELMIRA, coal.equilibria("gmr")) == [1, 4, 8, 9]
    # The status quo (1) evolves by unilateral improvements to 5 only; with the MoE-UR coalition
    # allowed to move jointly, to 8.
    alone = status_quo_paths(model, concept="gmr")
    assert numbered(model, ELMIRA, alone.reached_targets()) == [1, 5]
    joint = status_quo_paths(model, concept="gmr", coalitions=[["MoE", "UR"]])
    assert eight in joint.reached_targets()
    steps = joint.to_dict()["targets"]
    path8 = next(t["path"] for t in steps if t["state"] == "YNYNY")
    assert [p["dm"] for p in path8] == ["LG", "MoE+UR"]


def test_inverse_nash_closed_form_matches_enumeration() -> None:
    model = conflict.loads_model(PD)
    for state in model.patterns():
        closed = inverse(model, "P1", state, 30, concept="nash")
        # brute force: every strict ranking of P1, check Nash equilibrium directly
        count = 0
        for perm in itertools.permutations(range(model.n_states)):
            lv = np.empty(model.n_states, dtype=np.int64)
            lv[list(perm)] = np.arange(model.n_states, 0, -1)
            levels = model.levels.copy()
            levels[0] = lv
            m2 = conflict.build_model("pd", [("P1", ["C1"]), ("P2", ["C2"])], levels=levels)
            count += conflict.analyze(m2, ["nash"]).is_equilibrium("nash", state)
        assert closed.count == count, state
        assert closed.exact


def test_inverse_gmr_enumerates_and_checks() -> None:
    model = conflict.loads_model(PD)
    res = inverse(model, "P1", "YY", 100, concept="gmr", max_set_bits=-1)  # plain enumeration
    assert res.exact and res.checked == math.factorial(4)
    assert res.count == len(res.rankings) == 16
    assert inverse(model, "P1", "YY", 100, concept="gmr").count == 16  # over upper sets
    for ranking in res.rankings:  # each returned ranking really works
        lv = np.empty(4, dtype=np.int64)
        lv[ranking] = np.arange(4, 0, -1)
        levels = model.levels.copy()
        levels[0] = lv
        m2 = conflict.build_model("pd", [("P1", ["C1"]), ("P2", ["C2"])], levels=levels)
        assert conflict.analyze(m2, ["gmr"]).is_equilibrium("gmr", "YY")


def test_limited_move_prisoners_dilemma() -> None:
    # Fang et al. (1993), Sec. 3.2.5 / Brams & Wittman (1981): with a horizon of one move L_1 is
    # Nash; with two moves, mutual cooperation (YY) becomes stable (a defection is answered by a
    # defection); it is non-myopically stable.
    model = conflict.loads_model(PD)
    yy, nn = model.state_id("YY"), model.state_id("NN")
    l1 = limited_move(model, 1)
    np.testing.assert_array_equal(l1, stability_tables(model, ["nash"])["nash"])
    l2 = limited_move(model, 2)
    assert l2[:, yy].all() and l2[:, nn].all()
    nm = non_myopic(model)
    assert nm[:, yy].all()


def test_analyze_accepts_limited_move_concepts() -> None:
    model = conflict.loads_model(PD)
    r = conflict.analyze(model, ["nash", "l2", "nm"])
    assert r.concepts == ["nash", "l2", "nm"]
    assert r.is_equilibrium("l2", "YY") and r.is_equilibrium("nm", "YY")
    assert not r.is_equilibrium("nash", "YY")
    with pytest.raises(ConfigurationError, match="did you mean 'gmr'"):
        conflict.analyze(model, ["gmrr"])
    with pytest.raises(ConfigurationError, match="two decision makers"):
        conflict.analyze(conflict.load_model("elmira"), ["nm"])


@settings(max_examples=25, deadline=None)
@given(random_models(max_dms=3, max_options=3))
def test_inverse_upper_set_count_equals_enumeration(model) -> None:  # type: ignore[no-untyped-def]
    if model.n_states > 6:
        return
    for concept in ("gmr", "smr"):
        fast = inverse(model, 0, 0, 5, concept=concept)
        slow = inverse(model, 0, 0, 5, concept=concept, max_set_bits=-1)
        assert slow.exact and fast.exact
        assert fast.count == slow.count, concept
        for ranking in fast.rankings:
            lv = np.empty(model.n_states, dtype=np.int64)
            lv[ranking] = np.arange(model.n_states, 0, -1)
            levels = model.levels.copy()
            levels[0] = lv
            m2 = dataclasses.replace(model, levels=levels, _index=None)
            assert conflict.analyze(m2, [concept]).is_equilibrium(concept, 0)


@settings(max_examples=40, deadline=None)
@given(random_models(max_dms=3, max_options=5))
def test_status_quo_paths_are_sequences_of_improvements(model) -> None:  # type: ignore[no-untyped-def]
    res = status_quo_paths(model, 0, targets=range(model.n_states))
    assert res.paths[0] == []
    for t, path in res.paths.items():
        here = 0
        for mover, a, b in path:
            assert a == here and b in model.moves(mover, a)
            assert model.levels[mover, b] > model.levels[mover, a]
            here = b
        assert here == t
    # closure: no improvement from a reached state leaves the reached set
    for s in res.paths:
        for i in range(model.n_dms):
            assert set(model.improvements(i, s)) <= set(res.paths)


def test_results_are_json_ready() -> None:
    import json

    model = conflict.load_model("elmira")
    r = conflict.analyze(model, explain_states="equilibria")
    for obj in (
        r.to_dict(),
        conflict.coalition_analysis(model, [["MoE", "UR"]]).to_dict(),
        status_quo_paths(model).to_dict(),
        inverse(model, "UR", "YNYNY", 3, concept="smr").to_dict(),
        conflict.explain(model, "UR", "NYNNY", "seq").to_dict(model),
    ):
        json.dumps(obj)


@settings(max_examples=100, deadline=None)
@given(random_models(max_dms=2, max_options=5))
def test_long_horizons_are_read_off_the_cycle(model) -> None:  # type: ignore[no-untyped-def]
    # limited_move stops iterating once (G_h(0, .), G_h(1, .)) repeats; compare with plain iteration.
    from accord.conflict.graphsearch import MoveCache
    from accord.conflict.limited import _step

    cache = MoveCache(model)
    ident = np.arange(model.n_states)
    g = [ident.copy(), ident.copy()]
    for h in range(1, 31):
        g = [_step(model, cache, 0, 1, g[1]), _step(model, cache, 1, 0, g[0])]
        np.testing.assert_array_equal(
            limited_move(model, h), np.stack([g[0] == ident, g[1] == ident]), err_msg=f"h={h}"
        )
    # A horizon of 10**9 returns at once (it looped 10**9 times before).
    assert limited_move(model, 10**9).shape == (2, model.n_states)


def test_inverse_checks_its_arguments_and_states_huge_counts() -> None:
    elmira = conflict.load_model("elmira")
    for bad in ("sim", "foo", "", "l2", "nm"):
        with pytest.raises(ConfigurationError, match="inverse analysis handles nash, gmr, smr, seq"):
            inverse(elmira, "MoE", "NYNNN", concept=bad)
    assert inverse(elmira, "MoE", "NYNNN", concept="GMR").concept == "gmr"
    with pytest.raises(ConfigurationError, match="limit must be 0 or more"):
        inverse(elmira, "MoE", "NYNNN", limit=-1)
    # 2,048 states: 2048! has 5,895 digits, beyond what Python turns into text by default.
    big = conflict.loads_model(
        "decision_makers:\n  - {name: A, options: [a1, a2, a3, a4, a5, a6]}\n"
        "  - {name: B, options: [b1, b2, b3, b4, b5]}\n"
        "preferences:\n  A: {prioritize: [a1]}\n  B: {prioritize: [b1]}\n",
        "big.yaml",
    )
    data = inverse(big, "A", "N" * 11).to_dict()
    assert data["total_rankings"] == "1.673e+5894"  # log10(2048!) = 5894.22
    assert math.isclose(math.lgamma(2049) / math.log(10), 5894 + math.log10(1.673), abs_tol=1e-3)
    assert inverse(elmira, "MoE", "NYNNN").to_dict()["total_rankings"] == math.factorial(12)


def test_result_lookups_take_any_case() -> None:
    elmira = conflict.load_model("elmira")
    result = conflict.analyze(elmira, ["NASH", " gmr "])
    assert result.concepts == ["nash", "gmr"] and result.equilibria("Nash") == result.equilibria("nash")
    with pytest.raises(ConfigurationError, match="concept 'seq' was not analysed; analysed: nash, gmr"):
        result.equilibria("seq")
    with pytest.raises(ConfigurationError, match="give at least one solution concept"):
        conflict.analyze(elmira, [])
    assert status_quo_paths(elmira, concept="NASH").to_dict()["targets"]
