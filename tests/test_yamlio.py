import pytest

from accord.errors import ScenarioError
from accord.yamlio import parse_text


def test_marks_and_data() -> None:
    doc = parse_text("a: 1\nb:\n  - x\n  - {c: 2.5}\n", "f.yaml", ScenarioError)
    assert doc.data == {"a": 1, "b": ["x", {"c": 2.5}]}
    assert doc.value_marks[("b", 1, "c")] == (4, 9)
    assert doc.key_marks[("b",)] == (2, 1)


@pytest.mark.parametrize(
    ("text", "where", "needle"),
    [
        ("a: [1, 2\n", "f.yaml:2:1", "YAML syntax error"),
        ("a: 1\na: 2\n", "f.yaml:2:1", "duplicate key 'a' (first given on line 1)"),
        ("", "f.yaml:1:1", "file is empty"),
        ("# only a comment\n", "f.yaml:1:1", "file is empty"),
        ("a: 1\n---\nb: 2\n", "f.yaml:3:1", "more than one YAML document"),
        (
            "a: !!python/object:os.system x\n",
            "f.yaml:1:4",
            "unsupported YAML tag '!!python/object:os.system'",
        ),
    ],
)
def test_bad_text(text: str, where: str, needle: str) -> None:
    with pytest.raises(ScenarioError) as info:
        parse_text(text, "f.yaml", ScenarioError)
    assert str(info.value).startswith(where), str(info.value)
    assert needle in str(info.value)


def test_non_utf8_position() -> None:
    with pytest.raises(ScenarioError, match=r"^f.yaml:2:4: file is not valid UTF-8"):
        parse_text(b"a: 1\nb: \xff\n", "f.yaml", ScenarioError)


def test_alias_bomb_is_capped() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 8):
        prev = f"*a{i - 1}"
        lines.append(f"a{i}: &a{i} [{', '.join([prev] * 10)}]")
    with pytest.raises(ScenarioError, match="expands to more than"):
        parse_text("\n".join(lines) + "\n", "f.yaml", ScenarioError)


def test_json_syntax_error_position() -> None:
    with pytest.raises(ScenarioError, match=r"^f.json:2:7: JSON syntax error"):
        parse_text('{"a": 1,\n "b": }\n', "f.json", ScenarioError)
