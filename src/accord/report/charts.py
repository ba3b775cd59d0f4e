"""Figures for the HTML report and the workbench, as plotly figure dicts (JSON-serialisable).

Each function takes results (never recomputes an analysis) and returns ``{"data": [...], "layout": {...}}``
or ``None`` when the results it draws are absent. Nothing here imports plotly at module level: the
figures are plain dicts, so the report renders without plotly and only the HTML page needs the library
(embedded inline by :mod:`accord.report.html`).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

from accord.analysis.pareto import pareto_front
from accord.jobs import display_value
from accord.scenario.schema import NumericIssue
from accord.space import issue_grid

if TYPE_CHECKING:
    from accord.jobs import Briefing
    from accord.space import AnyIssue

Figure = dict[str, Any]

COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"]
MAX_POINTS = 2500  # packages drawn as a cloud behind the frontier (a seeded sample when there are more)
FONT = {"family": "system-ui, -apple-system, Segoe UI, sans-serif", "size": 13}


def _layout(title: str, **kw: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "title": {"text": title, "x": 0.0, "xanchor": "left"},
        "font": FONT,
        "margin": {"l": 60, "r": 20, "t": 50, "b": 50},
        "template": "plotly_white",
        "legend": {"orientation": "h", "y": -0.18},
    }
    base.update(kw)
    return base


def _levels(issue: AnyIssue) -> list[str]:
    levels = getattr(issue, "levels", None) or getattr(issue, "options", None) or []
    return [lv.label or lv.id for lv in levels]


def _coord(issue: AnyIssue, value: Any) -> float | None:
    if value is None:
        return None
    v = getattr(value, "value", value)
    if isinstance(issue, NumericIssue):
        return float(v)
    levels = getattr(issue, "levels", None) or getattr(issue, "options", None) or []
    for i, lv in enumerate(levels):
        if lv.id == v:
            return float(i)
    return None


def positions(b: Briefing) -> Figure | None:
    """Positions and red lines per issue, each issue on its own line (one row per issue).

    Markers show each actor's ideal; a thick segment shows the part of the line its red line rules
    out. Categorical and ordinal issues place their levels at 0..k-1 with the labels as ticks.
    """
    s = b.scenario
    issues = list(s.issues)
    if not issues:
        return None
    n = len(issues)
    data: list[dict[str, Any]] = []
    layout = _layout("Positions and red lines, issue by issue", height=150 * n + 110, showlegend=True)
    gap = 0.6 / max(n, 1)
    h = (1.0 - gap * (n - 1)) / n
    actors = [a for a in s.actors if a.positions]
    color = {a.id: COLORS[i % len(COLORS)] for i, a in enumerate(actors)}
    shown: set[str] = set()
    for k, issue in enumerate(issues):
        ax = "" if k == 0 else str(k + 1)
        top = 1.0 - k * (h + gap)
        grid = issue_grid(issue)
        lo, hi = float(grid.min()), float(grid.max())
        pad = (hi - lo) * 0.04 or 0.5
        xaxis: dict[str, Any] = {
            "domain": [0, 1],
            "anchor": f"y{ax}",
            "range": [lo - pad, hi + pad],
            "showgrid": False,
            "zeroline": False,
        }
        if not isinstance(issue, NumericIssue):
            xaxis.update(
                {"tickmode": "array", "tickvals": list(range(len(grid))), "ticktext": _levels(issue)}
            )
        elif issue.unit and len(issue.unit) <= 4:
            xaxis["ticksuffix"] = issue.unit if issue.unit == "%" else f" {issue.unit}"
        elif issue.unit:
            xaxis["title"] = {"text": issue.unit, "standoff": 2, "font": {"size": 11}}
        layout[f"xaxis{ax}"] = xaxis
        layout[f"yaxis{ax}"] = {
            "domain": [max(top - h, 0.0), top],
            "anchor": f"x{ax}",
            "range": [-0.5, len(actors) - 0.5],
            "showticklabels": False,
            "showgrid": False,
            "zeroline": False,
        }
        layout.setdefault("annotations", []).append(
            {
                "text": f"<b>{issue.label or issue.id}</b>",
                "xref": "paper",
                "yref": "paper",
                "x": 0,
                "y": top,
                "yanchor": "bottom",
                "showarrow": False,
            }
        )
        data.append(
            {
                "type": "scatter",
                "mode": "lines",
                "x": [lo, hi],
                "y": [(len(actors) - 1) / 2] * 2,
                "line": {"color": "#bbb", "width": 2},
                "xaxis": f"x{ax}",
                "yaxis": f"y{ax}",
                "hoverinfo": "skip",
                "showlegend": False,
            }
        )
        for j, actor in enumerate(actors):
            pos = actor.positions.get(issue.id)
            if pos is None:
                continue
            from accord.space import red_line_mask

            allowed = red_line_mask(issue, pos, grid)
            if not allowed.all():
                xs: list[float | None] = []
                ys: list[float | None] = []
                for i in np.flatnonzero(~allowed):
                    x = float(grid[i])
                    w = (float(grid[1] - grid[0]) / 2) if len(grid) > 1 else 0.5
                    xs += [x - w, x + w, None]
                    ys += [j, j, None]
                data.append(
                    {
                        "type": "scatter",
                        "mode": "lines",
                        "x": xs,
                        "y": ys,
                        "line": {"color": color[actor.id], "width": 7},
                        "opacity": 0.35,
                        "xaxis": f"x{ax}",
                        "yaxis": f"y{ax}",
                        "name": f"{actor.name}: ruled out",
                        "legendgroup": actor.id,
                        "showlegend": False,
                        "hovertemplate": f"{actor.name} rules this out<extra></extra>",
                    }
                )
            ideal = pos.ideal
            if ideal is None and pos.values:
                ideal = max(pos.values.items(), key=lambda kv: kv[1].value)[0]
            xc = _coord(issue, ideal)
            if xc is None:
                continue
            data.append(
                {
                    "type": "scatter",
                    "mode": "markers",
                    "x": [xc],
                    "y": [j],
                    "marker": {"color": color[actor.id], "size": 12, "line": {"color": "white", "width": 1}},
                    "xaxis": f"x{ax}",
                    "yaxis": f"y{ax}",
                    "name": actor.name,
                    "legendgroup": actor.id,
                    "showlegend": actor.id not in shown,
                    "hovertemplate": f"{actor.name} wants {display_value(issue, ideal)}<extra></extra>",
                }
            )
            shown.add(actor.id)
    return {"data": data, "layout": layout}


def _sample(n: int, k: int, seed: int = 0) -> np.ndarray:
    if n <= k:
        return np.arange(n)
    return np.sort(np.random.default_rng(seed).choice(n, size=k, replace=False))


def pareto(b: Briefing) -> Figure | None:
    """The Pareto frontier of the parties' utilities with the ZOPA, solution points and no deal.

    Two parties: a scatter of a seeded sample of packages, the frontier, the ZOPA packages, the Nash and
    Kalai–Smorodinsky points and the no-deal point. More parties: parallel coordinates over the
    frontier packages (one axis per party), coloured by whether the package is in the ZOPA.
    """
    space = b.space
    parties = [int(p) for p in space.actors.parties]
    if len(parties) < 2:
        return None
    U = space.utilities()
    Up = U[:, parties]
    names = [space.actors.names[p] for p in parties]
    front = pareto_front(Up)
    zopa = np.asarray(b.analysis.zopa.outcomes, dtype=np.int64)
    sol = b.analysis.solutions
    d = [b.no_deal_now[space.actors.ids[p]] for p in parties]
    if len(parties) == 2:
        sample = _sample(len(Up), MAX_POINTS)
        data: list[dict[str, Any]] = [
            {
                "type": "scatter",
                "mode": "markers",
                "x": Up[sample, 0].round(4).tolist(),
                "y": Up[sample, 1].round(4).tolist(),
                "marker": {"color": "#c8c8c8", "size": 4},
                "name": f"packages (sample of {len(sample):,} of {len(Up):,})",
                "hoverinfo": "skip",
            }
        ]
        fo = front[np.argsort(Up[front, 0])]
        data.append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "x": Up[fo, 0].round(4).tolist(),
                "y": Up[fo, 1].round(4).tolist(),
                "line": {"color": "#333", "width": 2},
                "marker": {"size": 5},
                "name": f"Pareto frontier ({len(front):,})",
            }
        )
        relaxed = _relaxed_set(b, U) if not zopa.size else None
        if relaxed is not None and relaxed[1].size:
            label, idx = relaxed
            rs = idx[_sample(idx.size, MAX_POINTS, 2)]
            data.append(
                {
                    "type": "scatter",
                    "mode": "markers",
                    "x": Up[rs, 0].round(4).tolist(),
                    "y": Up[rs, 1].round(4).tolist(),
                    "marker": {"color": "#ff7f0e", "size": 6, "opacity": 0.6},
                    "name": f"open {label} ({idx.size:,} packages)",
                }
            )
        if zopa.size:
            zs = zopa[_sample(zopa.size, MAX_POINTS, 1)]
            data.append(
                {
                    "type": "scatter",
                    "mode": "markers",
                    "x": Up[zs, 0].round(4).tolist(),
                    "y": Up[zs, 1].round(4).tolist(),
                    "marker": {"color": "#2ca02c", "size": 6, "opacity": 0.6},
                    "name": f"ZOPA ({zopa.size:,} packages)",
                }
            )
        data.append(
            {
                "type": "scatter",
                "mode": "markers",
                "x": [d[0]],
                "y": [d[1]],
                "marker": {"color": "black", "symbol": "x", "size": 14},
                "name": "no deal",
            }
        )
        marks = {
            "nash": ("Nash", "star", "#d62728"),
            "kalai_smorodinsky": ("Kalai–Smorodinsky", "diamond", "#9467bd"),
        }
        for key, (label, symbol, col) in marks.items():
            pt = sol.points.get(key)
            if pt is None or pt.index is None:
                continue
            i = int(pt.index)
            data.append(
                {
                    "type": "scatter",
                    "mode": "markers",
                    "x": [round(float(Up[i, 0]), 4)],
                    "y": [round(float(Up[i, 1]), 4)],
                    "marker": {
                        "color": col,
                        "symbol": symbol,
                        "size": 16,
                        "line": {"color": "white", "width": 1},
                    },
                    "name": label + ("" if sol.over == "zopa" else " (after the least relaxation)"),
                }
            )
        layout = _layout(
            "The Pareto frontier: what each party gets from every package",
            xaxis={"title": {"text": f"utility to {names[0]}"}, "range": [-0.02, 1.02]},
            yaxis={"title": {"text": f"utility to {names[1]}"}, "range": [-0.02, 1.02]},
            height=520,
        )
        return {"data": data, "layout": layout}
    in_zopa = np.isin(front, zopa).astype(float)
    dims = [
        {"label": names[i], "values": Up[front, i].round(4).tolist(), "range": [0, 1]}
        for i in range(len(parties))
    ]
    return {
        "data": [
            {
                "type": "parcoords",
                "line": {
                    "color": in_zopa.tolist(),
                    "colorscale": [[0, "#bbbbbb"], [1, "#2ca02c"]],
                    "cmin": 0,
                    "cmax": 1,
                },
                "dimensions": dims,
            }
        ],
        "layout": _layout(f"The Pareto frontier ({len(front):,} packages; green: in the ZOPA)", height=460),
    }


def _relaxed_set(b: Briefing, U: np.ndarray) -> tuple[str, np.ndarray] | None:
    """The packages the solution points were taken over when there is no ZOPA: every requirement met
    except those of the least relaxation (as in :func:`accord.analysis.report.analyze`)."""
    from accord.analysis.diagnose import requirement_matrix

    why = b.analysis.why
    if not why.relaxations:
        return None
    rel = why.relaxations[0]
    rm = requirement_matrix(b.space, b.analysis.zopa.t, U)
    dropped = {(r.kind, r.actor, r.issue) for r in rel.requirements}
    keep = [j for j, r in enumerate(rm.requirements) if (r.kind, r.actor, r.issue) not in dropped]
    mask = np.asarray(rm.met[:, keep].all(axis=1))
    return "if " + " and ".join(rel.short), np.flatnonzero(mask)


def leverage(b: Briefing) -> Figure | None:
    """How much of each lever would open a deal (needed) against how much the scenario says exists."""
    lev = b.analysis.leverage
    if not lev.singles:
        return None
    names = {k: v.split(" (")[0] for k, v in b.names.items()}
    labels: list[str] = []
    needed: list[float | None] = []
    available: list[float] = []
    text: list[str] = []
    for u in lev.singles:
        ref = u.levers[0]
        label = f"{names.get(ref.owner, ref.owner)} → {names.get(ref.target, ref.target)}: {ref.kind}"
        if ref.issue:
            label += f" ({ref.issue})"
        labels.append(label)
        available.append(ref.max)
        amount = u.amounts[0] if u.amounts else math.inf
        if math.isfinite(amount):
            needed.append(amount)
            text.append(
                f"{amount:.3g} {u.units[0]}" + (" — opens a deal" if u.opens else " — more than exists")
            )
        else:
            needed.append(None)
            text.append("cannot open a deal alone (other requirements collide)")
    return {
        "data": [
            {
                "type": "bar",
                "orientation": "h",
                "y": labels,
                "x": available,
                "name": "available (the lever's maximum)",
                "marker": {"color": "#9ecae1"},
            },
            {
                "type": "bar",
                "orientation": "h",
                "y": labels,
                "x": needed,
                "name": "needed to open a deal",
                "marker": {"color": "#e6550d"},
                "hovertext": text,
                "hoverinfo": "text",
            },
        ],
        "layout": _layout(
            "Leverage: how much of each lever would open a deal, against how much there is",
            barmode="group",
            height=90 + 38 * len(labels),
            margin={"l": 20, "r": 20, "t": 50, "b": 50},
            yaxis={"autorange": "reversed", "automargin": True},
            xaxis={"title": {"text": "amount (the lever's own units)"}},
        ),
    }


def tornado(b: Briefing) -> Figure | None:
    """Tornado chart: the chance of a deal with each uncertain number at the low and high end of its range."""
    mc = b.analysis.monte_carlo
    if mc is None or not mc.tornado:
        return None
    rows = sorted(mc.tornado, key=lambda r: -abs(r["p_deal_high"] - r["p_deal_low"]))[:12]
    rows = [r for r in rows if r["p_deal_high"] != r["p_deal_low"]] or rows[:5]
    base = mc.p_deal
    labels = [r["label"] for r in rows]
    return {
        "data": [
            {
                "type": "bar",
                "orientation": "h",
                "y": labels,
                "x": [r["p_deal_low"] - base for r in rows],
                "base": base,
                "name": "low end of its range",
                "marker": {"color": "#6baed6"},
                "hovertemplate": "%{y}<br>low end: deal in %{x:.0%}<extra></extra>",
            },
            {
                "type": "bar",
                "orientation": "h",
                "y": labels,
                "x": [r["p_deal_high"] - base for r in rows],
                "base": base,
                "name": "high end of its range",
                "marker": {"color": "#fd8d3c"},
                "hovertemplate": "%{y}<br>high end: deal in %{x:.0%}<extra></extra>",
            },
        ],
        "layout": _layout(
            f"What moves the chance of a deal (all draws: {base:.0%})",
            barmode="overlay",
            height=90 + 34 * len(rows),
            margin={"l": 20, "r": 20, "t": 50, "b": 50},
            yaxis={"autorange": "reversed", "automargin": True},
            xaxis={"title": {"text": "share of draws with a deal"}, "tickformat": ".0%"},
        ),
    }


def monte_carlo_terms(b: Briefing) -> Figure | None:
    """Histogram of the Nash terms over the Monte Carlo draws in which a deal exists (numeric issues)."""
    mc = b.analysis.monte_carlo
    if mc is None:
        return None
    idx = np.asarray(mc.nash_index)
    idx = idx[idx >= 0]
    numeric = [(k, i) for k, i in enumerate(b.space.issues) if isinstance(i, NumericIssue)]
    if idx.size == 0 or not numeric:
        return None
    levels = b.space.levels(idx)
    data = []
    for n, (k, issue) in enumerate(numeric):
        grid = issue_grid(issue)
        data.append(
            {
                "type": "histogram",
                "x": grid[levels[:, k]].tolist(),
                "name": issue.label or issue.id,
                "xaxis": "x" if n == 0 else f"x{n + 1}",
                "yaxis": "y" if n == 0 else f"y{n + 1}",
                "marker": {"color": COLORS[n % len(COLORS)]},
            }
        )
    layout = _layout(
        f"Nash terms over the {idx.size:,} draws (of {mc.n:,}) in which a deal exists",
        grid={"rows": 1, "columns": len(numeric), "pattern": "independent"},
        height=340,
    )
    return {"data": data, "layout": layout}


def no_deal_decay(b: Briefing, steps: int = 60) -> Figure | None:
    """Each actor's no-deal value over the clock: ``max(floor, value - decay * t)``."""
    s = b.scenario
    actors = [(i, a) for i, a in enumerate(s.actors) if a.no_deal is not None]
    if not actors:
        return None
    t = np.linspace(0.0, float(s.clock.horizon), steps + 1)
    values = np.array([b.space.no_deal(float(x)) for x in t])
    data = [
        {
            "type": "scatter",
            "mode": "lines",
            "x": t.round(4).tolist(),
            "y": values[:, i].round(4).tolist(),
            "name": a.name,
            "line": {"color": COLORS[n % len(COLORS)], "width": 3 if a.role == "party" else 1.5},
        }
        for n, (i, a) in enumerate(actors)
    ]
    return {
        "data": data,
        "layout": _layout(
            "How the clock erodes each side's no-deal value",
            xaxis={"title": {"text": f"{s.clock.unit}s from {s.as_of.isoformat()}"}},
            yaxis={"title": {"text": "no-deal value (utility)"}, "rangemode": "tozero"},
            height=380,
        ),
    }


