"""The HTML and Markdown reports: sections follow the results, numbers come from them, sources resolve."""

from __future__ import annotations

import base64
import copy
import gzip
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from accord.cli import main
from accord.jobs import Briefing, brief
from accord.report import charts
from accord.report.data import ReportInput, cited_ids, report_context
from accord.report.html import plotly_js, render_html
from accord.report.markdown import render_markdown
from accord.scenario import from_dict, load

BASE = Path(__file__).parents[1] / "scenario" / "base.yaml"

CONFLICT = {
    "options": [
        {"id": "w", "actor": "israel", "label": "withdraw to 1.3 km"},
        {"id": "r", "actor": "hamas", "label": "release all hostages"},
    ],
    "states": [
        {"id": "s1", "pattern": "NN", "label": "status quo: war goes on"},
        {"id": "s2", "pattern": "YN", "label": "withdrawal only"},
        {"id": "s3", "pattern": "NY", "label": "release only"},
        {"id": "s4", "pattern": "YY", "label": "the swap"},
    ],
    "equilibria": {"nash": ["s1"], "gmr": ["s1", "s4"], "seq": []},
    "transitions": [
        {"from": "s1", "to": "s2", "actor": "israel"},
        {"from": "s1", "to": "s3", "actor": "hamas"},
    ],
    "status_quo": "s1",
}
FORECAST = {
    "models": {
        "expected_utility": {
            "label": "Expected utility (test)",
            "forecast": {"withdrawal_km": 1.7, "guarantee": "us_during_truce"},
            "turns": [
                {"turn": 0, "positions": {"israel": {"withdrawal_km": 3.0}, "hamas": {"withdrawal_km": 0.5}}},
                {"turn": 1, "positions": {"israel": {"withdrawal_km": 2.2}, "hamas": {"withdrawal_km": 1.1}}},
            ],
        }
    }
}


@pytest.fixture(scope="module")
def gaza() -> Briefing:
    return brief(load("gaza-2025-07"), runs=200, seed=0, sim_runs=20)


@pytest.fixture(scope="module")
def gaza_html(gaza: Briefing) -> str:
    return render_html(gaza)


def test_html_is_self_contained_with_every_chart(gaza: Briefing, gaza_html: str) -> None:
    # plotly.js inline, nothing fetched from a network
    packed = re.search(
        r'<script id="accord-plotly" type="application/gzip\+base64">([^<]+)</script>', gaza_html
    )
    assert packed is not None
    js = gzip.decompress(base64.b64decode(packed.group(1))).decode("utf-8")
    assert js == plotly_js() and "plotly.js v" in js[:200]
    assert 1_000_000 < len(gaza_html) < 0.5 * len(js)  # packed: well under half the plain library
    plain = render_html(gaza, packed=False)
    assert 'id="accord-plotly"' not in plain and plotly_js() in plain
    assert not re.search(r"<script[^>]+src=", gaza_html)
    assert not re.search(r"<link[^>]+href=\"http", gaza_html)
    figs = json.loads(
        re.search(r'id="accord-charts" type="application/json">(.*?)</script>', gaza_html, re.S)[1]
    )
    for name in ("positions", "pareto", "leverage", "tornado", "no_deal", "simulation"):
        assert name in figs, name
        assert f'data-chart="{name}"' in gaza_html
    # two parties: a scatter with the frontier, no deal, Nash and KS points
    names = [tr.get("name", "") for tr in figs["pareto"]["data"]]
    assert any(n.startswith("Pareto frontier") for n in names)
    assert "no deal" in names
    assert any(n.startswith("Nash") for n in names) and any(n.startswith("Kalai") for n in names)
    # no ZOPA: the packages the solution points were taken over (the least relaxation) are drawn
    n = gaza.analysis.solutions.points["nash"].n_candidates
    relaxed = next(tr for tr in figs["pareto"]["data"] if tr["name"].startswith("open if"))
    assert relaxed["name"].endswith(f"({n:,} packages)") and len(relaxed["x"]) == min(n, charts.MAX_POINTS)


def test_every_citation_links_to_a_listed_source(gaza: Briefing, gaza_html: str) -> None:
    listed = set(re.findall(r'<li id="src-([^"]+)"', gaza_html))
    assert listed == {s.id for s in gaza.scenario.sources}
    linked = set(re.findall(r'href="#src-([^"]+)"', gaza_html))
    assert linked and linked <= listed
    ctx = report_context(gaza, charts=False)
    assert cited_ids(ctx) <= listed
    # source ids written inside free text (descriptions, constraints, events) become links too
    assert '<a class="ref" href="#src-inn-2025-05-30-framework-text">' in gaza_html
    # every event with sources cites them in the timeline
    for ev in ctx["timeline"]:
        assert ev["sources"], ev["description"][:40]


