"""Forecasts from accord scenarios: the 0-100 mapping, the units of the result, the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import accord
from accord.cli import main
from accord.forecast import run
from accord.forecast.from_scenario import forecast_scenario, spatial_problem


def test_mapping_to_the_0_100_scale() -> None:
    scenario = accord.load("gaza-2025-07")
    problem, dims = spatial_problem(scenario)
    assert "aid" in dims.skipped and "aid" not in problem.dimensions
    israel = problem.actors.index("Government of Israel")
    w = list(problem.dimensions).index("withdrawal_km")
    # Israel's ideal 3 km on a 0.5..3 km issue is the top of the scale
    assert problem.position[israel, w] == pytest.approx(100.0)
    assert (problem.salience.sum(axis=1) <= 1 + 1e-12).all()
    assert dims.to_issue_units("withdrawal_km", 50.0) == pytest.approx(1.75)
    assert dims.to_issue_units("permanence", 49.0) == "extend_while_talking"


def test_compromise_equals_the_weighted_mean_in_issue_units() -> None:
    scenario = accord.load("gaza-2025-07")
    problem, _dims = spatial_problem(scenario)
    w = problem.capability[:, None] * problem.salience
    mean = (w * problem.position).sum(axis=0) / w.sum(axis=0)
    got = forecast_scenario(scenario, "compromise")
    for j, d in enumerate(problem.dimensions):
        assert got["forecast_0_100"][d] == pytest.approx(mean[j])
    assert got["forecast"]["withdrawal_km"] == pytest.approx(0.5 + 2.5 * mean[0] / 100)
    assert run(problem, "nbs", status_quo=[50.0] * len(problem.dimensions)).model == "nash"


def test_cli_forecast_json_one_object_per_input_in_order(
    capsys: pytest.CaptureFixture[str], tmp_path
) -> None:  # type: ignore[no-untyped-def]
    from pathlib import Path

    csv = Path(__file__).parent / "data" / "dummyData_3Dim.csv"
    code = main(["forecast", "gaza-2025-07", str(csv), "--model", "smp", "--json"])
    out = capsys.readouterr().out
    assert code == 0
    data = json.loads(out)
    assert [d["file"] for d in data] == ["gaza-2025-07", str(csv)]
    for d in data:
        assert d["turns"] >= 1 and d["final_positions"] and d["history"]
    assert np.isfinite(list(data[1]["forecast"].values())).all()
    code = main(["forecast", "--model", "smq"])
    assert code == 2 and "did you mean 'smp'" in capsys.readouterr().err


def test_status_quo_from_the_scenario_and_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    from accord.errors import ModelError
    from accord.forecast.baselines import nash_bargaining

    gaza = accord.load("gaza-2025-07")
    with pytest.raises(ModelError, match="missing: withdrawal_km, lifers_per_hostage"):
        forecast_scenario(gaza, "nbs")
    sq = {
        "withdrawal_km": 1.75,
        "lifers_per_hostage": 10,
        "detainees_per_hostage": 100,
        "guarantee": "none",
        "permanence": "resume_allowed",
    }
    got = forecast_scenario(gaza, "nbs", status_quo=sq)
    problem, _ = spatial_problem(gaza)
    q = np.array([50.0, 0.0, 0.0, 0.0, 0.0])  # the same status quo on the 0-100 scale
    want = nash_bargaining(problem.capability, problem.position, problem.salience, q, 2.0)
    assert [got["forecast_0_100"][d] for d in problem.dimensions] == pytest.approx(list(want))
    # The same status quo written into the scenario's issues gives the same forecast.
    data = gaza.model_dump(mode="json", by_alias=True, exclude_none=True)
    for issue in data["issues"]:
        if issue["id"] in sq:
            issue["status_quo"] = sq[issue["id"]]
    inline = forecast_scenario(accord.scenario.from_dict(data), "nbs")
    assert inline["forecast_0_100"] == pytest.approx(got["forecast_0_100"])
    # On the command line: ISSUE=VALUE, checked against the issues.
    args = ["forecast", "--model", "nbs", "--json"] + [
        a for k, v in sq.items() for a in ("--status-quo", f"{k}={v}")
    ]
    assert main(args) == 0
    assert json.loads(capsys.readouterr().out)[0]["forecast_0_100"] == pytest.approx(got["forecast_0_100"])
    for bad, message in [
        ("withdrawl_km=2", "no numeric or ordinal issue 'withdrawl_km' (did you mean 'withdrawal_km'?)"),
        ("withdrawal_km=9", "9 is outside withdrawal_km's range [0.5, 3]"),
        ("permanence=forever", "permanence takes one of its levels: resume_allowed"),
        ("withdrawal_km", "give ISSUE=VALUE"),
    ]:
        assert main(["forecast", "--model", "nbs", "--status-quo", bad]) == 2
        err = capsys.readouterr().err
        assert err.startswith("error: --status-quo: ") and message in err and err.count("\n") == 1


def test_status_quo_on_the_command_line_beyond_scenarios(capsys: pytest.CaptureFixture[str]) -> None:
    from accord.cli import main

    ktab = str(Path(__file__).parent / "data" / "dummyData_3Dim.csv")
    # Only the Nash bargaining model uses a status quo: elsewhere it is an error, not ignored.
    assert main(["forecast", "--model", "smp", "--status-quo", "withdrawal_km=2"]) == 2
    assert (
        "used by the Nash bargaining model only (--model nbs), not by --model smp" in capsys.readouterr().err
    )
    # KTAB files: DIMENSION=VALUE on 0-100, every dimension, said in command-line terms.
    assert main(["forecast", "--model", "nbs", ktab]) == 2
    assert "give --status-quo DIMENSION=VALUE (0-100) for Pstn1, Pstn2, Pstn3" in capsys.readouterr().err
    for bad, message in [
        ("a=1", "no dimension 'a'"),
        ("Pstn1=140", "a number from 0 to 100"),
        ("Pstn1", "give DIMENSION=VALUE"),
    ]:
        assert main(["forecast", "--model", "nbs", "--status-quo", bad, ktab]) == 2
        err = capsys.readouterr().err
        assert message in err and err.count("\n") == 1, err
    assert main(["forecast", "--model", "nbs", "--status-quo", "Pstn1=50", ktab]) == 2
    assert "missing: Pstn2, Pstn3" in capsys.readouterr().err
    sq = ["--status-quo", "Pstn1=50", "--status-quo", "Pstn2=20", "--status-quo", "Pstn3=90"]
    assert main(["forecast", "--model", "nbs", "--json", *sq, ktab]) == 0
    (got,) = json.loads(capsys.readouterr().out)
    assert got["details"]["status_quo"] == [50, 20, 90]
    # Pstn2 and Pstn3 keep the status quo (actors on both sides); Pstn1 moves, and the text says which.
    assert got["details"]["status_quo_kept"] == ["Pstn2", "Pstn3"] and got["forecast"]["Pstn1"] != 50
    assert main(["forecast", "--model", "nbs", *sq, ktab]) == 0
    assert "status quo kept on Pstn2, Pstn3" in capsys.readouterr().out
