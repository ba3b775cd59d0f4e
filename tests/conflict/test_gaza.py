"""The built-in Gaza (Doha, July 2025) graph model: provenance and the main findings."""

from __future__ import annotations

import re

import numpy as np
import pytest

from accord import conflict
from accord.conflict.sensitivity import levels_from_statements, priority_sensitivity
from accord.conflict.statusquo import status_quo_paths
from accord.errors import ConfigurationError


def test_every_priority_has_a_source_or_an_estimate() -> None:
    model = conflict.load_model("gaza-2025-07")
    listed = set(model.meta["sources"])
    for dm, meta in model.meta["preferences"].items():
        for item in meta["prioritize"]:
            assert ("source" in item) != ("estimate" in item), (dm, item)
            if "source" in item:
                assert re.fullmatch(r"S\d+", item["source"]), item
                assert item["source"] in listed, item["source"]


def test_findings() -> None:
    model = conflict.load_model("gaza-2025-07")
    opt = {name: i for i, name in enumerate(model.options)}
    r = conflict.analyze(model)
    sq = model.status_quo
    assert sq is not None and model.pattern(sq) == "NNNNNNNNNYY"
    # From the collapse of the talks Israel's expanded offensive is an improvement for Israel that
    # nobody deters by improving moves (SEQ), although it can be sanctioned under GMR.
    assert not r.tables["seq"][0, sq] and r.tables["gmr"][0, sq]
    # Every Nash equilibrium is a war outcome: offensive, no accepted deal.
    nash = [model.pattern(s) for s in r.equilibria("nash")]
    assert nash and all(p[opt["Offensive"]] == "Y" and p[opt["AcceptTerms"]] == "N" for p in nash)

    def truce(p: str) -> bool:
        return (
            p[opt["ReleaseHostages"]] == "Y" and p[opt["AcceptTerms"]] == "Y" and p[opt["Offensive"]] == "N"
        )

    # Truces are equilibria under SEQ (deviations are answered by improving counter-moves) ...
    seq_truces = [s for s in r.equilibria("seq") if truce(model.pattern(s))]
    assert seq_truces
    # ... but no sequence of unilateral improvements leads there from the status quo;
    alone = status_quo_paths(model, concept="seq")
    assert not any(truce(model.pattern(s)) for s in alone.reached())
    # a joint Israel-Hamas move (the deal itself) does.
    joint = status_quo_paths(model, targets=seq_truces, coalitions=[["Israel", "Hamas"]])
    reached = joint.reached_targets()
    assert reached
    path = joint.paths[reached[0]]
    assert any(isinstance(mover, tuple) and set(mover) == {0, 1} for mover, _, _ in path)


def test_the_deal_state() -> None:
    # Israel redeploys to agreed lines and releases prisoners, Hamas releases the hostages under
    # the accepted terms, the US guarantees: a SEQ equilibrium, reached from the status quo by the
    # joint Israel-Hamas move, then the US re-engaging with a guarantee and the mediators easing off.
    model = conflict.load_model("gaza-2025-07")
    r = conflict.analyze(model)
    deal = model.state_id("YYNNYYNNYNN")
    assert r.is_equilibrium("seq", deal) and r.is_equilibrium("gmr", deal)
    assert not r.is_equilibrium("nash", deal)  # Israel would rather keep the corridors
    why = conflict.explain(model, "Israel", deal, "seq")
    # ... but US pressure answers a pull-back from the agreed lines
    assert why.stable and all(d.sanction for d in why.improvements)
    assert {model.dms[j].name for d in why.improvements for j, _, _ in d.sanction or []} == {"US"}
    joint = status_quo_paths(model, targets=[deal], coalitions=[["Israel", "Hamas"]])
    movers = [mover for mover, _, _ in joint.paths[deal]]
    assert movers == [(0, 1), 2, 3]
    # Adding UN-run aid to the deal is not SEQ stable: Israel drops it and no improving move deters it.
    assert not r.is_equilibrium("seq", "YYYNYYNNYNN")


def test_priority_sensitivity() -> None:
    model = conflict.load_model("gaza-2025-07")
    for i, d in enumerate(model.dms):  # the stored statements reproduce the loaded rankings
        stmts = [item["statement"] for item in model.meta["preferences"][d.name]["prioritize"]]
        np.testing.assert_array_equal(levels_from_statements(model, stmts), model.levels[i])
    res = priority_sensitivity(model, ["YYNNYYNNYNN"], "seq")
    out = res.to_dict()
    assert out["states"][0]["equilibrium"] is True
    assert out["perturbations"] == sum(
        2 * len(model.meta["preferences"][d.name]["prioritize"]) - 1 for d in model.dms
    )
    # The deal survives every one-step change except losing the link between US pressure and
    # Israel's lines (Israel's 'Withdraw if PressIsrael', the US's 'PressIsrael iff ...').
    assert out["states"][0]["robustness"] > 0.9
    flipped = {(f["dm"], f["change"]) for f in out["flips"]}
    assert flipped == {("Israel", "drop 5"), ("US", "drop 6")}


def test_a_swap_can_flip_an_equilibrium() -> None:
    text = """
decision_makers:
  - {name: A, options: [a]}
  - {name: B, options: [b]}
preferences:
  A: {prioritize: ["a", "-a & -b"]}
  B: {prioritize: ["-b"]}
"""
    model = conflict.loads_model(text)
    yn = model.state_id("YN")
    res = priority_sensitivity(model, ["YN"], "nash", drops=False)
    # A ranks YN above NN because 'a' comes first; swapped, NN wins and A leaves YN.
    assert res.baseline[yn]
    assert [(r["dm"], r["change"], r["equilibrium"][yn]) for r in res.rows] == [("A", "swap 1 and 2", False)]
    assert res.robustness()[yn] == 0.0
    with pytest.raises(ConfigurationError):
        priority_sensitivity(conflict.load_model("elmira"), ["NYNNN"])
