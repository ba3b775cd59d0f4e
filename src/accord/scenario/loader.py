"""Scenario files to :class:`~accord.scenario.schema.Scenario` objects, with located errors.

``load`` accepts a path to a YAML/JSON file or the name of a built-in scenario. Every mistake is
reported as a :class:`~accord.errors.ScenarioError` whose message is one line naming the file, line,
column and field path, what is wrong and what would be valid. All problems found are kept on the
error's ``problems`` attribute (the first is the message), so an editor can show them all.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from accord.errors import Location, ScenarioError, did_you_mean, one_of
from accord.scenario.checks import check
from accord.scenario.schema import Scenario
from accord.yamlio import Document, PathKey, format_path, parse_text, pydantic_location, read_bytes

BUILTIN_PACKAGE = "accord.scenario.builtin"
DEFAULT_SCENARIO = "gaza-2025-07"


# --------------------------------------------------------------------------- built-ins
def builtin_names() -> list[str]:
    """Names of the scenarios shipped inside the package (file stems), sorted."""
    root = resources.files(BUILTIN_PACKAGE)
    return sorted(p.name[: -len(".yaml")] for p in root.iterdir() if p.name.endswith(".yaml"))


def builtin_text(name: str) -> bytes:
    """Raw bytes of a built-in scenario file."""
    return resources.files(BUILTIN_PACKAGE).joinpath(f"{name}.yaml").read_bytes()


def resolve(source: str | Path) -> tuple[bytes, str]:
    """Return ``(content, display name)`` for a file path or a built-in scenario name."""
    text = str(source)
    path = Path(text)
    if path.suffix.lower() in (".yaml", ".yml", ".json") or path.exists() or "/" in text:
        return read_bytes(path, ScenarioError), text
    names = builtin_names()
    if text in names:
        return builtin_text(text), text
    raise ScenarioError(
        f"no file or built-in scenario named '{text}'{did_you_mean(text, names)}; "
        f"built-ins: {one_of(names)} (or give a path to a .yaml/.json file)",
        Location(text),
    )


# --------------------------------------------------------------------------- loading
def load(source: str | Path = DEFAULT_SCENARIO) -> Scenario:
    """Load and validate a scenario from a file path or a built-in name.

    Parameters
    ----------
    source : str or Path
        A path to a ``.yaml``/``.yml``/``.json`` file, or a built-in name (see ``accord scenarios``).
        Default: the embedded Gaza July-2025 scenario.

    Returns
    -------
    Scenario
        Typed, immutable, consistency-checked.

    Raises
    ------
    ScenarioError
        One line: ``file:line:col: field.path: what is wrong; what would be valid``.
    """
    raw, name = resolve(source)
    return loads(raw, name)


def loads(text: str | bytes, name: str = "<string>") -> Scenario:
    """Load and validate a scenario from YAML/JSON text (``name`` is used in messages)."""
    doc = parse_text(text, name, ScenarioError)
    return from_document(doc)


def from_document(doc: Document) -> Scenario:
    """Validate parsed data (with source positions) into a :class:`Scenario`."""
    if not isinstance(doc.data, dict):
        got = type(doc.data).__name__ if doc.data is not None else "nothing"
        raise ScenarioError(
            f"a scenario is a mapping of keys (id, title, issues, actors, ...), got {got}",
            doc.location(()),
        )
    try:
        scenario = Scenario.model_validate(doc.data)
    except ValidationError as exc:
        raise _collect([_from_pydantic(doc, err) for err in exc.errors()]) from None
    problems = check(scenario)
    if problems:
        raise _collect(
            [
                ScenarioError(p.message, doc.location(p.path, key=p.key, error_path=format_path(p.path)))
                for p in problems
            ]
        )
    _check_outcomes_exist(scenario, doc)
    _check_conflict_link(scenario, doc)
    return scenario


def from_dict(data: Mapping[str, Any], name: str = "<dict>") -> Scenario:
    """Validate a plain mapping (no positions known: messages give the field path only)."""
    return loads(yaml.safe_dump(dict(data), sort_keys=False, allow_unicode=True), name)


def _check_outcomes_exist(scenario: Scenario, doc: Document) -> None:
    if not scenario.constraints:
        return
    from accord.space import constraint_conflict

    index = constraint_conflict(scenario)
    if index is not None:
        raise ScenarioError(
            "the constraints contradict each other: no combination of issue levels satisfies them all; "
            "loosen or remove one",
            doc.location(("constraints", index)),
        )


def _check_conflict_link(scenario: Scenario, doc: Document) -> None:
    link = scenario.conflict
    if link is None:
        return
    from accord import conflict
    from accord.errors import AccordError

    ref = link.model
    base = Path(doc.file).parent
    if not ref.endswith((".yaml", ".yml", ".gmcr", ".json")) or not (base / ref).exists():
        names = conflict.builtin_names()
        if ref not in names and not Path(ref).exists():
            raise ScenarioError(
                f"no built-in conflict model or file '{ref}'{did_you_mean(ref, names)}; built-ins: {one_of(names)}",
                doc.location(("conflict", "model")),
            )
    else:
        ref = str(base / ref)
    try:
        model = conflict.load_model(ref)
    except AccordError as exc:
        raise ScenarioError(
            f"the conflict model does not load: {exc}", doc.location(("conflict", "model"))
        ) from None
    for name, pattern in link.states.items():
        try:
            model.state_id(pattern)
        except AccordError as exc:
            raise ScenarioError(
                f"state '{name}': {exc.message}", doc.location(("conflict", "states", name))
            ) from None
    for i, group in enumerate(link.coalitions):
        for j, dm in enumerate(group):
            if dm not in model.dm_names:
                raise ScenarioError(
                    f"unknown decision maker '{dm}'{did_you_mean(dm, model.dm_names)}; valid: {one_of(model.dm_names)}",
                    doc.location(("conflict", "coalitions", i, j)),
                )


def _collect(errors: list[ScenarioError]) -> ScenarioError:
    def order(e: ScenarioError) -> tuple[bool, int, int]:
        # A missing field is often the consequence of a misspelt key: report the key first.
        return (e.message.startswith("missing required field"), e.location.line or 0, e.location.column or 0)

    errors = sorted(errors, key=order)
    first = errors[0]
    more = len(errors) - 1
    suffix = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
    err = ScenarioError(first.message + suffix, first.location)
    err.problems = list(errors)
    return err


# --------------------------------------------------------------------------- pydantic errors
def _unwrap(tp: Any) -> list[Any]:
    """Concrete types inside Optional/Union/Annotated."""
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(tp)[0])
    if origin in (typing.Union, types.UnionType):
        return [t for a in typing.get_args(tp) for t in _unwrap(a)]
    return [tp]


def _model_at(path: PathKey, data: Any) -> type[BaseModel] | None:
    """The model class that describes the mapping at ``path`` (None if not a model)."""
    current: list[Any] = [Scenario]
    node = data
    for part in path:
        nxt: list[Any] = []
        for tp in current:
            for t in _unwrap(tp):
                origin = typing.get_origin(t)
                if isinstance(t, type) and issubclass(t, BaseModel) and isinstance(part, str):
                    for fname, info in t.model_fields.items():
                        if part in (fname, info.alias):
                            nxt.append(info.annotation)
                elif origin in (list, tuple) and isinstance(part, int):
                    nxt.extend(typing.get_args(t)[:1])
                elif origin is dict and isinstance(part, str):
                    nxt.append(typing.get_args(t)[1])
        node = (
            node.get(part)
            if isinstance(node, dict)
            else (
                node[part] if isinstance(node, list) and isinstance(part, int) and part < len(node) else None
            )
        )
        current = nxt
    models = [t for tp in current for t in _unwrap(tp) if isinstance(t, type) and issubclass(t, BaseModel)]
    if len(models) > 1 and isinstance(node, dict) and "kind" in node:
        for m in models:
            kind = m.model_fields.get("kind")
            if kind is not None and node["kind"] in typing.get_args(kind.annotation):
                return m
    return models[0] if models else None


def _keys_of(model: type[BaseModel]) -> list[str]:
    return [info.alias or name for name, info in model.model_fields.items()]


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value) if isinstance(value, str) else str(value)


def _from_pydantic(doc: Document, err: Any) -> ScenarioError:
    etype = err["type"]
    path, missing = pydantic_location(doc, tuple(err["loc"]), etype in ("missing", "extra_forbidden"))
    ctx = err.get("ctx") or {}
    value = err.get("input")
    where = format_path(path)
    if etype == "extra_forbidden":
        parent = _model_at(path[:-1], doc.data)
        valid = _keys_of(parent) if parent else []
        key = str(path[-1]) if path else "?"
        msg = f"unknown key '{key}'{did_you_mean(key, valid)}"
        if valid:
            msg += f"; valid keys here: {one_of(valid, limit=20)}"
        return ScenarioError(msg, doc.location(path, key=True, error_path=where))
    if etype == "missing" or missing:
        field = str(path[-1]) if path else "?"
        parent_path = path[:-1]
        return ScenarioError(
            f"missing required field '{field}'",
            doc.location(parent_path, key=True, error_path=where),
        )
    if etype == "union_tag_invalid":
        tags = [t.strip(" '") for t in str(ctx.get("expected_tags", "")).split(",") if t.strip()]
        tag = str(ctx.get("tag"))
        msg = f"unknown {ctx.get('discriminator', 'kind').strip(chr(39))} '{tag}'{did_you_mean(tag, tags)}; valid: {one_of(tags)}"
        return ScenarioError(msg, doc.location((*path, "kind"), error_path=format_path((*path, "kind"))))
    if etype == "union_tag_not_found":
        model = _model_at(path, doc.data)
        return ScenarioError(
            "missing required field 'kind' (numeric, ordinal, categorical for issues; linear, forbid, implies for constraints)"
            if model is None
            else "missing required field 'kind'",
            doc.location(path, key=True, error_path=where),
        )
    if etype == "literal_error":
        expected = str(ctx.get("expected", ""))
        options = [o.strip(" '") for o in expected.replace(" or ", ",").split(",") if o.strip()]
        got = _describe(value)
        return ScenarioError(
            f"{got} is not allowed{did_you_mean(str(value), options)}; valid: {one_of(options)}",
            doc.location(path, error_path=where),
        )
    if etype in ("model_type", "dict_type", "model_attributes_type"):
        return ScenarioError(
            f"expected a mapping (key: value), got {_describe(value)}", doc.location(path, error_path=where)
        )
    if etype == "list_type":
        return ScenarioError(f"expected a list, got {_describe(value)}", doc.location(path, error_path=where))
    if etype in ("float_parsing", "float_type", "int_parsing", "int_type", "int_from_float", "finite_number"):
        kind = "a whole number" if etype.startswith("int") else "a number"
        return ScenarioError(f"expected {kind}, got {_describe(value)}", doc.location(path, error_path=where))
    if etype == "string_type":
        return ScenarioError(f"expected text, got {_describe(value)}", doc.location(path, error_path=where))
    if etype == "string_pattern_mismatch":
        return ScenarioError(
            f"{_describe(value)} is not a valid id: start with a letter, then use letters, digits, '_' or '-'",
            doc.location(path, error_path=where),
        )
    if etype.startswith("date") or etype.startswith("datetime"):
        return ScenarioError(
            f"expected a date as YYYY-MM-DD, got {_describe(value)}", doc.location(path, error_path=where)
        )
    if etype == "too_short":
        need = ctx.get("min_length", 1)
        return ScenarioError(
            f"needs at least {need} item{'s' if need != 1 else ''}, got {_describe(value)}"
            if not isinstance(value, list)
            else f"needs at least {need} item{'s' if need != 1 else ''}, got {len(value)}",
            doc.location(path, error_path=where),
        )
    if etype in ("too_long", "tuple_type"):
        return ScenarioError("expected a pair [lo, hi]", doc.location(path, error_path=where))
    if etype in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        bound = next(iter(ctx.values()), "")
        op = {"greater_than": ">", "greater_than_equal": ">=", "less_than": "<", "less_than_equal": "<="}[
            etype
        ]
        return ScenarioError(
            f"must be {op} {bound}, got {_describe(value)}", doc.location(path, error_path=where)
        )
    if etype == "value_error":
        msg = str(err.get("msg", "")).removeprefix("Value error, ")
        return ScenarioError(msg, doc.location(path, error_path=where))
    return ScenarioError(str(err.get("msg", "invalid value")), doc.location(path, error_path=where))


# --------------------------------------------------------------------------- writing
def to_data(scenario: Scenario) -> dict[str, Any]:
    """Plain, JSON-compatible data of a scenario (what ``dump`` writes)."""
    return scenario.model_dump(mode="json", by_alias=True, exclude_none=True)


def dump(scenario: Scenario, fmt: str = "yaml") -> str:
    """Write a scenario as YAML (default) or JSON text that :func:`loads` reads back unchanged."""
    data = to_data(scenario)
    if fmt == "json":
        import json

        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
