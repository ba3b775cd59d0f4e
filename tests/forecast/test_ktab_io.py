"""KTAB CSV/XML reading and writing, and the bad-input catalogue."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from accord.errors import ModelError
from accord.forecast import SpatialProblem, run
from accord.forecast.ktab_io import read_ktab, read_ktab_csv, read_ktab_xml, write_ktab_csv

DATA = Path(__file__).parent / "data"

HEADER = "Scen,Desc,3,2,\nActor,Description,Power,P1,S1,P2,S2,\n"
ROWS = ["A,first,100,10,40,20,50,", "B,second,50,60,30,70,30,", "C,third,25,90,20,80,10,"]


def _csv(tmp_path: Path, rows: list[str] | None = None, header: str = HEADER) -> Path:
    p = tmp_path / "s.csv"
    p.write_text(header + "\n".join(ROWS if rows is None else rows) + "\n")
    return p


def test_reads_ktab_example() -> None:
    sc = read_ktab_csv(DATA / "dummyData_3Dim.csv")
    pr = sc.problem
    assert sc.name == "DummyData_3Dim" and pr.n_actors == 7 and pr.n_dims == 3
    assert pr.dimensions == ("Pstn1", "Pstn2", "Pstn3")
    assert pr.actors[2] == "SActor-02" and pr.capability[2] == 129.643
    assert pr.position[0].tolist() == [75.79, 6.37, 70.45]
    np.testing.assert_allclose(pr.salience[0], [0.4953, 0.0591, 0.2815])
    soe = read_ktab(DATA / "SOE-Pol-Comp.csv").problem
    assert soe.n_actors == 13 and soe.dimensions == ("Policy Position", "Competitive Position")


def test_round_trip(tmp_path: Path) -> None:
    pr = read_ktab_csv(DATA / "SOE-Pol-Comp.csv").problem
    out = tmp_path / "rt.csv"
    write_ktab_csv(pr, out, name="rt", description="round trip")
    back = read_ktab_csv(out)
    assert back.name == "rt" and back.problem.actors == pr.actors
    np.testing.assert_allclose(back.problem.position, pr.position)
    np.testing.assert_allclose(back.problem.salience, pr.salience, rtol=1e-12)
    np.testing.assert_allclose(back.problem.capability, pr.capability)


@pytest.mark.parametrize(
    ("rows", "header", "where", "msg"),
    [
        (
            [ROWS[0], "B,second,50,60,30,70,75,", ROWS[2]],
            HEADER,
            ":4:22: actors[B].salience:",
            "sum to 105",
        ),
        (ROWS[:2], HEADER.replace(",3,", ",2,"), ":1:11: scenario.actors:", "from 3 to 250"),
        (ROWS[:2], HEADER, ":4: actors[2]:", "declares 3 actors but 2"),
        (
            [ROWS[0], "B,second,50,101,30,70,30,", ROWS[2]],
            HEADER,
            ":4:13: actors[B].position[P1]:",
            "off the scale",
        ),
        (
            [ROWS[0], ROWS[1], "C,third,25,90,20,abc,10,"],
            HEADER,
            ":5:18: actors[C].position[P2]:",
            "'abc' is not a number",
        ),
        ([ROWS[0], ROWS[1], "C,third,x,90,20,80,10,"], HEADER, ":5:9: actors[C].capability:", ""),
        ([ROWS[0], ROWS[1], "C,third,-1,90,20,80,10,"], HEADER, ":5:9:", "capability must be >= 0"),
        ([ROWS[0], ROWS[1], "C,third,25,90,20,80"], HEADER, ":5:", "missing salience"),
        ([ROWS[0], ROWS[0], ROWS[2]], HEADER, ":4:1:", "duplicate actor name 'A'"),
        (
            ROWS,
            "Scen,Desc,3,2,\nActor,Description,Power,P1,S1,\n",
            ":2:1: header:",
            "(7 columns), found 6",
        ),
        (ROWS, "Scen,Desc,three,2,\n", ":1:11:", "'three' is not a number"),
    ],
)
def test_bad_csv_names_file_line_column_field(
    tmp_path: Path, rows: list[str], header: str, where: str, msg: str
) -> None:
    p = _csv(tmp_path, rows, header)
    with pytest.raises(ModelError) as info:
        read_ktab_csv(p)
    text = str(info.value)
    assert text.startswith(str(p) + where), text
    assert msg in text and "\n" not in text


def test_missing_file_and_extension(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="cannot read file"):
        read_ktab_csv(tmp_path / "nope.csv")
    with pytest.raises(ModelError, match=r"use \.csv or \.xml"):
        read_ktab(tmp_path / "x.txt")


def test_xml_reader(tmp_path: Path) -> None:
    # KTAB's shipped example leaves Alice's first coordinate empty: we refuse, with the line
    with pytest.raises(ModelError, match=r"smpExample.xml:32: actors\[Alice\].position\[FirstDim\]"):
        read_ktab_xml(DATA / "smpExample.xml")
    text = (DATA / "smpExample.xml").read_text(encoding="utf-8-sig")
    fixed = tmp_path / "ok.xml"
    fixed.write_text(text.replace("<dCoord></dCoord>", "<dCoord>52.8</dCoord>"))
    sc = read_ktab(fixed)
    assert sc.problem.actors[:2] == ("Alice", "Bob") and sc.problem.position[0, 0] == 52.8
    assert sc.options["pce"] == "markov_incentive" and sc.options["voting_rule"] == "prop_cubic"
    assert sc.ignored == ("prngSeed", "IdealAdjustment")
    bad = tmp_path / "bad.xml"
    bad.write_text(fixed.read_text().replace("<dSal>25.2</dSal>", "<dSal>95.2</dSal>"))
    with pytest.raises(ModelError, match=r"bad.xml:\d+: actors\[Bob\].salience: saliences sum"):
        read_ktab_xml(bad)


def test_smp_via_run_facade() -> None:
    pr = read_ktab_csv(DATA / "dummyData_3Dim.csv").problem
    res = run(pr, "smp")
    assert res.turns == 10 and res.converged is True
    assert set(res.forecast) == set(pr.dimensions)
    assert res.final_positions is not None
    assert res.final_positions["SActor-02"]["Pstn3"] == pytest.approx(0.07)
    d = res.to_dict()
    assert len(d["history"]) == 11 and d["history"][1]["challenges"]
    # the forecast is the probability-weighted mean of final unique positions
    lo = min(p["Pstn1"] for p in res.final_positions.values())
    hi = max(p["Pstn1"] for p in res.final_positions.values())
    assert lo <= res.forecast["Pstn1"] <= hi
    other = run(pr, "smp", voting_rule="binary", pce="markov_uniform", max_iter=5)
    assert other.turns <= 5


def test_smp_input_errors() -> None:
    pr = SpatialProblem(["a", "b"], ["x"], [1, 1], [[0], [100]], [[1], [1]])
    with pytest.raises(ModelError, match="at least 3 actors"):
        run(pr, "smp")
    pr = SpatialProblem(["a", "b", "c"], ["x", "y"], [1, 1, 1], [[0, 0]] * 3, [[0.6, 0.6]] * 3)
    with pytest.raises(ModelError, match=r"salience\[0\]: actor 0's saliences sum to 1.2"):
        run(pr, "smp")
    with pytest.raises(Exception, match="did you mean 'pce'"):
        run(pr, "smp", pcf="conditional")


def test_xml_round_trip(tmp_path: Path) -> None:
    from accord.forecast.ktab_io import write_ktab_xml

    pr = read_ktab_csv(DATA / "dummyData_3Dim.csv").problem
    out = tmp_path / "rt.xml"
    write_ktab_xml(pr, out, name="rt", options={"pce": "markov_uniform"})
    back = read_ktab(out)
    assert back.name == "rt" and back.problem.actors == pr.actors
    assert back.options["pce"] == "markov_uniform" and back.options["voting_rule"] == "proportional"
    np.testing.assert_allclose(back.problem.position, pr.position)
    np.testing.assert_allclose(back.problem.salience, pr.salience, rtol=1e-12)
    with pytest.raises(ModelError, match="no KTAB equivalent"):
        write_ktab_xml(pr, out, options={"pce": "nope"})