def simulation_terms(b: Briefing) -> Figure | None:
    """How simulated talks ended (counts per cause)."""
    mc = b.simulation
    if mc is None or not mc.causes:
        return None
    causes = sorted(mc.causes.items(), key=lambda kv: -kv[1])
    return {
        "data": [
            {
                "type": "bar",
                "x": [k for k, _ in causes],
                "y": [v for _, v in causes],
                "marker": {"color": ["#2ca02c" if k == "agreement" else "#999" for k, _ in causes]},
            }
        ],
        "layout": _layout(f"How {mc.runs:,} simulated negotiations ended", height=320, showlegend=False),
    }


def state_graph(conflict: dict[str, Any]) -> Figure | None:
    """Conflict-model state graph: states on a circle, moves as lines, equilibria highlighted.

    Reads the plain ``conflict`` dict documented in :mod:`accord.report.data`.
    """
    states = conflict.get("states") or []
    if not states:
        return None
    n = len(states)
    ang = {st["id"]: 2 * math.pi * k / n for k, st in enumerate(states)}
    xy = {k: (math.cos(a), math.sin(a)) for k, a in ang.items()}
    eq: dict[str, list[str]] = {}
    for concept, ids in (conflict.get("equilibria") or {}).items():
        for sid in ids:
            eq.setdefault(sid, []).append(concept)
    ex: list[float | None] = []
    ey: list[float | None] = []
    for tr in conflict.get("transitions") or []:
        if tr.get("from") in xy and tr.get("to") in xy:
            (x0, y0), (x1, y1) = xy[tr["from"]], xy[tr["to"]]
            ex += [x0, x1, None]
            ey += [y0, y1, None]
    sq = conflict.get("status_quo")
    nodes = {
        "type": "scatter",
        "mode": "markers+text",
        "x": [xy[st["id"]][0] for st in states],
        "y": [xy[st["id"]][1] for st in states],
        "text": [st.get("pattern") or st["id"] for st in states],
        "textposition": "top center",
        "hovertext": [
            f"{st['id']}: {st.get('label', '')}"
            + (f" — stable: {', '.join(eq[st['id']])}" if st["id"] in eq else "")
            for st in states
        ],
        "hoverinfo": "text",
        "marker": {
            "size": [22 if st["id"] in eq else 12 for st in states],
            "color": ["#2ca02c" if st["id"] in eq else "#bbb" for st in states],
            "line": {"color": ["black" if st["id"] == sq else "white" for st in states], "width": 2},
        },
        "name": "states (green: an equilibrium)",
    }
    edges = {
        "type": "scatter",
        "mode": "lines",
        "x": ex,
        "y": ey,
        "line": {"color": "#ccc", "width": 1},
        "hoverinfo": "skip",
        "name": "moves",
    }
    return {
        "data": [edges, nodes],
        "layout": _layout(
            "Conflict states and moves (equilibria in green, status quo outlined)",
            xaxis={"visible": False},
            yaxis={"visible": False, "scaleanchor": "x"},
            height=480,
        ),
    }


