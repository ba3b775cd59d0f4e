"""Consistency rules that relate one part of a scenario to another.

:func:`check` walks a structurally valid :class:`~accord.scenario.schema.Scenario` and returns every
problem as a :class:`Problem` (field path, message, whether the key itself is at fault), in document
order. The loader turns them into located :class:`~accord.errors.ScenarioError` messages.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from accord.errors import did_you_mean, one_of
from accord.scenario.schema import (
    Actor,
    CategoricalIssue,
    Condition,
    ForbidConstraint,
    ImpliesConstraint,
    Lever,
    LinearConstraint,
    NumericIssue,
    OrdinalIssue,
    Param,
    Position,
    Scenario,
)

PathKey = tuple[str | int, ...]
AnyIssue = NumericIssue | OrdinalIssue | CategoricalIssue


@dataclass(frozen=True)
class Problem:
    """One consistency problem: where (a path into the document) and what."""

    path: PathKey
    message: str
    key: bool = False  # the mapping key itself is wrong (e.g. an unknown issue id used as a key)


def level_ids(issue: AnyIssue) -> list[str]:
    """Level ids of an ordinal issue / option ids of a categorical one (empty for numeric)."""
    if isinstance(issue, OrdinalIssue):
        return [lv.id for lv in issue.levels]
    if isinstance(issue, CategoricalIssue):
        return [lv.id for lv in issue.options]
    return []


def _unknown(kind: str, value: str, valid: Iterable[str]) -> str:
    valid = list(valid)
    return f"unknown {kind} '{value}'{did_you_mean(value, valid)}; valid: {one_of(valid) or 'none defined'}"


def _not_level(issue_id: str, value: str, valid: Iterable[str]) -> str:
    valid = list(valid)
    return (
        f"'{value}' is not a level of issue '{issue_id}'{did_you_mean(value, valid)}; valid: {one_of(valid)}"
    )


def _duplicates(items: Iterable[tuple[PathKey, str]], what: str) -> Iterator[Problem]:
    seen: dict[str, PathKey] = {}
    for path, ident in items:
        if ident in seen:
            yield Problem(
                path, f"duplicate {what} id '{ident}' (also at {_fmt(seen[ident])}); ids must be unique"
            )
        else:
            seen[ident] = path


def _fmt(path: PathKey) -> str:
    from accord.yamlio import format_path

    return format_path(path)


def iter_params(obj: Any, path: PathKey = ()) -> Iterator[tuple[PathKey, Param]]:
    """Yield every Param inside a model, with its document path."""
    if isinstance(obj, Param):
        yield path, obj
    elif isinstance(obj, BaseModel):
        for name, info in type(obj).model_fields.items():
            value = getattr(obj, name)
            if value is None:
                continue
            yield from iter_params(value, (*path, info.alias or name))
    elif isinstance(obj, dict):
        for k, v in obj.items():
            yield from iter_params(v, (*path, k))
    elif isinstance(obj, list | tuple):
        for i, v in enumerate(obj):
            yield from iter_params(v, (*path, i))


def _walk_source_refs(obj: Any, path: PathKey) -> Iterator[tuple[PathKey, str]]:
    """Yield every source reference (``source:`` fields and ``sources:`` lists) with its path."""
    if isinstance(obj, BaseModel):
        for name, info in type(obj).model_fields.items():
            value = getattr(obj, name)
            key = info.alias or name
            if value is None:
                continue
            if name == "source" and isinstance(value, str):
                yield (*path, key), value
            elif name == "sources" and isinstance(value, list) and all(isinstance(v, str) for v in value):
                for i, v in enumerate(value):
                    yield (*path, key, i), v
            else:
                yield from _walk_source_refs(value, (*path, key))
    elif isinstance(obj, dict):
        for k, v in obj.items():
            yield from _walk_source_refs(v, (*path, k))
    elif isinstance(obj, list | tuple):
        for i, v in enumerate(obj):
            yield from _walk_source_refs(v, (*path, i))


def _in_range(p: Param, lo: float, hi: float, path: PathKey, what: str) -> Iterator[Problem]:
    if not lo <= p.value <= hi:
        yield Problem((*path,), f"{what} {p.value:g} is outside [{lo:g}, {hi:g}]")
    elif p.range is not None and not (lo <= p.range[0] and p.range[1] <= hi):
        yield Problem(
            (*path, "range"), f"range [{p.range[0]:g}, {p.range[1]:g}] of {what} leaves [{lo:g}, {hi:g}]"
        )


def _check_value(issue: AnyIssue, value: Any, path: PathKey, what: str) -> Iterator[Problem]:
    """A position/red-line value must fit the issue: a number in range, or a known level id."""
    if isinstance(issue, NumericIssue):
        if isinstance(value, str):
            yield Problem(
                path,
                f"{what} on numeric issue '{issue.id}' must be a number in {issue.unit or 'its unit'}, not '{value}'",
            )
        elif isinstance(value, Param):
            yield from _in_range(value, issue.min, issue.max, path, what)
    else:
        ids = level_ids(issue)
        if isinstance(value, Param):
            yield Problem(
                path,
                f"{what} on {issue.kind} issue '{issue.id}' must be a level id ({one_of(ids)}), not a number",
            )
        elif value not in ids:
            yield Problem(path, _not_level(issue.id, value, ids))


def _check_position(issue: AnyIssue, pos: Position, path: PathKey) -> Iterator[Problem]:
    yield from _in_range(pos.salience, 0.0, 1.0, (*path, "salience"), "salience")
    shape = pos.shape or (
        "table" if pos.values is not None else ("step" if isinstance(issue, CategoricalIssue) else "linear")
    )
    if shape == "table":
        if isinstance(issue, NumericIssue):
            yield Problem(
                (*path, "shape"),
                "shape 'table' needs an ordinal or categorical issue; use linear, peaked or step",
            )
        elif not pos.values:
            yield Problem(
                (*path, "values"),
                f"shape 'table' needs `values`: a value 0..1 for each of {one_of(level_ids(issue))}",
            )
        else:
            ids = level_ids(issue)
            for lid, p in pos.values.items():
                if lid not in ids:
                    yield Problem((*path, "values", lid), _not_level(issue.id, lid, ids), key=True)
                else:
                    yield from _in_range(p, 0.0, 1.0, (*path, "values", lid), "value")
    else:
        if pos.values is not None:
            yield Problem((*path, "values"), f"`values` are only used with shape 'table', not '{shape}'")
        if pos.ideal is None:
            yield Problem(path, f"missing required field 'ideal' (shape '{shape}' measures distance from it)")
        if isinstance(issue, CategoricalIssue) and shape in ("linear", "peaked"):
            yield Problem(
                (*path, "shape"),
                f"shape '{shape}' needs ordered levels; categorical issue '{issue.id}' takes 'step' or 'table'",
            )
        if shape == "peaked" and pos.tolerance is None:
            yield Problem(
                path, "missing required field 'tolerance' (shape 'peaked' halves its value at this distance)"
            )
        if pos.tolerance is not None:
            if shape in ("linear", "table"):
                yield Problem(
                    (*path, "tolerance"),
                    f"`tolerance` is only used with shapes 'peaked' and 'step', not '{shape}'",
                )
            elif pos.tolerance.value < 0 or (shape == "peaked" and pos.tolerance.value == 0):
                yield Problem(
                    (*path, "tolerance"),
                    f"tolerance must be {'> 0' if shape == 'peaked' else '>= 0'}, got {pos.tolerance.value:g}",
                )
    if pos.ideal is not None:
        yield from _check_value(issue, pos.ideal, (*path, "ideal"), "ideal")
    rl = pos.red_line
    if rl is not None:
        rpath = (*path, "red_line")
        if isinstance(issue, CategoricalIssue):
            for key in ("min", "max"):
                if getattr(rl, key) is not None:
                    yield Problem(
                        (*rpath, key),
                        f"categorical issue '{issue.id}' has no order; use `forbid` or `allow` lists",
                    )
        else:
            for key in ("min", "max"):
                v = getattr(rl, key)
                if v is not None:
                    yield from _check_value(issue, v, (*rpath, key), f"red line {key}")
        if isinstance(issue, NumericIssue):
            for key in ("forbid", "allow"):
                if getattr(rl, key) is not None:
                    yield Problem(
                        (*rpath, key), f"numeric issue '{issue.id}' takes `min`/`max` red lines, not `{key}`"
                    )
        else:
            ids = level_ids(issue)
            for key in ("forbid", "allow"):
                for i, lid in enumerate(getattr(rl, key) or []):
                    if lid not in ids:
                        yield Problem((*rpath, key, i), _not_level(issue.id, lid, ids))


def _check_condition(issues: dict[str, AnyIssue], cond: Condition, path: PathKey) -> Iterator[Problem]:
    for iid, value in cond.items():
        if iid not in issues:
            yield Problem((*path, iid), _unknown("issue", iid, issues), key=True)
            continue
        issue = issues[iid]
        vpath = (*path, iid)
        if isinstance(issue, NumericIssue):
            if isinstance(value, dict):
                extra = set(value) - {"min", "max"}
                if extra or not value:
                    yield Problem(
                        vpath, "a numeric condition is a number, a list of numbers or {min: .., max: ..}"
                    )
                for k in ("min", "max"):
                    if k in value and (isinstance(value[k], bool) or not isinstance(value[k], int | float)):
                        yield Problem((*vpath, k), f"{k} must be a number")
            else:
                items = value if isinstance(value, list) else [value]
                for i, v in enumerate(items):
                    if isinstance(v, bool) or not isinstance(v, int | float):
                        yield Problem(
                            (*vpath, i) if isinstance(value, list) else vpath,
                            f"expected a number on numeric issue '{iid}', got {v!r}",
                        )
        else:
            ids = level_ids(issue)
            if isinstance(value, dict):
                if isinstance(issue, CategoricalIssue):
                    yield Problem(
                        vpath, f"categorical issue '{iid}' has no order; give an option id or a list"
                    )
                    continue
                for k, v in value.items():
                    if k not in ("min", "max"):
                        yield Problem((*vpath, k), _unknown("bound", str(k), ["min", "max"]), key=True)
                    elif v not in ids:
                        yield Problem((*vpath, k), _not_level(iid, str(v), ids))
            else:
                items = value if isinstance(value, list) else [value]
                for i, v in enumerate(items):
                    if not isinstance(v, str) or v not in ids:
                        yield Problem(
                            (*vpath, i) if isinstance(value, list) else vpath,
                            _not_level(iid, str(v), ids),
                        )


def _check_lever(
    lever: Lever, actor: Actor, actors: dict[str, Actor], issues: dict[str, AnyIssue], path: PathKey
) -> Iterator[Problem]:
    if lever.target not in actors:
        yield Problem((*path, "target"), _unknown("actor", lever.target, actors))
    elif lever.target == actor.id:
        yield Problem((*path, "target"), "a lever moves another actor; the target is the lever's owner")
    if lever.kind == "guarantee":
        if lever.issue is None:
            yield Problem(path, "missing required field 'issue' (a guarantee acts on one issue)")
        elif lever.issue not in issues:
            yield Problem((*path, "issue"), _unknown("issue", lever.issue, issues))
        yield from _in_range(lever.max, 0.0, 1.0, (*path, "max"), "guarantee strength")
    elif lever.kind == "pressure" and lever.issue is not None:
        if lever.issue not in issues:
            yield Problem((*path, "issue"), _unknown("issue", lever.issue, issues))
        else:
            issue = issues[lever.issue]
            target = actors.get(lever.target)
            pos = target.positions.get(lever.issue) if target is not None else None
            if isinstance(issue, CategoricalIssue):
                yield Problem(
                    (*path, "issue"),
                    f"pressure on a red line needs an ordered issue; '{issue.id}' is categorical",
                )
            elif target is not None and (
                pos is None or pos.red_line is None or (pos.red_line.min is None and pos.red_line.max is None)
            ):
                yield Problem(
                    (*path, "issue"),
                    f"pressure with `issue` moves the target's red line there, but '{lever.target}' has no min/max red line on '{lever.issue}'",
                )
            if lever.max.value < 0:
                yield Problem((*path, "max"), f"max must be >= 0, got {lever.max.value:g}")
    else:
        if lever.issue is not None:
            yield Problem(
                (*path, "issue"),
                f"an {lever.kind} lever acts on the whole deal, not on one issue; remove `issue`",
            )
        yield from _in_range(lever.max, 0.0, 1.0, (*path, "max"), f"{lever.kind} size")
    if lever.cost is not None and lever.cost.value <= 0:
        yield Problem((*path, "cost"), f"cost must be > 0, got {lever.cost.value:g}")


def _check_strategies(scenario: Scenario, actors: dict[str, Actor]) -> Iterator[Problem]:
    from accord.errors import ConfigurationError
    from accord.protocols.strategies import make_mediator, make_strategy

    for i, actor in enumerate(scenario.actors):
        if actor.strategy is not None:
            try:
                make_strategy(actor.strategy)
            except ConfigurationError as exc:
                yield Problem(("actors", i, "strategy"), exc.message)
    sim = scenario.simulation
    if sim.mediator is not None:
        if sim.mediator not in actors:
            yield Problem(("simulation", "mediator"), _unknown("actor", sim.mediator, actors))
        elif actors[sim.mediator].role != "mediator":
            yield Problem(
                ("simulation", "mediator"),
                f"'{sim.mediator}' has role '{actors[sim.mediator].role}'; the mediator must have role 'mediator'",
            )
    try:
        make_mediator(sim.mediator_strategy)
    except ConfigurationError as exc:
        yield Problem(("simulation", "mediator_strategy"), exc.message)


def check(scenario: Scenario) -> list[Problem]:
    """Return every consistency problem of ``scenario`` in document order (empty if none)."""
    problems: list[Problem] = []
    add = problems.extend
    add(_duplicates([(("sources", i, "id"), s.id) for i, s in enumerate(scenario.sources)], "source"))
    add(_duplicates([(("issues", i, "id"), s.id) for i, s in enumerate(scenario.issues)], "issue"))
    add(_duplicates([(("actors", i, "id"), s.id) for i, s in enumerate(scenario.actors)], "actor"))
    add(
        _duplicates(
            [
                (("actors", i, "levers", j, "id"), lv.id)
                for i, a in enumerate(scenario.actors)
                for j, lv in enumerate(a.levers)
            ],
            "lever",
        )
    )
    add(
        _duplicates(
            [
                (("constraints", i, "id"), c.id)
                for i, c in enumerate(scenario.constraints)
                if c.id is not None
            ],
            "constraint",
        )
    )

    source_ids = [s.id for s in scenario.sources]
    valid_sources = [*source_ids, "estimate"]
    for path, ref in _walk_source_refs(scenario, ()):
        if path[:1] == ("sources",):
            continue
        if ref not in valid_sources:
            problems.append(Problem(path, _unknown("source", ref, valid_sources)))

    issues: dict[str, AnyIssue] = {}
    for k, issue in enumerate(scenario.issues):
        issues.setdefault(issue.id, issue)
        sq = getattr(issue, "status_quo", None)
        if sq is not None:
            problems.extend(_check_value(issue, sq, ("issues", k, "status_quo"), "status_quo"))
    actors: dict[str, Actor] = {}
    for actor in scenario.actors:
        actors.setdefault(actor.id, actor)

    for i, c in enumerate(scenario.constraints):
        cpath: PathKey = ("constraints", i)
        if isinstance(c, LinearConstraint):
            for iid in c.terms:
                if iid not in issues:
                    problems.append(Problem((*cpath, "terms", iid), _unknown("issue", iid, issues), key=True))
                elif not isinstance(issues[iid], NumericIssue):
                    problems.append(
                        Problem(
                            (*cpath, "terms", iid),
                            f"linear constraints take numeric issues; '{iid}' is {issues[iid].kind}",
                            key=True,
                        )
                    )
        elif isinstance(c, ForbidConstraint):
            problems.extend(_check_condition(issues, c.when, (*cpath, "when")))
        elif isinstance(c, ImpliesConstraint):
            problems.extend(_check_condition(issues, c.if_, (*cpath, "if")))
            problems.extend(_check_condition(issues, c.then, (*cpath, "then")))

    if not scenario.parties:
        problems.append(
            Problem(("actors",), "no actor has role 'party'; a negotiation needs at least two parties")
        )
    elif len(scenario.parties) < 2:
        only = scenario.parties[0]
        problems.append(
            Problem(
                ("actors",),
                f"only one party ('{only.id}'); a negotiation needs at least two actors with role 'party'",
            )
        )

    for i, actor in enumerate(scenario.actors):
        apath: PathKey = ("actors", i)
        if actor.capability.value < 0:
            problems.append(
                Problem((*apath, "capability"), f"capability must be >= 0, got {actor.capability.value:g}")
            )
        for iid, pos in actor.positions.items():
            ppath = (*apath, "positions", iid)
            if iid not in issues:
                problems.append(Problem(ppath, _unknown("issue", iid, issues), key=True))
                continue
            problems.extend(_check_position(issues[iid], pos, ppath))
        if actor.role == "party":
            if not actor.positions:
                problems.append(
                    Problem(
                        apath, f"party '{actor.id}' has no `positions`; give its stance on at least one issue"
                    )
                )
            elif all(p.salience.value == 0 for p in actor.positions.values()):
                problems.append(
                    Problem(
                        (*apath, "positions"),
                        f"every salience of party '{actor.id}' is 0, so all outcomes are equal to it; give at least one issue a salience > 0",
                    )
                )
        nd = actor.no_deal
        if nd is not None:
            npath = (*apath, "no_deal")
            problems.extend(_in_range(nd.value, 0.0, 1.0, (*npath, "value"), "no-deal value"))
            if nd.decay is not None and nd.decay.value < 0:
                problems.append(
                    Problem(
                        (*npath, "decay"),
                        f"decay must be >= 0 (utility lost per clock unit), got {nd.decay.value:g}",
                    )
                )
            if nd.floor is not None:
                problems.extend(_in_range(nd.floor, 0.0, nd.value.value, (*npath, "floor"), "floor"))
        for j, lever in enumerate(actor.levers):
            problems.extend(_check_lever(lever, actor, actors, issues, (*apath, "levers", j)))

    problems.extend(_check_strategies(scenario, actors))
    for i, ev in enumerate(scenario.events):
        for key in ("actors", "targets"):
            for j, aid in enumerate(getattr(ev, key)):
                if aid not in actors:
                    problems.append(Problem(("events", i, key, j), _unknown("actor", aid, actors)))
    return problems


def unsourced_params(scenario: Scenario) -> list[tuple[PathKey, Param]]:
    """Every number that names no ``source`` (neither a listed source nor ``estimate``)."""
    return [(path, p) for path, p in iter_params(scenario, ()) if p.source is None]


def estimates_without_range(scenario: Scenario) -> list[tuple[PathKey, Param]]:
    """Every number marked ``estimate`` that gives no ``range`` for its uncertainty."""
    return [(path, p) for path, p in iter_params(scenario, ()) if p.source == "estimate" and p.range is None]
