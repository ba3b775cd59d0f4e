"""The briefing in a terminal, with rich: plain words first, numbers from the results."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from rich.console import Console, Group
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from accord.analysis.report import Analysis
from accord.jobs import Briefing, display_value, terms_lines, terms_summary
from accord.scenario.schema import NumericIssue, Scenario

if TYPE_CHECKING:
    from rich.console import RenderableType

    from accord.conflict_brief import ConflictSummary
    from accord.protocols import NegotiationResult
    from accord.simulation import SimulationMonteCarlo, SimulationSettings
    from accord.space import OutcomeSpace

ROLE_ORDER = {"party": 0, "mediator": 1, "stakeholder": 2}


def _n(x: float) -> str:
    return f"{x:,.2f}"


def actors_table(b: Briefing) -> Table:
    s = b.scenario
    t = Table(title="Who is involved", title_justify="left", expand=True, show_lines=True)
    t.add_column("Actor and stakes", ratio=4)
    t.add_column("Role", no_wrap=True)
    t.add_column("Power", justify="right", no_wrap=True)
    t.add_column(f"No-deal value\nnow → {s.clock.horizon} {s.clock.unit}s", justify="right", no_wrap=True)
    for a in sorted(s.actors, key=lambda a: ROLE_ORDER[a.role]):
        nd = "-"
        if a.no_deal is not None:
            nd = f"{_n(b.no_deal_now[a.id])} → {_n(b.no_deal_horizon[a.id])}"
        cell = Text(a.name, style="bold")
        stakes = a.stakes or a.description
        if stakes:
            cell.append("\n" + stakes.strip(), style="")
        for c in a.constraints:
            cell.append("\n· " + c.strip(), style="dim")
        t.add_row(cell, a.role, _n(a.capability.value), nd)
    return t


def issues_table(b: Briefing) -> Table:
    s = b.scenario
    parties = [a for a in s.actors if a.role == "party"]
    t = Table(
        title="The issues side by side (what each party wants · its red line · weight)",
        title_justify="left",
        expand=True,
        show_lines=True,
    )
    t.add_column("Issue", style="bold", ratio=2)
    for p in parties:
        t.add_column(p.name, ratio=3)
    for issue in s.issues:
        cells = []
        stances = {st.actor: st for st in b.stances.get(issue.id, [])}
        for p in parties:
            st = stances.get(p.id)
            if st is None:
                cells.append(Text("no stated position", style="dim"))
                continue
            cell = Text()
            cell.append("wants ")
            cell.append(st.wants, style="bold")
            if st.red_line:
                cell.append("\nred line: ")
                cell.append(st.red_line, style="red")
            cell.append(f"\nweight {st.weight:.0%}", style="dim")
            cells.append(cell)
        label = issue.label or issue.id
        if isinstance(issue, NumericIssue):
            label += f"\n[dim]{issue.min:g}–{issue.max:g} {issue.unit}[/dim]"
        t.add_row(label, *cells)
    return t


def verdict(b: Briefing) -> Panel:
    s = b.scenario
    a = b.analysis
    z = a.zopa
    names = b.names
    parties = [p.name for p in s.actors if p.role == "party"]
    lines: list[RenderableType] = []
    if z.exists:
        lines.append(Text(f"YES — {z.size:,} of {z.n_outcomes:,} possible packages", style="bold green"))
        lines.append(
            Text(
                f"respect every party's red lines and leave each of {', '.join(parties)} better off than no deal."
            )
        )
        for r in z.bounds:
            issue = s.issue(r.issue)
            if r.kind == "numeric":
                span = f"{display_value(issue, r.min)} to {display_value(issue, r.max)}"
            else:
                span = ", ".join(display_value(issue, lv) for lv in r.levels)
            lines.append(_item("•", f"{issue.label or issue.id}: {span}", 2))
    else:
        lines.append(
            Text(
                f"NO — none of the {z.n_outcomes:,} possible packages works for every party.",
                style="bold red",
            )
        )
        if a.collisions:
            lines.append(Text("Their red lines collide:"))
            for c in a.collisions:
                lines.append(_item("•", c.sentence(names), 2))
        for cs in a.why.conflict_sets:
            if all(r.kind == "red_line" for r in cs) and a.collisions:
                continue
            parts = [
                f"{names.get(r.actor, r.actor)}: {r.text}"
                + (f" on {s.issue(r.issue).label or r.issue}" if r.issue else "")
                for r in cs
            ]
            lines.append(_item("•", "These cannot all hold at once: " + "; ".join(parts), 2))
        if a.why.relaxations:
            lines.append(Text("What would open a deal (the least each change needs, everything else kept):"))
            for rel in a.why.relaxations[:4]:
                lines.append(_item("•", " AND ".join(rel.needed), 2))
    zh = a.zopa_horizon
    if zh.exists != z.exists or zh.size != z.size:
        lines.append(
            Text(
                f"In {s.clock.horizon} {s.clock.unit}s, as no-deal values erode: {zh.size:,} packages would work for every party.",
                style="italic",
            )
        )
    cheapest = a.leverage.cheapest
    if cheapest is not None and not z.exists:
        from accord.analysis.leverage import describe_use

        lines.append(
            Text("Cheapest lever that opens a deal: " + describe_use(b.space, cheapest), style="bold")
        )
    elif not z.exists and a.leverage.singles:
        lines.append(
            Text(
                "No lever in the scenario, alone or paired, opens a deal while these requirements stand.",
                style="dim",
            )
        )
    style = "green" if z.exists else "red"
    return Panel(Group(*lines), title="Is there a deal every party prefers to no deal?", border_style=style)


def solutions_table(b: Briefing) -> Table | None:
    sol = b.analysis.solutions
    shown = [
        k
        for k in ("nash", "nash_weighted", "kalai_smorodinsky", "egalitarian", "utilitarian")
        if k in sol.points and sol.terms.get(k)
    ]
    if not shown:
        return None
    titles = {
        "nash": "Nash",
        "nash_weighted": "Nash, weighted by power",
        "kalai_smorodinsky": "Kalai–Smorodinsky",
        "egalitarian": "Egalitarian",
        "utilitarian": "Utilitarian",
    }
    over = "among packages every party prefers to no deal" if sol.over == "zopa" else sol.over
    t = Table(title=f"Where the model lands — {over}", title_justify="left", expand=True, show_lines=False)
    t.add_column("", style="bold")
    for k in shown:
        t.add_column(titles[k])
    for issue in b.scenario.issues:
        row: list[Text | str] = [issue.label or issue.id]
        for k in shown:
            terms = sol.terms[k]
            row.append(display_value(issue, terms[issue.id]) if terms else "-")
        t.add_row(*row)
    for p in b.scenario.parties:
        row = [Text(f"utility to {p.name}", style="dim")]
        for k in shown:
            u = sol.utilities[k]
            row.append(Text(f"{u[p.id]:.2f}" if u else "-", style="dim"))
        t.add_row(*row)
    return t


def leverage_table(b: Briefing) -> Table | None:
    from accord.analysis.leverage import describe_use

    lev = b.analysis.leverage
    if not lev.singles:
        return None
    t = Table(
        title="Leverage — the least use of each lever that would open a deal",
        title_justify="left",
        expand=True,
    )
    t.add_column("Lever", ratio=3)
    t.add_column("Opens a deal?", ratio=2)
    for u in lev.singles:
        ref = u.levers[0]
        desc = (
            describe_use(b.space, u)
            if np.isfinite(u.cost)
            else f"{b.names.get(ref.owner, ref.owner)}: {ref.kind} on {b.names.get(ref.target, ref.target)}"
            + (f" ({ref.issue})" if ref.issue else "")
        )
        if u.opens:
            verdict_txt = Text("yes", style="green")
        elif np.isfinite(u.cost):
            verdict_txt = Text("not enough: needs more than its maximum", style="yellow")
        else:
            verdict_txt = Text("no: other requirements still collide", style="dim")
        t.add_row(desc, verdict_txt)
    for u in lev.pairs[:3]:
        t.add_row(describe_use(b.space, u), Text("yes, together", style="green"))
    return t


def trades_table(b: Briefing) -> Table | None:
    trades = [tr for tr in b.analysis.trades if tr.trade is not None]
    if not trades:
        return None
    t = Table(
        title="Trades across issues (logrolling) — from a split-the-difference package",
        title_justify="left",
        expand=True,
    )
    t.add_column("Parties")
    t.add_column("Trade", ratio=3)
    for tr in trades:
        a, c = (b.names.get(x, x) for x in tr.parties)
        if not tr.joint_gain or tr.gains is None:
            text = "no trade leaves both better off than splitting the difference"
        else:
            labels = {i.id: i.label or i.id for i in b.scenario.issues}
            gets_a = ", ".join(labels[i] for i in tr.first_gets) or "-"
            gets_c = ", ".join(labels[i] for i in tr.second_gets) or "-"
            text = f"{a} gets its way on {gets_a}; {c} on {gets_c}: both gain (+{tr.gains[0]:.3f}, +{tr.gains[1]:.3f})"
            if tr.ignores_red_lines:
                text += " [ignoring the colliding red lines]"
        t.add_row(f"{a} – {c}", text)
    return t


def uncertainty_panel(b: Briefing) -> Panel | None:
    mc = b.analysis.monte_carlo
    if mc is None or not mc.params:
        return None
    s = b.scenario
    lines: list[RenderableType] = [
        Text(
            f"Over {mc.n:,} draws of the {len(mc.params)} uncertain numbers (each within its stated range): "
            f"a deal exists in {mc.p_deal:.0%} of draws now, {mc.p_deal_horizon:.0%} after {s.clock.horizon} {s.clock.unit}s."
        )
    ]
    top = mc.ranking(5)
    if top:
        lines.append(Text("What matters most for whether a deal exists:"))
        for r in top:
            lines.append(
                _item(
                    "•",
                    f"{r['label']} (range {r['lo']:g}–{r['hi']:g}; explains {r['first_order']:.0%} of the variation)",
                    2,
                )
            )
    if mc.nash_terms:
        parts = terms_lines(s, mc.nash_terms, spread=True)
        lines.append(Text("When a deal exists, the Nash bargaining terms are:"))
        for p in parts:
            lines.append(_item("•", p, 2))
    return Panel(Group(*lines), title="How sure is this? (Monte Carlo)", border_style="blue")


def timeline(s: Scenario) -> Table | None:
    if not s.events:
        return None
    names = {a.id: a.name for a in s.actors}
    t = Table(title="What happened", title_justify="left", expand=True, show_header=False, box=None)
    t.add_column("date", style="cyan", no_wrap=True)
    t.add_column("kind", style="magenta", no_wrap=True)
    t.add_column("event", ratio=1)
    for ev in sorted(s.events, key=lambda e: e.date):
        who = ", ".join(names.get(a, a) for a in ev.actors)
        refs = f" [{', '.join(ev.sources)}]" if ev.sources else ""
        t.add_row(ev.date.isoformat(), ev.kind, (f"{who}: " if who else "") + ev.description + refs)
    return t


def sources_table(s: Scenario) -> Table | None:
    if not s.sources:
        return None
    t = Table(title="Sources", title_justify="left", expand=True, show_header=False, box=None)
    t.add_column("id", style="cyan", no_wrap=True)
    t.add_column("source", ratio=1)
    for src in s.sources:
        date = f" ({src.date})" if src.date else ""
        t.add_row(src.id, f"{src.publisher}: {src.title}{date}")
    return t


def _first_sentences(text: str, n: int, limit: int = 320) -> str:
    """The first ``n`` sentences of ``text``, and never much more than ``limit`` characters."""
    import re

    parts = re.split(r"(?<=[.!?])\s+(?=[A-Z])", text)
    out = " ".join(parts[:n])
    if len(out) > limit:
        cut = out.rfind("; ", 0, limit)
        cut = cut if cut > limit // 2 else out.rfind(" ", 0, limit)
        out = out[:cut].rstrip(" ;,") + " …"
    return out


def render_briefing(b: Briefing, console: Console, *, show_sources: bool = True) -> None:
    """Print the briefing."""
    s = b.scenario
    console.rule(f"[bold]{s.title}[/bold]")
    console.print(
        f"[dim]as of {s.as_of.isoformat()} · {b.n_outcomes:,} possible packages over {len(s.issues)} issues[/dim]"
    )
    if s.description:
        console.print(_first_sentences(s.description.strip(), 2) + " [dim](more: accord show)[/dim]")
    console.print()
    console.print(verdict(b))
    console.print(issues_table(b))
    for part in (solutions_table(b), leverage_table(b), trades_table(b), uncertainty_panel(b)):
        if part is not None:
            console.print(part)
    if b.simulation is not None:
        console.print(simulation_panel(b.space, b.simulation, b.bad_faith))
    if b.conflict is not None:
        console.print(conflict_panel(b.conflict))
    ft = forecast_table(b)
    if ft is not None:
        console.print(ft)
    console.print(actors_table(b))
    tl = timeline(s)
    if tl is not None:
        console.print(tl)
    if show_sources:
        st = sources_table(s)
        if st is not None:
            console.print(st)


def render_analysis(b: Briefing, analysis: Analysis, console: Console) -> None:
    """Print the bargaining analysis (``accord analyze``)."""
    b.analysis = analysis
    console.rule(f"[bold]{b.scenario.title}[/bold] — bargaining analysis")
    console.print(verdict(b))
    for part in (solutions_table(b), leverage_table(b), trades_table(b), uncertainty_panel(b)):
        if part is not None:
            console.print(part)
    t = analysis.timings
    console.print(f"[dim]computed in {sum(t.values()):.2f} s[/dim]")


def _strategies_text(space: OutcomeSpace, cfg: SimulationSettings) -> str:
    names = [space.scenario.actors[int(p)].name for p in space.actors.parties]
    return ", ".join(f"{n}: {s}" for n, s in zip(names, cfg.strategies, strict=True))


def render_run(
    space: OutcomeSpace, cfg: SimulationSettings, result: NegotiationResult, console: Console
) -> None:
    """Print one simulated negotiation: settings, the trace (shortened) and how it ended."""
    s = space.scenario
    console.rule(f"[bold]{s.title}[/bold] — simulated talks")
    console.print(
        f"[dim]{cfg.protocol}, deadline {cfg.deadline} rounds ({cfg.deadline * cfg.clock_per_round:g} {s.clock.unit}s); {_strategies_text(space, cfg)}[/dim]"
    )
    t = Table(title="Trace", title_justify="left", expand=True)
    t.add_column("round", justify="right")
    t.add_column("who")
    t.add_column("action")
    t.add_column("utilities", justify="right")
    t.add_column("note", ratio=2)
    events = list(result.events)
    shown = events if len(events) <= 30 else [*events[:15], None, *events[-14:]]
    for ev in shown:
        if ev is None:
            t.add_row("…", "", f"({len(events) - 29} more)", "", "")
            continue
        d = ev.to_dict()
        utils = d.get("utilities")
        t.add_row(
            str(d.get("round", "")),
            str(d.get("actor", "")),
            str(d.get("action", "")),
            " ".join(f"{u:.2f}" for u in utils) if utils else "",
            str(d.get("note") or ""),
        )
    console.print(t)
    o = result.outcome
    style = "green" if o.agreement else "red"
    lines: list[RenderableType] = [Text(o.detail, style=f"bold {style}")]
    if o.terms:
        for iid, v in o.terms.items():
            issue = s.issue(iid)
            lines.append(_item("•", f"{issue.label or iid}: {display_value(issue, v)}", 2))
    for dep in result.departures:
        back = f", came back in round {dep.returned}" if dep.returned is not None else ""
        lines.append(Text(f"{dep.actor} walked out in round {dep.round}: {dep.reason}{back}"))
    console.print(Panel(Group(*lines), title="How it ended", border_style=style))


def simulation_panel(
    space: OutcomeSpace, mc: SimulationMonteCarlo, bad_faith: dict[str, SimulationMonteCarlo] | None = None
) -> Panel:
    """Monte Carlo of simulated talks in a few lines."""
    s = space.scenario
    cfg = mc.settings
    names = {a.id: a.name for a in s.actors}
    how = (
        "each side's concession speed set by its no-deal clock"
        if mc.derived_strategies
        else _strategies_text(space, cfg)
    )
    lines: list[RenderableType] = [
        Text(
            f"{mc.runs:,} simulated negotiations ({cfg.protocol}, up to {cfg.deadline} rounds = "
            f"{cfg.deadline * cfg.clock_per_round:g} {s.clock.unit}s; {how}; uncertain numbers drawn within their ranges):"
        ),
        Text(f"a deal in {mc.agreement_rate:.1%} of runs", style="bold"),
    ]
    if mc.rounds_to_deal:
        r = mc.rounds_to_deal
        lines.append(
            _item(
                "•",
                f"when there is a deal, after {r['median']:g} rounds (median; 90% within {r['p90']:g})",
                2,
            )
        )
    causes = ", ".join(f"{k} {v / mc.runs:.0%}" for k, v in sorted(mc.causes.items(), key=lambda kv: -kv[1]))
    lines.append(_item("•", f"how talks ended: {causes}", 2))
    if mc.first_walkout:
        who = ", ".join(
            f"{names.get(k, k)} {v}" for k, v in sorted(mc.first_walkout.items(), key=lambda kv: -kv[1])
        )
        lines.append(_item("•", f"first to walk out (runs): {who}", 2))
    if mc.terms:
        lines.append(_item("•", "typical deal terms: " + terms_summary(s, mc.terms), 2))
    for accused, bf in (bad_faith or {}).items():
        walk = bf.causes.get("walkout", 0) / bf.runs
        first = ""
        if bf.first_walkout:
            who, n = max(bf.first_walkout.items(), key=lambda kv: kv[1])
            first = f"; {names.get(who, who)} is the first to leave in {n / sum(bf.first_walkout.values()):.0%} of walkouts"
        lines.append(
            Text(
                f"If {names.get(accused, accused)} negotiated in bad faith, as it was accused of (fake concessions, "
                f"re-opened points): a deal in {bf.agreement_rate:.1%} of runs, talks broken off by a walkout in {walk:.0%}{first}.",
                style="italic",
            )
        )
    return Panel(Group(*lines), title="What simulated talks produce", border_style="magenta")


def render_simulation_mc(space: OutcomeSpace, mc: SimulationMonteCarlo, console: Console) -> None:
    """Print a Monte Carlo of simulated talks."""
    console.rule(f"[bold]{space.scenario.title}[/bold] — simulated talks")
    console.print(simulation_panel(space, mc))
    console.print(
        f"[dim]{mc.runs:,} runs in {mc.seconds:.1f} s on {mc.workers} worker(s); seed {mc.seed}[/dim]"
    )


CONCEPT_NAMES = {"nash": "Nash", "gmr": "GMR", "smr": "SMR", "seq": "SEQ"}


def _item(marker: str, text: str, indent: int, style: str = "") -> Table:
    """A list item whose wrapped lines hang under its first word."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=indent + len(marker), justify="right")
    grid.add_column(ratio=1)
    grid.add_row(marker, Text(text, style=style))
    return grid


