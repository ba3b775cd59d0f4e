"""The briefing in a terminal, with rich: plain words first, numbers from the results."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from accord.jobs import Briefing, display_value
from accord.scenario.schema import NumericIssue, Scenario

if TYPE_CHECKING:
    from rich.console import RenderableType

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
    z = b.zopa_now
    names = b.names
    parties = [a.name for a in s.actors if a.role == "party"]
    lines: list[RenderableType] = []
    if z.exists:
        head = Text(f"YES — {z.size:,} of {z.n_outcomes:,} possible packages", style="bold green")
        lines.append(head)
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
            lines.append(Text(f"  • {issue.label or issue.id}: {span}"))
    else:
        lines.append(
            Text(
                f"NO — none of the {z.n_outcomes:,} possible packages works for every party.",
                style="bold red",
            )
        )
        if b.collisions:
            lines.append(Text("Their red lines collide:"))
            for c in b.collisions:
                lines.append(Text("  • " + c.sentence(names)))
        elif b.joint_conflict:
            lines.append(
                Text(
                    "Each issue has a level all parties accept, but the linkage between issues rules out every combination."
                )
            )
        else:
            lines.append(
                Text(
                    f"{z.n_within_red_lines:,} packages respect all red lines, but none leaves every party better off than walking away."
                )
            )
    zh = b.zopa_horizon
    if zh.exists != z.exists or zh.size != z.size:
        lines.append(
            Text(
                f"In {s.clock.horizon} {s.clock.unit}s, as no-deal values erode: {zh.size:,} packages would work for every party.",
                style="italic",
            )
        )
    style = "green" if z.exists else "red"
    return Panel(Group(*lines), title="Is there a deal every party prefers to no deal?", border_style=style)


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


def render_briefing(b: Briefing, console: Console, *, show_sources: bool = True) -> None:
    """Print the briefing."""
    s = b.scenario
    console.rule(f"[bold]{s.title}[/bold]")
    console.print(
        f"[dim]as of {s.as_of.isoformat()} · {b.n_outcomes:,} possible packages over {len(s.issues)} issues[/dim]"
    )
    if s.description:
        console.print(s.description.strip())
    console.print()
    console.print(verdict(b))
    console.print(issues_table(b))
    console.print(actors_table(b))
    tl = timeline(s)
    if tl is not None:
        console.print(tl)
    if show_sources:
        st = sources_table(s)
        if st is not None:
            console.print(st)
