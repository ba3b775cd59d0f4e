"""Simultaneous stability (SIM): hand-worked cases, a brute-force cross-check and the CLI."""

from __future__ import annotations

import itertools
import json

import numpy as np
import pytest
from hypothesis import given, settings
from tests.conflict.strategies import random_models
from tests.conflict.test_examples import PD
from typer.testing import CliRunner

from accord import conflict
from accord.cli import app
from accord.conflict.model import ConflictModel
from accord.conflict.simultaneous import sim_table
from accord.conflict.stability import stability_tables
from accord.errors import ConfigurationError

# A needs B and C to respond at the same time: either response alone leaves A better off.
TWO_SANCTIONERS = """
name: two sanctioners
decision_makers:
  - {name: A, options: [a]}
  - {name: B, options: [b]}
  - {name: C, options: [c]}
preferences:
  A: [YNN, YYN, YNY, NNN, YYY, NYN, NNY, NYY]
  B: [NYN, NNN, YNN, YYN, YNY, YYY, NNY, NYY]
  C: [NNY, NNN, YNN, YYN, YNY, YYY, NYN, NYY]
"""

# A has two improvements from NNN; B's single improvement deters both.
TWO_IMPROVEMENTS = """
name: two improvements
decision_makers:
  - {name: A, options: [a1, a2]}
  - {name: B, options: [b]}
infeasible: ["YY-"]
preferences:
  A: [YNN, NYN, NNN, YNY, NYY, NNY]
  B: [NNY, NNN, YNN, NYN, YNY, NYY]
"""


def brute_force_sim(model: ConflictModel) -> np.ndarray:
    """SIM from the definition, on option patterns, with itertools.product over the responses."""
    lv = model.levels
    out = np.zeros((model.n_dms, model.n_states), dtype=bool)
    for i, s in itertools.product(range(model.n_dms), range(model.n_states)):
        here = model.pattern(s)
        others = [j for j in range(model.n_dms) if j != i]
        answers = [[None, *model.improvements(j, s)] for j in others]
        stable = True
        for x in model.improvements(i, s):
            deterred = False
            for combo in itertools.product(*answers):
                letters = list(here)
                for k in model.dms[i].indices:
                    letters[k] = model.pattern(x)[k]
                for j, y in zip(others, combo, strict=True):
                    if y is not None:
                        for k in model.dms[j].indices:
                            letters[k] = model.pattern(y)[k]
                code = sum(1 << k for k, c in enumerate(letters) if c == "Y")
                t = int(model.index[code])
                if t >= 0 and lv[i, t] <= lv[i, s]:
                    deterred = True
                    break
            if not deterred:
                stable = False
                break
        out[i, s] = stable
    return out


def test_prisoners_dilemma() -> None:
    # Mutual cooperation is SIM stable: a defection met by the other's simultaneous defection
    # ends in mutual defection, worse for the defector than mutual cooperation.
    model = conflict.loads_model(PD)
    r = conflict.analyze(model, ["nash", "sim"])
    assert [model.pattern(s) for s in r.equilibria("sim")] == ["NN", "YY"]
    why = conflict.explain(model, "P1", "YY", "sim")
    assert why.stable
    (d,) = why.improvements
    assert model.pattern(d.target) == "NY" and model.pattern(d.result) == "NN"
    assert {model.dms[j].name: model.pattern(t) for j, t in d.responses.items()} == {"P2": "YN"}
    assert "together they reach NN" in why.text(model)


def test_a_sanction_can_need_two_simultaneous_responses() -> None:
    model = conflict.loads_model(TWO_SANCTIONERS)
    why = conflict.explain(model, "A", "NNN", "sim")
    assert why.stable
    (d,) = why.improvements
    assert {model.dms[j].name: model.pattern(t) for j, t in d.responses.items()} == {"B": "NYN", "C": "NNY"}
    assert model.pattern(d.result) == "YYY"
    # Either response alone is not enough: if C does not gain by moving, A's move is not deterred.
    c_never = conflict.loads_model(TWO_SANCTIONERS.replace("C: [NNY, NNN,", "C: [NNN, NNY,"))
    assert not conflict.explain(c_never, "A", "NNN", "sim").stable


