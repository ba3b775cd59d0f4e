"""The bad-input catalogue: every malformed scenario gives one located, helpful line.

Each file in ``bad/`` is ``base.yaml`` with one mistake. The table gives the exact line, column,
field path and message the user must see, from the library and from ``accord validate`` (exit 2).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from accord.cli import main
from accord.errors import ScenarioError
from accord.scenario import load
from accord.yamlio import MAX_BYTES

HERE = Path(__file__).parent
BAD = HERE / "bad"

# file, line, column, field path, message
CATALOGUE: list[tuple[str, int, int, str, str]] = [
    (
        "all-saliences-zero.yaml",
        28,
        7,
        "actors[1].positions",
        "every salience of party 'b' is 0, so all outcomes are equal to it; give at least one issue a salience > 0",
    ),
    ("bad-date.yaml", 4, 8, "as_of", "expected a date as YYYY-MM-DD, got '24 July 2025'"),
    (
        "capability-not-a-number.yaml",
        26,
        17,
        "actors[1].capability",
        "expected a number (or {value: .., source: ..}), got 'high'",
    ),
    (
        "constraint-linear-on-categorical.yaml",
        12,
        38,
        "constraints[0].terms.aid",
        "linear constraints take numeric issues; 'aid' is categorical",
    ),
    (
        "constraint-unknown-issue.yaml",
        12,
        27,
        "constraints[0].when.dept",
        "unknown issue 'dept' (did you mean 'depth'?); valid: 'depth', 'monitor' or 'aid'",
    ),
    (
        "constraint-unknown-level.yaml",
        12,
        46,
        "constraints[0].when.monitor",
        "'nobody' is not a level of issue 'monitor'; valid: 'none', 'mediators' or 'international'",
    ),
    (
        "constraints-contradictory.yaml",
        13,
        5,
        "constraints[1]",
        "the constraints contradict each other: no combination of issue levels satisfies them all; loosen or remove one",
    ),
    (
        "duplicate-actor-id.yaml",
        23,
        9,
        "actors[1].id",
        "duplicate actor id 'a' (also at actors[0].id); ids must be unique (and 1 more problem)",
    ),
    (
        "duplicate-issue-id.yaml",
        10,
        10,
        "issues[2].id",
        "duplicate issue id 'depth' (also at issues[0].id); ids must be unique (and 2 more problems)",
    ),
    (
        "duplicate-yaml-key.yaml",
        27,
        5,
        "actors[1].role",
        "duplicate key 'role' (first given on line 25); give each key once",
    ),
    ("empty-file.yaml", 1, 1, "", "file is empty; see `accord init` for a template"),
    ("event-unknown-actor.yaml", 39, 48, "events[0].actors[0]", "unknown actor 'x'; valid: 'a', 'b' or 'm'"),
    (
        "id-with-space.yaml",
        2,
        5,
        "id",
        "'my base' is not a valid id: start with a letter, then use letters, digits, '_' or '-'",
    ),
    (
        "ideal-number-on-categorical.yaml",
        29,
        20,
        "actors[1].positions.aid.ideal",
        "ideal on categorical issue 'aid' must be a level id ('un', 'joint' or 'other'), not a number",
    ),
    (
        "ideal-outside-numeric-range.yaml",
        19,
        22,
        "actors[0].positions.depth.ideal",
        "ideal 12 is outside [0, 3]",
    ),
    (
        "ideal-unknown-level.yaml",
        20,
        24,
        "actors[0].positions.monitor.ideal",
        "'mediator' is not a level of issue 'monitor' (did you mean 'mediators'?); valid: 'none', 'mediators' or 'international'",
    ),
    ("issue-missing-kind.yaml", 8, 5, "issues[0]", "missing required field 'kind'"),
    (
        "issue-unknown-kind.yaml",
        8,
        23,
        "issues[0].kind",
        "unknown kind 'numerc' (did you mean 'numeric'?); valid: 'numeric', 'ordinal' or 'categorical'",
    ),
    ("issues-not-a-list.yaml", 7, 9, "issues", "expected a list, got a mapping"),
    ("json-syntax.json", 5, 1, "", "JSON syntax error: Expecting property name enclosed in double quotes"),
    (
        "lever-guarantee-unknown-issue.yaml",
        37,
        62,
        "actors[2].levers[1].issue",
        "unknown issue 'monitr' (did you mean 'monitor'?); valid: 'depth', 'monitor' or 'aid'",
    ),
    (
        "lever-guarantee-without-issue.yaml",
        37,
        9,
        "actors[2].levers[1]",
        "missing required field 'issue' (a guarantee acts on one issue)",
    ),
    (
        "lever-unknown-kind.yaml",
        36,
        29,
        "actors[2].levers[0].kind",
        "'presure' is not allowed (did you mean 'pressure'?); valid: 'pressure', 'incentive' or 'guarantee'",
    ),
    (
        "lever-unknown-target.yaml",
        36,
        47,
        "actors[2].levers[0].target",
        "unknown actor 'c'; valid: 'a', 'b' or 'm'",
    ),
    ("missing-actor-name.yaml", 23, 5, "actors[1].name", "missing required field 'name'"),
    ("missing-issues.yaml", 1, 1, "issues", "missing required field 'issues'"),
    (
        "multiple-documents.yaml",
        41,
        1,
        "",
        "file holds more than one YAML document ('---'); keep one per file",
    ),
    ("no-deal-above-one.yaml", 30, 22, "actors[1].no_deal.value", "no-deal value 1.5 is outside [0, 1]"),
    ("not-utf8.yaml", 3, 15, "", "file is not valid UTF-8 (byte 0xe9); save it as UTF-8 text"),
    (
        "number-is-boolean.yaml",
        26,
        17,
        "actors[1].capability",
        "expected a number or a mapping with 'value', got true/false",
    ),
    ("numeric-max-below-min.yaml", 8, 5, "issues[0]", "max (0) must be greater than min (3)"),
    (
        "numeric-step-not-dividing.yaml",
        8,
        5,
        "issues[0]",
        "max - min (3) must be a whole number of steps of 0.7",
    ),
    (
        "only-one-party.yaml",
        14,
        3,
        "actors",
        "only one party ('a'); a negotiation needs at least two actors with role 'party'",
    ),
    (
        "peaked-without-tolerance.yaml",
        20,
        16,
        "actors[0].positions.monitor",
        "missing required field 'tolerance' (shape 'peaked' halves its value at this distance)",
    ),
    (
        "position-unknown-issue.yaml",
        29,
        7,
        "actors[1].positions.aide",
        "unknown issue 'aide' (did you mean 'aid'?); valid: 'depth', 'monitor' or 'aid'",
    ),
    (
        "python-tag.yaml",
        3,
        8,
        "title",
        "unsupported YAML tag '!!python/object/apply:os.system'; files hold plain data only (text, numbers, lists, mappings)",
    ),
    (
        "range-excludes-value.yaml",
        17,
        17,
        "actors[0].capability",
        "value 0.9 lies outside its range [0.5, 0.7]",
    ),
    (
        "red-line-empty.yaml",
        28,
        50,
        "actors[1].positions.depth.red_line",
        "a red line needs at least one of 'min', 'max', 'forbid' or 'allow'",
    ),
    (
        "red-line-forbid-unknown-option.yaml",
        29,
        59,
        "actors[1].positions.aid.red_line.forbid[0]",
        "'othre' is not a level of issue 'aid' (did you mean 'other'?); valid: 'un', 'joint' or 'other'",
    ),
    (
        "red-line-min-on-categorical.yaml",
        29,
        55,
        "actors[1].positions.aid.red_line.min",
        "categorical issue 'aid' has no order; use `forbid` or `allow` lists",
    ),
    (
        "status-quo-out-of-range.yaml",
        8,
        81,
        "issues[0].status_quo",
        "status_quo 4 is outside [0, 3]",
    ),
    (
        # The key is named, not the union member (categorical) pydantic puts in the error's path.
        "status-quo-on-categorical.yaml",
        10,
        63,
        "issues[2].status_quo",
        "unknown key 'status_quo'; valid keys here: 'id', 'label', 'description', 'sources', 'kind' or 'options'",
    ),
    (
        "status-quo-unknown-level.yaml",
        9,
        88,
        "issues[1].status_quo",
        "'nobody' is not a level of issue 'monitor'; valid: 'none', 'mediators' or 'international'",
    ),
    (
        "role-invalid.yaml",
        25,
        11,
        "actors[1].role",
        "'partys' is not allowed (did you mean 'party'?); valid: 'party', 'mediator' or 'stakeholder'",
    ),
    (
        "salience-above-one.yaml",
        28,
        35,
        "actors[1].positions.depth.salience",
        "salience 1.5 is outside [0, 1]",
    ),
    (
        "salience-range-outside.yaml",
        20,
        83,
        "actors[0].positions.monitor.salience.range",
        "range [-0.1, 0.4] of salience leaves [0, 1]",
    ),
    (
        "top-level-list.yaml",
        1,
        1,
        "",
        "a scenario is a mapping of keys (id, title, issues, actors, ...), got list",
    ),
    (
        "unknown-key-in-position.yaml",
        20,
        35,
        "actors[0].positions.monitor.salince",
        "unknown key 'salince' (did you mean 'salience'?); valid keys here: 'ideal', 'salience', 'shape', 'tolerance', 'values', 'red_line', 'source' or 'note' (and 1 more problem)",
    ),
    (
        "unknown-source-id.yaml",
        17,
        38,
        "actors[0].capability.source",
        "unknown source 'scr1' (did you mean 'src1'?); valid: 'src1' or 'estimate'",
    ),
    (
        "unknown-top-level-key.yaml",
        7,
        1,
        "isssues",
        "unknown key 'isssues' (did you mean 'issues'?); valid keys here: 'format', 'id', 'title', 'as_of', 'description', 'sources', 'clock', 'issues', 'constraints', 'actors', 'events', 'simulation' or 'conflict' (and 1 more problem)",
    ),
    ("wrong-format-version.yaml", 1, 9, "format", "2 is not allowed; valid: '1'"),
    (
        "yaml-tab-indent.yaml",
        15,
        1,
        "",
        "YAML syntax error: found character '\\t' that cannot start any token while scanning for the next token; indent with spaces, not tabs",
    ),
    (
        "yaml-unclosed-bracket.yaml",
        9,
        73,
        "",
        "YAML syntax error: expected ',' or ']', but got '}' while parsing a flow sequence",
    ),
    (
        "strategy-unknown.yaml",
        25,
        15,
        "actors[1].strategy",
        "unknown strategy 'bulware' (did you mean 'boulware'?); valid: 'time-based', 'boulware', 'linear', 'conceder', 'hardliner', 'tit-for-tat', 'random', 'frequency', 'bad-faith' or 'subgame-perfect'",
    ),
    (
        "simulation-mediator-not-a-mediator.yaml",
        40,
        47,
        "simulation.mediator",
        "'b' has role 'party'; the mediator must have role 'mediator'",
    ),
    ("simulation-deadline-zero.yaml", 40, 24, "simulation.deadline", "must be >= 1, got 0"),
    (
        "conflict-model-unknown.yaml",
        40,
        19,
        "conflict.model",
        "no built-in conflict model or file 'gaza-2025-7' (did you mean 'gaza-2025-07'?); built-ins: 'elmira' or 'gaza-2025-07'",
    ),
    (
        "conflict-state-wrong-length.yaml",
        42,
        18,
        "conflict.states.deal",
        "state 'deal': 'YYY' is not a state: give 5 letters Y or N, one per option (Modify, Delay, Accept, Abandon, Insist)",
    ),
    (
        "conflict-coalition-unknown-dm.yaml",
        42,
        22,
        "conflict.coalitions[0][1]",
        "unknown decision maker 'UX'; valid: 'MoE', 'UR' or 'LG'",
    ),
]


def test_catalogue_covers_every_file() -> None:
    assert sorted(f for f, *_ in CATALOGUE) == sorted(p.name for p in BAD.iterdir())
    assert len(CATALOGUE) >= 30


def test_base_is_valid() -> None:
    load(HERE / "base.yaml")


@pytest.mark.parametrize(("name", "line", "col", "path", "message"), CATALOGUE, ids=[c[0] for c in CATALOGUE])
def test_bad_file(name: str, line: int, col: int, path: str, message: str) -> None:
    with pytest.raises(ScenarioError) as info:
        load(BAD / name)
    err = info.value
    assert (err.location.line, err.location.column, err.location.path) == (line, col, path)
    assert err.message == message
    text = str(err)
    assert "\n" not in text
    assert text.startswith(f"{BAD / name}:{line}:{col}:")


@pytest.mark.parametrize("name", [c[0] for c in CATALOGUE])
def test_cli_validate_exits_2_with_one_line(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(BAD / name)]) == 2
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {BAD / name}:")
    assert "Traceback" not in captured.err + captured.out


def test_huge_file_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_text("description: >\n" + ("  x" * 40 + "\n") * (MAX_BYTES // 100), encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"big.yaml: file is [0-9,]+ bytes; the limit is"):
        load(big)


@pytest.mark.parametrize(
    ("source", "needle"),
    [
        (
            "textbook-two-prty",
            "no file or built-in scenario named 'textbook-two-prty' (did you mean 'textbook-two-party'?)",
        ),
        ("missing.yaml", "missing.yaml: file not found"),
        (".", "is a directory"),
    ],
)
def test_bad_source_names(source: str, needle: str) -> None:
    with pytest.raises(ScenarioError) as info:
        load(source)
    assert needle in str(info.value)


def test_all_problems_are_kept() -> None:
    with pytest.raises(ScenarioError) as info:
        load(BAD / "duplicate-issue-id.yaml")
    assert len(info.value.problems) == 3
    assert all(p.location.line for p in info.value.problems)
