"""States, moves and sanctions of a graph model in plain words, for reports.

An option may carry a ``label``, a phrase with its decision maker as subject ("launches an
expanded offensive"). With labels a state reads "Israel launches an expanded offensive; US
disengages from the talks", a move "Hamas accepts the offered terms" or "US no longer presses
Israel". Without labels the option names are used ("Israel: Offensive", "Hamas takes up
AcceptTerms").
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


def _labelled(model: ConflictModel) -> bool:
    return all(option_label(model, i) for i in range(model.n_options))


def state_in_words(model: ConflictModel, state: int | str) -> str:
    """What each decision maker does in a state: the options it takes."""
    sid = model.state_id(state) if isinstance(state, str) else int(state)
    code = int(model.codes[sid])
    labelled = _labelled(model)
    parts = []
    for d in model.dms:
        taken = [i for i in d.indices if code >> i & 1]
        if not taken:
            continue
        if labelled:
            parts.append(f"{d.name} " + _join([option_label(model, i) or "" for i in taken]))
        else:
            parts.append(f"{d.name}: " + ", ".join(model.options[i] for i in taken))
    if parts:
        return "; ".join(parts)
    return "nobody does anything" if labelled else "no option taken by anyone"


def move_in_words(model: ConflictModel, movers: Sequence[int], a: int, b: int) -> str:
    """The change from state ``a`` to ``b`` made by ``movers``, per decision maker."""
    ca, cb = int(model.codes[a]), int(model.codes[b])
    labelled = _labelled(model)
    parts = []
    for j in movers:
        d = model.dms[j]
        changes = []
        for i in d.indices:
            was, now = ca >> i & 1, cb >> i & 1
            if was == now:
                continue
            if labelled:
                changes.append(option_label(model, i) if now else f"no longer {option_label(model, i)}")
            else:
                changes.append(f"{'takes up' if now else 'drops'} {model.options[i]}")
        if changes:
            parts.append(f"{d.name} {_join([c or '' for c in changes])}")
    return "; ".join(parts) if parts else "nothing changes"


def steps_in_words(model: ConflictModel, steps: Sequence[dict[str, str]]) -> list[str]:
    """Steps ``{"dm", "from", "to"}`` (a coalition's name joins its members with ``+``) in words."""
    out = []
    for s in steps:
        names = s["dm"].split("+")
        movers = [model.dm_index(n) for n in names]
        text = move_in_words(model, movers, model.state_id(s["from"]), model.state_id(s["to"]))
        out.append(f"together, {text}" if len(names) > 1 else text)
    return out


def deterrence_in_words(model: ConflictModel, explanation: Any) -> list[str]:
    """One sentence per unilateral improvement in an explanation: the move and what deters it."""
    i, s = explanation.dm, explanation.state
    name = model.dms[i].name
    out = []
    for d in explanation.improvements:
        move = move_in_words(model, [i], s, d.target)
        sanction = getattr(d, "sanction", None)
        responses = getattr(d, "responses", None)
        if sanction:
            answer = "; then ".join(move_in_words(model, [j], a, b) for j, a, b in sanction)
            out.append(f"If {move}, {name} gains, but then {answer}, and {name} is no better off than before")
        elif responses:
            answer = move_in_words(model, sorted(responses), s, d.result)
            out.append(
                f"If {move}, {name} gains, but if at the same time {answer}, {name} is no better off than before"
            )
        else:
            out.append(f"If {move}, {name} gains, and nothing the others can do deters it")
    return out


__all__ = ["deterrence_in_words", "move_in_words", "option_label", "state_in_words", "steps_in_words"]