def test_every_improvement_is_checked_against_every_response() -> None:
    # Both of A's improvements are deterred by B's one improvement (NNN -> NNY): YNY and NYY are
    # worse for A than NNN. A solver that used up its list of responses on the first improvement
    # would call NNN unstable for A.
    model = conflict.loads_model(TWO_IMPROVEMENTS)
    why = conflict.explain(model, "A", "NNN", "sim")
    assert why.stable
    assert sorted(model.pattern(d.result) for d in why.improvements) == ["NYY", "YNY"]
    assert sim_table(model)[0, model.state_id("NNN")]


@settings(max_examples=80, deadline=None)
@given(random_models(max_dms=4, max_options=6))
def test_sim_equals_brute_force(model) -> None:  # type: ignore[no-untyped-def]
    np.testing.assert_array_equal(sim_table(model), brute_force_sim(model))


@settings(max_examples=60, deadline=None)
@given(random_models(max_dms=3, max_options=5))
def test_nash_implies_sim_and_explanations_agree(model) -> None:  # type: ignore[no-untyped-def]
    sim = sim_table(model)
    nash = stability_tables(model, ["nash"])["nash"]
    assert not (nash & ~sim).any()
    for i, s in itertools.product(range(model.n_dms), range(model.n_states)):
        e = conflict.explain(model, i, s, "sim")
        assert e.stable == sim[i, s]
        for d in e.improvements:
            if d.result is not None:
                assert model.levels[i, d.result] <= model.levels[i, s]


@settings(max_examples=80, deadline=None)
@given(random_models(max_dms=4, max_options=6))
def test_sim_explanations_are_real_and_minimal(model) -> None:  # type: ignore[no-untyped-def]
    # Every listed response is an improvement of its DM from s, the reported result is the focal
    # move combined with them, it deters, and no deterring combination has fewer movers.
    for i, s in itertools.product(range(model.n_dms), range(model.n_states)):
        e = conflict.explain(model, i, s, "sim")
        assert [d.target for d in e.improvements] == model.improvements(i, s)
        others = [j for j in range(model.n_dms) if j != i]
        for d in e.improvements:
            if d.result is None:
                continue
            letters = list(model.pattern(d.target))
            for j, y in d.responses.items():
                assert j != i and y in model.improvements(j, s)
                for k in model.dms[j].indices:
                    letters[k] = model.pattern(y)[k]
            assert model.pattern(d.result) == "".join(letters)
            assert model.levels[i, d.result] <= model.levels[i, s]
            fewest = min(
                sum(y is not None for y in combo)
                for combo in itertools.product(*[[None, *model.improvements(j, s)] for j in others])
                if _deters(model, i, s, d.target, dict(zip(others, combo, strict=True)))
            )
            assert len(d.responses) == fewest


def _deters(model: ConflictModel, i: int, s: int, x: int, combo: dict[int, int | None]) -> bool:
    letters = list(model.pattern(x))
    for j, y in combo.items():
        if y is not None:
            for k in model.dms[j].indices:
                letters[k] = model.pattern(y)[k]
    t = int(model.index[sum(1 << k for k, c in enumerate(letters) if c == "Y")])
    return t >= 0 and model.levels[i, t] <= model.levels[i, s]


def test_explain_refuses_concepts_without_sanctions() -> None:
    model = conflict.loads_model(PD)
    with pytest.raises(ConfigurationError, match="cannot explain concept 'nm'"):
        conflict.explain(model, "P1", "YY", "nm")


def test_cli_sim_and_explanations(tmp_path) -> None:  # type: ignore[no-untyped-def]
    f = tmp_path / "pd.yaml"
    f.write_text(PD)
    runner = CliRunner()
    res = runner.invoke(app, ["conflict", "analyze", str(f), "--concepts", "nash,sim,nm", "--explain", "YY"])
    assert res.exit_code == 0, res.output
    assert "SIM: 2 equilibria: NN, YY" in res.output
    assert "YY is SIM stable for P1" in res.output and "YY is NM" not in res.output
    res = runner.invoke(
        app, ["conflict", "analyze", str(f), "--concepts", "nash,sim", "--explain", "YY", "--json"]
    )
    data = json.loads(res.output)
    assert data["concepts"]["sim"]["equilibria"] == ["NN", "YY"]
    assert [(e["dm"], e["concept"], e["stable"]) for e in data["explanations"]] == [
        ("P1", "nash", False),
        ("P1", "sim", True),
        ("P2", "nash", False),
        ("P2", "sim", True),
    ]
