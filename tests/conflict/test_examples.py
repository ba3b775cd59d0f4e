"""Published graph models, typed in from the papers, and their published stability results."""

from __future__ import annotations

from importlib import resources

import numpy as np

from accord import conflict
from accord.conflict.model import ConflictModel


def numbered(model: ConflictModel, numbers: dict[str, int], states: list[int]) -> list[int]:
    """Map state ids to the paper's state numbers (9 stands for every pattern of a merged state)."""
    return sorted({numbers.get(model.pattern(s), 9) for s in states})


PD = """
name: Prisoner's Dilemma
decision_makers:
  - {name: P1, options: [C1]}
  - {name: P2, options: [C2]}
preferences:
  P1: [NY, YY, NN, YN]
  P2: [YN, YY, NN, NY]
"""


def test_prisoners_dilemma() -> None:
    # Fang, Hipel & Kilgour (1993), Sec. 3.3: mutual defection is the only Nash equilibrium;
    # mutual cooperation is GMR, SMR and SEQ stable for both (a defection is punished by the
    # other defecting, which is an improvement for the sanctioner).
    model = conflict.loads_model(PD)
    r = conflict.analyze(model)
    eq = {c: [model.pattern(s) for s in r.equilibria(c)] for c in r.concepts}
    assert eq["nash"] == ["NN"]
    assert eq["gmr"] == eq["smr"] == eq["seq"] == ["NN", "YY"]
    text = r.summary()
    assert "NASH: 1 equilibria: NN" in text and "SEQ: 2 equilibria: NN, YY" in text
    assert "<table>" in r._repr_html_()
    d = r.to_dict()
    assert d["concepts"]["gmr"]["equilibria"] == ["NN", "YY"]
    assert d["states"][0]["stable"]["nash"] == ["P1", "P2"]


ELMIRA = {"NYNNN": 1, "YYNNN": 2, "NNYNN": 3, "YNYNN": 4, "NYNNY": 5, "YYNNY": 6, "NNYNY": 7, "YNYNY": 8}


def test_elmira() -> None:
    # Kilgour & Hipel (2005); Hipel, Kilgour & Fang (EOLSS chapter): equilibria 5, 8, 9 under
    # Nash and SEQ; GMR and SMR add 1 and 4. (Hipel, Kilgour, Fang & Peng 1997, cited here before,
    # analyse a different dispute; provenance in builtin/elmira.yaml.)
    model = conflict.load_model("elmira")
    assert model.n_states == 12  # published state 9 is four patterns with Abandon = Y
    r = conflict.analyze(model)
    assert numbered(model, ELMIRA, r.equilibria("nash")) == [5, 8, 9]
    assert numbered(model, ELMIRA, r.equilibria("seq")) == [5, 8, 9]
    assert numbered(model, ELMIRA, r.equilibria("gmr")) == [1, 4, 5, 8, 9]
    assert numbered(model, ELMIRA, r.equilibria("smr")) == [1, 4, 5, 8, 9]
    # Per DM: the status quo (1) is unstable for LG under SEQ: LG insists (1 -> 5) and no
    # opponent improvement sanctions it.
    assert 1 not in numbered(model, ELMIRA, r.stable_for("seq", "LG"))
    why = conflict.explain(model, "LG", "NYNNN", "seq")
    assert not why.stable and why.improvements[0].sanction is None
    # ... but GMR stable for LG: MoE can answer with 5 -> 6, which LG likes less than 1.
    why = conflict.explain(model, "LG", "NYNNN", "gmr")
    assert why.stable
    (det,) = why.improvements
    assert det.sanction is not None and det.sanction[-1][2] == model.state_id("YYNNY")


def test_elmira_results_do_not_depend_on_the_order_of_urs_last_states() -> None:
    text = (resources.files("accord.conflict") / "builtin" / "elmira.yaml").read_text()
    tail_a = "NNYNN, NNYNY, YYNNN, YYNNY]"  # 3 7 2 6
    tail_b = "YYNNN, NNYNN, NNYNY, YYNNY]"  # 2 3 7 6
    assert tail_a in text
    a = conflict.analyze(conflict.loads_model(text))
    b = conflict.analyze(conflict.loads_model(text.replace(tail_a, tail_b)))
    for c in a.concepts:
        np.testing.assert_array_equal(a.tables[c], b.tables[c])
