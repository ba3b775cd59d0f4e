"""Stability with unknown preferences (Li, Hipel, Kilgour & Fang 2004).

A decision maker's preference between some pairs of states may be *unknown* to the analyst
(``x U_i y``). Li, Hipel, Kilgour & Fang (2004, "Preference uncertainty in the graph model for
conflict resolution", IEEE SMC-A 34(4):507-520; matrix form: Xu, Li, Kilgour & Hipel 2009)
extend the solution concepts with two attitudes of the focal DM *i*:

* variant **a**: *i* may also move to states of unknown preference: ``R_i^{+,U}(s)`` = moves to
  states *i* prefers to ``s`` *or* whose preference to ``s`` is unknown;
* variant **b**: *i* moves only to states it is known to prefer: ``R_i^+(s)``.

A sanction ``s2`` must be known not to be better for *i*: ``s`` preferred or equally preferred to
``s2`` (an unknown comparison does not deter). For SEQ the opponents' sanctioning moves are
``R^{+,U}`` moves (improvements or moves of unknown preference for the mover), and for SMR every
escape ``s3`` in ``R_i(s2)`` must also be known not to be better than ``s``. With no unknown pairs,
both variants reduce to the ordinary Nash, GMR, SMR and SEQ (tested).

The preference levels of the model give every known comparison; ``unknown[i]`` is a symmetric
bool matrix over state ids marking the unknown pairs of DM *i*. Direct search, for models of up
to a few thousand states.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
from numpy.typing import NDArray

from accord.conflict.graphsearch import MoveCache
from accord.conflict.model import ConflictModel
from accord.conflict.stability import CONCEPTS
from accord.errors import ConfigurationError

BoolMatrix = NDArray[np.bool_]


def unknown_pairs(model: ConflictModel) -> dict[int, BoolMatrix]:
    """Unknown-preference matrices stored by the loader (``meta["unknown"]``), by DM index."""
    raw = model.meta.get("unknown") or {}
    out = {}
    for name, pairs in raw.items():
        i = model.dm_index(name)
        mat = np.zeros((model.n_states, model.n_states), dtype=bool)
        for a, b in pairs:
            mat[a, b] = mat[b, a] = True
        out[i] = mat
    return out


def _reach_plus_u(
    cache: MoveCache, movers: Sequence[int], start: int, unknown: Mapping[int, BoolMatrix]
) -> set[int]:
    """States reachable by legal sequences of moves that are improvements or of unknown preference."""
    lv = cache.model.levels
    seen = {(start, -1)}
    out: set[int] = set()
    queue = deque([(start, -1)])
    while queue:
        state, last = queue.popleft()
        for j in movers:
            if j == last:
                continue
            unk = unknown.get(j)
            for t in cache.moves(j, state):
                if unk is not None and unk[state, t]:
                    pass
                elif not lv[j, t] > lv[j, state]:
                    continue
                if (t, j) not in seen:
                    seen.add((t, j))
                    out.add(t)
                    queue.append((t, j))
    return out


def _reach(cache: MoveCache, movers: Sequence[int], start: int) -> set[int]:
    seen = {(start, -1)}
    out: set[int] = set()
    queue = deque([(start, -1)])
    while queue:
        state, last = queue.popleft()
        for j in movers:
            if j == last:
                continue
            for t in cache.moves(j, state):
                if (t, j) not in seen:
                    seen.add((t, j))
                    out.add(t)
                    queue.append((t, j))
    return out


def stability_tables_uncertain(
    model: ConflictModel,
    concepts: Iterable[str] = CONCEPTS,
    *,
    variant: str = "a",
    unknown: Mapping[int, BoolMatrix] | None = None,
) -> dict[str, NDArray[np.bool_]]:
    """Per-DM stability with unknown preferences (variant ``"a"`` or ``"b"``).

    Parameters
    ----------
    model : ConflictModel
    concepts : iterable of str
        ``nash``, ``gmr``, ``smr``, ``seq``.
    variant : ``"a"`` or ``"b"``
        Whether the focal DM also moves to states of unknown preference (a) or not (b).
    unknown : mapping DM index -> bool matrix (m, m), optional
        Unknown pairs; default :func:`unknown_pairs` of the model (from the ``unknown`` key of
        a DM's preferences in the file).
    """
    if variant not in ("a", "b"):
        raise ConfigurationError(f"variant must be 'a' or 'b', not '{variant}'")
    unk = unknown_pairs(model) if unknown is None else dict(unknown)
    cache = MoveCache(model)
    lv = model.levels
    m, n = model.n_states, model.n_dms
    none = np.zeros((m, m), dtype=bool)
    out = {}
    for c in concepts:
        c = c.lower()
        if c not in CONCEPTS:
            raise ConfigurationError(f"unknown solution concept '{c}'; use one of {', '.join(CONCEPTS)}")
        tab = np.ones((n, m), dtype=bool)
        for i in range(n):
            u = unk.get(i, none)
            others = [j for j in range(n) if j != i]

            def known_not_better(x: int, s: int, i: int = i, u: BoolMatrix = u) -> bool:
                return not u[x, s] and lv[i, x] <= lv[i, s]

            for s in range(m):
                for s1 in cache.moves(i, s):
                    better = lv[i, s1] > lv[i, s] and not u[s1, s]
                    if not (better or (variant == "a" and u[s1, s])):
                        continue
                    if c == "nash":
                        tab[i, s] = False
                        break
                    reach = _reach_plus_u(cache, others, s1, unk) if c == "seq" else _reach(cache, others, s1)
                    ok = False
                    for s2 in reach:
                        if not known_not_better(s2, s):
                            continue
                        if c == "smr" and not all(known_not_better(s3, s) for s3 in cache.moves(i, s2)):
                            continue
                        ok = True
                        break
                    if not ok:
                        tab[i, s] = False
                        break
        out[c] = tab
    return out
