"""States, moves and deterrence in plain words (what the briefing and the report print)."""

from __future__ import annotations

from typing import Any

from tests.conflict.test_examples import PD

from accord import conflict
from accord.conflict.words import (
    deterrence_in_words,
    move_in_words,
    option_label,
    state_in_words,
    steps_in_words,
)

LABELLED = """
name: labelled
decision_makers:
  - name: A
    options: [{name: a1, label: "opens the border"}, {name: a2, label: "frees the prisoners"}]
  - name: B
    options: [{name: b, label: "releases the hostages"}]
preferences:
  A: [YNN, NNN, YYN, NYN, YNY, NNY, YYY, NYY]
  B: [NNY, YNY, YYY, NYY, NNN, YNN, YYN, NYN]
"""


def test_states_and_moves_with_labels() -> None:
    m = conflict.loads_model(LABELLED)
    assert option_label(m, 2) == "releases the hostages"
    assert state_in_words(m, "YYY") == "A opens the border and frees the prisoners; B releases the hostages"
    assert state_in_words(m, "NNN") == "nobody takes any option"
    a, b = m.state_id("YYN"), m.state_id("NYY")
    assert move_in_words(m, [0], a, m.state_id("NYN")) == "A no longer opens the border"
    assert move_in_words(m, [0, 1], a, b) == "A no longer opens the border; B releases the hostages"
    steps = [{"dm": "A+B", "from": "NNN", "to": "YNY"}, {"dm": "A", "from": "YNY", "to": "YYY"}]
    assert steps_in_words(m, steps) == [
        "together, A opens the border; B releases the hostages",
        "A frees the prisoners",
    ]


def test_states_and_moves_without_labels() -> None:
    m = conflict.loads_model(PD)
    assert option_label(m, 0) is None
    assert state_in_words(m, "YN") == "P1 takes C1"
    assert state_in_words(m, "NN") == "nobody takes any option"
    assert move_in_words(m, [1], m.state_id("YY"), m.state_id("YN")) == "P2 drops C2"
    assert move_in_words(m, [1], m.state_id("YN"), m.state_id("YY")) == "P2 takes up C2"


def test_partly_labelled_options_are_named() -> None:
    m = conflict.loads_model(LABELLED.replace('{name: a2, label: "frees the prisoners"}', "a2"))
    assert state_in_words(m, "YYY") == "A opens the border and takes a2; B releases the hostages"
    assert (
        move_in_words(m, [0], m.state_id("YYN"), m.state_id("NNN"))
        == "A no longer opens the border and drops a2"
    )


def test_a_decision_maker_named_with_a_plus() -> None:
    m = conflict.loads_model(PD.replace("name: P1", "name: P1+P3").replace("  P1: [", "  P1+P3: ["))
    assert steps_in_words(m, [{"dm": "P1+P3", "from": "NN", "to": "YN"}]) == ["P1+P3 takes up C1"]


def test_deterrence_sentences_for_each_kind_of_answer() -> None:
    m = conflict.loads_model(PD)
    gmr = deterrence_in_words(m, conflict.explain(m, "P1", "YY", "gmr"))
    assert gmr == [
        "If P1 drops C1, that is a gain for P1, but then P2 drops C2, which leaves P1 no better off than before"
    ]
    sim = deterrence_in_words(m, conflict.explain(m, "P1", "YY", "sim"))
    assert sim == [
        "If P1 drops C1, that is a gain for P1, but if at the same time P2 drops C2, "
        "that leaves P1 no better off than before"
    ]
    # Undeterred moves say what the concept looked for and did not find.
    nash = deterrence_in_words(m, conflict.explain(m, "P1", "YY", "nash"))
    assert nash == ["If P1 drops C1, that is a gain for P1, and Nash stability looks no further"]
    seq = deterrence_in_words(m, conflict.explain(m, "P2", "NY", "seq"))
    assert seq == [
        "If P2 drops C2, that is a gain for P2, and none of the others would gain from an answer "
        "that leaves P2 worse off"
    ]


def test_two_simultaneous_responders_in_words() -> None:
    from tests.conflict.test_simultaneous import TWO_SANCTIONERS

    m = conflict.loads_model(TWO_SANCTIONERS)
    (sentence,) = deterrence_in_words(m, conflict.explain(m, "A", "NNN", "sim"))
    assert sentence == (
        "If A takes up a, that is a gain for A, but if at the same time B takes up b and C takes up c, "
        "that leaves A no better off than before"
    )


