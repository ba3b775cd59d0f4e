"""Sweeps: the path grammar, the --vary parser, reproducibility across backends, Parquet and resume."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

import accord
from accord.analysis.zopa import zopa
from accord.errors import ConfigurationError
from accord.scale import JOBS, Job, get_job, make_plan, numeric_paths, resolve, substitute, sweep
from accord.scale.jobs import analyze_row
from accord.scale.plan import parse_vary, run_batch
from accord.scale.runner import check_address, ray_available
from accord.scenario.checks import iter_params
from accord.space import OutcomeSpace

GAZA = accord.load("gaza-2025-07")


# ------------------------------------------------------------------------------------ path grammar
def test_every_param_has_exactly_one_path() -> None:
    targets = [t for t in numeric_paths(GAZA) if t.kind == "param"]
    assert [t.index for t in targets] == [p for p, _ in iter_params(GAZA)]
    assert len({t.path for t in targets}) == len(targets)


@pytest.mark.parametrize(
    ("path", "index"),
    [
        ("actors.hamas.no_deal.value", ("actors", 1, "no_deal", "value")),
        ("actors.hamas.no_deal.value.value", ("actors", 1, "no_deal", "value")),
        (
            "actors.israel.positions.withdrawal_km.red_line.min",
            ("actors", 0, "positions", "withdrawal_km", "red_line", "min"),
        ),
        (
            "actors.hamas.positions.guarantee.values.none",
            ("actors", 1, "positions", "guarantee", "values", "none"),
        ),
        ("issues.withdrawal_km.max", ("issues", 0, "max")),
        ("simulation.deadline", ("simulation", "deadline")),
    ],
)
def test_paths_use_ids(path: str, index: tuple[str | int, ...]) -> None:
    assert resolve(GAZA, path).index == index


def test_lever_paths_use_the_lever_id() -> None:
    t = resolve(GAZA, "actors.qatar.levers.qatar_pressure_hamas.max")
    assert GAZA.actors[t.index[1]].levers[t.index[3]].id == "qatar_pressure_hamas"  # type: ignore[index]


def test_unknown_path_names_the_nearest_valid_one() -> None:
    with pytest.raises(ConfigurationError) as e:
        resolve(GAZA, "actors.hamaz.no_deal.valeu")
    msg = str(e.value)
    assert "did you mean 'actors.hamas.no_deal.value'" in msg and "\n" not in msg


def test_a_section_is_not_a_number() -> None:
    with pytest.raises(ConfigurationError, match="not a number but a section"):
        resolve(GAZA, "actors.hamas.no_deal")


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("actors.hamas.no_deal.value=0.5:0.3:4", r"LO \(0.5\) is greater than HI \(0.3\)"),
        ("actors.hamas.no_deal.value=0.1:0.3:0", "N must be at least 1"),
        ("actors.hamas.no_deal.value=0.1:0.3:x", "must be a whole number"),
        ("actors.hamas.no_deal.value=0.1:0.3:1", "N = 1 gives one value"),
        ("actors.hamas.no_deal.value=a:0.3:2", "LO 'a' is not a number"),
        ("actors.hamas.no_deal.value=0.1,zz", "value 'zz' is not a number"),
        ("actors.hamas.no_deal.value=0.1:nan:3", "finite"),
        ("actors.hamas.no_deal.value", "expected PATH=LO:HI:N"),
        ("actors.hamas.no_deal.value=0:1", "three parts"),
        ("simulation.deadline=10.5,20", "whole number"),
    ],
)
def test_bad_vary_specs_fail_on_one_line(spec: str, message: str) -> None:
    with pytest.raises(ConfigurationError, match=message) as e:
        parse_vary(GAZA, spec)
    assert "\n" not in str(e.value)


def test_vary_ranges_include_both_ends() -> None:
    v = parse_vary(GAZA, "actors.hamas.no_deal.value=0.2:0.5:4")
    assert v.values == pytest.approx((0.2, 0.3, 0.4, 0.5))
    assert parse_vary(GAZA, ("actors.hamas.no_deal.value", [0.1, 0.2])).values == (0.1, 0.2)


def test_a_path_varied_twice_is_refused() -> None:
    with pytest.raises(ConfigurationError, match="varied twice"):
        make_plan(
            GAZA,
            get_job("analyze"),
            ["actors.hamas.capability=0.1,0.2", "actors.hamas.capability=0.3"],
            runs=1,
            seed=0,
        )


def test_substitute_changes_only_the_named_number() -> None:
    t = resolve(GAZA, "actors.hamas.no_deal.value")
    v = substitute(GAZA, [t], [0.9])
    assert v.actor("hamas").no_deal.value.value == 0.9  # type: ignore[union-attr]
    assert GAZA.actor("hamas").no_deal.value.value == 0.35  # type: ignore[union-attr]
    assert v.actor("israel") == GAZA.actor("israel")


# ------------------------------------------------------------------------------------ correctness
def test_deal_flag_matches_the_zopa_of_each_variant() -> None:
    """Brute force: the fast compiled path against the full ZOPA of the substituted scenario."""
    spec = [
        "actors.hamas.no_deal.value=0.0:0.4:3",
        "actors.israel.positions.withdrawal_km.red_line.min=1.0,1.6,2.2",
    ]
    res = sweep(GAZA, "analyze", spec, workers=1)
    assert res.n == 9
    targets = [resolve(GAZA, s.split("=")[0]) for s in spec]
    flags = []
    for row in res.rows():
        variant = substitute(GAZA, targets, [row[t.path] for t in targets])
        space = OutcomeSpace(variant)
        assert row["deal_now"] == zopa(space, 0.0).exists
        assert row["deal_horizon"] == zopa(space, float(GAZA.clock.horizon)).exists
        flags.append(row["deal_now"])
    assert any(flags) and not all(flags)  # the grid crosses the border of the ZOPA


def test_fast_path_equals_rebuilding_the_scenario() -> None:
    slow = Job("analyze-rebuilt", analyze_row, None)
    JOBS[slow.name] = slow
    try:
        a = sweep(GAZA, "analyze", runs=40, seed=3, workers=1)
        b = sweep(GAZA, "analyze-rebuilt", runs=40, seed=3, workers=1)
    finally:
        del JOBS[slow.name]
    assert a.columns == b.columns


def test_structural_paths_rebuild_and_report_invalid_variants() -> None:
    res = sweep(GAZA, "analyze", ["issues.withdrawal_km.max=2.5,3.0"], workers=1)
    rows = res.rows()
    assert "ideal 3 is outside" in rows[0]["error"] and rows[0]["deal_now"] is None
    assert rows[1]["error"] is None and rows[1]["deal_now"] is False


def test_samples_do_not_depend_on_batching_or_order() -> None:
    plan = make_plan(GAZA, get_job("analyze"), None, runs=30, seed=7)
    whole = run_batch(plan, np.arange(30))
    backwards = run_batch(plan, np.arange(30)[::-1])
    for k in whole:
        assert list(np.asarray(backwards[k], dtype=object)[::-1]) == list(np.asarray(whole[k], dtype=object))


def test_monte_carlo_draws_stay_in_range_and_adding_runs_keeps_samples() -> None:
    a = sweep(GAZA, "analyze", runs=20, seed=1, workers=1)
    b = sweep(GAZA, "analyze", runs=30, seed=1, workers=1)
    assert all(b.columns[k][:20] == v for k, v in a.columns.items())
    for t in numeric_paths(GAZA):
        if t.path in a.columns:
            assert t.range is not None
            x = np.array(a.columns[t.path])
            assert (x >= t.range[0]).all() and (x <= t.range[1]).all()


def test_local_processes_give_identical_rows() -> None:
    a = sweep(GAZA, "analyze", runs=60, seed=5, workers=1)
    b = sweep(GAZA, "analyze", runs=60, seed=5, workers=2, backend="processes", batch_size=7)
    assert a.columns == b.columns and b.backend == "processes"


def test_simulate_job_rows_are_reproducible() -> None:
    a = sweep(GAZA, "simulate", ["actors.hamas.no_deal.decay=0.01,0.04"], runs=2, seed=2, workers=1)
    b = sweep(
        GAZA,
        "simulate",
        ["actors.hamas.no_deal.decay=0.01,0.04"],
        runs=2,
        seed=2,
        workers=2,
        backend="processes",
    )
    assert a.columns == b.columns
    assert set(a.columns) >= {"agreement", "rounds", "cause", "utility.israel", "terms.withdrawal_km"}


def test_forecast_job_rows_match_the_forecast_of_each_variant() -> None:
    from accord.forecast.from_scenario import forecast_scenario
    from accord.scale.paths import resolve, substitute

    res = sweep(GAZA, "forecast", vary=["actors.hamas.positions.withdrawal_km.ideal=0.5,1.5"], workers=1)
    assert res.columns["sample"] == [0, 1]
    path = resolve(GAZA, "actors.hamas.positions.withdrawal_km.ideal")
    for i, v in enumerate([0.5, 1.5]):
        variant = substitute(GAZA, [path], [v])
        expect = forecast_scenario(variant, "compromise")["forecast"]["withdrawal_km"]
        assert res.columns["compromise.withdrawal_km"][i] == pytest.approx(expect)
    assert res.columns["smp.turns"][0] >= 1


def test_conflict_job_explains_there_is_nothing_to_sweep() -> None:
    with pytest.raises(ConfigurationError, match="job 'conflict' has nothing to sweep"):
        sweep(GAZA, "conflict", runs=1)
    with pytest.raises(ConfigurationError, match="did you mean 'analyze'"):
        sweep(GAZA, "analyse", runs=1)


def test_unreachable_address_fails_within_seconds() -> None:
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens there now
    t0 = time.perf_counter()
    with pytest.raises(ConfigurationError, match="cannot reach a Ray cluster"):
        check_address(f"127.0.0.1:{port}")
    assert time.perf_counter() - t0 < 5
    with pytest.raises(ConfigurationError, match="not HOST:PORT"):
        check_address("nowhere")


# ------------------------------------------------------------------------------ Parquet and resume
def _need_pyarrow() -> None:
    import importlib.util
    import os

    if importlib.util.find_spec("pyarrow") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("pyarrow is missing; `make test` installs it (the `test` extra)")
        pytest.skip("pyarrow not installed: pip install -e '.[test]'")


def test_parquet_output_and_resume_after_interruption(tmp_path: Path) -> None:
    _need_pyarrow()
    import pyarrow.parquet as pq

    out = tmp_path / "r.parquet"
    full = sweep(GAZA, "analyze", runs=400, seed=9, workers=1)
    seen: list[int] = []

    def stop(done: int, total: int) -> None:
        seen.append(done)
        if done >= 150:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        sweep(GAZA, "analyze", runs=400, seed=9, workers=1, output=out, batch_size=50, progress=stop)
    assert not out.exists() and (tmp_path / "r.parquet.parts").is_dir()
    with pytest.raises(ConfigurationError, match="--resume"):
        sweep(GAZA, "analyze", runs=400, seed=9, workers=1, output=out)
    with pytest.raises(ConfigurationError, match="different sweep"):
        sweep(GAZA, "analyze", runs=400, seed=10, workers=1, output=out, resume=True)
    res = sweep(GAZA, "analyze", runs=400, seed=9, workers=1, output=out, resume=True)
    assert res.reused >= 150 and not (tmp_path / "r.parquet.parts").exists()
    table = pq.read_table(out)
    assert table.column("sample").to_pylist() == list(range(400))
    for k, v in full.columns.items():
        assert table.column(k).to_pylist() == v
    meta = json.loads(table.schema.metadata[b"accord.sweep"])
    assert meta["seed"] == 9 and meta["job"] == "analyze"
    again = sweep(GAZA, "analyze", runs=400, seed=9, workers=1, output=out, resume=True)
    assert again.reused == 400


def test_cli_sweep_json_and_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from accord.cli import main

    code = main(["sweep", "--vary", "actors.hamas.no_deal.value=0.0:0.4:3", "--workers", "1", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0 and out["n"] == 3 and out["varied"] == ["actors.hamas.no_deal.value"]
    code = main(["sweep", "--vary", "actors.hamas.nodeal.value=0:1:3"])
    err = capsys.readouterr().err
    assert code == 2 and "did you mean 'actors.hamas.no_deal.value'" in err and err.count("\n") == 1
    code = main(["sweep", "--list-paths"])
    assert code == 0 and "actors.hamas.no_deal.value = 0.35  range 0.25..0.45" in capsys.readouterr().out


@pytest.fixture
def private_ray_tmp(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A short private directory for a local Ray's sessions (removed afterwards)."""
    import shutil
    import tempfile

    d = Path(tempfile.mkdtemp(prefix="acl", dir="/tmp"))
    monkeypatch.setenv("RAY_TMPDIR", str(d))
    try:
        yield d
    finally:
        shutil.rmtree(d, ignore_errors=True)


