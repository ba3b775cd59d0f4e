"""Status quo analysis: which states, and which equilibria, can be reached from a starting state.

Following the status quo analysis of Li, Hipel, Kilgour & Noakes (2005, "Status quo analysis in
the graph model for conflict resolution", J. Oper. Res. Soc. 56:699-707) and its matrix form
(Xu, Li, Kilgour & Hipel 2009), the conflict evolves from the
status quo by unilateral improvements: at each step one decision maker moves to a state it
prefers (optionally also coalitional improvements of given coalitions, Kilgour et al. 2001).
Breadth-first search gives every reachable state with a shortest path: the moves and who
makes them.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from accord.conflict.coalitions import coalition_improvements
from accord.conflict.graphsearch import MoveCache, Step, steps_to_dicts
from accord.conflict.model import ConflictModel
from accord.errors import ConfigurationError

MAX_STATES = 200_000


@dataclass
class StatusQuoResult:
    """States reachable from ``start`` with a shortest path to each.

    ``paths[s]`` is a list of steps ``(mover, from, to)``; ``mover`` is a DM index, or a tuple of
    DM indices for a coalitional improvement.
    """

    model: ConflictModel
    start: int
    paths: dict[int, list[tuple[Any, int, int]]]
    targets: list[int]

    def reached(self) -> list[int]:
        """Reachable states (the start included), by id."""
        return sorted(self.paths)

    def reached_targets(self) -> list[int]:
        """Target states (e.g. equilibria) that are reachable."""
        return [t for t in self.targets if t in self.paths]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the start, the reachable targets and a shortest path to each."""
        model = self.model

        def who(mover: Any) -> str:
            if isinstance(mover, tuple):
                return "+".join(model.dms[i].name for i in mover)
            return model.dms[mover].name

        def path(s: int) -> list[dict[str, str]]:
            return [
                {"dm": who(mv), "from": model.pattern(a), "to": model.pattern(b)}
                for mv, a, b in self.paths[s]
            ]

        return {
            "model": model.name,
            "start": model.pattern(self.start),
            "reachable": [model.pattern(s) for s in self.reached()],
            "targets": [{"state": model.pattern(t), "path": path(t)} for t in self.reached_targets()],
            "unreachable_targets": [model.pattern(t) for t in self.targets if t not in self.paths],
        }


def status_quo_paths(
    model: ConflictModel,
    start: int | str | None = None,
    *,
    targets: Iterable[int | str] | None = None,
    concept: str = "gmr",
    moves: str = "ui",
    coalitions: Iterable[Iterable[int | str]] = (),
) -> StatusQuoResult:
    """Reachability from a state by unilateral (and optionally coalitional) improvements.

    Parameters
    ----------
    model : ConflictModel
    start : state id or pattern, optional
        Default: the model's status quo.
    targets : iterable of states, optional
        States of interest; default the equilibria of ``model`` under ``concept``.
    concept : str
        Solution concept for the default targets.
    moves : ``"ui"`` or ``"um"``
        Unilateral improvements only (status quo analysis) or any unilateral move.
    coalitions : iterable of DM groups
        Coalitions whose coalitional improvements are also allowed as single steps.
    """
    if model.n_states > MAX_STATES:
        raise ConfigurationError(f"status quo analysis is limited to {MAX_STATES} states")
    if moves not in ("ui", "um"):
        raise ConfigurationError(
            f"moves must be 'ui' (unilateral improvements) or 'um' (any move), not '{moves}'"
        )
    if start is None:
        if model.status_quo is None:
            raise ConfigurationError("the model has no status_quo; give a starting state")
        s0 = model.status_quo
    else:
        s0 = model.state_id(start) if isinstance(start, str) else int(start)
    if targets is None:
        from accord.conflict.analysis import analyze

        tlist = analyze(model, [concept]).equilibria(concept)
    else:
        tlist = [model.state_id(t) if isinstance(t, str) else int(t) for t in targets]
    groups = [tuple(sorted({model.dm_index(d) for d in c})) for c in coalitions]
    cache = MoveCache(model)
    lv = model.levels
    paths: dict[int, list[tuple[Any, int, int]]] = {s0: []}
    queue = deque([s0])
    while queue:
        s = queue.popleft()
        for i in range(model.n_dms):
            for t in cache.moves(i, s):
                if moves == "ui" and not lv[i, t] > lv[i, s]:
                    continue
                if t not in paths:
                    paths[t] = [*paths[s], (i, s, t)]
                    queue.append(t)
        for g in groups:
            for t in coalition_improvements(model, g, s, cache=cache):
                if t not in paths:
                    paths[t] = [*paths[s], (g, s, t)]
                    queue.append(t)
    return StatusQuoResult(model, s0, paths, tlist)


__all__ = ["StatusQuoResult", "Step", "status_quo_paths", "steps_to_dicts"]