def test_an_unstable_state_shows_a_move_nothing_deters() -> None:
    from accord.conflict_brief import why_in_words

    m = conflict.load_model("gaza-2025-07")
    e = conflict.explain(m, "Israel", "YNNNNNNNNNN", "seq")
    assert not e.stable and e.improvements[0].sanction is not None  # the first move is deterred
    (israel,) = [w for w in why_in_words(m, "YNNNNNNNNNN", []) if "a gain for Israel" in w]
    assert "none of the others would gain from an answer" in israel


def test_gaza_briefing_says_why_and_how() -> None:
    from accord.conflict_brief import conflict_summary
    from accord.scenario.loader import load

    c = conflict_summary(load("gaza-2025-07"))
    assert c is not None
    named = {st["name"]: st for st in c.named}
    collapse = named["collapse of the talks (24 July)"]
    # Held under GMR only because Hamas could then accept the terms; SEQ sees no deterrent.
    assert collapse["why"][0].startswith(
        "If Israel launches an expanded offensive, that is a gain for Israel, but then Hamas accepts the "
        "offered terms, which leaves Israel no better off than before"
    )
    assert collapse["why"][-1].startswith(
        "Counting only answers the others gain from (SEQ): if Israel launches"
    )
    deal = named["truce deal with a US guarantee"]
    assert deal["reachable_unilaterally"] is False
    assert deal["path_in_words"][0].startswith("together, Israel pulls back to the lines agreed in the deal")
    assert deal["path_in_words"][1:] == [
        "US guarantees the truce and no longer stays out of the talks",
        "Mediators no longer press Hamas",
    ]
    # How firm each stable state is to the modeller's ordering of the priority statements.
    assert deal["firmness"].startswith("How firm: it stays SEQ stable in 58 of 60 one-step changes")
    assert "Israel's priority 'Withdraw if PressIsrael' is dropped" in deal["firmness"]
    assert collapse["firmness"].startswith("How firm: it stays GMR stable in 60 of 60")
    offensive = named["expanded offensive"]
    assert offensive["reachable_unilaterally"] is True
    assert offensive["path_in_words"] == ["Israel launches an expanded offensive"]


def test_firmness_counts_a_state_named_twice_once() -> None:
    from accord.conflict_brief import conflict_summary
    from accord.scenario.loader import load

    scenario = load("gaza-2025-07")
    link = scenario.conflict
    assert link is not None
    states = {**link.states, "the same deal, named again": link.states["truce deal with a US guarantee"]}
    c = conflict_summary(scenario.model_copy(update={"conflict": link.model_copy(update={"states": states})}))
    assert c is not None
    named = {st["name"]: st for st in c.named}
    for name in ("truce deal with a US guarantee", "the same deal, named again"):
        text = named[name]["firmness"]
        assert text.startswith("How firm: it stays SEQ stable in 58 of 60 one-step changes"), text
        assert text.count("'Withdraw if PressIsrael' is dropped") == 1


def test_no_firmness_when_there_is_no_order_to_change(tmp_path: Any) -> None:
    from accord.conflict_brief import conflict_summary
    from accord.scenario.loader import load

    (tmp_path / "one.yaml").write_text(
        "name: one statement each\n"
        "decision_makers:\n  - {name: A, options: [X]}\n  - {name: B, options: [Z]}\n"
        "status_quo: NN\n"
        "preferences:\n  A: {prioritize: ['X & Z']}\n  B: {prioritize: ['Z']}\n"
    )
    scenario = load("gaza-2025-07")
    assert scenario.conflict is not None
    link = scenario.conflict.model_copy(
        update={"model": str(tmp_path / "one.yaml"), "states": {"both": "YY", "none": "NN"}, "coalitions": []}
    )
    c = conflict_summary(scenario.model_copy(update={"conflict": link}))
    assert c is not None
    both = next(st for st in c.named if st["name"] == "both")
    assert both["equilibrium"]["seq"]  # stable, yet with one statement per side nothing can be reordered
    assert all("firmness" not in st for st in c.named)