def test_local_ray_gives_identical_rows(private_ray_tmp: Path) -> None:
    import os

    if not ray_available():
        if os.environ.get("CI") == "true":
            pytest.fail("ray is missing; `make test` installs it (the `test` extra)")
        pytest.skip("ray not installed: pip install -e '.[test]'")
    a = sweep(GAZA, "analyze", runs=50, seed=4, workers=1)
    b = sweep(GAZA, "analyze", runs=50, seed=4, workers=2, backend="ray", batch_size=5)
    assert b.backend == "ray" and a.columns == b.columns
    assert any(private_ray_tmp.iterdir())  # the session lived in the private directory


def test_unreachable_ray_address_env_fails_fast(monkeypatch: pytest.MonkeyPatch) -> None:
    import os
    import socket

    if not ray_available():
        if os.environ.get("CI") == "true":
            pytest.fail("ray is missing; `make test` installs it (the `test` extra)")
        pytest.skip("ray not installed: pip install -e '.[test]'")
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    monkeypatch.setenv("RAY_ADDRESS", f"127.0.0.1:{port}")
    t0 = time.perf_counter()
    with pytest.raises(ConfigurationError, match=f"cannot reach a Ray cluster at '127.0.0.1:{port}'"):
        sweep(GAZA, "analyze", runs=20, seed=0)
    assert time.perf_counter() - t0 < 10


