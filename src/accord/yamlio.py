"""Safe YAML/JSON reading that remembers where every value came from.

Every input format of accord (scenarios, conflict models) is read through :func:`read_document`.
It uses PyYAML's *safe* composer only (no Python tags, no code), rejects duplicate keys, caps the
file size and the expanded size of aliases, and returns the plain data together with the line and
column of every key and value, so that a validation error deep inside the document can be reported
as ``file:line:column: field.path: message``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor

from accord.errors import AccordError, Location

#: Largest input file accepted, in bytes. Scenario files are a few kilobytes; a file this large is
#: almost certainly the wrong file, and reading it would waste memory.
MAX_BYTES = 2 * 1024 * 1024
#: Largest number of nodes after expanding YAML aliases ("billion laughs" protection).
MAX_NODES = 200_000

PathKey = tuple[str | int, ...]
_PLAIN_TAGS = {"str", "int", "float", "bool", "null", "map", "seq", "timestamp", "merge"}


@dataclass
class Document:
    """Parsed input with source positions.

    Attributes
    ----------
    data : Any
        Plain Python data (dicts, lists, str, int, float, bool, None, dates).
    file : str
        The name used in messages.
    value_marks, key_marks : dict
        1-based ``(line, column)`` of each value / mapping key, by path tuple.
    """

    data: Any
    file: str
    value_marks: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    key_marks: dict[PathKey, tuple[int, int]] = field(default_factory=dict)

    def location(self, path: PathKey, *, key: bool = False, error_path: str | None = None) -> Location:
        """Location of ``path`` (or of its nearest ancestor that has a mark)."""
        marks = self.key_marks if key else self.value_marks
        p = tuple(path)
        while True:
            if p in marks:
                line, col = marks[p]
                return Location(
                    self.file, line, col, error_path if error_path is not None else format_path(path)
                )
            if key and p in self.value_marks:
                line, col = self.value_marks[p]
                return Location(
                    self.file, line, col, error_path if error_path is not None else format_path(path)
                )
            if not p:
                return Location(self.file, 1, 1, error_path if error_path is not None else format_path(path))
            p = p[:-1]

    def error(self, cls: type[AccordError], message: str, path: PathKey, *, key: bool = False) -> AccordError:
        """Build an error of class ``cls`` located at ``path``."""
        return cls(message, self.location(path, key=key))


def format_path(path: PathKey) -> str:
    """Format a path tuple the way users write it: ``actors[1].positions.withdrawal``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


class _Builder:
    def __init__(self, doc: Document, cls: type[AccordError]) -> None:
        self.doc = doc
        self.cls = cls
        self.count = 0
        self.constructor = SafeConstructor()

    def build(self, node: yaml.Node, path: PathKey) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            line, col = _mark(node)
            raise self.cls(
                f"document expands to more than {MAX_NODES} values (aliases?); "
                "a negotiation file should be far smaller",
                Location(self.doc.file, line, col, format_path(path)),
            )
        self.doc.value_marks.setdefault(path, _mark(node))
        if not node.tag.startswith("tag:yaml.org,2002:") or node.tag.rsplit(":", 1)[-1] not in _PLAIN_TAGS:
            line, col = _mark(node)
            raise self.cls(
                f"unsupported YAML tag '{node.tag.replace('tag:yaml.org,2002:', '!!')}'; files hold plain data only (text, numbers, lists, mappings)",
                Location(self.doc.file, line, col, format_path(path)),
            )
        if isinstance(node, yaml.MappingNode):
            self.constructor.flatten_mapping(node)
            result: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    line, col = _mark(key_node)
                    raise self.cls(
                        "a key must be a plain name, not a list or mapping",
                        Location(self.doc.file, line, col, format_path(path)),
                    )
                key = self.constructor.construct_object(key_node)
                if not isinstance(key, str | int | float | bool) or key is None:
                    key = str(key)
                key = str(key)
                sub = (*path, key)
                if key in result:
                    line, col = _mark(key_node)
                    first = self.doc.key_marks.get(sub, (0, 0))[0]
                    raise self.cls(
                        f"duplicate key '{key}' (first given on line {first}); give each key once",
                        Location(self.doc.file, line, col, format_path(sub)),
                    )
                self.doc.key_marks[sub] = _mark(key_node)
                result[key] = self.build(value_node, sub)
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        assert isinstance(node, yaml.ScalarNode)
        return self.constructor.construct_object(node)


def _decode(raw: bytes, name: str, cls: type[AccordError]) -> str:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        raise cls(
            f"file is not valid UTF-8 (byte 0x{raw[exc.start]:02x}); save it as UTF-8 text",
            Location(name, line, col),
        ) from None
    return text.removeprefix("\ufeff")


