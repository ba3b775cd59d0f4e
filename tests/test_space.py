"""OutcomeSpace: encoding, utilities and masks checked against a per-outcome brute force."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import accord
from accord.scenario import from_dict
from accord.scenario.schema import NumericIssue, OrdinalIssue, Position
from accord.space import OutcomeSpace, issue_grid, red_line_mask, value_function


def brute_utility(space: OutcomeSpace, outcome: int) -> np.ndarray:
    """Utility of one outcome computed the slow, obvious way."""
    terms = space.decode(outcome)
    out = np.zeros(len(space.actors.ids))
    for a, actor in enumerate(space.scenario.actors):
        total = sum(p.salience.value for p in actor.positions.values())
        for issue in space.issues:
            pos = actor.positions.get(issue.id)
            if pos is None or total == 0:
                continue
            grid = issue_grid(issue)
            v = value_function(issue, pos)
            if isinstance(issue, NumericIssue):
                k = int(np.argmin(np.abs(grid - float(terms[issue.id]))))
            else:
                ids = [lv.id for lv in (getattr(issue, "levels", None) or issue.options)]  # type: ignore[union-attr]
                k = ids.index(str(terms[issue.id]))
            out[a] += pos.salience.value / total * v[k]
    return out


def test_textbook_matches_brute_force() -> None:
    space = OutcomeSpace(accord.load("textbook-two-party"))
    U = space.utilities()
    assert U.shape == (space.n_outcomes, 3)
    for o in range(space.n_outcomes):
        np.testing.assert_allclose(U[o], brute_utility(space, o), atol=1e-12)
    # the subset path and the broadcast path agree
    idx = np.arange(0, space.n_outcomes, 7)
    np.testing.assert_allclose(space.utilities(idx), U[idx])
    chunks = np.concatenate([u for _, u in space.iter_utilities(chunk_size=50)])
    np.testing.assert_allclose(chunks, U)


def test_constraint_removes_exactly_the_forbidden_combinations() -> None:
    space = OutcomeSpace(accord.load("textbook-two-party"))
    assert space.n_grid == 21 * 3 * 3
    forbidden = 4 * 1 * 3  # pay in {8.5, 9, 9.5, 10} with five leave days, any clause
    assert space.n_outcomes == space.n_grid - forbidden
    for o in range(space.n_outcomes):
        t = space.decode(o)
        assert not (float(t["pay"]) >= 8.5 and t["leave"] == "five_days")
        assert space.encode(t) == o


def test_value_function_closed_forms() -> None:
    issue = NumericIssue(id="x", kind="numeric", min=0, max=10, step=2.5)
    lin = value_function(issue, Position.model_validate({"ideal": 2.5, "salience": 1}))
    np.testing.assert_allclose(lin, [1 - 2.5 / 7.5, 1, 1 - 2.5 / 7.5, 1 - 5 / 7.5, 0])
    peak = value_function(
        issue, Position.model_validate({"ideal": 5, "salience": 1, "shape": "peaked", "tolerance": 2.5})
    )
    np.testing.assert_allclose(peak, [2.0**-4, 0.5, 1, 0.5, 2.0**-4])
    step = value_function(
        issue, Position.model_validate({"ideal": 5, "salience": 1, "shape": "step", "tolerance": 2.5})
    )
    np.testing.assert_array_equal(step, [0, 1, 1, 1, 0])
    ordinal = OrdinalIssue.model_validate({"id": "o", "kind": "ordinal", "levels": ["a", "b", "c"]})
    np.testing.assert_allclose(
        value_function(ordinal, Position.model_validate({"ideal": "c", "salience": 1})), [0, 0.5, 1]
    )
    rl = red_line_mask(
        ordinal, Position.model_validate({"ideal": "c", "salience": 1, "red_line": {"min": "b"}})
    )
    np.testing.assert_array_equal(rl, [False, True, True])


def test_no_deal_decays_to_floor() -> None:
    space = OutcomeSpace(accord.load("textbook-two-party"))
    np.testing.assert_allclose(space.no_deal(0)[:2], [0.35, 0.30])
    np.testing.assert_allclose(space.no_deal(5)[:2], [0.25, 0.15])
    np.testing.assert_allclose(space.no_deal(100)[:2], [0.0, 0.0])


def _random_scenario(data: st.DataObject) -> dict:
    n_issues = data.draw(st.integers(1, 4))
    issues = []
    for i in range(n_issues):
        kind = data.draw(st.sampled_from(["numeric", "ordinal", "categorical"]))
        n = data.draw(st.integers(2, 5))
        if kind == "numeric":
            issues.append({"id": f"i{i}", "kind": kind, "min": 0, "max": n - 1, "step": 1})
        elif kind == "ordinal":
            issues.append({"id": f"i{i}", "kind": kind, "levels": [f"l{j}" for j in range(n)]})
        else:
            issues.append({"id": f"i{i}", "kind": kind, "options": [f"l{j}" for j in range(n)]})
    actors = []
    for a in range(data.draw(st.integers(2, 4))):
        positions = {}
        for iss in issues:
            n = iss["max"] + 1 if iss["kind"] == "numeric" else len(iss.get("levels") or iss["options"])
            sal = data.draw(st.floats(0.05, 1))
            if iss["kind"] == "categorical":
                vals = {f"l{j}": data.draw(st.floats(0, 1)) for j in range(n)}
                pos: dict = {"salience": sal, "values": vals}
                if data.draw(st.booleans()):
                    pos["red_line"] = {"forbid": [f"l{data.draw(st.integers(0, n - 1))}"]}
            else:
                ideal = data.draw(st.integers(0, n - 1))
                shape = data.draw(st.sampled_from(["linear", "peaked", "step"]))
                pos = {
                    "ideal": ideal if iss["kind"] == "numeric" else f"l{ideal}",
                    "salience": sal,
                    "shape": shape,
                }
                if shape != "linear":
                    pos["tolerance"] = data.draw(st.sampled_from([0.5, 1.0, 2.0]))
                if data.draw(st.booleans()):
                    lim = data.draw(st.integers(0, n - 1))
                    pos["red_line"] = {"min": lim if iss["kind"] == "numeric" else f"l{lim}"}
            positions[iss["id"]] = pos
        actors.append(
            {"id": f"a{a}", "name": f"A{a}", "role": "party", "capability": 1, "positions": positions}
        )
    return {"id": "rand", "title": "random", "as_of": "2025-01-01", "issues": issues, "actors": actors}


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_random_scenarios_match_brute_force(data: st.DataObject) -> None:
    space = OutcomeSpace(from_dict(_random_scenario(data)))
    U = space.utilities()
    ok = space.acceptable()
    assert space.n_outcomes == math.prod(space.shape)
    for o in range(space.n_outcomes):
        np.testing.assert_allclose(U[o], brute_utility(space, o), atol=1e-12)
        terms = space.decode(o)
        for a, actor in enumerate(space.scenario.actors):
            expect = True
            for issue in space.issues:
                pos = actor.positions[issue.id]
                k = [int(i) for i in range(len(issue_grid(issue)))]
                lv = space.levels(np.array([o]))[0][space.issue_ids.index(issue.id)]
                expect &= bool(red_line_mask(issue, pos)[k[lv]])
            assert ok[o, a] == expect, (terms, a)
    assert ((U >= 0) & (U <= 1 + 1e-12)).all()


def test_million_outcomes_five_actors_is_fast_enough_to_build() -> None:
    """Correctness at scale (speed is measured in benchmarks/): sums match on sampled rows."""
    issues = [{"id": f"i{k}", "kind": "numeric", "min": 0, "max": 9, "step": 1} for k in range(6)]
    actors = [
        {
            "id": f"a{a}",
            "name": f"A{a}",
            "role": "party",
            "capability": 1,
            "positions": {f"i{k}": {"ideal": (a + k) % 10, "salience": 0.1 + 0.1 * k} for k in range(6)},
        }
        for a in range(5)
    ]
    space = OutcomeSpace(
        from_dict({"id": "big", "title": "big", "as_of": "2025-01-01", "issues": issues, "actors": actors})
    )
    U = space.utilities()
    assert U.shape == (10**6, 5)
    rng = np.random.default_rng(0)
    for o in rng.integers(0, 10**6, 20):
        np.testing.assert_allclose(U[o], brute_utility(space, int(o)), atol=1e-12)


def test_encode_rejects_off_grid_and_unknown_levels() -> None:
    space = OutcomeSpace(accord.load("textbook-two-party"))
    with pytest.raises(accord.ScenarioError, match="not on the grid"):
        space.encode({"pay": 3.3, "leave": "none", "security": "none"})
    with pytest.raises(accord.ScenarioError, match="did you mean 'consult'"):
        space.encode({"pay": 3, "leave": "none", "security": "consul"})
    with pytest.raises(accord.ScenarioError, match="linkage constraint"):
        space.encode({"pay": 9, "leave": "five_days", "security": "none"})


def test_grid_is_exact_for_decimal_steps() -> None:
    g = issue_grid(NumericIssue(id="x", kind="numeric", min=0.5, max=3.0, step=0.1))
    assert len(g) == 26 and g[-1] == 3.0 and g[3] == 0.8
    assert list(itertools.islice(g, 3)) == [0.5, 0.6, 0.7]