def test_small_sweeps_do_not_start_workers() -> None:
    res = sweep(GAZA, "analyze", runs=50, seed=0)  # all cores asked for, but 50 samples take ms
    assert res.backend == "inline" and any("ran in this process" in n for n in res.notes)
    assert res.columns == sweep(GAZA, "analyze", runs=50, seed=0, workers=1).columns


def test_simulate_fast_path_equals_rebuilding_the_scenario() -> None:
    from accord.scale.jobs import simulate_row

    slow = Job("simulate-rebuilt", simulate_row, None)
    JOBS[slow.name] = slow
    try:
        spec = ["actors.hamas.no_deal.value=0.2,0.3", "actors.israel.no_deal.decay=0.005,0.02"]
        a = sweep(GAZA, "simulate", spec, seed=8, workers=1)
        b = sweep(GAZA, "simulate", spec, seed=8, workers=1)
        c = sweep(GAZA, "simulate-rebuilt", spec, seed=8, workers=1)
    finally:
        del JOBS[slow.name]
    assert a.columns == b.columns == c.columns


def test_a_dead_local_worker_process_gives_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import multiprocessing
    import os

    from accord.scale import runner

    if multiprocessing.get_start_method() != "fork":
        pytest.skip("the patched worker function reaches workers only when they are forked")
    parent = os.getpid()
    real = runner.run_batch

    def die_in_workers(plan: object, indices: np.ndarray) -> dict[str, object]:
        if os.getpid() != parent:  # a forked worker inherits this patched module
            os._exit(1)
        return real(plan, indices)  # type: ignore[arg-type]

    monkeypatch.setattr(runner, "run_batch", die_in_workers)
    with pytest.raises(ConfigurationError, match="local worker processes died 3 times"):
        sweep(GAZA, "analyze", runs=40, seed=0, workers=2, backend="processes", batch_size=10, max_retries=2)


