"""States, moves and deterrence in plain words (what the briefing and the report print)."""

from __future__ import annotations

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

PLAIN = """
name: plain
decision_makers:
  - {name: P1, options: [C1]}
  - {name: P2, options: [C2]}
preferences:
  P1: [NY, YY, NN, YN]
  P2: [YN, YY, NN, NY]
"""


def test_states_and_moves_with_labels() -> None:
    m = conflict.loads_model(LABELLED)
    assert option_label(m, 2) == "releases the hostages"
    assert state_in_words(m, "YYY") == "A opens the border and frees the prisoners; B releases the hostages"
    assert state_in_words(m, "NNN") == "nobody does anything"
    a, b = m.state_id("YYN"), m.state_id("NYY")
    assert move_in_words(m, [0], a, m.state_id("NYN")) == "A no longer opens the border"
    assert move_in_words(m, [0, 1], a, b) == "A no longer opens the border; B releases the hostages"
    steps = [{"dm": "A+B", "from": "NNN", "to": "YNY"}, {"dm": "A", "from": "YNY", "to": "YYY"}]
    assert steps_in_words(m, steps) == [
        "together, A opens the border; B releases the hostages",
        "A frees the prisoners",
    ]


def test_states_and_moves_without_labels() -> None:
    m = conflict.loads_model(PLAIN)
    assert option_label(m, 0) is None
    assert state_in_words(m, "YN") == "P1: C1"
    assert state_in_words(m, "NN") == "no option taken by anyone"
    assert move_in_words(m, [1], m.state_id("YY"), m.state_id("YN")) == "P2 drops C2"


def test_deterrence_sentences_for_each_kind_of_answer() -> None:
    m = conflict.loads_model(PLAIN)
    gmr = deterrence_in_words(m, conflict.explain(m, "P1", "YY", "gmr"))
    assert gmr == ["If P1 drops C1, P1 gains, but then P2 drops C2, and P1 is no better off than before"]
    sim = deterrence_in_words(m, conflict.explain(m, "P1", "YY", "sim"))
    assert sim == [
        "If P1 drops C1, P1 gains, but if at the same time P2 drops C2, P1 is no better off than before"
    ]
    nash = deterrence_in_words(m, conflict.explain(m, "P1", "YY", "nash"))
    assert nash == ["If P1 drops C1, P1 gains, and nothing the others can do deters it"]


def test_gaza_briefing_says_why_and_how() -> None:
    from accord.conflict_brief import conflict_summary
    from accord.scenario.loader import load

    c = conflict_summary(load("gaza-2025-07"))
    assert c is not None
    named = {st["name"]: st for st in c.named}
    collapse = named["collapse of the talks (24 July)"]
    # Held under GMR only because Hamas could then accept the terms; SEQ sees no deterrent.
    assert collapse["why"][0].startswith(
        "If Israel launches an expanded offensive, Israel gains, but then Hamas accepts the offered terms"
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
    offensive = named["expanded offensive"]
    assert offensive["reachable_unilaterally"] is True
    assert offensive["path_in_words"] == ["Israel launches an expanded offensive"]
