"""Field paths that name one number of a scenario, and substitution of new values into it.

Grammar (documented in ``docs/scale.md``)::

    path     := step ("." step)*
    step     := FIELD | ID | INDEX

A step is a field name (``actors``, ``no_deal``, ``red_line``, ``min`` ...), the ``id`` of an item
of a list whose items carry ids (``actors.hamas``, ``issues.withdrawal_km``,
``actors.qatar.levers.pressure_hamas``), a key of a mapping (``positions.withdrawal_km``,
``values.permanent_end``), or a 0-based index for list items without an id (``constraints.0``). Ids
cannot contain dots, so every path reads one way. A path ends at a number: a :class:`Param`
(``actors.hamas.no_deal.value``; a trailing ``.value`` on a Param is accepted too) or a plain number
of the format (``issues.withdrawal_km.max``, ``clock.horizon``, ``simulation.deadline``).

:func:`numeric_paths` lists every valid path of a scenario; :func:`resolve` turns a user's path into
a :class:`Target` or raises a one-line :class:`~accord.errors.ConfigurationError` naming the
nearest valid path; :func:`substitute` returns a copy of a scenario with new numbers in place.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from accord.errors import ConfigurationError
from accord.scenario.schema import Param, Scenario

IndexPath = tuple[str | int, ...]

#: Plain (non-Param) numeric fields that cannot be varied: the file-format version.
_FIXED = {"format"}


@dataclass(frozen=True)
class Target:
    """One number of a scenario: its user-facing path, its index path and what it is.

    ``kind`` is ``"param"`` for a :class:`Param` (values substitute into compiled arrays without
    re-validating the scenario) or ``"field"`` for a plain number of the format (issue bounds,
    clock, simulation settings; the scenario is re-validated for each new value).
    """

    path: str
    index: IndexPath
    kind: str
    value: float
    integer: bool = False
    range: tuple[float, float] | None = None


def _step_name(container: Any, i: int, item: Any) -> str:
    ident = getattr(item, "id", None)
    if isinstance(ident, str) and ident:
        return ident
    return str(i)


def _walk(obj: Any, index: IndexPath, shown: tuple[str, ...]) -> Iterator[Target]:
    if isinstance(obj, Param):
        yield Target(".".join(shown), index, "param", float(obj.value), False, obj.range)
        return
    if isinstance(obj, BaseModel):
        for name, info in type(obj).model_fields.items():
            value = getattr(obj, name)
            if value is None or name in _FIXED:
                continue
            key = info.alias or name
            if isinstance(value, bool):
                continue
            if isinstance(value, int | float):
                yield Target(
                    ".".join((*shown, key)), (*index, name), "field", float(value), isinstance(value, int)
                )
                continue
            yield from _walk(value, (*index, name), (*shown, key))
    elif isinstance(obj, dict):
        for k, v in obj.items():
            if isinstance(v, Param | BaseModel | dict | list):
                yield from _walk(v, (*index, k), (*shown, str(k)))
    elif isinstance(obj, list | tuple):
        for i, v in enumerate(obj):
            if isinstance(v, Param | BaseModel):
                yield from _walk(v, (*index, i), (*shown, _step_name(obj, i, v)))


def numeric_paths(scenario: Scenario) -> list[Target]:
    """Every number of ``scenario`` that a sweep can vary, in document order.

    Numbers inside free-form constraint conditions (``forbid``/``implies``) and linear-constraint
    coefficients are listed when they are plain model fields; values given as level ids are not
    numbers and cannot be swept.
    """
    return list(_walk(scenario, (), ()))


def _nearest(word: str, choices: Sequence[str]) -> str | None:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.0)
    return close[0] if close else None


def resolve(scenario: Scenario, path: str, table: dict[str, Target] | None = None) -> Target:
    """The number at ``path`` (see the module docstring for the grammar).

    Raises
    ------
    ConfigurationError
        For an unknown path, with the nearest valid one, or a path that stops short of a number.
    """
    table = table if table is not None else {t.path: t for t in numeric_paths(scenario)}
    p = path.strip()
    if p in table:
        return table[p]
    if p.endswith(".value") and p[: -len(".value")] in table and table[p[: -len(".value")]].kind == "param":
        return table[p[: -len(".value")]]
    below = sorted(t for t in table if t.startswith(p + "."))
    if below and p:
        shown = ", ".join(f"'{b}'" for b in below[:4]) + (", ..." if len(below) > 4 else "")
        raise ConfigurationError(
            f"'{p}' is not a number but a section; name one of its numbers, e.g. {shown}",
            _loc(),
        )
    near = _nearest(p, list(table))
    hint = f" (did you mean '{near}'?)" if near else ""
    raise ConfigurationError(
        f"unknown parameter path '{p}'{hint}; `accord sweep SCENARIO --list-paths` lists every valid path",
        _loc(),
    )


def _loc() -> Any:
    from accord.errors import Location

    return Location(path="--vary")


def _set(obj: Any, index: IndexPath, value: float, integer: bool) -> Any:
    if not index:
        if isinstance(obj, Param):
            # a swept value may lie outside the stated range: the range no longer describes it
            return obj.model_copy(update={"value": float(value), "range": None})
        return round(value) if integer else float(value)
    head, rest = index[0], index[1:]
    if isinstance(obj, BaseModel):
        assert isinstance(head, str)
        return obj.model_copy(update={head: _set(getattr(obj, head), rest, value, integer)})
    if isinstance(obj, dict):
        new = dict(obj)
        new[head] = _set(obj[head], rest, value, integer)
        return new
    if isinstance(obj, list | tuple):
        assert isinstance(head, int)
        items = list(obj)
        items[head] = _set(items[head], rest, value, integer)
        return type(obj)(items) if isinstance(obj, tuple) else items
    raise TypeError(f"cannot descend into {type(obj).__name__} at {index!r}")  # pragma: no cover


def substitute(scenario: Scenario, targets: Sequence[Target], values: Sequence[float]) -> Scenario:
    """A copy of ``scenario`` with ``values`` at ``targets``.

    Params are replaced with ``model_copy`` (no re-validation: a swept value may leave the stated
    range, which is then dropped). When a plain field changes (an issue's grid, the clock), the copy
    is re-validated and checked as a whole, so a variant that breaks the format raises a
    :class:`~accord.errors.ScenarioError` naming the field.
    """
    out: Any = scenario
    structural = False
    for t, v in zip(targets, values, strict=True):
        out = _set(out, t.index, float(v), t.integer)
        structural = structural or t.kind == "field"
    if structural:
        out = revalidate(out)
    assert isinstance(out, Scenario)
    return out


def revalidate(scenario: Scenario) -> Scenario:
    """Validate a modified scenario again (schema and consistency rules)."""
    from pydantic import ValidationError

    from accord.errors import Location, ScenarioError
    from accord.scenario.checks import check

    try:
        sc = Scenario.model_validate(scenario.model_dump(by_alias=True, exclude_none=True))
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(x) for x in err["loc"])
        raise ScenarioError(err["msg"], Location(path=where)) from None
    problems = check(sc)
    if problems:
        from accord.yamlio import format_path

        p = problems[0]
        raise ScenarioError(p.message, Location(path=format_path(p.path)))
    return sc


__all__ = ["IndexPath", "Target", "numeric_paths", "resolve", "revalidate", "substitute"]
