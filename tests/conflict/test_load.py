"""Reading models: the accord YAML format, its error messages, prioritization, GMCR+ files."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from tests.conflict.strategies import random_models

from accord import conflict
from accord.conflict.logic import StatementError, evaluate, parse_statement
from accord.conflict.model import code_to_pattern
from accord.errors import ModelError

BASE = """
name: t
decision_makers:
  - {name: A, options: [Opt1, Opt2]}
  - {name: B, options: [Opt3]}
infeasible: ["YY-"]
irreversible: [{option: Opt3, direction: "Y->N"}]
preferences:
  A: [NNY, [YNY, NYY], NNN, YNN, NYN]
  B: {prioritize: ["Opt3", "-Opt1 | Opt2"]}
"""


def load(text: str) -> conflict.ConflictModel:
    return conflict.loads_model(text, "m.yaml")


def test_base_model() -> None:
    m = load(BASE)
    assert m.n_states == 6 and "YYN" not in m.patterns() and "YYY" not in m.patterns()
    lv = dict(zip(m.patterns(), m.levels[0], strict=True))
    assert lv["NNY"] > lv["YNY"] == lv["NYY"] > lv["NNN"] > lv["YNN"] > lv["NYN"]
    lb = dict(zip(m.patterns(), m.levels[1], strict=True))
    # Opt3 first (weight 2), then (-Opt1 | Opt2) (weight 1)
    assert lb["NNY"] == lb["NYY"] > lb["YNY"] > lb["NNN"] == lb["NYN"] > lb["YNN"]
    # irreversible: B cannot withdraw Opt3
    assert m.moves(1, m.state_id("NNY")) == []
    assert m.moves(1, m.state_id("NNN")) == [m.state_id("NNY")]


@pytest.mark.parametrize(
    ("old", "new", "message", "line"),
    [
        (
            "A: [NNY, [YNY, NYY], NNN, YNN, NYN]",
            "A: [NNY, [YNY, NYY], NNN, YNN]",
            "misses 1 feasible state(s): NYN",
            9,
        ),
        (
            "A: [NNY, [YNY, NYY], NNN, YNN, NYN]",
            "A: [NNY, [YNY, NYY], NNN, YNN, NYN, YYN]",
            "only infeasible",
            9,
        ),
        (
            "A: [NNY, [YNY, NYY], NNN, YNN, NYN]",
            "A: [NNY, [YNY, NYY], NNN, YNN, NYN, NNY]",
            "ranked twice",
            9,
        ),
        (
            "A: [NNY, [YNY, NYY], NNN, YNN, NYN]",
            "A: [NNYY, [YNY, NYY], NNN, YNN, NYN]",
            "has 4 letters; give 3",
            9,
        ),
        (
            '["Opt3", "-Opt1 | Opt2"]',
            '["Opt3", "-Opt1 | Opt22"]',
            "unknown option 'Opt22' (did you mean 'Opt2'?)",
            10,
        ),
        ('["Opt3", "-Opt1 | Opt2"]', '["Opt3", "-Opt1 | "]', "ends too early", 10),
        ("  B: {prio", "  Bx: {prio", "unknown decision maker 'Bx' (did you mean 'B'?)", 10),
        ('direction: "Y->N"', 'direction: "up"', "is not one of", 7),
        ('infeasible: ["YY-"]', 'infeasible: ["YYYY"]', "has 4 letters", 6),
        ("name: t", "nam: t", "unknown key 'nam' (did you mean 'name'?)", 2),
        (
            "options: [Opt3]",
            "options: [{name: Opt3, lable: presses}]",
            "unknown key 'lable' (did you mean 'label'?)",
            5,
        ),
        ("options: [Opt3]", "options: [{name: Opt3, label: 3}]", "label must be a short phrase", 5),
        # More of the catalogue: each mistake names its place and what would be valid.
        (
            "preferences:\n",
            "status_quo: YYN\npreferences:\n",
            "status_quo: status_quo 'YYN' is an infeasible state",
            8,
        ),
        (
            "preferences:\n",
            "status_quo: NXN\npreferences:\n",
            "must be one state: Y or N for every option",
            8,
        ),
        ("preferences:\n", "status_quo: NN\npreferences:\n", "pattern 'NN' has 2 letters; give 3", 8),
        ("{option: Opt3,", "{option: Opt9,", "unknown option 'Opt9' (did you mean 'Opt3'?)", 7),
        (
            'infeasible: ["YY-"]',
            "mutually_exclusive: [[Opt1, Nope]]",
            "mutually_exclusive[0][1]: unknown option 'Nope'",
            6,
        ),
        ('infeasible: ["YY-"]', "at_least_one: Opt1", "expected a list of lists of options", 6),
        ('  B: {prioritize: ["Opt3", "-Opt1 | Opt2"]}', "", "preferences: no preferences for 'B'", 9),
        ('{prioritize: ["Opt3", "-Opt1 | Opt2"]}', "{prioritize: []}", "give at least one statement", 10),
        ("A: [NNY, [YNY, NYY], NNN, YNN, NYN]", "A: 5", "a ranking is a list of states", 9),
        ("A: [NNY, [YNY, NYY], NNN, YNN, NYN]", "A: [NNY, [YNY, [NYY]], NNN, YNN, NYN]", "got ['NYY']", 9),
        ('infeasible: ["YY-"]', 'infeasible: ["---"]', "every state is infeasible", 6),
        ("- {name: B, options: [Opt3]}", "- {name: B}", "a decision maker needs 'name' and 'options'", 5),
        ("name: t", "name: [t", "YAML syntax error", 3),
        ('"-Opt1 | Opt2"', '"Opt1 xor Opt2"', "unexpected 'xor' (at character 6", 10),
        ('direction: "Y->N"', 'direction: "Y->N", also: 1', "unknown key 'also'", 7),
        (
            "A: [NNY, [YNY, NYY], NNN, YNN, NYN]",
            "A: {ranking: [NNY, [YNY, NYY], NNN, YNN, NYN], unknown: [[NNY, QQQ]]}",
            "expected a state pattern of Y, N and -, got 'QQQ'",
            9,
        ),
        # Names are text: YAML reads yes/no as booleans, ~ as null, bare digits as numbers.
        (
            "- {name: B, options: [Opt3]}",
            "- {name: ~, options: [Opt3]}",
            "a decision maker's name is missing",
            5,
        ),
        (
            "- {name: B, options: [Opt3]}",
            "- {name: B, options: [Yes]}",
            "got a yes/no value True; write it",
            5,
        ),
        (
            "- {name: B, options: [Opt3]}",
            "- {name: B, options: [12]}",
            "got a number 12; write it in quotes",
            5,
        ),
        (
            "- {name: B, options: [Opt3]}",
            '- {name: "  ", options: [Opt3]}',
            "a decision maker's name is empty",
            5,
        ),
        # An option literally named like another's qualified name would mean two things.
        (
            "{name: A, options: [Opt1, Opt2]}",
            "{name: A, options: [Opt1, B.Opt3]}",
            "reads as B's option 'Opt3'",
            4,
        ),
        (
            'infeasible: ["YY-"]',
            "mutually_exclusive: [[Opt1, Opt1]]",
            "'Opt1' is listed twice in this group",
            6,
        ),
        ('infeasible: ["YY-"]', "infeasible: {}", "infeasible: expected a list of patterns", 6),
        ('infeasible: ["YY-"]', 'infeasible: ""', "infeasible: expected a list of patterns", 6),
        ('infeasible: ["YY-"]', "infeasible: [{pattern: YY-, colour: red}]", "unknown key 'colour'", 6),
        (
            'infeasible: ["YY-"]',
            'infeasible: [{pattern: YY-, statement: "Opt1 & Opt2"}]',
            "give exactly one of 'pattern' or 'statement'",
            6,
        ),
        # Nesting is bounded (a recursion error was possible); long flat chains are fine.
        (
            '"-Opt1 | Opt2"',
            '"' + "(" * 300 + "Opt1" + ")" * 300 + '"',
            "nested too deeply; use at most 60 levels",
            10,
        ),
        ('"-Opt1 | Opt2"', '"' + "-" * 200 + 'Opt1"', "nested too deeply", 10),
    ],
)
def test_errors_name_the_place(old: str, new: str, message: str, line: int) -> None:
    text = BASE.replace(old, new)
    assert text != BASE
    with pytest.raises(ModelError) as err:
        load(text)
    msg = str(err.value)
    assert message in msg
    assert msg.startswith(f"m.yaml:{line}:")
    assert "\n" not in msg


def test_statements() -> None:
    cols = {"a": np.array([0, 1, 0, 1], bool), "b": np.array([0, 0, 1, 1], bool)}
    cases = {
        "a": [0, 1, 0, 1],
        "-a": [1, 0, 1, 0],
        "not a and b": [0, 0, 1, 0],
        "a & b": [0, 0, 0, 1],
        "a | -b": [1, 1, 0, 1],
        "a iff b": [1, 0, 0, 1],
        "a if b": [1, 1, 0, 1],
        "(a | b) & -(a & b)": [0, 1, 1, 0],
    }
    for text, want in cases.items():
        np.testing.assert_array_equal(
            evaluate(parse_statement(text), cols), np.array(want, bool), err_msg=text
        )
    with pytest.raises(StatementError):
        parse_statement("a & (b")
    with pytest.raises(StatementError):
        parse_statement("a $ b")


def test_unknown_builtin() -> None:
    with pytest.raises(ModelError, match="did you mean 'elmira'"):
        conflict.load_model("elmra")


def test_gmcr_file_reader(tmp_path: Path) -> None:
    # A GMCR+ save file written by hand for the Elmira model (format of GMCR+ 0.4: options with
    # permittedDirection, DMs with option indices and a manual ranking over 1-based feasible states).
    model = conflict.load_model("elmira")
    groups: dict[int, list[int]] = {}
    for dm in range(3):
        groups = {}
        for s, v in enumerate(model.levels[dm]):
            groups.setdefault(int(v), []).append(s + 1)
        ranking = [g if len(g) > 1 else g[0] for _, g in sorted(groups.items(), reverse=True)]
        if dm == 0:
            r0 = ranking
        elif dm == 1:
            r1 = ranking
        else:
            r2 = ranking
    data = {
        "options": [
            {"name": "Modify", "permittedDirection": "fwd"},
            {"name": "Delay", "permittedDirection": "back"},
            {"name": "Accept", "permittedDirection": "both"},
            {"name": "Abandon", "permittedDirection": "fwd"},
            {"name": "Insist", "permittedDirection": "both"},
        ],
        "decisionMakers": [
            {"name": "MoE", "options": [0], "preferences": [], "preferenceRanking": r0},
            {"name": "UR", "options": [1, 2, 3], "preferences": [], "preferenceRanking": r1},
            {"name": "LG", "options": [4], "preferences": [], "preferenceRanking": r2},
        ],
        "infeasibles": [
            [[1, "Y"], [2, "Y"]],
            [[1, "Y"], [3, "Y"]],
            [[2, "Y"], [3, "Y"]],
            [[1, "N"], [2, "N"], [3, "N"]],
        ],
        "useManualPreferenceRanking": True,
        "program": "gmcr-py",
    }
    path = tmp_path / "elmira.gmcr"
    path.write_text(json.dumps(data))
    other = conflict.load_model(str(path))
    assert other.patterns() == model.patterns()
    np.testing.assert_array_equal(other.levels.argsort(kind="stable"), model.levels.argsort(kind="stable"))
    np.testing.assert_array_equal(other.forbid, model.forbid)
    a, b = conflict.analyze(model), conflict.analyze(other)
    for c in a.concepts:
        assert a.equilibria(c) == b.equilibria(c)
    # Prioritization form: a condition list is an AND, a compound condition an OR of conditions.
    # The same statements written for the YAML reader must give the same levels.
    data["useManualPreferenceRanking"] = False
    for d in data["decisionMakers"]:
        d["preferences"] = [[[3, "N"]], {"compound": True, "members": [[[0, "Y"], [2, "Y"]], [[4, "N"]]]}]
    path.write_text(json.dumps(data))
    pri = conflict.load_model(str(path))
    text = (resources.files("accord.conflict") / "builtin" / "elmira.yaml").read_text()
    head = text[: text.index("preferences:")]
    stmts = '{prioritize: ["-Abandon", "(Modify & Accept) | -Insist"]}'
    yaml_model = conflict.loads_model(head + f"preferences:\n  MoE: {stmts}\n  UR: {stmts}\n  LG: {stmts}\n")
    np.testing.assert_array_equal(pri.levels, yaml_model.levels)
    assert len(np.unique(pri.levels[0])) == 4
    with pytest.raises(ModelError, match="not a GMCR"):
        conflict.parse_gmcr("{}", "x.gmcr")


def test_prioritization_is_lexicographic_for_any_number_of_statements() -> None:
    # Fang et al. (2003): scores 2^(K-k) rank states lexicographically by the truth values of the
    # statements, most important first; beyond 62 statements the same order is computed without
    # integer scores.
    from accord.conflict.logic import prioritization_scores, rank_from_scores

    rng = np.random.default_rng(3)
    for k in (3, 62, 70):
        truth = [rng.random(40) < 0.5 for _ in range(k)]
        levels = rank_from_scores(prioritization_scores(truth))
        keys = [tuple(bool(t[s]) for t in truth) for s in range(40)]
        for a in range(40):
            for b in range(40):
                assert (levels[a] > levels[b]) == (keys[a] > keys[b])
                assert (levels[a] == levels[b]) == (keys[a] == keys[b])


def test_gmcr_bad_inputs() -> None:
    bad = {
        '{"options": [{"name": "a"}], "decisionMakers": [{"name": "A", "options": [3]}]}': "expected an option index from 0 to 0, got 3",
        '{"options": [{"name": "a"}, {"name": "b"}], "decisionMakers": [{"name": "A", "options": [0]}]}': (
            r"option\(s\) \[1\] belong to none"
        ),
        # Types and indices are checked (these raised KeyError/TypeError/ValueError before).
        '{"options": ["a", "b"], "decisionMakers": [{"name": "A", "options": [0, 1]}], "infeasibles": [[[5, "Y"]]]}': (
            r"infeasibles\[0\]\[0\]\[0\]: expected an option index from 0 to 1, got 5"
        ),
        '{"options": ["a", "b"], "decisionMakers": [{"name": "A", "options": [0, 1]}], "infeasibles": [5]}': (
            "expected a condition"
        ),
        '{"options": ["a", "b"], "decisionMakers": [{"name": "A", "options": [0, 1]}], "infeasibles": [[[null, "Y"]]]}': (
            "got None"
        ),
        '{"options": ["a"], "decisionMakers": [{"name": "A", "options": null}]}': "got nothing \\(null\\)",
        '{"options": ["a"], "decisionMakers": [{"name": "A", "options": ["0"]}]}': "got '0'",
        '{"options": ["a"], "decisionMakers": [{"name": "A", "options": [0.0]}]}': "got 0.0",
        '{"options": ["a", "b"], "decisionMakers": [{"name": "A", "options": [0]}, {"name": "A", "options": [1]}]}': (
            "decision maker 'A' is given twice"
        ),
        '{"options": ["a", "a"], "decisionMakers": [{"name": "A", "options": [0, 1]}]}': "'a' is given twice for A",
        '{"options": ["a"], "decisionMakers": [{"name": "A", "options": [0], "preferences": [{"compound": true}]}]}': (
            "members: expected a list of conditions"
        ),
        '{"options": ["a"], "decisionMakers": [{"name": "A", "options": [0]}], "infeasibles": [[]]}': (
            "every state is infeasible"
        ),
        '{"options": [], "decisionMakers": []}': "no options",
        '{"options": ["a"], "decisionMakers": [{"name": "A", "options": []}]}': "has no options",
        '{"options": ["a"], "decisionMakers": [{"name": "A", "options": [0]}], "useManualPreferenceRanking": "false"}': (
            "expected true or false"
        ),
        json.dumps(
            {
                "options": [f"o{i}" for i in range(40)],
                "decisionMakers": [{"name": "A", "options": list(range(40))}],
            }
        ): ("40 options; at most"),
        '{"options": [{"name": "a", "permittedDirection": "up"}], '
        '"decisionMakers": [{"name": "A", "options": [0]}]}': "permittedDirection",
        '{"options": [1, 2': "JSON syntax error",
    }
    for text, message in bad.items():
        with pytest.raises(ModelError, match=message):
            conflict.parse_gmcr(text, "bad.gmcr")


@settings(max_examples=40, deadline=None)
@given(random_models(max_dms=3, max_options=5))
def test_yaml_round_trip(model) -> None:  # type: ignore[no-untyped-def]
    # Write a random model in the accord format (infeasible states as full patterns, rankings with
    # ties, irreversibility) and read it back: same states, moves and preferences.
    import yaml

    directions = {1: "Y->N", 2: "N->Y", 3: "both"}
    n = model.n_options
    infeasible = [
        f"{pattern}"
        for pattern in (code_to_pattern(c, n) for c in range(2**n))
        if pattern not in model.patterns()
    ]
    prefs = {}
    for i, d in enumerate(model.dms):
        groups: dict[int, list[str]] = {}
        for s in range(model.n_states):
            groups.setdefault(int(model.levels[i, s]), []).append(model.pattern(s))
        prefs[d.name] = [g for _, g in sorted(groups.items(), reverse=True)]
    doc = {
        "name": "rt",
        "decision_makers": [{"name": d.name, "options": list(d.options)} for d in model.dms],
        "infeasible": infeasible,
        "irreversible": [
            {"option": model.options[k], "direction": directions[int(f)]}
            for k, f in enumerate(model.forbid)
            if f
        ],
        "preferences": prefs,
    }
    back = conflict.loads_model(yaml.safe_dump(doc))
    assert back.patterns() == model.patterns()
    np.testing.assert_array_equal(back.forbid, model.forbid)
    for i in range(model.n_dms):
        np.testing.assert_array_equal(
            np.sign(back.levels[i][:, None] - back.levels[i][None, :]),
            np.sign(model.levels[i][:, None] - model.levels[i][None, :]),
        )


def test_long_flat_statements_and_redundant_parentheses_are_fine() -> None:
    # 500 terms joined by '&' make one flat node; 70 pairs of parentheses add no depth.
    text = BASE.replace('"-Opt1 | Opt2"', '"' + " & ".join(["Opt1"] * 500) + '"')
    assert load(text).n_states == 6
    assert load(BASE.replace('"-Opt1 | Opt2"', '"' + "(" * 70 + "Opt1" + ")" * 70 + '"')).n_states == 6
    cols = {
        "a": np.array([0, 1, 1, 1], bool),
        "b": np.array([0, 0, 1, 1], bool),
        "c": np.array([0, 1, 0, 1], bool),
    }
    np.testing.assert_array_equal(evaluate(parse_statement("a & b & c"), cols), [0, 0, 0, 1])
    np.testing.assert_array_equal(evaluate(parse_statement("-a | b | c"), cols), [1, 1, 1, 1])
    with pytest.raises(StatementError, match="nested too deeply"):
        parse_statement(" iff ".join(["a"] * 100))
