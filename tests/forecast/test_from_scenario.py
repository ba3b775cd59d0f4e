"""Forecasts from accord scenarios: the 0-100 mapping, the units of the result, the CLI."""

from __future__ import annotations

import json

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
