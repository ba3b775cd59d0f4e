"""Coalition analysis: coalitional moves and improvements, coalitional Nash/GMR/SMR/SEQ.

Definitions (Kilgour, Hipel, Fang & Peng 2001, "Coalition analysis in group decision support",
GDN 10:159-175; Inohara & Hipel 2008, "Coalition analysis in the graph model for conflict
resolution", Systems Engineering 11(4):343-359). For a coalition ``H`` (a non-empty set of DMs):

* ``R_H(s)``: states reachable from ``s`` by legal sequences of unilateral moves of members of
  ``H`` (any member may move several times, never twice in a row).
* Coalitional improvements ``R_H^{++}(s)``: the states ``t`` in ``R_H(s)`` that **every** member
  of ``H`` strictly prefers to ``s``.
For the opponents ``N - H`` as sanctioners:

* **CNash**: ``R_H^{++}(s)`` is empty.
* **CGMR**: every ``t`` in ``R_H^{++}(s)`` has a sanction ``u`` in ``R_{N-H}(t)`` after which the
  coalition no longer gains as a whole: some member ``k`` of ``H`` has ``P_k(u) <= P_k(s)``.
* **CSMR**: as CGMR, and from ``u`` every ``v`` in ``R_H(u)`` also has some member ``k`` with
  ``P_k(v) <= P_k(s)`` (the coalition cannot escape the sanction).
* **CSEQ**: as CGMR with ``u`` reached by legal sequences of unilateral *improvements* of the
  opponents.

For ``H = {i}`` these are exactly Nash, GMR, SMR and SEQ for DM ``i``
(``tests/conflict/test_coalitions.py`` checks this). A state is a *coalitional equilibrium* when it
is stable for every coalition considered (by default every non-empty subset of DMs, singletons
included, so a coalitional equilibrium is also an ordinary equilibrium).

CNash, CGMR and CSEQ are computed block by block with array operations
(:mod:`accord.conflict.coalitions_fast`, cross-checked against the direct search here on random
models); CSMR and explanations use direct search (breadth-first over ``(state, last mover)``),
exact for any model but meant for models of up to a few thousand states.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

import numpy as np
from numpy.typing import NDArray

from accord.conflict.coalitions_fast import FAST_CONCEPTS, MAX_BLOCK, coalition_tables_fast
from accord.conflict.graphsearch import MoveCache, Step, reachable, steps_to_dicts
from accord.conflict.model import ConflictModel
from accord.conflict.stability import CONCEPTS, NEG, full_levels
from accord.errors import ConfigurationError

MAX_STATES = 5000


def coalition_improvements(
    model: ConflictModel, coalition: Sequence[int], state: int, *, cache: MoveCache | None = None
) -> dict[int, list[Step]]:
    """Coalitional improvements of ``coalition`` from ``state``, each with a move sequence."""
    cache = cache or MoveCache(model)
    lv = model.levels
    members = list(coalition)
    reach = reachable(cache, members, state)
    return {t: reach[t] for t in reach if all(lv[k, t] > lv[k, state] for k in members)}


def _not_better(lv: NDArray[np.int64], members: Sequence[int], u: int, s: int) -> bool:
    return any(lv[k, u] <= lv[k, s] for k in members)


def coalition_stable(
    model: ConflictModel,
    coalition: Sequence[int],
    state: int,
    concept: str,
    *,
    cache: MoveCache | None = None,
    details: bool = True,
) -> tuple[bool, list[dict[str, Any]]]:
    """Coalitional stability of ``state`` for ``coalition`` under ``concept``, with the reasons.

    Returns ``(stable, details)``; ``details`` lists each coalitional improvement with the moves
    that reach it and the sanction (or ``None``). With ``details=False`` the search stops at the
    first improvement that cannot be sanctioned and ``details`` is empty.
    """
    cache = cache or MoveCache(model)
    lv = model.levels
    members = sorted(set(coalition))
    others = [j for j in range(model.n_dms) if j not in members]
    stable = True
    out: list[dict[str, Any]] = []
    for t, path in sorted(coalition_improvements(model, members, state, cache=cache).items()):
        sanction: list[Step] | None = None
        if concept != "nash" and others:
            reach = reachable(cache, others, t, improving=(concept == "seq"))
            for u in reach:  # shortest sequences first
                if not _not_better(lv, members, u, state):
                    continue
                if concept == "smr":
                    escape = reachable(cache, members, u)
                    if any(not _not_better(lv, members, v, state) for v in escape):
                        continue
                sanction = reach[u]
                break
        if sanction is None:
            stable = False
            if not details:
                break
        if not details:
            continue
        out.append(
            {
                "improvement": model.pattern(t),
                "moves": steps_to_dicts(model, path),
                "sanction": None if sanction is None else steps_to_dicts(model, sanction),
            }
        )
    return stable, out


@dataclass
class CoalitionResult:
    """Coalitional stability of every state for several coalitions and concepts.

    ``tables[concept][coalition]`` is a bool array over state ids.
    """

    model: ConflictModel
    coalitions: list[tuple[int, ...]]
    tables: dict[str, dict[tuple[int, ...], NDArray[np.bool_]]] = field(default_factory=dict)

    def equilibria(self, concept: str) -> list[int]:
        """States stable for every coalition considered."""
        tabs = list(self.tables[concept].values())
        ok = np.logical_and.reduce(tabs) if tabs else np.ones(self.model.n_states, dtype=bool)
        return [int(s) for s in np.flatnonzero(ok)]

    def name(self, coalition: tuple[int, ...]) -> str:
        """Display name of a coalition, e.g. ``MoE+UR``."""
        return "+".join(self.model.dms[i].name for i in coalition)

    def to_dict(self, all_states: bool | None = None) -> dict[str, Any]:
        """JSON-ready summary: per concept, the coalitional equilibria and, per coalition, how many
        states are stable (``stable_count``) and which (``stable``: by default for models of at
        most ``TABLE_LIMIT`` states; ``all_states=True`` for any size, ``False`` never)."""
        from accord.conflict.analysis import TABLE_LIMIT

        model = self.model
        listed = (model.n_states <= TABLE_LIMIT) if all_states is None else all_states
        out: dict[str, Any] = {
            "model": model.name,
            "coalitions": [self.name(c) for c in self.coalitions],
            "concepts": {},
        }
        for c, per in self.tables.items():
            entry: dict[str, Any] = {
                "equilibria": [model.pattern(s) for s in self.equilibria(c)],
                "stable_count": {self.name(h): int(tab.sum()) for h, tab in per.items()},
            }
            if listed:
                entry["stable"] = {
                    self.name(h): [model.pattern(int(s)) for s in np.flatnonzero(tab)]
                    for h, tab in per.items()
                }
            out["concepts"][c] = entry
        return out


def coalition_analysis(
    model: ConflictModel,
    coalitions: Iterable[Iterable[int | str]] | None = None,
    concepts: Iterable[str] = CONCEPTS,
) -> CoalitionResult:
    """Coalitional Nash/GMR/SMR/SEQ stability of every state.

    Parameters
    ----------
    model : ConflictModel
        CNash, CGMR and CSEQ of coalitions with at most 12 options are vectorized
        (:mod:`accord.conflict.coalitions_fast`) and take any size; CSMR and larger coalitions are
        searched state by state, for models of at most ``MAX_STATES`` feasible states.
    coalitions : iterable of iterables of DM names or indices, optional
        Default: every non-empty subset of the DMs.
    concepts : iterable of str
    """
    if coalitions is None:
        groups = [c for r in range(1, model.n_dms + 1) for c in combinations(range(model.n_dms), r)]
    else:
        groups = []
        for c in coalitions:
            h = tuple(sorted({model.dm_index(d) for d in c}))
            if not h:
                raise ConfigurationError("a coalition needs at least one decision maker")
            if h not in groups:  # each coalition once (a repeat would only repeat its table)
                groups.append(h)
    wanted = [c.lower() for c in concepts]
    for c in wanted:
        if c not in CONCEPTS:
            raise ConfigurationError(f"unknown concept '{c}'; use one of {', '.join(CONCEPTS)}")

    def fast_ok(h: tuple[int, ...]) -> bool:
        return sum(len(model.dms[j].options) for j in h) <= MAX_BLOCK.bit_length() - 1

    slow = [(c, h) for c in wanted for h in groups if c not in FAST_CONCEPTS or not fast_ok(h)]
    if slow and model.n_states > MAX_STATES:
        c, h = slow[0]
        why = (
            "coalitional SMR"
            if c == "smr"
            else f"a coalition with more than {MAX_BLOCK.bit_length() - 1} options"
        )
        hint = "; ask for nash, gmr and seq only" if c == "smr" else ""
        raise ConfigurationError(
            f"{why} is searched state by state, which is limited to {MAX_STATES} states (this model has "
            f"{model.n_states}); CNash, CGMR and CSEQ of smaller coalitions have no such limit{hint}"
        )
    cache = MoveCache(model)
    result = CoalitionResult(model, groups)
    fast_wanted = [c for c in wanted if c in FAST_CONCEPTS]
    p_neg = {j: full_levels(model, j, int(NEG)) for j in range(model.n_dms)} if fast_wanted else {}
    fast = {
        h: coalition_tables_fast(model, h, fast_wanted, p_neg=p_neg)
        for h in groups
        if fast_wanted and fast_ok(h)
    }
    for c in wanted:
        result.tables[c] = {}
        for h in groups:
            if (c, h) not in slow:
                result.tables[c][h] = fast[h][c]
                continue
            result.tables[c][h] = np.array(
                [
                    coalition_stable(model, h, s, c, cache=cache, details=False)[0]
                    for s in range(model.n_states)
                ],
                dtype=bool,
            )
    return result