def test_summary_and_sections_come_from_the_results(gaza: Briefing, gaza_html: str) -> None:
    z = gaza.analysis.zopa
    assert f"none of the {z.n_outcomes:,} possible packages" in gaza_html
    assert 'id="why-no-deal"' in gaza_html
    for rel in gaza.analysis.why.relaxations[:2]:
        assert rel.needed[0] in gaza_html.replace("&#39;", "'")
    for a in gaza.scenario.actors:
        if a.role in ("party", "mediator"):
            assert f'id="actor-{a.id}"' in gaza_html
    assert 'id="simulation"' in gaza_html and 'id="uncertainty"' in gaza_html
    assert f"{gaza.simulation.agreement_rate:.1%}" in gaza_html  # type: ignore[union-attr]
    # the briefing's own graph-model and forecast results fill those sections, with their numbers
    assert 'id="conflict"' in gaza_html and 'id="forecast"' in gaza_html
    assert gaza.conflict is not None
    n_gmr = len(gaza.conflict.equilibria["gmr"])
    assert f"<td>General metarationality (GMR)</td><td>{n_gmr}</td>" in gaza_html
    assert "truce deal with a US guarantee" in gaza_html


def test_a_changed_result_changes_the_text(gaza: Briefing) -> None:
    """No number is typed into the templates: alter a result and the report says the new value."""
    b = copy.copy(gaza)
    b.no_deal_now = {**gaza.no_deal_now, "israel": 0.8123}
    md = render_markdown(b)
    section = md.split("## Government of Israel")[1].split("\n## ")[0]
    assert "Worth 0.81 now" in section
    assert "Worth 0.81 now" not in render_markdown(gaza)


def test_sections_appear_only_when_results_exist() -> None:
    s = load("gaza-2025-07")
    b = brief(s, runs=0, seed=0, sim_runs=0)
    html = render_html(b, inline_plotly=False)
    assert 'id="simulation"' not in html and 'id="uncertainty"' not in html
    ctx = report_context(b)
    assert ctx["simulation"] is None and ctx["uncertainty"] is None
    assert "tornado" not in ctx["charts"] and "simulation" not in ctx["charts"]


def test_deal_scenario_says_yes_and_lists_the_zopa() -> None:
    b = brief(load(BASE), runs=0, sim_runs=0)
    assert b.analysis.zopa.exists
    md = render_markdown(b)
    assert f"**Yes — {b.analysis.zopa.size:,} of {b.analysis.zopa.n_outcomes:,} possible packages**" in md
    assert "(#src-src1)" in md and '<a id="src-src1"></a>' in md


def test_more_than_two_parties_draw_parallel_coordinates() -> None:
    data = yaml.safe_load(BASE.read_text())
    m = data["actors"][2]
    m["role"] = "party"
    m["positions"] = {"depth": {"ideal": 1.5, "salience": 0.5}, "aid": {"ideal": "joint", "salience": 0.5}}
    m["no_deal"] = {"value": 0.2}
    b = brief(from_dict(data), runs=0, sim_runs=0)
    fig = charts.pareto(b)
    assert fig is not None and fig["data"][0]["type"] == "parcoords"
    assert [d["label"] for d in fig["data"][0]["dimensions"]] == ["Side A", "Side B", "Mediator"]


def test_conflict_and_forecast_hooks_render_from_plain_dicts(gaza: Briefing) -> None:
    html = render_html(ReportInput(gaza, conflict=CONFLICT, forecast=FORECAST), inline_plotly=False)
    assert 'id="conflict"' in html and 'id="forecast"' in html
    assert "General metarationality (GMR)" in html and "the swap" in html
    assert "Expected utility (test)" in html and "1.7 km" in html
    ctx: dict[str, Any] = report_context(gaza, conflict=CONFLICT, forecast=FORECAST)
    sg = ctx["charts"]["state_graph"]
    nodes = sg["data"][1]
    # equilibria (s1, s4) drawn large and green, the others small
    assert nodes["marker"]["size"] == [22, 12, 12, 22]
    assert "forecast_withdrawal_km" in ctx["charts"]
    md = render_markdown(gaza, conflict=CONFLICT, forecast=FORECAST)
    assert "## Stable states (conflict model)" in md and "`YY` the swap" in md
    assert "| Sequential stability (SEQ) | 0 | none |" in md


def test_cli_report_writes_html_and_markdown(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "report",
            str(BASE),
            "-o",
            "out.html",
            "--markdown",
            "out.md",
            "--runs",
            "0",
            "--sim-runs",
            "0",
            "--json",
        ]
    )
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    assert Path(out["html"]).read_text().startswith("<!DOCTYPE html>")
    assert Path(out["markdown"]).read_text().startswith("# Base scenario")
    assert isinstance(out["run"], int)


def test_main_job_writes_report_html_and_says_where(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 0
    last = capsys.readouterr().out.rstrip().splitlines()[-1]
    assert last == f"wrote the HTML report: {in_tmp / 'report.html'}"
    assert (in_tmp / "report.html").stat().st_size > 1_000_000
