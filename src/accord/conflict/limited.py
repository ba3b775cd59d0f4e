"""Limited-move stability L_h and non-myopic stability for two decision makers.

Definitions (Kilgour 1985, "Anticipation and stability in two-person noncooperative games";
Kilgour, Hipel & Fraser 1987; Fang, Hipel & Kilgour 1993, Sec. 3.2.5). With DMs *i* and *j* and a
horizon of ``h`` moves, the anticipated final state when *i* is to move at ``s`` is

* ``G_0(i, s) = s``;
* for ``h >= 1``: let ``t*`` maximize ``P_i(G_{h-1}(j, t))`` over ``t`` in ``R_i(s)``. If that
  value exceeds ``P_i(s)``, ``G_h(i, s) = G_{h-1}(j, t*)``; otherwise *i* stays:
  ``G_h(i, s) = s``.

``s`` is L_h stable for *i* iff ``G_h(i, s) = s``. Ties between moves (several ``t`` with the same
anticipated value for *i*) are broken towards the lowest state id; the definitions assume strict
preferences, where no tie arises. *Non-myopic* (NM) stability is the limit ``h -> infinity``
(Brams & Wittman 1981; Kilgour 1985): the pair ``(G_h(i, .), G_h(j, .))`` is a function of
``(G_{h-1}(i, .), G_{h-1}(j, .))`` over a finite set, so it becomes periodic; ``s`` is NM stable for
*i* iff it is L_h stable for every ``h`` in the eventual cycle.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from accord.conflict.graphsearch import MoveCache
from accord.conflict.model import ConflictModel
from accord.errors import ConfigurationError


def _step(
    model: ConflictModel, cache: MoveCache, i: int, j: int, g_j: NDArray[np.int64]
) -> NDArray[np.int64]:
    lv = model.levels[i]
    out = np.arange(model.n_states, dtype=np.int64)
    for s in range(model.n_states):
        best, best_t = lv[s], -1
        for t in sorted(cache.moves(i, s)):
            v = lv[g_j[t]]
            if v > best:
                best, best_t = v, t
        if best_t >= 0:
            out[s] = g_j[best_t]
    return out


def _require_two(model: ConflictModel) -> None:
    if model.n_dms != 2:
        raise ConfigurationError("limited-move and non-myopic stability are defined for two decision makers")


def _lh_sequence(model: ConflictModel, max_horizon: int) -> tuple[list[NDArray[np.bool_]], int | None]:
    """L_h tables for h = 1, 2, ... until ``G_h`` repeats or ``max_horizon`` is reached.

    ``G_h`` depends only on ``G_{h-1}``, so once a pair ``(G_h(0, .), G_h(1, .))`` repeats the
    sequence cycles (at most ``m**(2m)`` distinct pairs, in practice a few). Returns the tables
    (``[h - 1]`` is L_h) and the horizon ``start`` at which the cycle begins (the last table
    repeats the one at ``start``), or None if ``max_horizon`` came first.
    """
    cache = MoveCache(model)
    ident = np.arange(model.n_states, dtype=np.int64)
    g = [ident.copy(), ident.copy()]
    seen: dict[bytes, int] = {}
    history: list[NDArray[np.bool_]] = []
    for h in range(1, max_horizon + 1):
        g = [_step(model, cache, 0, 1, g[1]), _step(model, cache, 1, 0, g[0])]
        history.append(np.stack([g[0] == ident, g[1] == ident]))
        key = g[0].tobytes() + g[1].tobytes()
        if key in seen:
            return history, seen[key]
        seen[key] = h
    return history, None


def limited_move(model: ConflictModel, horizon: int) -> NDArray[np.bool_]:
    """L_h stability, bool array (2, m): ``[i, s]`` True iff ``G_h(i, s) = s``.

    Any horizon is answered at once: past the start of the cycle of ``G_h`` it is read off the cycle.
    """
    _require_two(model)
    if horizon < 1:
        raise ConfigurationError("horizon must be at least 1")
    history, start = _lh_sequence(model, horizon)
    if start is None:
        return history[-1]
    period = len(history) - start
    return history[start + (horizon - start) % period - 1]


def non_myopic(model: ConflictModel, max_horizon: int = 10_000) -> NDArray[np.bool_]:
    """NM stability, bool array (2, m): L_h stable for every h in the eventual cycle of G_h."""
    _require_two(model)
    history, start = _lh_sequence(model, max_horizon)
    if start is None:
        raise RuntimeError("G_h did not become periodic")  # pragma: no cover - finite state space
    return np.logical_and.reduce(history[start - 1 :])
