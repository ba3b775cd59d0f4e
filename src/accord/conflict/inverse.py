"""Inverse GMCR: which preference rankings of one DM make a chosen state an equilibrium.

Inverse analysis (Kinsara, Kilgour & Hipel 2015, "Inverse approach to the graph model for
conflict resolution", IEEE SMC-Systems 45(5):734-742; Garcia, Obeidi & Hipel 2019) fixes the
other DMs' preferences and asks for which preferences of DM *i* a desired state ``s`` is an
equilibrium under a solution concept. Rankings are strict (as in Kinsara et al.'s brute-force
method).

* **Nash** has a closed form: ``s`` is Nash stable for *i* iff *i* ranks ``s`` above every state
  of ``R_i(s)``; with ``r = |R_i(s)|`` that is ``m! / (r + 1)`` of the ``m!`` strict rankings, and
  the other DMs' Nash stability at ``s`` does not depend on *i*'s preferences.
* Other concepts are counted by enumerating rankings (exactly when ``m!`` is at most
  ``max_checks``, otherwise as a lower bound from the rankings examined), each checked by direct
  search at ``s`` only (:mod:`accord.conflict.graphsearch`).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from accord.conflict.graphsearch import MoveCache, is_stable
from accord.conflict.model import ConflictModel


@dataclass
class InverseResult:
    """Rankings of ``dm`` (state ids, most preferred first) under which ``state`` is an equilibrium."""

    model: ConflictModel
    dm: int
    state: int
    concept: str
    count: int
    exact: bool
    rankings: list[list[int]]
    checked: int

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the count (exact or a lower bound) and the rankings found as patterns."""
        m = self.model
        return {
            "model": m.name,
            "dm": m.dms[self.dm].name,
            "state": m.pattern(self.state),
            "concept": self.concept,
            "count": self.count,
            "exact": self.exact,
            "total_rankings": math.factorial(m.n_states),
            "checked": self.checked,
            "rankings": [[m.pattern(s) for s in r] for r in self.rankings],
        }


def inverse(
    model: ConflictModel,
    dm: int | str,
    state: int | str,
    limit: int = 10,
    *,
    concept: str = "nash",
    max_checks: int = 50_000,
) -> InverseResult:
    """Strict rankings of ``dm`` that make ``state`` an equilibrium (others' preferences fixed).

    Parameters
    ----------
    model : ConflictModel
    dm : DM name or index
    state : state id or pattern
    limit : int
        Largest number of rankings to return.
    concept : str
        ``nash``, ``gmr``, ``smr`` or ``seq``.
    max_checks : int
        Largest number of rankings to examine when counting by enumeration.
    """
    i = model.dm_index(dm)
    s = model.state_id(state) if isinstance(state, str) else int(state)
    concept = concept.lower()
    m = model.n_states
    cache = MoveCache(model)
    reach = cache.moves(i, s)
    others = [j for j in range(model.n_dms) if j != i]

    def check(ranking: tuple[int, ...]) -> bool:
        lv = np.empty(m, dtype=np.int64)
        lv[list(ranking)] = np.arange(m, 0, -1)
        saved = model.levels
        levels = saved.copy()
        levels[i] = lv
        model.levels = levels
        try:
            local = MoveCache(model)
            local._moves = cache._moves  # moves do not depend on preferences
            return all(is_stable(local, j, s, concept) for j in [i, *others])
        finally:
            model.levels = saved

    found: list[list[int]] = []
    if concept == "nash":
        others_ok = all(is_stable(cache, j, s, "nash") for j in others)
        count = math.factorial(m) // (len(reach) + 1) if others_ok else 0
        if others_ok:
            rest = [t for t in range(m) if t != s and t not in reach]
            for head in itertools.permutations(rest, min(len(rest), 3)):
                if len(found) >= limit:
                    break
                tail = [t for t in rest if t not in head]
                found.append([*head, s, *reach, *tail])
        return InverseResult(model, i, s, concept, count, True, found, 0)
    exact = math.factorial(m) <= max_checks
    count = checked = 0
    for ranking in itertools.permutations(range(m)):
        if checked >= max_checks:
            break
        checked += 1
        if check(ranking):
            count += 1
            if len(found) < limit:
                found.append(list(ranking))
    return InverseResult(model, i, s, concept, count, exact, found, checked)
