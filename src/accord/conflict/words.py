"""States, moves and sanctions of a graph model in plain words, for reports.

An option may carry a ``label``, a phrase with its decision maker as subject ("launches an
expanded offensive"). With labels a state reads "Israel launches an expanded offensive; US
stays out of the talks", a move "Hamas accepts the offered terms" or "US no longer presses
Israel". An option without a label is named: "P1 takes C1", "P2 takes up C2", "P2 drops C2".
The sentences avoid verbs agreeing with a decision maker's name ("a gain for Mediators").
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from accord.conflict.model import ConflictModel


def option_label(model: ConflictModel, index: int) -> str | None:
    """The plain-words label of option ``index`` (global order), if the model gives one."""
    metas = model.meta.get("options") or []
    if index < len(metas):
        label = (metas[index] or {}).get("label")
        if isinstance(label, str) and label.strip():
            return label.strip()
    return None


def _join(parts: Sequence[str]) -> str:
    if len(parts) <= 2:
        return " and ".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def _taken(model: ConflictModel, i: int) -> str:
    return option_label(model, i) or f"takes {model.options[i]}"


def state_in_words(model: ConflictModel, state: int | str) -> str:
    """What each decision maker does in a state: the options it takes."""
    sid = model.state_id(state) if isinstance(state, str) else int(state)
    code = int(model.codes[sid])
    parts = []
    for d in model.dms:
        taken = [i for i in d.indices if code >> i & 1]
        if taken:
            parts.append(f"{d.name} " + _join([_taken(model, i) for i in taken]))
    return "; ".join(parts) if parts else "nobody takes any option"


def move_in_words(model: ConflictModel, movers: Sequence[int], a: int, b: int, *, sep: str = "; ") -> str:
    """The change from state ``a`` to ``b`` made by ``movers``, per decision maker."""
    ca, cb = int(model.codes[a]), int(model.codes[b])
    parts = []
    for j in movers:
        d = model.dms[j]
        changes = []
        for i in d.indices:
            was, now = ca >> i & 1, cb >> i & 1
            if was == now:
                continue
            label = option_label(model, i)
            if label:
                changes.append(label if now else f"no longer {label}")
            else:
                changes.append(f"{'takes up' if now else 'drops'} {model.options[i]}")
        if changes:
            parts.append(f"{d.name} {_join(changes)}")
    return sep.join(parts) if parts else "nothing changes"


def steps_in_words(model: ConflictModel, steps: Sequence[dict[str, str]]) -> list[str]:
    """Steps ``{"dm", "from", "to"}`` (a coalition's name joins its members with ``+``) in words."""
    out = []
    for s in steps:
        names = [s["dm"]] if s["dm"] in model.dm_names else s["dm"].split("+")
        movers = [model.dm_index(n) for n in names]
        text = move_in_words(model, movers, model.state_id(s["from"]), model.state_id(s["to"]))
        out.append(f"together, {text}" if len(names) > 1 else text)
    return out


#: How each concept's undeterred move reads: which answers were looked for and none found.
UNDETERRED = {
    "nash": "and Nash stability looks no further",
    "gmr": "and no sequence of moves by the others can leave {name} worse off",
    "smr": "and no sequence of moves by the others leaves {name} worse off without a way out",
    "seq": "and none of the others would gain from an answer that leaves {name} worse off",
    "sim": "and no moves the others could make at the same time leave {name} worse off",
}


def deterrence_in_words(model: ConflictModel, explanation: Any) -> list[str]:
    """One sentence per unilateral improvement in an explanation: the move and what deters it."""
    i, s = explanation.dm, explanation.state
    name = model.dms[i].name
    concept = getattr(explanation, "concept", "gmr")
    out = []
    for d in explanation.improvements:
        move = move_in_words(model, [i], s, d.target)
        sanction = getattr(d, "sanction", None)
        responses = getattr(d, "responses", None)
        gain = f"If {move}, that is a gain for {name}"
        if sanction:
            answer = "; then ".join(move_in_words(model, [j], a, b) for j, a, b in sanction)
            out.append(f"{gain}, but then {answer}, which leaves {name} no better off than before")
        elif responses and d.result is not None:
            answer = move_in_words(model, sorted(responses), s, d.result, sep=" and ")
            out.append(
                f"{gain}, but if at the same time {answer}, that leaves {name} no better off than before"
            )
        else:
            out.append(f"{gain}, " + UNDETERRED.get(concept, UNDETERRED["gmr"]).format(name=name))
    return out


__all__ = ["deterrence_in_words", "move_in_words", "option_label", "state_in_words", "steps_in_words"]
