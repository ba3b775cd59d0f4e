"""Read and write KTAB's SMP input files (CSV and XML).

KTAB's CSV layout (``examples/smp/doc/*.csv`` in KTAB; KAPSARC, MIT licence)::

    <scenario name>, <description>, <number of actors>, <number of dimensions>,
    Actor, Description, Power, <dim 1>, <salience 1>, <dim 2>, <salience 2>, ...
    <name>, <description>, <capability>, <position 1>, <salience 1>, ...

Positions are on 0-100, saliences are percentages (0-100, each actor's total at most 100),
capabilities are non-negative. The XML layout follows KTAB's ``smpSchema.xsd``
(``<Scenario>`` with ``<Dimensions><dName>`` and ``<Actors><Actor>`` holding ``name``,
``description``, ``capability``, ``<Position><dCoord>`` and ``<Salience><dSal>``);
``<ModelParameters>`` are read into :class:`~accord.forecast.smp.SMPConfig` options.

Every mistake raises :class:`accord.errors.ModelError` naming file, line, column and the
field (e.g. ``data.csv:5:34: actors[SActor-02].salience: saliences sum to 104.5 ...``).
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from accord.errors import Location, ModelError
from accord.forecast.problem import SpatialProblem

__all__ = [
    "KTABScenario",
    "read_ktab",
    "read_ktab_csv",
    "read_ktab_xml",
    "write_ktab_csv",
    "write_ktab_xml",
]

MIN_ACTORS = 3  # KTAB Model::minNumActor
MAX_ACTORS = 250  # KTAB Model::maxNumActor


@dataclass(frozen=True)
class KTABScenario:
    """A KTAB input file: the spatial problem plus its labels and model options.

    Attributes
    ----------
    name, description : str
        Scenario name and description.
    problem : SpatialProblem
        Capabilities, positions (0-100) and saliences (0-1, i.e. KTAB's percentages / 100).
    actor_descriptions : tuple of str
    options : dict
        SMP options found in the file (XML ``ModelParameters``), as
        :class:`~accord.forecast.smp.SMPConfig` keyword arguments.
    ignored : tuple of str
        Parts of the file that accord does not use (XML ``prngSeed``, and
        ``IdealAdjustment``: accord's SMP keeps ideals equal to positions, KTAB's default).
    """

    name: str
    description: str
    problem: SpatialProblem
    actor_descriptions: tuple[str, ...] = ()
    options: dict[str, Any] = field(default_factory=dict)
    ignored: tuple[str, ...] = ()


def _split_fields(line: str) -> list[tuple[str, int]]:
    """Split one CSV line into (field, 1-based start column); quotes are honoured."""
    out: list[tuple[str, int]] = []
    i, n = 0, len(line)
    while True:
        start = i
        buf: list[str] = []
        if i < n and line[i] == '"':
            i += 1
            while i < n:
                if line[i] == '"' and i + 1 < n and line[i + 1] == '"':
                    buf.append('"')
                    i += 2
                elif line[i] == '"':
                    i += 1
                    break
                else:
                    buf.append(line[i])
                    i += 1
            while i < n and line[i] != ",":
                buf.append(line[i])
                i += 1
        else:
            while i < n and line[i] != ",":
                buf.append(line[i])
                i += 1
        out.append(("".join(buf), start + 1))
        if i >= n:
            return out
        i += 1  # skip the comma


class _Reader:
    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.lines = text.splitlines()

    def err(self, msg: str, line: int | None, col: int | None, path: str) -> ModelError:
        return ModelError(msg, Location(file=self.path, line=line, column=col, path=path))

    def number(self, fields: list[tuple[str, int]], k: int, line: int, path: str, what: str) -> float:
        if k >= len(fields) or not fields[k][0].strip():
            col = fields[-1][1] + len(fields[-1][0]) if fields else 1
            raise self.err(f"missing {what}; expected a number", line, col, path)
        text, col = fields[k]
        try:
            value = float(text.strip())
        except ValueError:
            raise self.err(f"{what} {text.strip()!r} is not a number", line, col, path) from None
        if not math.isfinite(value):
            raise self.err(f"{what} must be a finite number, got {text.strip()}", line, col, path)
        return value


def read_ktab_csv(path: str | Path) -> KTABScenario:
    """Read a KTAB SMP CSV file.

    Parameters
    ----------
    path : str or pathlib.Path

    Returns
    -------
    KTABScenario

    Raises
    ------
    accord.errors.ModelError
        With file, line, column and field for: unreadable file, malformed header, fewer
        than 3 (or more than 250) actors, missing or non-numeric cells, negative
        capability, positions or saliences outside [0, 100], an actor's saliences summing
        to more than 100.
    """
    p = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ModelError(f"cannot read file: {exc.strerror}", Location(file=p)) from None
    except UnicodeDecodeError:
        raise ModelError("file is not UTF-8 text", Location(file=p)) from None
    r = _Reader(p, text)
    rows = [(k + 1, _split_fields(line)) for k, line in enumerate(r.lines) if line.strip()]
    if len(rows) < 2:
        raise r.err(
            "a KTAB CSV needs a scenario line, a header line and one line per actor",
            len(r.lines) or None,
            None,
            "header",
        )
    ln, head = rows[0]
    if len(head) < 4:
        raise r.err(
            "first line must be: scenario name, description, number of actors, number of dimensions",
            ln,
            1,
            "scenario",
        )
    name = head[0][0].strip()
    desc = head[1][0].strip()
    n_act = r.number(head, 2, ln, "scenario.actors", "number of actors")
    n_dim = r.number(head, 3, ln, "scenario.dimensions", "number of dimensions")
    if n_act != int(n_act) or not (MIN_ACTORS <= n_act <= MAX_ACTORS):
        raise r.err(
            f"number of actors must be a whole number from {MIN_ACTORS} to {MAX_ACTORS}, "
            f"got {head[2][0].strip()}",
            ln,
            head[2][1],
            "scenario.actors",
        )
    if n_dim != int(n_dim) or n_dim < 1:
        raise r.err(
            f"number of dimensions must be a whole number >= 1, got {head[3][0].strip()}",
            ln,
            head[3][1],
            "scenario.dimensions",
        )
    na, nd = int(n_act), int(n_dim)
    ln, hdr = rows[1]
    if len(hdr) < 3 + 2 * nd:
        raise r.err(
            f"header must have Actor, Description, Power and a position and a salience column "
            f"for each of the {nd} dimensions ({3 + 2 * nd} columns), found {len(hdr)}",
            ln,
            1,
            "header",
        )
    dims = [hdr[3 + 2 * k][0].strip() for k in range(nd)]
    for k, d in enumerate(dims):
        if not d:
            raise r.err("empty dimension name", ln, hdr[3 + 2 * k][1], f"header.dimension[{k}]")
    actor_rows = rows[2:]
    if len(actor_rows) < na:
        found = len(actor_rows)
        raise r.err(
            f"the first line declares {na} actors but {found} actor line(s) follow"
            + (f"; the SMP needs at least {MIN_ACTORS}" if found < MIN_ACTORS else ""),
            actor_rows[-1][0] if actor_rows else rows[1][0],
            None,
            f"actors[{found}]",
        )
    names: list[str] = []
    descs: list[str] = []
    cap = np.empty(na)
    pos = np.empty((na, nd))
    sal = np.empty((na, nd))
    for a in range(na):
        ln, f = actor_rows[a]
        aname = f[0][0].strip()
        if not aname:
            raise r.err("actor name is empty", ln, 1, f"actors[{a}].name")
        if aname in names:
            raise r.err(f"duplicate actor name {aname!r}", ln, 1, f"actors[{a}].name")
        names.append(aname)
        descs.append(f[1][0].strip() if len(f) > 1 else "")
        base = f"actors[{aname}]"
        cap[a] = r.number(f, 2, ln, f"{base}.capability", "capability")
        if cap[a] < 0:
            raise r.err(f"capability must be >= 0, got {f[2][0].strip()}", ln, f[2][1], f"{base}.capability")
        total = 0.0
        for k, d in enumerate(dims):
            x = r.number(f, 3 + 2 * k, ln, f"{base}.position[{d}]", "position")
            if not 0.0 <= x <= 100.0:
                raise r.err(
                    f"position {f[3 + 2 * k][0].strip()} is off the scale; valid positions are in [0, 100]",
                    ln,
                    f[3 + 2 * k][1],
                    f"{base}.position[{d}]",
                )
            s = r.number(f, 4 + 2 * k, ln, f"{base}.salience[{d}]", "salience")
            if not 0.0 <= s <= 100.0:
                raise r.err(
                    f"salience {f[4 + 2 * k][0].strip()} is off the scale; valid saliences "
                    "are in [0, 100] (percent)",
                    ln,
                    f[4 + 2 * k][1],
                    f"{base}.salience[{d}]",
                )
            total += s
            if total > 100.0:
                raise r.err(
                    f"saliences sum to {total:g} by this column; an actor's saliences must "
                    "sum to at most 100",
                    ln,
                    f[4 + 2 * k][1],
                    f"{base}.salience",
                )
            pos[a, k] = x
            sal[a, k] = s
    problem = SpatialProblem(names, dims, cap, pos, sal / 100.0, source=p)
    return KTABScenario(name, desc, problem, tuple(descs))


# XML ------------------------------------------------------------------------------------

_XML_OPTIONS: dict[str, tuple[str, dict[str, str]]] = {
    "VictoryProbModel": (
        "victory_prob",
        {"Linear": "linear", "Square": "square", "Quartic": "quartic", "Octic": "octic",
         "Binary": "binary"},
    ),
    "PCEModel": (
        "pce",
        {"Conditional": "conditional", "MarkovIncentive": "markov_incentive",
         "MarkovUniform": "markov_uniform"},
    ),
    "StateTransitions": (
        "state_transition", {"Deterministic": "deterministic", "Stochastic": "stochastic"}
    ),
    "VotingRule": (
        "voting_rule",
        {"Binary": "binary", "PropBin": "prop_bin", "Prop": "proportional",
         "PropCbc": "prop_cubic", "Cubic": "cubic", "ASymProsp": "asym_prospect"},
    ),
    "BigRAdjust": (
        "big_r_adjust",
        {"None": "none", "OneThird": "one_third", "Half": "half", "TwoThirds": "two_thirds",
         "Full": "full"},
    ),
    "BigRRange": ("big_r_range", {"Min": "min", "Mid": "mid", "Max": "max"}),
    "ThirdPartyCommit": (
        "third_party_commit", {"NoCommit": "none", "SemiCommit": "semi", "FullCommit": "full"}
    ),
    "InterVecBrgn": ("interpolation", {"S1P1": "s1p1", "S2P2": "s2p2", "S2PMax": "s2pmax"}),
    "BargnModel": (
        "bargain_model",
        {"InitOnlyInterp": "init_only", "InitRcvrInterp": "init_rcvr",
         "PWCompInterp": "power_weighted"},
    ),
}  # fmt: skip


def _xml_line(text: str, tag: str, occurrence: int) -> int | None:
    """1-based line of the ``occurrence``-th ``<tag>`` in ``text`` (for messages)."""
    hits = [m.start() for m in re.finditer(rf"<{re.escape(tag)}[\s>/]", text)]
    if occurrence < len(hits):
        return text.count("\n", 0, hits[occurrence]) + 1
    return None


def read_ktab_xml(path: str | Path) -> KTABScenario:
    """Read a KTAB SMP XML file (``smpSchema.xsd``); see :func:`read_ktab_csv` for errors.

    An empty ``<dCoord/>`` or ``<dSal/>`` is an error (KTAB would silently read 0).
    """
    p = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ModelError(f"cannot read file: {exc.strerror}", Location(file=p)) from None
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        line, col = exc.position
        raise ModelError(f"malformed XML: {exc.msg}", Location(p, line, col + 1)) from None

    def err(msg: str, tag: str, occ: int, fpath: str) -> ModelError:
        return ModelError(msg, Location(file=p, line=_xml_line(text, tag, occ), path=fpath))

    counters: dict[str, int] = {}

    def num(el: ET.Element | None, tag: str, fpath: str, what: str) -> float:
        occ = counters.get(tag, 0)
        counters[tag] = occ + 1
        raw = (el.text or "").strip() if el is not None else ""
        if not raw:
            raise err(f"missing {what}; expected a number", tag, occ, fpath)
        try:
            v = float(raw)
        except ValueError:
            raise err(f"{what} {raw!r} is not a number", tag, occ, fpath) from None
        if not math.isfinite(v):
            raise err(f"{what} must be finite, got {raw}", tag, occ, fpath)
        return v

    name = (root.findtext("name") or "").strip()
    desc = (root.findtext("desc") or "").strip()
    options: dict[str, Any] = {}
    params = root.find("ModelParameters")
    if params is not None:
        for child in params:
            if child.tag not in _XML_OPTIONS:
                continue
            key, values = _XML_OPTIONS[child.tag]
            raw = (child.text or "").strip()
            if raw not in values:
                raise err(
                    f"unknown {child.tag} {raw!r}; valid: {', '.join(values)}",
                    child.tag,
                    0,
                    f"ModelParameters.{child.tag}",
                )
            options[key] = values[raw]
    dims = [(d.text or "").strip() for d in root.iterfind("Dimensions/dName")]
    if not dims:
        raise err("no <dName> dimensions", "Dimensions", 0, "Dimensions")
    actors = root.findall("Actors/Actor")
    if not MIN_ACTORS <= len(actors) <= MAX_ACTORS:
        raise err(
            f"{len(actors)} actors; the SMP needs {MIN_ACTORS} to {MAX_ACTORS}",
            "Actors",
            0,
            "Actors",
        )
    nd = len(dims)
    names: list[str] = []
    descs: list[str] = []
    cap = np.empty(len(actors))
    pos = np.empty((len(actors), nd))
    sal = np.empty((len(actors), nd))
    for a, act in enumerate(actors):
        aname = (act.findtext("name") or "").strip()
        base = f"actors[{aname or a}]"
        if not aname or aname in names:
            raise err("actor name is empty or repeated", "Actor", a, f"{base}.name")
        names.append(aname)
        descs.append((act.findtext("description") or "").strip())
        cap[a] = num(act.find("capability"), "capability", f"{base}.capability", "capability")
        if cap[a] < 0:
            raise err("capability must be >= 0", "capability", a, f"{base}.capability")
        coords = act.findall("Position/dCoord")
        sals = act.findall("Salience/dSal")
        if len(coords) != nd or len(sals) != nd:
            raise err(
                f"needs {nd} <dCoord> and {nd} <dSal>, found {len(coords)} and {len(sals)}",
                "Actor",
                a,
                base,
            )
        for k, d in enumerate(dims):
            occ = counters.get("dCoord", 0)
            x = num(coords[k], "dCoord", f"{base}.position[{d}]", "position")
            if not 0 <= x <= 100:
                raise err(f"position {x:g} is off the 0-100 scale", "dCoord", occ, base)
            pos[a, k] = x
        for k, d in enumerate(dims):
            occ = counters.get("dSal", 0)
            s = num(sals[k], "dSal", f"{base}.salience[{d}]", "salience")
            if not 0 <= s <= 100:
                raise err(f"salience {s:g} is off the 0-100 scale", "dSal", occ, base)
            sal[a, k] = s
        if sal[a].sum() > 100.0:
            raise err(
                f"saliences sum to {sal[a].sum():g}; must be at most 100",
                "Salience",
                a,
                f"{base}.salience",
            )
    problem = SpatialProblem(names, dims, cap, pos, sal / 100.0, source=p)
    ignored = tuple(tag for tag in ("prngSeed", "IdealAdjustment") if root.find(tag) is not None)
    return KTABScenario(name, desc, problem, tuple(descs), options, ignored)


def read_ktab(path: str | Path) -> KTABScenario:
    """Read a KTAB SMP input file, CSV or XML by extension."""
    suffix = Path(path).suffix.lower()
    if suffix == ".xml":
        return read_ktab_xml(path)
    if suffix == ".csv":
        return read_ktab_csv(path)
    raise ModelError(
        f"unknown KTAB file type {suffix or '(none)'!r}; use .csv or .xml",
        Location(file=str(path)),
    )


def write_ktab_csv(
    problem: SpatialProblem,
    path: str | Path,
    name: str = "accord",
    description: str = "",
    actor_descriptions: tuple[str, ...] | None = None,
) -> None:
    """Write ``problem`` as a KTAB SMP CSV (saliences as percentages).

    Raises
    ------
    accord.errors.ModelError
        If a name or description contains a comma or a quote (KTAB's reader does not
        accept them) or an actor's saliences sum to more than 1.
    """
    descs = actor_descriptions or ("",) * problem.n_actors

    def cell(text: str, what: str) -> str:
        if "," in text or '"' in text or "\n" in text:
            raise ModelError(
                f"{what} {text!r} contains a comma, quote or line break, which KTAB's CSV reader cannot read",
                Location(file=str(path), path=what),
            )
        return text

    tot = problem.salience.sum(axis=1)
    if np.any(tot > 1.0 + 1e-12):
        k = int(np.argmax(tot))
        raise ModelError(
            f"saliences sum to {100 * tot[k]:g} percent; KTAB allows at most 100",
            Location(file=str(path), path=f"actors[{problem.actors[k]}].salience"),
        )
    lines = [
        f"{cell(name, 'name')},{cell(description, 'description')},{problem.n_actors},{problem.n_dims},",
        "Actor,Description,Power,"
        + ",".join(f"{cell(d, 'dimension')},Sal{k + 1}" for k, d in enumerate(problem.dimensions))
        + ",",
    ]
    for a, actor in enumerate(problem.actors):
        vals = [repr(float(problem.capability[a]))]
        for k in range(problem.n_dims):
            vals.append(repr(float(problem.position[a, k])))
            vals.append(repr(float(problem.salience[a, k] * 100.0)))
        lines.append(f"{cell(actor, 'actor')},{cell(descs[a], 'actor description')}," + ",".join(vals) + ",")
    Path(path).write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_ktab_xml(
    problem: SpatialProblem,
    path: str | Path,
    name: str = "accord",
    description: str = "",
    options: dict[str, Any] | None = None,
    actor_descriptions: tuple[str, ...] | None = None,
    seed: int = 0,
) -> None:
    """Write ``problem`` as a KTAB SMP XML file (``smpSchema.xsd`` layout).

    ``options`` (SMP option names as in :class:`~accord.forecast.smp.SMPConfig`) become
    ``<ModelParameters>``; KTAB's defaults are written for the ones not given. ``seed``
    is written as ``<prngSeed>`` (KTAB requires one; it only matters for stochastic runs).
    Empty descriptions are written as the scenario's or actor's name (KTAB requires text).
    """
    defaults = {
        "victory_prob": "linear",
        "pce": "conditional",
        "state_transition": "deterministic",
        "voting_rule": "proportional",
        "big_r_adjust": "one_third",
        "big_r_range": "mid",
        "third_party_commit": "semi",
        "interpolation": "s2p2",
        "bargain_model": "init_only",
    }
    chosen = {**defaults, **(options or {})}
    root = ET.Element("Scenario")
    ET.SubElement(root, "name").text = name
    ET.SubElement(root, "desc").text = description or name
    ET.SubElement(root, "prngSeed").text = str(int(seed))
    params = ET.SubElement(root, "ModelParameters")
    for tag, (key, values) in _XML_OPTIONS.items():
        inverse = {v: k for k, v in values.items()}
        value = chosen.get(key)
        if value not in inverse:
            raise ModelError(
                f"option {key}={value!r} has no KTAB equivalent; valid: {', '.join(inverse)}",
                Location(file=str(path), path=f"options.{key}"),
            )
        ET.SubElement(params, tag).text = inverse[value]
    dims = ET.SubElement(root, "Dimensions")
    for d in problem.dimensions:
        ET.SubElement(dims, "dName").text = d
    acts = ET.SubElement(root, "Actors")
    descs = actor_descriptions or ("",) * problem.n_actors
    for a, actor in enumerate(problem.actors):
        el = ET.SubElement(acts, "Actor")
        ET.SubElement(el, "name").text = actor
        ET.SubElement(el, "description").text = descs[a] or actor
        ET.SubElement(el, "capability").text = repr(float(problem.capability[a]))
        pos = ET.SubElement(el, "Position")
        for k in range(problem.n_dims):
            ET.SubElement(pos, "dCoord").text = repr(float(problem.position[a, k]))
        sal = ET.SubElement(el, "Salience")
        for k in range(problem.n_dims):
            ET.SubElement(sal, "dSal").text = repr(float(problem.salience[a, k] * 100.0))
    # identity ideal adjustment: ideals follow positions (KTAB's CSV default; KTAB's XML
    # reader requires the element)
    adj = ET.SubElement(root, "IdealAdjustment")
    for actor in problem.actors:
        pair = ET.SubElement(adj, "iaPair")
        ET.SubElement(pair, "adjustingIdeal").text = actor
        ET.SubElement(pair, "referencePos").text = actor
        ET.SubElement(pair, "adjust").text = "1.0"
    ET.indent(root)
    Path(path).write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n",
        encoding="utf-8",
    )
