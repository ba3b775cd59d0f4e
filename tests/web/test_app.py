"""The workbench's routes without a browser: input checks, limits, jobs, runs, downloads."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from accord.web import MAX_SCENARIO_BYTES, create_app

BASE = (Path(__file__).parents[1] / "scenario" / "base.yaml").read_text()


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> str:
    return f"sqlite:///{tmp_path_factory.mktemp('app') / 'runs.db'}"


@pytest.fixture(scope="module")
def client(store: str) -> Iterator[TestClient]:
    app = create_app(store=store)
    with TestClient(app) as c:
        yield c
    app.state.workbench.close()


def wait(client: TestClient, job_id: str) -> dict[str, Any]:
    for _ in range(600):
        d: dict[str, Any] = client.get(f"/jobs/{job_id}").json()
        if d["status"] in ("done", "error"):
            return d
        time.sleep(0.05)
    raise AssertionError("job did not finish")


def test_index_lists_builtins_and_loads_gaza(client: TestClient) -> None:
    r = client.get("/")
    assert r.status_code == 200 and "gaza-2025-07" in r.text and "textbook-two-party" in r.text
    assert "id: gaza-2025-07" in r.text  # the editor holds the scenario
    assert client.get("/scenarios/textbook-two-party").text.startswith(("#", "format"))
    assert client.get("/scenarios/nope").status_code == 404
    assert client.get("/?scenario=nope").status_code == 404


def test_validation_names_the_line(client: TestClient) -> None:
    bad = BASE.replace("salience: 0.2}", "salience: 2.0}")
    r = client.post("/validate", data={"text": bad})
    assert r.status_code == 422
    err = r.json()["errors"][0]
    line = next(i for i, t in enumerate(bad.splitlines(), 1) if "salience: 2.0}" in t)
    assert err["line"] == line and "salience" in err["path"]
    assert client.post("/validate", data={"text": BASE}).json()["ok"]
    r = client.post("/validate", data={"text": "a: [1, 2"})
    assert r.status_code == 422 and r.json()["errors"][0]["line"] == 1


def test_yaml_is_safe_no_code_runs(client: TestClient, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    evil = f"!!python/object/apply:os.system ['touch {marker}']\n"
    r = client.post("/validate", data={"text": evil})
    assert r.status_code == 422 and not marker.exists()


def test_uploads_are_capped_and_errors_show_in_the_page(client: TestClient) -> None:
    big = b"# " + b"x" * (MAX_SCENARIO_BYTES + 10)
    r = client.post("/upload", files={"file": ("big.yaml", big, "application/yaml")})
    assert r.status_code == 413 and "larger than" in r.text
    r = client.post("/upload", files={"file": ("b.yaml", b"\xff\xfe", "application/yaml")})
    assert r.status_code == 422 and "not UTF-8" in r.text
    r = client.post(
        "/upload",
        files={"file": ("b.yaml", BASE.replace("role: party", "role: partee", 1).encode(), "text/yaml")},
    )
    assert r.status_code == 422 and "partee" in r.text and "line " in r.text
    r = client.post("/upload", files={"file": ("ok.yaml", BASE.encode(), "text/yaml")})
    assert r.status_code == 200 and "Base scenario for the bad-input catalogue" in r.text


def test_jobs_run_record_and_render(client: TestClient) -> None:
    r = client.post(
        "/jobs", data={"text": BASE, "kind": "simulation", "runs": "50", "sim_runs": "10", "seed": "3"}
    )
    assert r.status_code == 202
    d = wait(client, r.json()["id"])
    assert d["status"] == "done" and d["progress"] == 1.0
    run_id = d["run_id"]
    page = client.get(f"/runs/{run_id}")
    assert page.status_code == 200 and 'data-chart="pareto"' in page.text and 'id="simulation"' in page.text
    assert '<script src="/static/plotly.min.js">' in page.text
    assert client.get("/static/plotly.min.js").headers["content-type"].startswith("application/javascript")
    dl = client.get(f"/runs/{run_id}/report.html")
    assert "attachment" in dl.headers["content-disposition"] and dl.text.startswith("<!DOCTYPE html>")
    assert client.get(f"/runs/{run_id}/report.md").text.startswith("# Base scenario")
    assert str(run_id) in client.get("/runs").text


def test_bad_job_requests_are_clear(client: TestClient) -> None:
    r = client.post("/jobs", data={"text": BASE, "kind": "bargain"})
    assert r.status_code == 422 and "not available" in r.json()["errors"][0]["text"]
    r = client.post("/jobs", data={"text": BASE, "kind": "analysis", "runs": "10000000"})
    assert r.status_code == 422 and "runs must be between" in r.json()["errors"][0]["text"]
    r = client.post("/jobs", data={"text": "id: [", "kind": "analysis"})
    assert r.status_code == 422 and r.json()["errors"][0]["line"] == 1
    assert client.get("/jobs/nope").status_code == 404
    assert client.get("/runs/99999").status_code == 404
    assert client.get("/no/such/page").status_code == 404


def test_api_runs_and_a_past_run_recomputed_from_the_store(client: TestClient, store: str) -> None:
    r = client.post("/api/runs", json={"scenario": "textbook-two-party", "runs": 20, "seed": 1})
    assert r.status_code == 200 and r.json()["ok"]
    run_id = r.json()["run_id"]
    # a fresh workbench on the same store has no cached report: it recomputes from the stored text
    app2 = create_app(store=store)
    with TestClient(app2) as c2:
        page = c2.get(f"/runs/{run_id}")
        assert page.status_code == 200 and 'data-chart="pareto"' in page.text
        diff = c2.get(f"/runs/diff?a={run_id}&b={run_id}")
        assert "0 result values differ" in diff.text
    app2.state.workbench.close()


def test_a_registered_kind_adds_conflict_results_to_the_report(store: str) -> None:
    from accord.web import JOB_KINDS, JobKind, register_kind

    conflict = {
        "options": [{"id": "o", "actor": "a", "label": "concede"}],
        "states": [
            {"id": "s1", "pattern": "N", "label": "hold out"},
            {"id": "s2", "pattern": "Y", "label": "concede"},
        ],
        "equilibria": {"nash": ["s2"]},
    }
    saved = dict(JOB_KINDS)
    register_kind(
        "conflict",
        JobKind("Conflict stability", 0, 0, extra=lambda scenario, seed, progress: {"conflict": conflict}),
    )
    try:
        app = create_app(store=store)
        with TestClient(app) as c:
            r = c.post("/jobs", data={"text": BASE, "kind": "conflict", "runs": "0", "sim_runs": "0"})
            d = wait(c, r.json()["id"])
            assert d["status"] == "done", d
            page = c.get(f"/runs/{d['run_id']}").text
            assert 'id="conflict"' in page and 'data-chart="state_graph"' in page
        app.state.workbench.close()
        # reopened from the store alone, the report still has the conflict section
        app2 = create_app(store=store)
        with TestClient(app2) as c2:
            assert 'id="conflict"' in c2.get(f"/runs/{d['run_id']}").text
        app2.state.workbench.close()
    finally:
        JOB_KINDS.clear()
        JOB_KINDS.update(saved)