def read_bytes(path: str | Path, cls: type[AccordError] = AccordError, max_bytes: int = MAX_BYTES) -> bytes:
    """Read a file with a size cap and friendly errors."""
    p = Path(path)
    name = str(path)
    try:
        size = p.stat().st_size
    except FileNotFoundError:
        raise cls(
            "file not found; give a path to a .yaml/.json file or a built-in name", Location(name)
        ) from None
    except OSError as exc:
        raise cls(f"cannot read file: {exc.strerror}", Location(name)) from None
    if p.is_dir():
        raise cls("is a directory; give a .yaml or .json file", Location(name))
    if size > max_bytes:
        raise cls(
            f"file is {size:,} bytes; the limit is {max_bytes:,} bytes (is this the right file?)",
            Location(name),
        )
    try:
        return p.read_bytes()
    except OSError as exc:
        raise cls(f"cannot read file: {exc.strerror}", Location(name)) from None


def parse_text(
    raw: bytes | str,
    name: str,
    cls: type[AccordError] = AccordError,
    max_bytes: int = MAX_BYTES,
) -> Document:
    """Parse YAML (or JSON, which is read the same way) text into a :class:`Document`.

    Parameters
    ----------
    raw : bytes or str
        File content.
    name : str
        File name for messages.
    cls : type
        The error class to raise (e.g. :class:`accord.errors.ScenarioError`).
    max_bytes : int
        Size cap.

    Raises
    ------
    AccordError
        (of class ``cls``) for size, encoding and syntax errors, duplicate keys, empty documents.
    """
    if isinstance(raw, str):
        raw = raw.encode("utf-8")
    if len(raw) > max_bytes:
        raise cls(f"input is {len(raw):,} bytes; the limit is {max_bytes:,} bytes", Location(name))
    text = _decode(raw, name, cls)
    doc = Document(data=None, file=name)
    if name.lower().endswith(".json"):
        try:
            json.loads(text)
        except json.JSONDecodeError as exc:
            raise cls(f"JSON syntax error: {exc.msg}", Location(name, exc.lineno, exc.colno)) from None
    try:
        nodes = list(yaml.compose_all(text, Loader=yaml.SafeLoader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = (exc.problem or "syntax error").strip()
        context = f" {exc.context.strip()}" if exc.context else ""
        hint = ""
        if "\t" in text and ("tab" in problem or "\\t" in problem or "\t" in problem):
            hint = "; indent with spaces, not tabs"
        raise cls(
            f"YAML syntax error: {problem}{context}{hint}",
            Location(name, mark.line + 1 if mark else None, mark.column + 1 if mark else None),
        ) from None
    except yaml.YAMLError as exc:  # pragma: no cover - PyYAML raises marked errors in practice
        raise cls(f"YAML error: {exc}", Location(name)) from None
    except RecursionError:
        raise cls("document is nested too deeply", Location(name)) from None
    nodes = [n for n in nodes if n is not None]
    if not nodes:
        raise cls("file is empty; see `accord init` for a template", Location(name, 1, 1))
    if len(nodes) > 1:
        line, col = _mark(nodes[1])
        raise cls(
            "file holds more than one YAML document ('---'); keep one per file", Location(name, line, col)
        )
    try:
        doc.data = _Builder(doc, cls).build(nodes[0], ())
    except RecursionError:
        raise cls("document is nested too deeply", Location(name)) from None
    except ConstructorError as exc:
        mark = exc.problem_mark
        raise cls(
            f"cannot read value: {exc.problem}",
            Location(name, mark.line + 1 if mark else None, mark.column + 1 if mark else None),
        ) from None
    return doc


def read_document(path: str | Path, cls: type[AccordError] = AccordError) -> Document:
    """Read and parse a YAML/JSON file (see :func:`parse_text`)."""
    return parse_text(read_bytes(path, cls), str(path), cls)


def pydantic_location(doc: Document, loc: tuple[Any, ...], absent_key: bool = True) -> tuple[PathKey, bool]:
    """Map a pydantic error ``loc`` onto a real path in ``doc.data``.

    Pydantic inserts entries that are not part of the document (union member names, validator
    tags); this walks the data and keeps only the entries that exist. Returns the path and whether
    the last entry is a key that is *not* in the data (e.g. a missing field), in which case the
    location of the enclosing mapping should be used.
    """
    node = doc.data
    path: list[str | int] = []
    missing_last = False
    for k, part in enumerate(loc):
        if isinstance(node, dict) and isinstance(part, str) and part in node:
            path.append(part)
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            path.append(part)
            node = node[part]
        elif (
            absent_key
            and k == len(loc) - 1  # an absent entry before the end is a union member's name
            and isinstance(node, dict)
            and isinstance(part, str)
            and part not in node
            and not _is_tag(part)
        ):
            path.append(part)
            missing_last = True
            break
    return tuple(path), missing_last


def _is_tag(part: str) -> bool:
    return any(ch in part for ch in "[]()") or part in {"function-after", "function-before", "function-wrap"}