def forecast_paths(forecast: dict[str, Any], issue_id: str, label: str) -> Figure | None:
    """Per-turn positions on one issue for every actor and model (the ``forecast`` dict's ``turns``)."""
    data = []
    for m, (model_id, model) in enumerate((forecast.get("models") or {}).items()):
        turns = model.get("turns") or []
        actors: dict[str, tuple[list[int], list[float]]] = {}
        for t in turns:
            for actor, pos in (t.get("positions") or {}).items():
                v = pos.get(issue_id)
                if isinstance(v, int | float):
                    xs, ys = actors.setdefault(actor, ([], []))
                    xs.append(int(t.get("turn", len(xs))))
                    ys.append(float(v))
        for a, (xs, ys) in actors.items():
            data.append(
                {
                    "type": "scatter",
                    "mode": "lines+markers",
                    "x": xs,
                    "y": ys,
                    "name": f"{model.get('label', model_id)}: {a}",
                    "line": {"dash": ["solid", "dot", "dash"][m % 3]},
                }
            )
    if not data:
        return None
    return {
        "data": data,
        "layout": _layout(
            f"Forecast positions turn by turn: {label}",
            xaxis={"title": {"text": "turn"}},
            height=360,
        ),
    }


__all__ = [
    "forecast_paths",
    "leverage",
    "monte_carlo_terms",
    "no_deal_decay",
    "pareto",
    "positions",
    "simulation_terms",
    "state_graph",
    "tornado",
]