def conflict_panel(c: ConflictSummary) -> Panel:
    """Which states of the graph model hold, and how the conflict could move between them."""
    lines: list[RenderableType] = [
        Text(
            f"Graph model '{c.model}': {c.n_states:,} possible states of {len(c.options)} options. "
            + "Equilibria (stable for everyone): "
            + ", ".join(f"{CONCEPT_NAMES.get(k, k)} {len(v)}" for k, v in c.equilibria.items())
            + "."
        )
    ]
    nash = c.equilibria.get("nash", [])
    if nash:
        lines.append(Text("Nash equilibria (nobody gains by moving alone):"))
        for p in nash[:4]:
            lines.append(_item("•", c.words.get(p, p), 2))
    for st in c.named:
        held = [CONCEPT_NAMES.get(k, k) for k, v in st["equilibrium"].items() if v]
        status = "stable under " + ", ".join(held) if held else "not stable under any concept"
        lines.append(Text(f"{st['name']} — {status}", style="bold"))
        lines.append(Padding(Text(st["in_words"], style="dim"), (0, 0, 0, 4)))
        for why in st.get("why") or []:
            lines.append(_item("•", f"{why}.", 4))
        if st.get("firmness"):
            lines.append(_item("•", f"{st['firmness']}.", 4))
        steps = st.get("path_in_words")
        if st.get("reachable_unilaterally") is False:
            if steps:
                lines.append(
                    Padding(
                        Text("Not reachable by single players from the status quo; it is reached if:"),
                        (0, 0, 0, 4),
                    )
                )
                lines += [_item(f"{k}.", s, 5) for k, s in enumerate(steps, 1)]
            else:
                lines.append(Padding(Text("Not reachable from the status quo."), (0, 0, 0, 4)))
        elif st.get("reachable_unilaterally"):
            lines.append(
                Padding(Text("Reachable from the status quo by moves each player gains from:"), (0, 0, 0, 4))
            )
            lines += [_item(f"{k}.", s, 5) for k, s in enumerate(steps or [], 1)]
    return Panel(Group(*lines), title="Which states of the conflict hold? (graph model)", border_style="cyan")


MODEL_NAMES = {
    "compromise": "Compromise (baseline)",
    "median": "Weighted median",
    "smp": "Spatial Model of Politics",
    "eu": "Expected utility",
    "nash": "Nash (spatial)",
}


def forecast_table(b: Briefing) -> Table | None:
    """Forecasts per model beside each other, in the issues' own units."""
    if not b.forecasts:
        return None
    models = list(b.forecasts)
    t = Table(
        title="What the forecasting models predict (political-science spatial models)",
        title_justify="left",
        expand=True,
    )
    t.add_column("Issue", ratio=2)
    for m in models:
        turns = b.forecasts[m].get("turns") or 0
        t.add_column(MODEL_NAMES.get(m, m) + (f"\n({turns} turns)" if turns else ""), ratio=1)
    for issue in b.scenario.issues:
        if issue.id not in b.forecasts[models[0]]["forecast"]:
            continue
        row = [issue.label or issue.id]
        for m in models:
            v = b.forecasts[m]["forecast"][issue.id]
            if isinstance(v, float) and isinstance(issue, NumericIssue):
                step = issue.step
                v = round(v / step) * step
            row.append(display_value(issue, v))
        t.add_row(*row)
    return t
