"""The conflict-stability part of a briefing: which states of the scenario's graph model hold.

Reads the graph model a scenario points to (``conflict: {model, states, coalitions}``), runs the
stability analysis (:mod:`accord.conflict`) and reports, in words, the equilibria under each
solution concept, whether each named state is stable and for whom, and the path from the status
quo to each named state by unilateral improvements and by the named coalitions' joint moves.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from accord.conflict.words import state_in_words, steps_in_words
from accord.errors import Location, ScenarioError


@dataclass
class ConflictSummary:
    """Plain results of the graph-model analysis linked from a scenario."""

    model: str
    n_states: int
    options: list[str]
    status_quo: str | None
    equilibria: dict[str, list[str]]
    named: list[dict[str, Any]]
    words: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "n_states": self.n_states,
            "options": list(self.options),
            "status_quo": self.status_quo,
            "equilibria": {k: list(v) for k, v in self.equilibria.items()},
            "named_states": list(self.named),
            "in_words": dict(self.words),
        }


#: Concepts from strongest to weakest deterrence, for the one sentence per move a briefing gives.
EXPLAIN_ORDER = ("seq", "smr", "gmr")


def why_in_words(model: Any, pattern: str, held: list[str]) -> list[str]:
    """Each decision maker's first tempting move away from a state and what deters it, in words.

    Uses the strongest concept under which the state holds (SEQ, then SMR, then GMR); a state
    that holds under none is explained under SEQ, showing the moves nothing deters. When a
    decision maker has several such moves, the sentence says how many.
    """
    from accord.conflict import explain
    from accord.conflict.words import deterrence_in_words

    concept = next((c for c in EXPLAIN_ORDER if c in held), "seq")
    out = []
    for dm in model.dm_names:
        e = explain(model, dm, pattern, concept)
        said = deterrence_in_words(model, e)
        if said:
            # An unstable state: show a move nothing deters, not one that happens to be deterred.
            k = 0 if e.stable else [getattr(d, "sanction", None) for d in e.improvements].index(None)
            more = f" (one of {len(said)} moves {dm} gains from)" if len(said) > 1 else ""
            out.append(said[k] + more)
    if concept != "seq" and held:
        # Stable only thanks to answers the others would not gain from: say what SEQ sees.
        for dm in model.dm_names:
            e = explain(model, dm, pattern, "seq")
            if not e.stable:
                k = [getattr(d, "sanction", None) for d in e.improvements].index(None)
                first = deterrence_in_words(model, e)[k]
                out.append(f"Counting only answers the others gain from (SEQ): {first[0].lower()}{first[1:]}")
    return out


def _firmness(model: Any, named: list[dict[str, Any]]) -> None:
    """Add to each named SEQ (else GMR) equilibrium how many one-step changes to the order of the
    sides' priority statements keep it stable, and which ones break it (priority_sensitivity)."""
    from accord.conflict import priority_sensitivity
    from accord.errors import ConfigurationError

    for concept in ("seq", "gmr"):
        chosen = [
            st
            for st in named
            if st["equilibrium"].get(concept)
            and "firmness" not in st
            and (concept == "seq" or not st["equilibrium"].get("seq"))
        ]
        if not chosen:
            continue
        try:
            result = priority_sensitivity(model, [st["state"] for st in chosen], concept)
        except ConfigurationError:  # preferences not given as priority statements
            return
        data = result.to_dict()
        n = data["perturbations"]
        if n == 0:  # every side has a single statement: there is no order to change
            return
        rows = {model.state_id(row["state"]): row for row in data["states"]}
        for st in chosen:
            row = rows[model.state_id(st["state"])]
            flips = [f for f in data["flips"] if f["state"] == st["state"]]
            kept = n - len(flips)
            text = (
                f"How firm: it stays {concept.upper()} stable in {kept} of {n} one-step changes to the order "
                "of the sides' priorities (two neighbours swapped, or one dropped)"
            )
            if flips:
                shown = [
                    f"{f['dm']}'s priority '{f['statements'][0]}' is dropped"
                    if f["change"].startswith("drop")
                    else f"{f['dm']}'s priorities '{f['statements'][0]}' and '{f['statements'][1]}' trade places"
                    for f in flips[:3]
                ]
                more = f", and {len(flips) - 3} more" if len(flips) > 3 else ""
                text += "; it stops being stable if " + ", or if ".join(shown) + more
            st["firmness"] = text
            st["robustness"] = row["robustness"]


def conflict_summary(scenario: Any, base_dir: Path | None = None) -> ConflictSummary | None:
    """Analyse the graph model linked from ``scenario`` (None if it links none)."""
    link = scenario.conflict
    if link is None:
        return None
    from accord import conflict

    ref = link.model
    if base_dir is not None and (base_dir / ref).exists():
        ref = str(base_dir / ref)
    model = conflict.load_model(ref)
    for name, pattern in link.states.items():
        try:
            model.state_id(pattern)
        except Exception:
            raise ScenarioError(
                f"state '{name}' = '{pattern}' is not a feasible state of the conflict model "
                f"({model.n_options} options Y/N: {' '.join(model.options)})",
                Location(path=f"conflict.states.{name}"),
            ) from None
    result = conflict.analyze(model)
    data = result.to_dict()
    eq = {c: list(v["equilibria"]) for c, v in data["concepts"].items()}
    sq = data.get("status_quo")
    named = []
    coalitions = [list(c) for c in link.coalitions]
    for name, pattern in link.states.items():
        sid = model.state_id(pattern)
        stable = {c: pattern in eq[c] for c in eq}
        unstable_for = {
            c: [dm for dm in model.dm_names if sid not in set(result.stable_for(c, dm))] for c in eq
        }
        entry: dict[str, Any] = {
            "name": name,
            "state": pattern,
            "in_words": state_in_words(model, pattern),
            "equilibrium": stable,
            "unstable_for": unstable_for,
            "why": why_in_words(model, pattern, [c for c, v in stable.items() if v]),
        }
        if sq is not None and pattern != sq:
            alone = conflict.status_quo_paths(model, targets=[pattern]).to_dict()
            entry["reachable_unilaterally"] = pattern in alone["reachable"]
            path = next((t["path"] for t in alone["targets"] if t["state"] == pattern), None)
            if coalitions:
                joint = conflict.status_quo_paths(model, targets=[pattern], coalitions=coalitions).to_dict()
                entry["path_with_coalitions"] = next(
                    (t["path"] for t in joint["targets"] if t["state"] == pattern), None
                )
                if path is None:
                    path = entry["path_with_coalitions"]
            entry["path_in_words"] = steps_in_words(model, path) if path else None
        named.append(entry)
    _firmness(model, named)
    words = {p: state_in_words(model, p) for c in ("nash",) for p in eq.get(c, [])}
    if sq is not None:
        words[sq] = state_in_words(model, sq)
    return ConflictSummary(
        model=data["model"],
        n_states=int(data["n_states"]),
        options=list(data["options"]),
        status_quo=sq,
        equilibria=eq,
        named=named,
        words=words,
    )
