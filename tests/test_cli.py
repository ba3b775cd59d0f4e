"""The command-line interface: every command, JSON output, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from accord.cli import main


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_brief_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["brief", "textbook-two-party", "--json"], capsys)
    assert code == 0
    data = json.loads(out)
    assert data["deal_possible_now"] is True
    assert data["zopa_now"]["size"] == 45
    assert data["red_line_collisions"] == []


def test_brief_text_says_yes(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["brief", "textbook-two-party"], capsys)
    assert code == 0
    assert "YES" in out and "45 of 177" in out


def test_brief_reports_colliding_red_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    text = (Path(__file__).parent / "scenario" / "base.yaml").read_text()
    text = text.replace("red_line: {max: 2}", "red_line: {max: 0.5}")
    f = tmp_path / "collide.yaml"
    f.write_text(text)
    code, out, _ = run(["brief", str(f), "--json"], capsys)
    assert code == 0
    data = json.loads(out)
    assert data["deal_possible_now"] is False
    [c] = data["red_line_collisions"]
    assert c["issue"] == "depth" and c["parties"] == ["a", "b"] and c["gap"] == pytest.approx(0.5)
    code, out, _ = run(["brief", str(f)], capsys)
    assert "Side A requires at least 1 km, while Side B requires at most 0.5 km (gap 0.5 km)" in " ".join(
        out.split()
    )


def test_validate_ok_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["validate", "textbook-two-party"], capsys)
    assert code == 0 and out.startswith("ok: textbook-two-party: 3 issues, 3 actors, 177 outcomes")
    bad = str(Path(__file__).parent / "scenario" / "bad" / "role-invalid.yaml")
    code, out, _ = run(["validate", "textbook-two-party", bad, "--json"], capsys)
    assert code == 2
    data = json.loads(out)
    assert [d["valid"] for d in data] == [True, False]
    assert data[1]["errors"][0]["line"] == 25 and data[1]["errors"][0]["path"] == "actors[1].role"


def test_schema_scenarios_show(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["schema"], capsys)
    assert code == 0 and json.loads(out)["title"] == "Scenario"
    code, out, _ = run(["scenarios", "--json"], capsys)
    assert code == 0 and "textbook-two-party" in [r["name"] for r in json.loads(out)]
    code, out, _ = run(["show", "textbook-two-party", "--json"], capsys)
    assert code == 0 and json.loads(out)["id"] == "textbook-two-party"
    code, out, _ = run(["show", "textbook-two-party", "--yaml"], capsys)
    assert code == 0 and out.startswith("format: 1\nid: textbook-two-party")
    code, out, _ = run(["show", "textbook-two-party"], capsys)
    assert code == 0 and "Pay rise" in out


def test_init_writes_a_valid_template_and_never_overwrites(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "mine.yaml"
    code, _out, _ = run(["init", str(target)], capsys)
    assert code == 0 and target.exists()
    code, _out, _ = run(["validate", str(target)], capsys)
    assert code == 0
    target.write_text("my work")
    code, _, err = run(["init", str(target)], capsys)
    assert code == 2 and "file exists" in err and target.read_text() == "my work"


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["brief", "--no-such-option"], capsys)
    assert code == 2
    assert err == "error: accord brief: No such option: --no-such-option (see 'accord brief --help')\n"
    # Every usage mistake is one line on stderr naming the command and the option, exit 2.
    for args, expected in [
        (
            ["simulate", "--runs", "-1"],
            "Invalid value for '--runs': Input should be greater than or equal to 0",
        ),
        (["simulate", "--runs", "abc"], "Invalid value for '--runs': Input should be a valid integer"),
        (["no-such-command"], "No such command 'no-such-command' (see 'accord --help')"),
        (["conflict", "inverse", "elmira"], "Missing argument 'dm'"),
    ]:
        code, out, err = run(args, capsys)
        assert code == 2 and out == "" and err.count("\n") == 1 and expected in err, (args, err)
        assert err.startswith("error: accord") and "╭" not in err
    code, out, err = run(["conflict"], capsys)  # a group without a command shows its help
    assert code == 0 and "analyze" in out and err == ""
    code, _, err = run(["brief", "no-such-scenario"], capsys)
    assert code == 2 and err.startswith("error: no-such-scenario: no file or built-in scenario")


def test_console_script_exit_code(tmp_path: Path) -> None:
    bad = Path(__file__).parent / "scenario" / "bad" / "empty-file.yaml"
    proc = subprocess.run(
        [sys.executable, "-m", "accord.cli", "validate", str(bad)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert proc.stderr.strip().endswith("file is empty; see `accord init` for a template")
    assert "Traceback" not in proc.stderr


def test_analyze_json_on_gaza(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["analyze", "--runs", "50", "--json"], capsys)
    assert code == 0
    data = json.loads(out)
    assert data["zopa"]["exists"] is False
    assert data["red_line_collisions"][0]["issue"] == "withdrawal_km"
    assert data["leverage"]["cheapest"]["opens"] is True
    assert data["monte_carlo"]["n"] == 50


def test_simulate_one_run_and_monte_carlo(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        ["simulate", "textbook-two-party", "--strategy", "linear", "--deadline", "20", "--json"], capsys
    )
    assert code == 0
    data = json.loads(out)
    assert data["settings"]["strategies"] == ["linear", "linear"]
    assert data["outcome"]["agreement"] is True
    code, out, _ = run(["simulate", "textbook-two-party", "--runs", "20", "--json"], capsys)
    assert code == 0 and json.loads(out)["runs"] == 20
    code, _, err = run(["simulate", "--strategy", "bulware"], capsys)
    assert code == 2 and "did you mean 'boulware'" in err


def test_strategies_and_bench(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["strategies", "--json"], capsys)
    assert code == 0 and "boulware" in {r["name"] for r in json.loads(out)["strategies"]}
    code, out, _ = run(["bench", "sao", "--seconds", "0.3", "--json"], capsys)
    data = json.loads(out)
    assert code == 0 and data["agreement_rate"] == 1.0 and data["n_negotiations"] >= 1


def test_conflict_commands(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["conflict", "analyze", "elmira", "--json"], capsys)
    assert code == 0
    data = json.loads(out)
    assert "equilibria" in data["concepts"]["seq"]
    assert len(data["states"]) == 12  # small models list every state and whom it is stable for
    code, out, _ = run(["conflict", "analyze", "elmira", "--json", "--no-states"], capsys)
    assert "states" not in json.loads(out)
    # The Gaza model (720 states): per-DM stability of every state is listed by default.
    code, out, _ = run(["conflict", "analyze", "--json", "--concepts", "seq"], capsys)
    gaza = json.loads(out)
    assert len(gaza["states"]) == 720
    deal = next(s for s in gaza["states"] if s["pattern"] == "YYNNYYNNYNN")
    assert deal["stable"]["seq"] == ["Israel", "Hamas", "US", "Mediators"] and deal["equilibrium"] == ["seq"]
    code, out, _ = run(
        ["conflict", "paths", "--coalition", "Israel+Hamas", "--to", "YYNNYYNNYNN", "--json"], capsys
    )
    assert code == 0 and json.loads(out)["targets"][0]["state"] == "YYNNYYNNYNN"
    code, _, err = run(["conflict", "analyze", "no-such-model"], capsys)
    assert code == 2 and "no such file or built-in model" in err
    # Coalitional stability with every DM alone and MoE+UR: the published Elmira coalition result
    # (coalitional equilibria 8 and 9 under CNash and CSEQ, 1, 4, 8, 9 under CGMR and CSMR).
    code, out, _ = run(["conflict", "analyze", "elmira", "--coalition", "MoE+UR", "--json"], capsys)
    co = json.loads(out)["coalitions"]
    assert co["coalitions"] == ["MoE", "UR", "LG", "MoE+UR"]
    nine = ["NNNYN", "YNNYN", "NNNYY", "YNNYY"]
    assert sorted(co["concepts"]["nash"]["equilibria"]) == sorted(["YNYNY", *nine])
    assert sorted(co["concepts"]["gmr"]["equilibria"]) == sorted(["NYNNN", "YNYNN", "YNYNY", *nine])
    code, _, err = run(["conflict", "analyze", "elmira", "--coalition", "MoE+URR"], capsys)
    assert code == 2 and "unknown decision maker 'URR' (did you mean 'UR'?)" in err
    # Text output says the moves in words when the model labels its options.
    code, out, _ = run(["conflict", "paths", "--coalition", "Israel+Hamas", "--to", "YYNNYYNNYNN"], capsys)
    assert "(US stays out of the talks; Mediators press Hamas)" in out
    assert "      2. US guarantees the truce and no longer stays out of the talks" in out
    code, out, _ = run(["conflict", "analyze", "elmira", "--concepts", "gmr", "--explain", "NYNNN"], capsys)
    assert (
        "    If LG insist on the original control order, that is a gain for LG, but then MoE modifies" in out
    )


def test_conflict_coalition_option(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    big = str(Path(__file__).parent / "conflict" / "data" / "big14.yaml")
    for args, said in (
        (["--coalition", "MoE+MoE"], "names MoE twice"),
        (["--coalition", "all", "--coalition", "MoE+UR"], "--coalition all already takes every group"),
        (["--coalition", "MoE+", "--concepts", "nash"], "an empty name"),
        (["--coalition", "MoE+UR", "--concepts", "sim"], "--concepts sim has none of them"),
    ):
        code, _, err = run(["conflict", "analyze", "elmira", *args], capsys)
        assert code == 2 and said in err and err.count("\n") == 1, (args, err)
    # 'all' is case-blind; a concept with no coalitional form is said to be left to single DMs.
    code, out, _ = run(
        ["conflict", "analyze", "elmira", "--coalition", "All", "--concepts", "nash,sim"], capsys
    )
    assert code == 0 and "coalitions: MoE, UR, LG, MoE+UR, MoE+LG, UR+LG, MoE+UR+LG" in out
    assert "(SIM: no coalitional form; shown for single decision makers only)" in out
    # Seven DMs would make 127 coalitions: 'all' is refused, named coalitions still work.
    seven = tmp_path / "seven.yaml"
    dms = [f"D{i}" for i in range(7)]
    seven.write_text(
        "name: seven\ndecision_makers:\n"
        + "".join(f"  - {{name: {d}, options: [o{i}]}}\n" for i, d in enumerate(dms))
        + "preferences:\n"
        + "".join(f"  {d}: {{prioritize: [o{i}]}}\n" for i, d in enumerate(dms))
    )
    code, _, err = run(["conflict", "analyze", str(seven), "--coalition", "all"], capsys)
    assert code == 2 and "127 coalitions for 7 decision makers" in err
    code, out, _ = run(
        ["conflict", "analyze", str(seven), "--coalition", "D0+D1", "--concepts", "nash"], capsys
    )
    assert code == 0 and "coalitions: D0, D1, D2, D3, D4, D5, D6, D0+D1" in out
    # A decision maker whose name holds '+' is matched whole.
    plus = tmp_path / "plus.yaml"
    plus.write_text(
        "name: plus\ndecision_makers:\n  - {name: 'US+EU', options: [x]}\n  - {name: Iran, options: [y]}\n"
        "preferences:\n  'US+EU': {prioritize: ['x & y']}\n  Iran: {prioritize: [y, '-x']}\n"
    )
    code, out, _ = run(
        ["conflict", "analyze", str(plus), "--coalition", "US+EU+Iran", "--concepts", "nash"], capsys
    )
    assert code == 0 and "coalitions: US+EU, Iran, US+EU+Iran" in out
    # Over 5000 states: by default coalitional SMR (a direct search) is left out, and said so;
    # asked for explicitly, it is refused in one line that says what to ask for instead.
    code, out, _ = run(["conflict", "analyze", big, "--coalition", "A+B"], capsys)
    assert code == 0 and "CSEQ" in out and "CSMR" not in out
    assert "coalitional SMR left out" in out and "this model has 16384" in out
    code, _, err = run(["conflict", "analyze", big, "--coalition", "A+B", "--concepts", "smr"], capsys)
    assert code == 2 and "ask for nash, gmr and seq only" in err
    # --no-states also keeps the coalitions' state lists out of the JSON; counts stay.
    code, out, _ = run(["conflict", "analyze", big, "--coalition", "A+B", "--json", "--no-states"], capsys)
    co = json.loads(out)["coalitions"]
    assert co["left_out"] == ["smr"] and "stable" not in co["concepts"]["seq"]
    assert set(co["concepts"]["seq"]["stable_count"]) == {"A", "B", "C", "A+B"}


def test_conflict_commands_check_their_arguments(capsys: pytest.CaptureFixture[str]) -> None:
    pd = str(Path(__file__).parent / "conflict" / "data" / "prisoners.yaml")
    for args, said in (
        (["analyze", "elmira", "--concepts", ","], "give at least one solution concept"),
        (["analyze", pd, "--concepts", "nm", "--explain", "XYZ"], "'XYZ' is not a state"),
        (
            ["inverse", "elmira", "MoE", "NYNNN", "--concept", "sim"],
            "inverse analysis handles nash, gmr, smr, seq",
        ),
        (["paths", "elmira", "--concept", "l2"], "defined for two decision makers"),
    ):
        code, _, err = run(["conflict", *args], capsys)
        assert code == 2 and said in err and err.count("\n") == 1, (args, err)
    code, out, _ = run(["conflict", "paths", "elmira", "--concept", "NASH"], capsys)
    assert code == 0 and "reaches" in out
    code, out, _ = run(["conflict", "analyze", pd, "--concepts", "l1000000000,nm"], capsys)
    assert code == 0 and "L1000000000:" in out


def test_first_sentences_are_bounded() -> None:
    from accord.report.terminal import _first_sentences

    assert _first_sentences("One. Two. Three.", 2) == "One. Two."
    long = "A " + "; ".join(f"part {i} of a long clause" for i in range(40)) + "."
    short = _first_sentences(long, 2)
    assert len(short) <= 322 and short.endswith(" …")


def test_no_command_returns_an_integer() -> None:
    # main() runs click outside standalone mode, where a typer.Exit's code comes back as the
    # result: a command returning an int would turn into the process's exit status.
    import inspect

    from accord.cli import app

    def callbacks(t):  # type: ignore[no-untyped-def]
        for c in t.registered_commands:
            yield c.callback
        for g in t.registered_groups:
            yield from callbacks(g.typer_instance)

    found = list(callbacks(app))
    assert len(found) > 20
    for cb in found:
        ret = inspect.signature(cb).return_annotation
        assert ret in (None, "None") or "int" not in str(ret), cb.__name__
