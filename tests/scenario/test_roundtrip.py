"""load -> dump -> load returns the same scenario, in YAML and JSON; the JSON Schema is usable."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.scenario import builtin_names, dump, load, loads
from accord.scenario.schema import Param, Scenario


@pytest.mark.parametrize("name", builtin_names())
@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_builtin_round_trips(name: str, fmt: str) -> None:
    s = load(name)
    again = loads(dump(s, fmt), f"again.{fmt}")
    assert again == s
    assert dump(again, fmt) == dump(s, fmt)


def test_json_schema_describes_the_format() -> None:
    schema = Scenario.model_json_schema(by_alias=True)
    assert set(schema["required"]) >= {"id", "title", "as_of", "issues", "actors"}
    json.dumps(schema)


@settings(max_examples=100, deadline=None)
@given(
    value=st.floats(-1e6, 1e6, allow_nan=False),
    width=st.floats(0, 10, allow_nan=False),
    source=st.sampled_from([None, "estimate", "s1"]),
)
def test_param_round_trip(value: float, width: float, source: str | None) -> None:
    p = Param(value=value, source=source, range=(value - width, value + width))
    assert Param.model_validate(p.model_dump()) == p
    assert Param.model_validate(value) == Param(value=value)
