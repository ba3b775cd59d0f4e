"""The workbench in a real browser (Debian's chromium through Playwright)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

MALFORMED = """format: 1
id: broken
title: A scenario with a mistake
as_of: 2025-07-24
issues:
  - {id: depth, kind: numeric, min: 0, max: 3, step: 0.5, unit: km}
actors:
  - id: a
    name: Side A
    role: party
    capability: 0.5
    positions:
      depth: {ideal: 3, salince: 0.5}
"""


def run_analysis(page: Any, server: Any, runs: str = "200") -> int:
    page.goto(server.url + "/")
    page.select_option("#builtin", "gaza-2025-07")
    page.wait_for_function("document.getElementById('editor').value.includes('gaza-2025-07')")
    page.fill("#runs", runs)
    page.click("#run-analysis")
    page.wait_for_url(re.compile(r".*/runs/\d+$"), timeout=90_000)
    return int(page.url.rsplit("/", 1)[1])


def test_pick_gaza_run_the_analysis_see_pareto_and_why_no_deal(page: Any, server: Any, shots: Path) -> None:
    page.goto(server.url + "/")
    assert page.title() == "accord workbench"
    assert page.locator("#run-conflict").is_enabled() and page.locator("#run-forecast").is_enabled()
    page.screenshot(path=str(shots / "workbench.png"))
    run_analysis(page, server)
    page.wait_for_selector("#chart-pareto .main-svg")
    assert "Pareto frontier" in page.inner_text("#chart-pareto")
    why = page.inner_text("#why-no-deal")
    assert "Government of Israel requires at least 2 km" in why and "Hamas requires at most 1.3 km" in why
    page.wait_for_selector("#chart-positions .main-svg")
    assert "truce deal with a US guarantee" in page.inner_text("#conflict")
    assert "Spatial Model of Politics" in page.inner_text("#forecast")
    page.screenshot(path=str(shots / "run-report.png"), full_page=False)
    page.locator("#landing").screenshot(path=str(shots / "report-pareto.png"))
    page.locator("#summary").screenshot(path=str(shots / "report-summary.png"))
    page.locator("#leverage").screenshot(path=str(shots / "report-leverage.png"))
    # the download is the self-contained report
    with page.expect_download() as dl:
        page.click("#download")
    path = dl.value.path()
    assert path is not None and Path(path).read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_a_malformed_upload_shows_the_error_at_its_line(
    page: Any, server: Any, tmp_path: Path, shots: Path
) -> None:
    bad = tmp_path / "broken.yaml"
    bad.write_text(MALFORMED)
    page.goto(server.url + "/")
    page.set_input_files("#file", str(bad))
    page.click("#upload-btn")
    page.wait_for_selector("#errors:not([hidden])")
    text = page.inner_text("#error-list")
    assert "line 13" in text and "salince" in text and "salience" in text
    # the editor holds the uploaded text with the faulty line selected
    assert "salince" in page.input_value("#editor")
    selected = page.evaluate(
        "(() => { const e = document.getElementById('editor'); return e.value.slice(e.selectionStart, e.selectionEnd); })()"
    )
    assert "salince" in selected
    page.screenshot(path=str(shots / "workbench-error.png"))
    # the Check button finds the same line without a page load, after an edit moves it down
    page.fill("#editor", "# a comment\n" + MALFORMED)
    page.click("#check")
    page.wait_for_function("document.getElementById('error-list').innerText.includes('line 14')")


def test_open_a_past_run_and_compare(page: Any, server: Any, shots: Path) -> None:
    first = run_analysis(page, server, runs="100")
    second = run_analysis(page, server, runs="150")
    page.goto(server.url + "/runs")
    page.click(f"#runs a[href='/runs/{first}']")
    page.wait_for_url(f"**/runs/{first}")
    page.wait_for_selector("#chart-pareto .main-svg")
    assert "runs 100" in page.inner_text("#run-meta")
    page.goto(server.url + "/runs")
    page.screenshot(path=str(shots / "runs.png"))
    page.fill("#cmp-a", str(first))
    page.fill("#cmp-b", str(second))
    page.click("#compare button")
    page.wait_for_selector("#n-diff")
    assert "params.runs" in page.inner_text("body")


def test_the_written_report_draws_its_charts_offline(page: Any, tmp_path: Path) -> None:
    # The self-contained report, opened from disk: plotly.js is unpacked in the page and every
    # chart is drawn, with nothing fetched from a network.
    from accord.jobs import brief
    from accord.report.html import write_html
    from accord.scenario.loader import load

    path = write_html(brief(load("textbook-two-party"), runs=50, seed=0, sim_runs=5), tmp_path / "r.html")
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(path.as_uri())
    page.wait_for_selector("#chart-pareto .main-svg")
    assert page.locator(".chart-missing").count() == 0
    assert all(u.startswith(("file:", "data:", "blob:")) for u in requests), requests
