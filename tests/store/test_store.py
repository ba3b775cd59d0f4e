"""Run history on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from accord.cli import main
from accord.errors import ConfigurationError
from accord.scenario import load
from accord.store import Store, content_hash, default_url, diff, normalised_text

BASE = Path(__file__).parents[1] / "scenario" / "base.yaml"


@pytest.fixture(scope="module")
def scenario():  # type: ignore[no-untyped-def]
    return load(BASE)


def test_save_and_read_back(store_url: str, scenario) -> None:  # type: ignore[no-untyped-def]
    with Store(store_url) as st:
        results = {"zopa": {"size": 3, "outcomes": [1, 2, 3]}, "cost": float("inf"), "rate": 0.25}
        a = st.save(
            "analysis", scenario, params={"runs": 10}, seed=7, timings={"a": 0.5, "b": 0.25}, results=results
        )
        b = st.save("simulation", scenario, params={"runs": 5}, seed=8, results={"agreement_rate": 0.5})
        assert b > a
        run = st.get(a)
        assert run.kind == "analysis" and run.seed == 7 and run.params == {"runs": 10}
        assert run.results["zopa"] == {"size": 3, "outcomes": [1, 2, 3]}
        assert run.results["cost"] == "inf"  # non-finite numbers survive any JSON column
        assert run.seconds == pytest.approx(0.75)
        assert run.scenario_hash == content_hash(normalised_text(scenario))
        assert run.scenario_text == normalised_text(scenario)
        assert [r.id for r in st.list_runs()] == [b, a]
        assert [r.id for r in st.list_runs(kind="analysis")] == [a]
        assert st.count() == 2
        with st.engine.connect() as conn:  # the scenario is stored once
            assert conn.execute(text("SELECT count(*) FROM accord_scenarios")).scalar() == 1
        with pytest.raises(ConfigurationError, match=f"no run {b + 100} in"):
            st.get(b + 100)


def test_a_failed_save_leaves_nothing_behind(
    store_url: str,
    scenario,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    """One transaction per run: a failure after the scenario row is written rolls it back too."""
    st = Store(store_url)
    original = Store._ensure_scenario

    def then_fail(self, *args):  # type: ignore[no-untyped-def]
        original(self, *args)
        raise RuntimeError("killed mid-write")

    monkeypatch.setattr(Store, "_ensure_scenario", then_fail)
    with pytest.raises(RuntimeError):
        st.save("analysis", scenario, results={"x": 1})
    monkeypatch.undo()
    with st.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM accord_scenarios")).scalar() == 0
        assert conn.execute(text("SELECT count(*) FROM accord_runs")).scalar() == 0
    st.close()


def test_concurrent_saves_lose_nothing(store_url: str, scenario) -> None:  # type: ignore[no-untyped-def]
    st = Store(store_url)
    ids: list[int] = []
    lock = threading.Lock()

    def work(k: int) -> None:
        for j in range(5):
            i = st.save("analysis", scenario, seed=k * 10 + j, results={"k": k, "j": j})
            with lock:
                ids.append(i)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(ids)) == 20 and st.count() == 20
    st.close()


def test_diff_names_what_changed(store_url: str, scenario) -> None:  # type: ignore[no-untyped-def]
    with Store(store_url) as st:
        a = st.save("analysis", scenario, params={"runs": 10}, seed=1, results={"p": 0.5, "z": {"size": 3}})
        b = st.save("analysis", scenario, params={"runs": 20}, seed=1, results={"p": 0.75, "z": {"size": 3}})
        d = diff(st.get(a), st.get(b))
    assert d["same_scenario"]
    assert d["params"] == {"params.runs": {"a": 10, "b": 20}}
    assert d["results"] == [{"path": "p", "a": 0.5, "b": 0.75}]


def test_sqlite_uses_wal(tmp_path: Path) -> None:
    with Store(f"sqlite:///{tmp_path / 'h.db'}") as st, st.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"


def test_default_store_is_in_the_user_data_directory(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ACCORD_STORE", raising=False)
    from platformdirs import user_data_dir

    assert default_url() == f"sqlite:///{Path(user_data_dir('accord', appauthor=False)) / 'runs.db'}"
    monkeypatch.setenv("ACCORD_STORE", "sqlite:///x.db")
    assert default_url() == "sqlite:///x.db"


KILLED = """
import sys
from accord.scenario import load
from accord.store import Store
st = Store(sys.argv[1])
s = load(sys.argv[2])
print("ready", flush=True)
k = 0
while True:
    payload = list(range(20000))
    st.save("analysis", s, seed=k, results={"n": len(payload), "payload": payload})
    k += 1
"""


def test_a_killed_writer_leaves_only_whole_runs(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'k.db'}"
    proc = subprocess.Popen([sys.executable, "-c", KILLED, url, str(BASE)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    time.sleep(1.0)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    with Store(url) as st:
        runs = st.export()
    assert runs, "the writer saved nothing in a second"
    for r in runs:
        assert r["results"]["n"] == len(r["results"]["payload"]) == 20000


def test_cli_records_runs_and_lists_shows_diffs_exports(
    store_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for runs in ("20", "40"):
        assert main(["analyze", str(BASE), "--runs", runs, "--json", "--store", store_url]) == 0
    assert main(["simulate", str(BASE), "--json", "--store", store_url]) == 0
    capsys.readouterr()
    assert main(["runs", "list", "--json", "--store", store_url]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["kind"] for r in rows] == ["simulation", "analysis", "analysis"]
    a, b = rows[2]["id"], rows[1]["id"]
    assert main(["runs", "show", str(a), "--json", "--store", store_url]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["params"]["runs"] == 20 and shown["results"]["monte_carlo"]["n"] == 20
    assert main(["runs", "diff", str(a), str(b), "--json", "--store", store_url]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["params"]["params.runs"] == {"a": 20, "b": 40}
    assert any(r["path"] == "monte_carlo.n" for r in d["results"])
    out = tmp_path / "runs.json"
    assert main(["runs", "export", "-o", str(out), "--store", store_url]) == 0
    exported = json.loads(out.read_text())
    assert [r["id"] for r in exported] == sorted(r["id"] for r in rows)
    assert exported[0]["scenario_text"].startswith("format: 1")


def test_bad_store_url_is_one_line_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["runs", "list", "--store", "nosuchdb://x"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: --store nosuchdb://x: cannot open the run history") and err.count("\n") == 1
    assert main(["runs", "show", "999", "--store", "sqlite://"]) == 2


def test_serve_with_a_bad_store_is_one_line_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--store", "nosuchdb://x", "--port", "0"]) == 2
    assert capsys.readouterr().err.startswith("error: --store nosuchdb://x: cannot open the run history")
