"""What the HTML and Markdown reports show, as one plain dict built from results.

:func:`report_context` turns a :class:`~accord.jobs.Briefing` (and, optionally, conflict-model and
forecast results) into a JSON-serialisable dict of short strings, numbers and source ids. Templates
only lay it out: every number in the text comes from here, and every number here comes from a result
object or the scenario, never typed in. A section's key is ``None`` (and the section is left out)
when the results it needs are absent.

Hooks for results other modules will provide
--------------------------------------------
``conflict`` (from ``accord.conflict``, a graph-model analysis), a plain dict::

    {
      "options": [{"id": "o1", "actor": "israel", "label": "withdraw to 1.3 km"}, ...],
      "states": [{"id": "s1", "pattern": "YN", "label": "Israel withdraws, Hamas holds"}, ...],
      "equilibria": {"nash": ["s1"], "gmr": ["s1", "s3"], "smr": [...], "seq": [...]},
      "transitions": [{"from": "s1", "to": "s2", "actor": "israel"}, ...],   # optional
      "status_quo": "s1",                                                    # optional
    }

``pattern`` lists one of ``Y`` (option taken), ``N`` (not taken) or ``-`` (either) per option, in
``options`` order. ``forecast`` (from ``accord.forecast``, spatial models), a plain dict::

    {
      "models": {
        "expected_utility": {
          "label": "Expected utility",
          "forecast": {"withdrawal_km": 1.5, "guarantee": "us_qatar_egypt"},   # per issue id
          "turns": [{"turn": 0, "positions": {"israel": {"withdrawal_km": 2.0}, ...}}, ...],
        },
        ...
      }
    }

Both are optional; pass them to :func:`report_context`, :func:`accord.report.html.render_html` or
:func:`accord.report.markdown.render_markdown` and their sections appear.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from accord.jobs import display_value, terms_lines, terms_summary
from accord.scenario.schema import NumericIssue

if TYPE_CHECKING:
    from accord.jobs import Briefing
    from accord.scenario.schema import Scenario

ROLE_ORDER = {"party": 0, "mediator": 1, "stakeholder": 2}
SOLUTION_TITLES = {
    "nash": "Nash",
    "nash_weighted": "Nash, weighted by power",
    "kalai_smorodinsky": "Kalai–Smorodinsky",
    "egalitarian": "Egalitarian",
    "utilitarian": "Utilitarian",
}
CONCEPT_TITLES = {
    "nash": "Nash stability",
    "gmr": "General metarationality (GMR)",
    "smr": "Symmetric metarationality (SMR)",
    "seq": "Sequential stability (SEQ)",
}


@dataclass
class ReportInput:
    """Everything a report is made from.

    Attributes
    ----------
    briefing : Briefing
        Results of the main job (:func:`accord.jobs.brief`).
    conflict : dict or None
        Conflict-model results (hook for ``accord.conflict``; shape in this module's docstring).
    forecast : dict or None
        Forecast results (hook for ``accord.forecast``; shape in this module's docstring).
    params : dict or None
        How the results were made (runs, seed, ...), shown in the report's footer.
    """

    briefing: Briefing
    conflict: dict[str, Any] | None = None
    forecast: dict[str, Any] | None = None
    params: dict[str, Any] | None = None


def _n(x: float) -> str:
    return f"{x:,.2f}"


def _refs(s: Scenario, *ids: str | None) -> list[str]:
    """Source ids that exist in the scenario (order kept, no repeats); 'estimate' and unknown text dropped."""
    known = {src.id for src in s.sources}
    out: list[str] = []
    for i in ids:
        if i and i in known and i not in out:
            out.append(i)
    return out


def _first_sentences(text: str, n: int) -> str:
    import re

    parts = re.split(r"(?<=[.!?])\s+(?=[A-Z])", text.strip())
    return " ".join(parts[:n])


def _span(s: Scenario, r: Any) -> str:
    issue = s.issue(r.issue)
    if r.kind == "numeric":
        return f"{display_value(issue, r.min)} to {display_value(issue, r.max)}"
    return ", ".join(display_value(issue, lv) for lv in r.levels)


def _summary(b: Briefing) -> dict[str, Any]:
    s = b.scenario
    a = b.analysis
    z = a.zopa
    names = b.names
    parties = [p.name for p in s.actors if p.role == "party"]
    out: dict[str, Any] = {
        "deal": z.exists,
        "zopa_size": z.size,
        "n_outcomes": z.n_outcomes,
        "parties": parties,
    }
    if z.exists:
        out["headline"] = f"Yes — {z.size:,} of {z.n_outcomes:,} possible packages"
        out["explain"] = (
            f"respect every party's red lines and leave each of {', '.join(parties)} better off than no deal."
        )
        out["bounds"] = [
            {
                "issue": s.issue(r.issue).label or r.issue,
                "span": _span(s, r),
                "sources": _refs(s, *s.issue(r.issue).sources),
            }
            for r in z.bounds
        ]
    else:
        out["headline"] = f"No — none of the {z.n_outcomes:,} possible packages works for every party."
        out["collisions"] = []
        for c in a.collisions:
            srcs: list[str | None] = []
            for p in c.parties:
                pos = next((x.positions.get(c.issue) for x in s.actors if x.id == p), None)
                if pos is not None and pos.red_line is not None:
                    srcs.append(pos.red_line.source)
                    srcs.append(pos.source)
            out["collisions"].append({"text": c.sentence(names), "sources": _refs(s, *srcs)})
        out["conflict_sets"] = []
        for cs in a.why.conflict_sets:
            if all(r.kind == "red_line" for r in cs) and a.collisions:
                continue
            parts = [
                f"{names.get(r.actor, r.actor)}: {r.text}"
                + (f" on {s.issue(r.issue).label or r.issue}" if r.issue else "")
                for r in cs
            ]
            out["conflict_sets"].append("These cannot all hold at once: " + "; ".join(parts))
        out["relaxations"] = [" AND ".join(rel.needed) for rel in a.why.relaxations[:4]]
    zh = a.zopa_horizon
    if zh.exists != z.exists or zh.size != z.size:
        out["horizon"] = (
            f"In {s.clock.horizon} {s.clock.unit}s, as no-deal values erode: {zh.size:,} packages would work for every party."
        )
    cheapest = a.leverage.cheapest
    if cheapest is not None and not z.exists:
        from accord.analysis.leverage import describe_use

        out["cheapest_lever"] = describe_use(b.space, cheapest)
    elif not z.exists and a.leverage.singles:
        out["no_lever"] = (
            "No lever in the scenario, alone or paired, opens a deal while these requirements stand."
        )
    sol = b.analysis.solutions
    nash = sol.terms.get("nash")
    if nash:
        over = "among packages every party prefers to no deal" if sol.over == "zopa" else sol.over
        out["landing"] = {
            "over": over,
            "terms": [
                {"issue": i.label or i.id, "value": display_value(i, nash[i.id])}
                for i in s.issues
                if i.id in nash
            ],
        }
    return out


def _solutions(b: Briefing) -> dict[str, Any] | None:
    sol = b.analysis.solutions
    shown = [k for k in SOLUTION_TITLES if k in sol.points and sol.terms.get(k)]
    if not shown:
        return None
    s = b.scenario
    rows = []
    for issue in s.issues:
        cells = []
        for k in shown:
            terms = sol.terms[k] or {}
            cells.append(display_value(issue, terms[issue.id]) if issue.id in terms else "-")
        rows.append({"label": issue.label or issue.id, "cells": cells, "dim": False})
    for p in s.parties:
        cells = []
        for k in shown:
            u = sol.utilities[k]
            cells.append(f"{u[p.id]:.2f}" if u else "-")
        rows.append({"label": f"utility to {p.name}", "cells": cells, "dim": True})
    over = "among packages every party prefers to no deal" if sol.over == "zopa" else sol.over
    return {
        "over": over,
        "columns": [SOLUTION_TITLES[k] for k in shown],
        "rows": rows,
        "n_pareto": sol.n_pareto,
    }


def _lever_rows(b: Briefing) -> list[dict[str, Any]]:
    from accord.analysis.leverage import describe_use

    s = b.scenario
    lev = b.analysis.leverage
    src = {(a.id, lv.id): lv.source for a in s.actors for lv in a.levers}
    rows = []
    for u in lev.singles:
        ref = u.levers[0]
        finite = math.isfinite(u.cost)
        desc = (
            describe_use(b.space, u)
            if finite
            else f"{b.names.get(ref.owner, ref.owner)}: {ref.kind} on {b.names.get(ref.target, ref.target)}"
            + (f" ({ref.issue})" if ref.issue else "")
        )
        if u.opens:
            verdict = "yes"
        elif finite:
            verdict = "not enough: needs more than its maximum"
        else:
            verdict = "no: other requirements still collide"
        rows.append(
            {
                "owner": ref.owner,
                "target": ref.target,
                "text": desc,
                "verdict": verdict,
                "opens": u.opens,
                "sources": _refs(s, src.get((ref.owner, ref.id))),
            }
        )
    return rows


def _leverage(b: Briefing) -> dict[str, Any] | None:
    from accord.analysis.leverage import describe_use

    lev = b.analysis.leverage
    if not lev.singles:
        return None
    return {
        "rows": _lever_rows(b),
        "pairs": [describe_use(b.space, u) for u in lev.pairs[:3]],
    }


def _no_deal(b: Briefing, actor_id: str) -> dict[str, Any] | None:
    s = b.scenario
    a = next(x for x in s.actors if x.id == actor_id)
    nd = a.no_deal
    if nd is None:
        return None
    decay = nd.decay.value if nd.decay is not None else 0.0
    floor = nd.floor.value if nd.floor is not None else 0.0
    now, later = b.no_deal_now[actor_id], b.no_deal_horizon[actor_id]
    out: dict[str, Any] = {
        "now": _n(now),
        "horizon": _n(later),
        "unit": s.clock.unit,
        "horizon_units": s.clock.horizon,
        "note": nd.note,
        "sources": _refs(s, nd.source, nd.value.source, nd.decay.source if nd.decay else None),
    }
    if decay > 0:
        out["decay"] = f"{decay:.3g}"
        reach = (nd.value.value - floor) / decay
        if reach <= s.clock.horizon:
            out["floor"] = f"it reaches its floor of {_n(floor)} after {reach:.3g} {s.clock.unit}s"
    return out


def _actors(b: Briefing) -> list[dict[str, Any]]:
    s = b.scenario
    names = b.names
    lever_rows = _lever_rows(b) if b.analysis.leverage.singles else []
    out = []
    for a in sorted(s.actors, key=lambda x: ROLE_ORDER[x.role]):
        if a.role == "stakeholder":
            continue
        stands = []
        for issue in s.issues:
            pos = a.positions.get(issue.id)
            if pos is None:
                continue
            st = next((x for x in b.stances.get(issue.id, []) if x.actor == a.id), None)
            stands.append(
                {
                    "issue": issue.label or issue.id,
                    "wants": st.wants if st else "-",
                    "red_line": st.red_line if st else None,
                    "weight": f"{st.weight:.0%}" if st else "-",
                    "sources": _refs(
                        s,
                        pos.source,
                        getattr(pos.ideal, "source", None),
                        pos.red_line.source if pos.red_line else None,
                    ),
                }
            )
        concede = []
        for rel in b.analysis.why.relaxations:
            for r, text in zip(rel.requirements, rel.needed, strict=False):
                if r.actor == a.id and text not in concede:
                    concede.append(text)
        out.append(
            {
                "id": a.id,
                "name": a.name,
                "role": a.role,
                "power": _n(a.capability.value),
                "description": (a.description or "").strip() or None,
                "stakes": (a.stakes or "").strip() or None,
                "constraints": [c.strip() for c in a.constraints],
                "sources": _refs(s, *a.sources),
                "stances": stands,
                "no_deal": _no_deal(b, a.id),
                "concede": concede,
                "holds": [r for r in lever_rows if r["owner"] == a.id],
                "acted_on": [
                    {**r, "text": r["text"]} for r in lever_rows if r["target"] == a.id and r["owner"] != a.id
                ],
                "no_deal_words": names.get(a.id, a.id),
            }
        )
    return out


def _stakeholders(b: Briefing) -> list[dict[str, Any]]:
    s = b.scenario
    return [
        {
            "name": a.name,
            "power": _n(a.capability.value),
            "stakes": (a.stakes or a.description or "").strip() or None,
            "sources": _refs(s, *a.sources),
        }
        for a in s.actors
        if a.role == "stakeholder"
    ]


def _issues(b: Briefing) -> dict[str, Any]:
    s = b.scenario
    parties = [a for a in s.actors if a.role == "party"]
    rows = []
    for issue in s.issues:
        stances = {st.actor: st for st in b.stances.get(issue.id, [])}
        cells: list[dict[str, Any] | None] = []
        for p in parties:
            st = stances.get(p.id)
            if st is None:
                cells.append(None)
                continue
            cells.append({"wants": st.wants, "red_line": st.red_line, "weight": f"{st.weight:.0%}"})
        rng = f"{issue.min:g}–{issue.max:g} {issue.unit}".strip() if isinstance(issue, NumericIssue) else None
        rows.append(
            {
                "label": issue.label or issue.id,
                "range": rng,
                "description": (issue.description or "").strip() or None,
                "cells": cells,
                "sources": _refs(s, *issue.sources),
            }
        )
    return {"parties": [p.name for p in parties], "rows": rows}


def _trades(b: Briefing) -> list[str]:
    out = []
    labels = {i.id: i.label or i.id for i in b.scenario.issues}
    for tr in b.analysis.trades:
        if tr.trade is None:
            continue
        a, c = (b.names.get(x, x) for x in tr.parties)
        if not tr.joint_gain or tr.gains is None:
            out.append(f"{a} – {c}: no trade leaves both better off than splitting the difference")
            continue
        gets_a = ", ".join(labels[i] for i in tr.first_gets) or "-"
        gets_c = ", ".join(labels[i] for i in tr.second_gets) or "-"
        text = f"{a} gets its way on {gets_a}; {c} on {gets_c}: both gain (+{tr.gains[0]:.3f}, +{tr.gains[1]:.3f})"
        if tr.ignores_red_lines:
            text += " [ignoring the colliding red lines]"
        out.append(text)
    return out


def _uncertainty(b: Briefing) -> dict[str, Any] | None:
    mc = b.analysis.monte_carlo
    if mc is None or not mc.params:
        return None
    s = b.scenario
    out: dict[str, Any] = {
        "headline": (
            f"Over {mc.n:,} draws of the {len(mc.params)} uncertain numbers (each within its stated range): "
            f"a deal exists in {mc.p_deal:.0%} of draws now, {mc.p_deal_horizon:.0%} after {s.clock.horizon} {s.clock.unit}s."
        ),
        "ranking": [
            f"{r['label']} (range {r['lo']:g}–{r['hi']:g}; explains {r['first_order']:.0%} of the variation)"
            for r in mc.ranking(5)
        ],
        "nash_terms": terms_lines(s, mc.nash_terms, spread=True),
    }
    return out


def _simulation(b: Briefing) -> dict[str, Any] | None:
    mc = b.simulation
    if mc is None:
        return None
    s = b.scenario
    cfg = mc.settings
    names = b.names
    if mc.derived_strategies:
        how = "each side's concession speed set by its no-deal clock"
    else:
        party_names = [s.actors[int(p)].name for p in b.space.actors.parties]
        how = ", ".join(f"{n}: {st}" for n, st in zip(party_names, cfg.strategies, strict=True))
    lines = []
    if mc.rounds_to_deal:
        r = mc.rounds_to_deal
        lines.append(f"when there is a deal, after {r['median']:g} rounds (median; 90% within {r['p90']:g})")
    causes = ", ".join(f"{k} {v / mc.runs:.0%}" for k, v in sorted(mc.causes.items(), key=lambda kv: -kv[1]))
    lines.append(f"how talks ended: {causes}")
    if mc.first_walkout:
        who = ", ".join(
            f"{names.get(k, k)} {v}" for k, v in sorted(mc.first_walkout.items(), key=lambda kv: -kv[1])
        )
        lines.append(f"first to walk out (runs): {who}")
    if mc.terms:
        lines.append("typical deal terms: " + terms_summary(s, mc.terms))
    return {
        "intro": (
            f"{mc.runs:,} simulated negotiations ({cfg.protocol}, up to {cfg.deadline} rounds = "
            f"{cfg.deadline * cfg.clock_per_round:g} {s.clock.unit}s; {how}; uncertain numbers drawn within their ranges):"
        ),
        "rate": f"a deal in {mc.agreement_rate:.1%} of runs",
        "lines": lines,
    }


def conflict_hook(b: Briefing) -> dict[str, Any] | None:
    """The briefing's graph-model results in the ``conflict`` hook's shape.

    Lists the states worth showing (the status quo, the scenario's named states and the Nash
    equilibria) with their stability under each concept, the total count of equilibria per concept,
    and the moves that lead from the status quo to each named state.
    """
    c = b.conflict
    if c is None:
        return None
    from accord import conflict as gm

    model = gm.load_model(b.scenario.conflict.model if b.scenario.conflict else c.model)
    labels: dict[str, str] = {}
    if c.status_quo:
        labels[c.status_quo] = "status quo"
    for st in c.named:
        labels[st["state"]] = st["name"]
    for p in c.equilibria.get("nash", []):
        labels.setdefault(p, "Nash equilibrium")
    states = [
        {"id": p, "pattern": p, "label": f"{lab}: {c.words.get(p) or _words(model, p)}"}
        for p, lab in labels.items()
    ]
    from accord.conflict.words import option_label

    options = [
        {"id": o, "actor": dm.name, "label": option_label(model, i) or o}
        for dm in model.dms
        for i, o in zip(dm.indices, dm.options, strict=True)
    ]
    transitions = []
    for st in c.named:
        for step in st.get("path_with_coalitions") or []:
            for end in (step["from"], step["to"]):
                if end not in labels:
                    labels[end] = "on the way"
                    states.append({"id": end, "pattern": end, "label": f"on the way: {_words(model, end)}"})
            transitions.append({"from": step["from"], "to": step["to"], "actor": step["dm"]})
    return {
        "options": options,
        "states": states,
        "equilibria": {k: [p for p in v if p in labels] for k, v in c.equilibria.items()},
        "equilibrium_counts": {k: len(v) for k, v in c.equilibria.items()},
        "n_states": c.n_states,
        "transitions": transitions,
        "status_quo": c.status_quo,
        "named": [
            {
                "name": st["name"],
                "pattern": st["state"],
                "in_words": st["in_words"],
                "stable_under": [CONCEPT_TITLES.get(k, k) for k, v in st["equilibrium"].items() if v],
                "why": list(st.get("why") or []) + ([st["firmness"]] if st.get("firmness") else []),
                "reachable_alone": st.get("reachable_unilaterally"),
                "path": list(st.get("path_in_words") or []),
            }
            for st in c.named
        ],
    }


def _words(model: Any, pattern: str) -> str:
    from accord.conflict_brief import state_in_words

    return state_in_words(model, pattern)


def forecast_hook(b: Briefing) -> dict[str, Any] | None:
    """The briefing's forecasts in the ``forecast`` hook's shape, positions in the issues' units."""
    if not b.forecasts:
        return None
    issues = {i.id: i for i in b.scenario.issues}
    models: dict[str, Any] = {}
    for name, f in b.forecasts.items():
        turns = []
        for k, h in enumerate(f.get("history") or []):
            positions = {}
            for actor, dims in (h.get("positions") or {}).items():
                positions[actor] = {
                    d: issues[d].min + (issues[d].max - issues[d].min) * v / 100.0  # type: ignore[union-attr]
                    for d, v in dims.items()
                    if isinstance(issues.get(d), NumericIssue)
                }
            turns.append({"turn": h.get("turn", k), "positions": positions})
        shown = {
            d: (round(v / issues[d].step) * issues[d].step if isinstance(issues.get(d), NumericIssue) else v)  # type: ignore[union-attr]
            for d, v in f["forecast"].items()
        }
        models[name] = {"label": MODEL_LABELS.get(name, name), "forecast": shown, "turns": turns}
    return {"models": models}


MODEL_LABELS = {
    "compromise": "Compromise (capability x salience weighted mean; the baseline)",
    "median": "Weighted median",
    "smp": "Spatial Model of Politics (KTAB)",
    "eu": "Expected utility (Scholz, Calbert & Smith 2011)",
    "nash": "Spatial Nash bargaining",
}


def _conflict(b: Briefing, conflict: dict[str, Any] | None) -> dict[str, Any] | None:
    if not conflict:
        return None
    names = b.names
    options = conflict.get("options") or []
    states = {st["id"]: st for st in conflict.get("states") or []}
    concepts = []
    for concept, ids in (conflict.get("equilibria") or {}).items():
        concepts.append(
            {
                "concept": CONCEPT_TITLES.get(concept, concept),
                "count": (conflict.get("equilibrium_counts") or {}).get(concept, len(ids)),
                "states": [
                    {
                        "id": sid,
                        "pattern": states.get(sid, {}).get("pattern", ""),
                        "label": states.get(sid, {}).get("label", ""),
                    }
                    for sid in ids
                ],
            }
        )
    sq = conflict.get("status_quo")
    return {
        "options": [
            {
                "id": o.get("id", ""),
                "actor": names.get(o.get("actor", ""), o.get("actor", "")),
                "label": o.get("label", ""),
            }
            for o in options
        ],
        "n_states": conflict.get("n_states", len(states)),
        "concepts": concepts,
        "named": list(conflict.get("named") or []),
        "status_quo": states.get(sq, {}).get("label") or sq if sq else None,
    }


def _forecast(b: Briefing, forecast: dict[str, Any] | None) -> dict[str, Any] | None:
    if not forecast or not forecast.get("models"):
        return None
    s = b.scenario
    issues = {i.id: i for i in s.issues}
    models = []
    for model_id, m in forecast["models"].items():
        rows = []
        for iid, v in (m.get("forecast") or {}).items():
            issue = issues.get(iid)
            rows.append(
                {
                    "issue": (issue.label or iid) if issue else iid,
                    "value": display_value(issue, v) if issue else str(v),
                }
            )
        models.append(
            {
                "id": model_id,
                "label": m.get("label", model_id),
                "rows": rows,
                "turns": len(m.get("turns") or []),
            }
        )
    return {"models": models}


def _timeline(b: Briefing) -> list[dict[str, Any]]:
    s = b.scenario
    names = b.names
    return [
        {
            "date": ev.date.isoformat(),
            "kind": ev.kind,
            "who": ", ".join(names.get(a, a) for a in ev.actors),
            "description": " ".join(ev.description.split()),
            "sources": _refs(s, *ev.sources),
        }
        for ev in sorted(s.events, key=lambda e: e.date)
    ]


def _sources(s: Scenario) -> list[dict[str, Any]]:
    return [
        {
            "id": src.id,
            "publisher": src.publisher,
            "title": src.title,
            "date": str(src.date) if src.date else None,
            "url": src.url,
            "citation": src.citation,
        }
        for src in s.sources
    ]


def report_context(
    b: Briefing | ReportInput,
    *,
    conflict: dict[str, Any] | None = None,
    forecast: dict[str, Any] | None = None,
    params: dict[str, Any] | None = None,
    charts: bool = True,
) -> dict[str, Any]:
    """Everything a report shows, as a plain dict (see the module docstring for the hooks).

    Parameters
    ----------
    b : Briefing or ReportInput
    conflict, forecast : dict or None
        Optional results of the conflict model and forecasts (plain dicts; shapes above).
    params : dict or None
        How the results were made, shown in the footer.
    charts : bool
        Include plotly figure dicts under ``"charts"`` (the HTML report and the workbench draw them).
    """
    if isinstance(b, ReportInput):
        conflict = b.conflict if conflict is None else conflict
        forecast = b.forecast if forecast is None else forecast
        params = b.params if params is None else params
        b = b.briefing
    if conflict is None and getattr(b, "conflict", None) is not None:
        conflict = conflict_hook(b)
    if forecast is None and getattr(b, "forecasts", None):
        forecast = forecast_hook(b)
    from accord import __version__

    s = b.scenario
    ctx: dict[str, Any] = {
        "title": s.title,
        "scenario_id": s.id,
        "as_of": s.as_of.isoformat(),
        "n_outcomes": f"{b.n_outcomes:,}",
        "n_issues": len(s.issues),
        "lede": _first_sentences(s.description, 2) if s.description else None,
        "description": " ".join(s.description.split()) if s.description else None,
        "version": __version__,
        "params": dict(params or {}),
        "summary": _summary(b),
        "actors": _actors(b),
        "stakeholders": _stakeholders(b),
        "issues": _issues(b),
        "solutions": _solutions(b),
        "leverage": _leverage(b),
        "trades": _trades(b),
        "uncertainty": _uncertainty(b),
        "simulation": _simulation(b),
        "conflict": _conflict(b, conflict),
        "forecast": _forecast(b, forecast),
        "timeline": _timeline(b),
        "sources": _sources(s),
        "source_ids": [src.id for src in s.sources],
        "charts": {},
    }
    if charts:
        from accord.report import charts as ch

        figs: dict[str, Any] = {
            "positions": ch.positions(b),
            "pareto": ch.pareto(b),
            "leverage": ch.leverage(b),
            "tornado": ch.tornado(b),
            "mc_terms": ch.monte_carlo_terms(b),
            "no_deal": ch.no_deal_decay(b),
            "simulation": ch.simulation_terms(b),
        }
        if conflict:
            figs["state_graph"] = ch.state_graph(conflict)
        if forecast and forecast.get("models"):
            for issue in s.issues:
                if isinstance(issue, NumericIssue):
                    fig = ch.forecast_paths(forecast, issue.id, issue.label or issue.id)
                    if fig is not None:
                        figs[f"forecast_{issue.id}"] = fig
        ctx["charts"] = {k: v for k, v in figs.items() if v is not None}
    return ctx


def cited_ids(ctx: dict[str, Any]) -> set[str]:
    """Every source id the report cites (for checking that each resolves to an entry)."""
    out: set[str] = set()

    def walk(x: Any) -> None:
        if isinstance(x, dict):
            for k, v in x.items():
                if k == "sources" and isinstance(v, list) and all(isinstance(i, str) for i in v):
                    out.update(v)
                elif k != "charts":
                    walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)

    walk({k: v for k, v in ctx.items() if k != "sources"})
    return out


__all__ = ["ReportInput", "cited_ids", "report_context"]
