"""Validation harness: readers for the long and DEU wide layouts, splits and scoring.

The two data files are small synthetic inputs written for these tests
(tests/forecast/data/validation_long.csv and validation_deu.csv); the expected numbers are
worked out by hand in the comments.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from accord.errors import ConfigurationError, ModelError
from accord.forecast.validation import (
    COUNCIL_VOTES,
    evaluate,
    read_deu_csv,
    read_issue_csv,
    split_by_group,
)

DATA = Path(__file__).parent / "data"
LONG = DATA / "validation_long.csv"
DEU = DATA / "validation_deu.csv"


def test_long_layout_reads_issues_and_scores_the_compromise_model() -> None:
    issues = read_issue_csv(LONG)
    assert [i.issue for i in issues] == ["i1", "i2", "i3"]
    assert [i.group for i in issues] == ["p1", "p1", "p2"]
    assert issues[0].reference_point == 0.0 and issues[1].reference_point is None
    assert issues[0].problem.salience[:, 0].tolist() == [1.0, 0.5, 0.5]  # 0-100 -> 0-1
    report = evaluate(issues, ["compromise", "median", "nash"])
    # weights capability x salience: i1 (1, 1, 1) -> 50; i2 (.8, .4, .1) -> 112/1.3;
    # i3 (1.5, 1.5, 1) -> 41.25
    np.testing.assert_allclose(report.forecasts["compromise"], [50.0, 112 / 1.3, 41.25])
    errors = [10.0, 90 - 112 / 1.3, 11.25]
    assert report.mae()["compromise"] == pytest.approx(sum(errors) / 3)
    # weighted medians: i1 the middle actor C (50); i2 A holds 0.8 of 1.3 -> 100; i3 B -> 30
    np.testing.assert_allclose(report.forecasts["median"], [50.0, 100.0, 30.0])
    # the Nash model needs a reference point: not applicable to i2
    assert np.isnan(report.forecasts["nash"][1]) and not np.isnan(report.forecasts["nash"][0])
    rows = {r["model"]: r for r in report.table()}
    assert rows["nash"]["n"] == 2
    assert rows["nash"]["baseline_mae_same_issues"] == pytest.approx((10.0 + 11.25) / 2)
    json.dumps(report.to_dict())


def test_dynamic_models_run_on_the_long_layout() -> None:
    issues = read_issue_csv(LONG)
    report = evaluate(issues, ["smp", "eu", ("smp-quartic", "smp", {"victory_prob": "quartic"})])
    for label in ("smp", "eu", "smp-quartic"):
        f = report.forecasts[label]
        assert np.all((f >= 0) & (f <= 100))
        assert report.seconds[label] >= 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("issue,actor,position,salience,capability\n", "x.csv:1:1: header: missing column 'outcome'"),
        (
            "issue,actor,position,salience,capability,outcome\ni,A,abc,50,1,40\n",
            "x.csv:2:5: issues[i].actors[A].position: 'abc' is not a number",
        ),
        (
            "issue,actor,position,salience,capability,outcome\ni,A,10,150,1,40\n",
            "x.csv:2:8: issues[i].actors[A].salience: 150 is off the scale; valid values are in [0, 100]",
        ),
        (
            "issue,actor,position,salience,capability,outcome\ni,A,1,5,1,40\ni,B,1,5,1,41\n",
            "x.csv:3:11: issues[i].outcome: outcome 41 differs from 40 on line 2",
        ),
        (
            "issue,actor,position,salience,capability,outcome\ni,A,1,5,1,40\ni,A,1,5,1,40\n",
            "x.csv:3:3: issues[i].actors[A]: actor 'A' appears twice",
        ),
        (
            "issue,actor,position,salience,capability,outcome\ni,A,1,5,1,40\ni,B,1,5,1,40\n",
            "x.csv:2:1: issues[i]: issue 'i' has 2 actors; at least 3 are needed",
        ),
    ],
)
def test_long_layout_errors_name_file_line_column_and_field(tmp_path: Path, text: str, expected: str) -> None:
    p = tmp_path / "x.csv"
    p.write_text(text)
    with pytest.raises(ModelError) as info:
        read_issue_csv(p)
    message = str(info.value)
    assert "\n" not in message
    assert message.replace(str(tmp_path) + "/", "").startswith(expected)


def test_deu_layout_missing_values_capabilities_and_skipped_rows() -> None:
    issues = read_deu_csv(DEU)
    # the weights row (no isnr), x3 (outcome 999) and x4 (2 actors) are skipped
    assert [i.issue for i in issues] == ["x1", "x2"]
    x1, x2 = issues
    assert list(x1.problem.actors) == ["com", "ep", "fr", "de"]  # mt's position 999 is missing
    assert list(x2.problem.actors) == ["com", "fr", "de"]  # ep has no position, mt salience 0
    assert x1.group == x2.group == "P1"
    assert x1.attributes == {"proc": "COD"} and x2.attributes == {"proc": "CNS"}
    assert x1.reference_point == 0.0 and x2.reference_point is None
    assert x1.problem.capability.tolist() == [29.0, 29.0, COUNCIL_VOTES["fr"], COUNCIL_VOTES["de"]]
    report = evaluate(issues, ["compromise"])
    # equal capabilities: x1 (90*100 + 50*80 + 60*50) / 280; x2 140 / 1.9
    np.testing.assert_allclose(report.forecasts["compromise"], [16000 / 280, 140 / 1.9])
    equal = read_deu_csv(DEU, capability="equal")
    assert equal[0].problem.capability.tolist() == [1.0] * 4
    custom = read_deu_csv(DEU, capability={"com": 5, "ep": 1, "de": 2, "fr": 2})
    assert custom[0].problem.capability.tolist() == [5.0, 1.0, 2.0, 2.0]
    inst0 = read_deu_csv(DEU, institution_capability=0.0)
    assert inst0[0].problem.capability.tolist()[:2] == [0.0, 0.0]


def test_deu_layout_tab_separated_copy_reads_the_same(tmp_path: Path) -> None:
    tab = tmp_path / "deu.tsv"
    tab.write_text(DEU.read_text().replace(";", "\t"))
    a, b = read_deu_csv(DEU), read_deu_csv(tab)
    assert [i.issue for i in a] == [i.issue for i in b]
    for x, y in zip(a, b, strict=True):
        np.testing.assert_array_equal(x.problem.position, y.problem.position)


def test_deu_layout_errors(tmp_path: Path) -> None:
    p = tmp_path / "d.csv"
    p.write_text("prnr;pcom;scom;out\n")
    with pytest.raises(ModelError, match="missing column 'isnr'"):
        read_deu_csv(p)
    p.write_text("isnr;pcom;scom;out\n")
    with pytest.raises(ModelError, match="fewer than 3 actors"):
        read_deu_csv(p)
    with pytest.raises(ConfigurationError, match="unknown capability scheme 'gdp'"):
        read_deu_csv(DEU, capability="gdp")
    with pytest.raises(ModelError, match="cannot read file"):
        read_deu_csv(tmp_path / "absent.csv")


def test_split_by_group_keeps_proposals_together_and_is_seeded() -> None:
    issues = read_issue_csv(LONG)
    train, test = split_by_group(issues, 0.5, seed=3)
    assert {i.group for i in train}.isdisjoint({i.group for i in test})
    assert sorted(i.issue for i in train + test) == ["i1", "i2", "i3"]
    assert train and test
    again = split_by_group(issues, 0.5, seed=3)
    assert [i.issue for i in again[1]] == [i.issue for i in test]
    with pytest.raises(ConfigurationError):
        split_by_group(issues, 1.0)