def test_work_lost_with_a_dead_local_worker_is_rerun(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import multiprocessing
    import os

    from accord.scale import runner

    if multiprocessing.get_start_method() != "fork":
        pytest.skip("the patched worker function reaches workers only when they are forked")
    parent = os.getpid()
    real = runner.run_batch
    marker = tmp_path / "died"

    def die_once(plan: object, indices: np.ndarray) -> dict[str, object]:
        # The first worker to reach its second batch dies; the pool breaks once.
        if os.getpid() != parent and int(indices[0]) >= 20 and not marker.exists():
            marker.write_text("x")
            os._exit(1)
        return real(plan, indices)  # type: ignore[arg-type]

    monkeypatch.setattr(runner, "run_batch", die_once)
    got = sweep(GAZA, "analyze", runs=60, seed=3, workers=2, backend="processes", batch_size=10)
    assert marker.exists()
    monkeypatch.setattr(runner, "run_batch", real)
    want = sweep(GAZA, "analyze", runs=60, seed=3, workers=1, backend="inline", batch_size=10)
    assert got.columns["sample"] == want.columns["sample"] == list(range(60))
    assert got.columns == want.columns


def test_cli_interrupted_sweep_says_how_to_resume(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import accord.scale
    from accord.cli import main

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(accord.scale, "sweep", interrupted)
    assert main(["sweep", "--runs", "10", "-o", str(tmp_path / "r.parquet")]) == 130
    assert "run the same command with --resume" in capsys.readouterr().err


def test_assembly_streams_sorted_runs_and_dedupes_overlaps(tmp_path: Path) -> None:
    _need_pyarrow()
    import pyarrow.parquet as pq

    from accord.scale.runner import Sink, _assemble, _recorded, _row_groups

    plan = make_plan(GAZA, get_job("analyze"), None, runs=30, seed=2)
    out = tmp_path / "r.parquet"
    sink = Sink(plan, out, flush_s=1e9)
    for chunk in (np.arange(20, 30), np.arange(0, 10), np.arange(10, 20)):  # out of order
        sink.add(run_batch(plan, chunk))
    sink.flush()
    groups = _row_groups(_recorded(plan, out))
    assert groups is not None and [g[0] for g in groups] == [0, 10, 20]
    # a second copy of some rows overlaps: assembled in memory, each sample once
    sink.add(run_batch(plan, np.arange(5, 15)))
    sink.flush()
    assert _row_groups(_recorded(plan, out)) is None
    _assemble(plan, out, _recorded(plan, out))
    table = pq.read_table(out)
    assert table.column("sample").to_pylist() == list(range(30))
    expected = run_batch(plan, np.arange(30))
    assert table.column("deal_now").to_pylist() == list(expected["deal_now"])
