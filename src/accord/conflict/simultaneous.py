"""Simultaneous stability (SIM): sanctions made of moves taken at the same time.

Definition. A state ``s`` is **SIM stable** for DM *i* when every unilateral improvement ``x`` of
*i* from ``s`` is deterred by moves the other DMs make *at the same time*, from ``s``: each other
DM *j* either stays or makes one of its unilateral improvements ``y_j`` from ``s``, and the state
that results from all the moves together, ``x (+) y_1 (+) ...`` — *i*'s options as in ``x``, each
mover's options as in its ``y_j``, every other option as in ``s`` — is feasible and not preferred
by *i* to ``s``. This is the simultaneous sanctioning of Fraser & Hipel (1984, *Conflict Analysis:
Models and Resolutions*, Ch. 4) in the option form of the graph model (Fang, Hipel & Kilgour 1993),
and the "SIM" concept of the GMCR II and GMCR+ decision support systems ("the strategic impact of
two or more DMs moving together at the same time from a given state").

In option form the options of different DMs are disjoint, so simultaneous moves combine by
adding their code changes: ``code(x (+) y) = code(x) + sum_j (code(y_j) - code(s))``. For each
state the combinations of the others' responses are one outer sum of their code changes, and all
of *i*'s improvements are checked against them in one array operation.

Every DM's response is checked from ``s``, not from ``x``: the sanctioners do not see *i*'s move
before making theirs. Unlike GMR, a sanction here must be an *improvement* for each sanctioner
moving alone from ``s``. A combination leading to an infeasible state is not available.

Cost: every DM's improvements from every state are found in one vector pass per own option
pattern; then one Python step per (DM, state), each a vector operation over ``|R_i^+(s)| x prod_j
(|R_j^+(s)| + 1)`` combinations: a random model of 65,536 states (4 DMs x 4 options) takes about
15 s on one core, the 720-state Gaza model 0.1 s.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from accord.conflict.graphsearch import Deterrence, Explanation
from accord.conflict.model import ConflictModel
from accord.errors import ConfigurationError

#: Most response combinations examined for one (DM, state) before giving up with an error.
MAX_COMBINATIONS = 2_000_000


@dataclass
class SimDeterrence(Deterrence):
    """One improvement of the focal DM and the simultaneous responses that deter it (if any)."""

    responses: dict[int, int] = field(default_factory=dict)  # dm -> state it moves to alone
    result: int | None = None  # the combined state, None when not deterred

    def to_dict(self, model: ConflictModel) -> dict[str, Any]:
        """JSON-ready form with patterns and DM names."""
        return {
            "improvement": model.pattern(self.target),
            "deterred": self.result is not None,
            "responses": {model.dms[j].name: model.pattern(t) for j, t in self.responses.items()},
            "result": None if self.result is None else model.pattern(self.result),
        }


@dataclass
class SimExplanation(Explanation):
    """Why ``state`` is (not) SIM stable for ``dm``: each improvement and the simultaneous responses."""

    def _part(self, model: ConflictModel, name: str, d: Deterrence) -> str:
        x = model.pattern(d.target)
        if not isinstance(d, SimDeterrence) or d.result is None:
            return f"{name} can improve to {x} and no simultaneous moves of the others deter it"
        who = " and ".join(
            f"{model.dms[j].name} moves to {model.pattern(t)}" for j, t in sorted(d.responses.items())
        )
        return (
            f"{name}'s move to {x} is deterred if at the same time {who}: "
            f"together they reach {model.pattern(d.result)}"
        )


class _Responses:
    """Unilateral improvements of every DM from every state, as code changes, cached."""

    def __init__(self, model: ConflictModel) -> None:
        self.model = model
        self._table: dict[int, NDArray[np.int64]] = {}

    def table(self, dm: int) -> NDArray[np.int64]:
        """``T[s, t]``: the state DM ``dm`` reaches from ``s`` by setting its own options to
        pattern ``t``, when that is a unilateral improvement; ``-1`` otherwise. One vector pass per
        own pattern (the same moves, in the same order, as :meth:`ConflictModel.improvements`)."""
        hit = self._table.get(dm)
        if hit is not None:
            return hit
        model = self.model
        d = model.dms[dm]
        k = len(d.options)
        mask = (1 << k) - 1
        own = (model.codes >> d.first) & mask
        base = model.codes & ~(mask << d.first)
        allowed = model.allowed_own(dm)
        lv = model.levels[dm]
        out = np.full((model.n_states, 1 << k), -1, dtype=np.int64)
        for t in range(1 << k):
            cand = model.index[base | (t << d.first)]
            ok = allowed[own, t] & (cand >= 0)
            ok &= lv[np.where(ok, cand, 0)] > lv
            out[ok, t] = cand[ok]
        self._table[dm] = out
        return out

    def uis(self, dm: int, state: int) -> list[int]:
        row = self.table(dm)[state]
        return [int(v) for v in row[row >= 0]]

    def combos(self, dm: int, state: int, n_moves: int = 1) -> tuple[NDArray[np.int64], list[list[int]]]:
        """Code offsets of every combination of the others' responses (stay or one UI each).

        ``n_moves`` improvements of ``dm`` are checked against them (for the size limit).
        Returns the flat array of summed offsets (row-major over the others in DM order, "stay"
        first for each) and, per other DM, its list of response states (``-1`` = stays).
        """
        model = self.model
        code = int(model.codes[state])
        total = np.zeros(1, dtype=np.int64)
        choices: list[list[int]] = []
        for j in range(model.n_dms):
            if j == dm:
                continue
            ys = self.uis(j, state)
            choices.append([-1, *ys])
            deltas = np.array([0, *(int(model.codes[y]) - code for y in ys)], dtype=np.int64)
            if n_moves * total.size * deltas.size > MAX_COMBINATIONS:
                raise ConfigurationError(
                    f"SIM at state {model.pattern(state)} needs more than {MAX_COMBINATIONS} combinations "
                    "of simultaneous responses; this model is too large for SIM"
                )
            total = np.add.outer(total, deltas).ravel()
        return total, choices


def _check(resp: _Responses, dm: int, state: int, *, explain: bool) -> tuple[bool, list[Deterrence]]:
    model = resp.model
    lv = model.levels[dm]
    xs = resp.uis(dm, state)
    if not xs:
        return True, []
    offsets, choices = resp.combos(dm, state, len(xs))
    combined = model.codes[np.asarray(xs)][:, None] + offsets[None, :]
    sid = model.index[combined]
    ok = (sid >= 0) & (lv[np.where(sid >= 0, sid, 0)] <= lv[state])
    deterred = ok.any(axis=1)
    stable = bool(deterred.all())
    if not explain:
        return stable, []
    shape = [len(c) for c in choices]
    others = [j for j in range(model.n_dms) if j != dm]
    out: list[Deterrence] = []
    for r, x in enumerate(xs):
        if not deterred[r]:
            out.append(SimDeterrence(x))
            continue
        # Of the deterring combinations, report one with the fewest movers.
        cols = np.flatnonzero(ok[r])
        idx = np.array(np.unravel_index(cols, shape))  # (n_others, n_cols)
        best = int(cols[int(np.argmin((idx > 0).sum(axis=0)))])
        picks = np.unravel_index(best, shape)
        responses = {others[k]: choices[k][int(p)] for k, p in enumerate(picks) if int(p) > 0}
        out.append(SimDeterrence(x, None, responses, int(sid[r, best])))
    return stable, out


def sim_table(model: ConflictModel) -> NDArray[np.bool_]:
    """SIM stability of every state for every DM: bool array ``(n_dms, m)``."""
    resp = _Responses(model)
    out = np.zeros((model.n_dms, model.n_states), dtype=bool)
    for i in range(model.n_dms):
        for s in range(model.n_states):
            out[i, s] = _check(resp, i, s, explain=False)[0]
    return out


def explain_sim(model: ConflictModel, dm: int | str, state: int | str) -> SimExplanation:
    """Each unilateral improvement of ``dm`` from ``state`` and the simultaneous responses (fewest
    movers) that deter it, or none."""
    i = model.dm_index(dm)
    s = model.state_id(state) if isinstance(state, str) else int(state)
    stable, items = _check(_Responses(model), i, s, explain=True)
    return SimExplanation(i, s, "sim", stable, items)


__all__ = ["SimDeterrence", "SimExplanation", "explain_sim", "sim_table"]
