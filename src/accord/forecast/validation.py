"""Validation of forecasting models on negotiations with known outcomes.

The standard test bed for spatial forecasting models is the *Decision-making in the
European Union* (DEU) data: for every controversial issue of an EU legislative
proposal, experts placed each actor's most favoured position and its salience on a
0-100 scale, and the outcome finally adopted on the same scale (Thomson, Stokman, Achen &
Koenig, *The European Union Decides*, Cambridge UP 2006; DEU II: Thomson et al., *JEPP*
19(4), 2012; DEU III: Arregui & Perarnaud, *JEPP* 29(1), 2022, data doi:10.34810/data53).
Models are compared by the mean absolute error (MAE) of their forecasts on that scale;
the capability x salience weighted mean (the "compromise model") is the baseline the
literature reports beside every model (Achen 2006, EUD ch. 4).

This module reads two layouts into :class:`ValidationIssue` records and scores models:

- the **long layout** (:func:`read_issue_csv`): one row per issue and actor with columns
  ``issue, actor, position, salience, capability, outcome`` (optional ``group`` for the
  proposal an issue belongs to, optional ``reference_point``);
- the **DEU wide layout** (:func:`read_deu_csv`): one row per issue with ``p<actor>`` and
  ``s<actor>`` columns, ``rp`` (reference point) and ``out`` (outcome), as in DEU III's
  ``Dataset_DEU_III.csv`` (semicolon-separated) or tab-separated copies of it. DEU records
  no capabilities; :data:`COUNCIL_VOTES` supplies Council voting weights.

:func:`evaluate` runs models over issues and reports per-model MAE; :func:`split_by_group`
gives a held-out split by proposal, so calibration never sees issues of the proposals it
is tested on.
"""

from __future__ import annotations

import csv
import math
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from accord.errors import AccordError, ConfigurationError, Location, ModelError
from accord.forecast.problem import SpatialProblem

__all__ = [
    "COUNCIL_VOTES",
    "DEU_ACTORS",
    "ValidationIssue",
    "ValidationReport",
    "evaluate",
    "read_deu_csv",
    "read_issue_csv",
    "split_by_group",
]

#: Actor codes of the DEU III wide layout, in column order (Commission, Parliament, 28 states).
DEU_ACTORS: tuple[str, ...] = (
    "com", "ep", "at", "be", "bu", "cr", "cy", "cz", "dk", "ee", "fi", "fr", "de", "el", "hu",
    "ie", "it", "lv", "lt", "lu", "mt", "nl", "pl", "pt", "ro", "si", "sk", "es", "se", "uk",
)  # fmt: skip

#: Council votes under qualified majority voting after the Treaty of Nice (in force
#: 1 November 2004; Art. 205(2) TEC as amended by the 2003 and 2005 Acts of Accession;
#: Croatia's 7 votes from 2013). The Commission and the Parliament get no votes here; a
#: reader gives them a capability of its own (``institution_capability``).
COUNCIL_VOTES: dict[str, float] = {
    "de": 29, "fr": 29, "it": 29, "uk": 29, "es": 27, "pl": 27, "ro": 14, "nl": 13,
    "be": 12, "cz": 12, "el": 12, "hu": 12, "pt": 12, "at": 10, "bu": 10, "se": 10,
    "cr": 7, "dk": 7, "fi": 7, "ie": 7, "lt": 7, "sk": 7, "cy": 4, "ee": 4, "lv": 4,
    "lu": 4, "si": 4, "mt": 3,
}  # fmt: skip


@dataclass(frozen=True)
class ValidationIssue:
    """One issue with a known outcome.

    Attributes
    ----------
    issue : str
        Issue identifier.
    group : str
        The proposal (or negotiation) the issue belongs to; held-out splits keep a
        group's issues together.
    problem : SpatialProblem
        One dimension, named after the issue; positions 0-100, saliences 0-1.
    outcome : float
        The outcome adopted, 0-100.
    reference_point : float or None
        The status quo / reversion point, when known (used by the Nash model).
    attributes : dict of str to str
        Other descriptive fields of the source row (DEU: ``proc`` the legislative procedure,
        ``counvte`` the Council voting rule, ``prname`` the proposal's short name).
    """

    issue: str
    group: str
    problem: SpatialProblem
    outcome: float
    reference_point: float | None = None
    attributes: dict[str, str] = field(default_factory=dict)


@dataclass
class ValidationReport:
    """Per-model errors over a list of issues.

    Attributes
    ----------
    issues : list of str
    outcomes : ndarray, shape (n_issues,)
    forecasts : dict of str to ndarray
        Model label -> forecast per issue (NaN where the model was not applicable).
    seconds : dict of str to float
        Model label -> total wall-clock time over the issues.
    """

    issues: list[str]
    outcomes: NDArray[np.float64]
    forecasts: dict[str, NDArray[np.float64]] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    def errors(self, label: str) -> NDArray[np.float64]:
        """Absolute errors of one model, per issue (NaN where not applicable)."""
        return np.abs(self.forecasts[label] - self.outcomes)

    def mae(self) -> dict[str, float]:
        """Mean absolute error per model over the issues it could forecast."""
        return {k: float(np.nanmean(self.errors(k))) for k in self.forecasts}

    def table(self, baseline: str = "compromise") -> list[dict[str, Any]]:
        """One row per model: n, MAE, the baseline's MAE on the same issues, RMSE, seconds."""
        rows = []
        base = self.errors(baseline) if baseline in self.forecasts else None
        for label in self.forecasts:
            e = self.errors(label)
            ok = ~np.isnan(e)
            row: dict[str, Any] = {
                "model": label,
                "n": int(ok.sum()),
                "mae": float(e[ok].mean()),
                "rmse": float(np.sqrt((e[ok] ** 2).mean())),
                "seconds": float(self.seconds.get(label, 0.0)),
            }
            if base is not None:
                row["baseline_mae_same_issues"] = float(base[ok].mean())
            rows.append(row)
        return rows

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-serialisable dict."""

        def clean(a: NDArray[np.float64]) -> list[float | None]:
            return [None if math.isnan(v) else float(v) for v in a]

        return {
            "issues": list(self.issues),
            "outcomes": clean(self.outcomes),
            "forecasts": {k: clean(v) for k, v in self.forecasts.items()},
            "seconds": {k: float(v) for k, v in self.seconds.items()},
            "table": self.table(),
        }


# ----------------------------------------------------------------------------- readers


def _read_rows(path: str | Path) -> tuple[list[list[str]], str]:
    p = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ModelError(f"cannot read file: {exc.strerror}", Location(file=p)) from None
    except UnicodeDecodeError:
        raise ModelError("file is not UTF-8 text", Location(file=p)) from None
    first = text.split("\n", 1)[0]
    delim = max([";", "\t", ","], key=first.count)
    rows = list(csv.reader(text.splitlines(), delimiter=delim))
    if not rows or not any(c.strip() for c in rows[0]):
        raise ModelError("empty file; expected a header line", Location(file=p, line=1, column=1))
    return rows, delim


def _column_of(row: list[str], index: int) -> int:
    """1-based character column of field ``index`` in a parsed row (approximate with quotes)."""
    return sum(len(c) + 1 for c in row[:index]) + 1


def _number(cell: str, path: str, line: int, column: int, what: str, lo: float, hi: float) -> float:
    try:
        v = float(cell)
    except ValueError:
        raise ModelError(f"{cell.strip()!r} is not a number", Location(path, line, column, what)) from None
    if not (lo <= v <= hi) or math.isnan(v):
        raise ModelError(
            f"{v:g} is off the scale; valid values are in [{lo:g}, {hi:g}]",
            Location(path, line, column, what),
        )
    return v


def read_issue_csv(path: str | Path) -> list[ValidationIssue]:
    """Read issues in the long layout: one row per issue and actor.

    Columns (header names, any order, case-insensitive): ``issue``, ``actor``,
    ``position`` (0-100), ``salience`` (0-100, DEU's scale), ``capability`` (>= 0) and
    ``outcome`` (0-100, the same on every row of an issue); optional ``group`` (the
    proposal; defaults to the issue) and ``reference_point`` (0-100). The delimiter
    (comma, semicolon or tab) is taken from the header line.

    Raises
    ------
    accord.errors.ModelError
        Naming file, line, column and field for a missing column, a non-numeric or
        off-scale cell, an outcome that differs between an issue's rows, a repeated actor
        or an issue with fewer than 3 actors.
    """
    p = str(path)
    rows, _ = _read_rows(path)
    header = [h.strip().lower() for h in rows[0]]
    required = ["issue", "actor", "position", "salience", "capability", "outcome"]
    for name in required:
        if name not in header:
            raise ModelError(
                f"missing column {name!r}; the header must name {', '.join(required)}"
                " (optional: group, reference_point)",
                Location(p, 1, 1, "header"),
            )
    col = {h: i for i, h in enumerate(header)}
    data: dict[str, dict[str, Any]] = {}
    for ln, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        if len(row) < len(header):
            raise ModelError(f"{len(row)} fields, expected {len(header)}", Location(p, ln, 1, "row"))

        def cell(name: str, row: list[str] = row) -> tuple[str, int]:
            return row[col[name]].strip(), _column_of(row, col[name])

        issue, _ = cell("issue")
        actor, ac = cell("actor")
        where = f"issues[{issue}].actors[{actor}]"
        vals = {}
        for name, lo, hi in [
            ("position", 0.0, 100.0),
            ("salience", 0.0, 100.0),
            ("capability", 0.0, math.inf),
            ("outcome", 0.0, 100.0),
        ]:
            text, c = cell(name)
            vals[name] = _number(text, p, ln, c, f"{where}.{name}", lo, hi)
        entry = data.setdefault(
            issue,
            {"actors": [], "pos": [], "sal": [], "cap": [], "outcome": vals["outcome"],
             "line": ln, "group": issue, "rp": None},
        )  # fmt: skip
        if vals["outcome"] != entry["outcome"]:
            text, c = cell("outcome")
            raise ModelError(
                f"outcome {vals['outcome']:g} differs from {entry['outcome']:g} on line "
                f"{entry['line']}; an issue has one outcome",
                Location(p, ln, c, f"issues[{issue}].outcome"),
            )
        if actor in entry["actors"]:
            raise ModelError(f"actor {actor!r} appears twice in issue {issue!r}", Location(p, ln, ac, where))
        if "group" in col and row[col["group"]].strip():
            entry["group"] = row[col["group"]].strip()
        if "reference_point" in col and row[col["reference_point"]].strip():
            text, c = cell("reference_point")
            entry["rp"] = _number(text, p, ln, c, f"issues[{issue}].reference_point", 0, 100)
        entry["actors"].append(actor)
        entry["pos"].append(vals["position"])
        entry["sal"].append(vals["salience"] / 100.0)
        entry["cap"].append(vals["capability"])
    out = []
    for issue, e in data.items():
        if len(e["actors"]) < 3:
            raise ModelError(
                f"issue {issue!r} has {len(e['actors'])} actors; at least 3 are needed",
                Location(p, e["line"], 1, f"issues[{issue}]"),
            )
        out.append(_make_issue(issue, e["group"], e, p, e["line"]))
    return out


def _make_issue(
    issue: str,
    group: str,
    e: dict[str, Any],
    path: str,
    line: int,
    attributes: dict[str, str] | None = None,
) -> ValidationIssue:
    try:
        problem = SpatialProblem(
            actors=e["actors"],
            dimensions=[issue],
            capability=e["cap"],
            position=np.asarray(e["pos"], dtype=float)[:, None],
            salience=np.asarray(e["sal"], dtype=float)[:, None],
            status_quo=None if e["rp"] is None else [e["rp"]],
            source=path,
        )
    except AccordError as exc:
        raise ModelError(exc.message, Location(path, line, 1, f"issues[{issue}]")) from None
    return ValidationIssue(issue, group, problem, float(e["outcome"]), e["rp"], attributes or {})


def read_deu_csv(
    path: str | Path,
    capability: str | Mapping[str, float] = "council",
    institution_capability: float = 29.0,
    min_actors: int = 3,
) -> list[ValidationIssue]:
    """Read a DEU III-style wide file: one row per issue.

    Columns used: ``isnr`` (issue id), ``prnr`` (proposal id, the split group),
    ``p<code>`` and ``s<code>`` for each actor code of :data:`DEU_ACTORS` (position 0-100,
    salience 0-100), ``rp`` (reference point) and ``out`` (outcome). The delimiter
    (semicolon, tab or comma) is taken from the header line. Cells that are blank or off
    the 0-100 scale (DEU's missing-value codes such as 999) count as missing; rows without
    an issue id (e.g. an added row of weights) are skipped. An actor takes part in an
    issue when it has a position and a positive salience (an actor with salience 0 has no
    weight in any model, and KTAB's SMP rejects it).

    Parameters
    ----------
    path : str or Path
    capability : {"council", "equal"} or mapping of actor code to capability
        ``"council"``: member states get their :data:`COUNCIL_VOTES`, the Commission and
        the Parliament ``institution_capability`` each; ``"equal"``: every actor 1.
    institution_capability : float
        Capability of the Commission and of the Parliament with ``"council"`` (default 29,
        the largest member state's votes).
    min_actors : int
        Issues with fewer actors having both a position and a salience are skipped, as
        are issues without an outcome.

    Returns
    -------
    list of ValidationIssue
    """
    p = str(path)
    rows, _ = _read_rows(path)
    header = [h.strip().lower() for h in rows[0]]
    col = {h: i for i, h in enumerate(header)}
    for name in ["isnr", "out"]:
        if name not in col:
            raise ModelError(
                f"missing column {name!r}; a DEU file has isnr, prnr, p<actor>, s<actor>, rp, out",
                Location(p, 1, 1, "header"),
            )
    codes = [c for c in DEU_ACTORS if f"p{c}" in col and f"s{c}" in col]
    if len(codes) < 3:
        raise ModelError(
            "found fewer than 3 actors with p<actor> and s<actor> columns "
            f"(actor codes: {', '.join(DEU_ACTORS)})",
            Location(p, 1, 1, "header"),
        )
    if isinstance(capability, str):
        if capability == "council":
            caps = {c: COUNCIL_VOTES.get(c, institution_capability) for c in codes}
        elif capability == "equal":
            caps = dict.fromkeys(codes, 1.0)
        else:
            raise ConfigurationError(
                f"unknown capability scheme {capability!r}; choose 'council', 'equal' or a "
                "mapping of actor code to capability"
            )
    else:
        caps = {c: float(capability.get(c, 0.0)) for c in codes}

    def num(cell: str) -> float | None:
        try:
            v = float(cell)
        except ValueError:
            return None
        return v if 0.0 <= v <= 100.0 else None

    out: list[ValidationIssue] = []
    for ln, row in enumerate(rows[1:], start=2):
        if len(row) < len(header):
            row = row + [""] * (len(header) - len(row))
        issue = row[col["isnr"]].strip()
        outcome = num(row[col["out"]])
        if not issue or outcome is None:
            continue
        e: dict[str, Any] = {"actors": [], "pos": [], "sal": [], "cap": [], "outcome": outcome}
        for c in codes:
            x, s = num(row[col[f"p{c}"]]), num(row[col[f"s{c}"]])
            if x is None or s is None or s == 0.0:
                continue
            e["actors"].append(c)
            e["pos"].append(x)
            e["sal"].append(s / 100.0)
            e["cap"].append(caps[c])
        if len(e["actors"]) < min_actors or not any(
            cp * s > 0 for cp, s in zip(e["cap"], e["sal"], strict=True)
        ):
            continue
        e["rp"] = num(row[col["rp"]]) if "rp" in col else None
        group = row[col["prnr"]].strip() if "prnr" in col else issue
        attributes: dict[str, str] = {
            k: row[col[k]].strip() for k in ("proc", "counvte", "prname") if k in col
        }
        out.append(_make_issue(issue, group or issue, e, p, ln, attributes))
    return out


# ----------------------------------------------------------------------------- scoring


def split_by_group(
    issues: Sequence[ValidationIssue], test_fraction: float = 0.5, seed: int = 0
) -> tuple[list[ValidationIssue], list[ValidationIssue]]:
    """Split issues into (train, test) by group (proposal), at random with ``seed``.

    All issues of a proposal fall on the same side, so a model calibrated on the training
    side has seen nothing of the proposals it is scored on.
    """
    if not 0.0 < test_fraction < 1.0:
        raise ConfigurationError(f"test_fraction must be in (0, 1), got {test_fraction}")
    groups = sorted({i.group for i in issues})
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(groups))
    n_test = max(1, round(test_fraction * len(groups)))
    test_groups = {groups[k] for k in order[:n_test]}
    train = [i for i in issues if i.group not in test_groups]
    test = [i for i in issues if i.group in test_groups]
    return train, test


def evaluate(
    issues: Sequence[ValidationIssue],
    models: Iterable[str | tuple[str, str, Mapping[str, Any]]] = ("compromise", "median", "smp", "eu"),
) -> ValidationReport:
    """Forecast every issue with every model and collect the errors.

    Parameters
    ----------
    issues : sequence of ValidationIssue
    models : iterable
        Model names of :data:`accord.forecast.MODELS`, or ``(label, model, options)``
        triples to compare configurations (e.g. ``("smp-quartic", "smp",
        {"victory_prob": "quartic"})``). The ``nash`` model needs a reference point and is
        left out (NaN) on issues without one.

    Returns
    -------
    ValidationReport
        ``.mae()``, ``.table()`` (with the compromise model's MAE on the same issues) and
        ``.to_dict()``.
    """
    from accord.forecast import model_name, run

    specs: list[tuple[str, str, Mapping[str, Any]]] = [
        (m, m, {}) if isinstance(m, str) else m for m in models
    ]
    report = ValidationReport(
        issues=[i.issue for i in issues], outcomes=np.array([i.outcome for i in issues], dtype=float)
    )
    for label, model, options in specs:
        f = np.full(len(issues), np.nan)
        t0 = time.perf_counter()
        for k, item in enumerate(issues):
            if model_name(model) == "nash" and item.problem.status_quo is None:
                continue
            f[k] = next(iter(run(item.problem, model, **options).forecast.values()))
        report.seconds[label] = time.perf_counter() - t0
        report.forecasts[label] = f
    return report
