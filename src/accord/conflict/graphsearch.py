"""Direct graph search from the stability definitions, and the sanctioning sequences behind them.

This module follows the definitions of Fang, Hipel & Kilgour (1993, Ch. 3) literally, state by
state: the opponents' reachable sets are found by breadth-first search over pairs
``(state, last mover)``, so that no decision maker moves twice in a row and any opponent may move
several times. It is slow (a Python loop per state) and serves two purposes:

* the reference against which the vectorized :mod:`accord.conflict.stability` is tested, and
* :func:`explain`, which reports *why* a state is stable or not: each unilateral improvement and
  the shortest sanctioning sequence (who moves, from which state to which) that deters it.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from accord.conflict.model import ConflictModel
from accord.errors import ConfigurationError, did_you_mean

#: Concepts :func:`explain` can account for with sanctioning sequences.
EXPLAINED = ("nash", "gmr", "smr", "seq", "sim")

Step = tuple[int, int, int]  # (dm, from state id, to state id)


class MoveCache:
    """Unilateral moves of each DM from each state, computed on demand."""

    def __init__(self, model: ConflictModel) -> None:
        self.model = model
        self._moves: dict[tuple[int, int], list[int]] = {}
        self._reach: dict[tuple[tuple[int, ...], int, bool], Reach] = {}

    def moves(self, dm: int, state: int) -> list[int]:
        """UMs of ``dm`` from ``state``."""
        key = (dm, state)
        if key not in self._moves:
            self._moves[key] = self.model.moves(dm, state)
        return self._moves[key]


class Reach(Mapping[int, list[Step]]):
    """States reachable by a coalition, in breadth-first order, with shortest paths on demand.

    Iterating gives the states in order of increasing number of moves; ``reach[t]`` rebuilds a
    shortest sequence of ``(dm, from, to)`` steps from the parent pointers.
    """

    def __init__(self) -> None:
        self.order: list[int] = []
        self.node: dict[int, tuple[int, int]] = {}
        self.parent: dict[tuple[int, int], tuple[int, int]] = {}

    def __getitem__(self, t: int) -> list[Step]:
        node = self.node[t]
        steps: list[Step] = []
        while node in self.parent:
            prev = self.parent[node]
            steps.append((node[1], prev[0], node[0]))
            node = prev
        return steps[::-1]

    def __contains__(self, t: object) -> bool:
        return t in self.node

    def __iter__(self) -> Iterator[int]:
        return iter(self.order)

    def __len__(self) -> int:
        return len(self.order)


def reachable(cache: MoveCache, movers: Sequence[int], start: int, *, improving: bool = False) -> Reach:
    """States reachable from ``start`` by legal sequences of moves of ``movers``.

    A legal sequence has at least one move, any member may move several times, and no member
    moves twice in a row (Fang et al. 1993, Def. 3.6 for UMs and 3.7 for UIs). Breadth-first
    search over pairs ``(state, last mover)``; the result maps each reachable state to a shortest
    sequence reaching it, as ``(dm, from, to)`` steps, and iterates in order of sequence length.
    """
    key = (tuple(movers), start, improving)
    hit = cache._reach.get(key)
    if hit is not None:
        return hit
    lv = cache.model.levels
    out = Reach()
    root = (start, -1)
    seen: set[tuple[int, int]] = {root}
    queue: deque[tuple[int, int]] = deque([root])
    while queue:
        here = queue.popleft()
        state, last = here
        for j in movers:
            if j == last:
                continue
            for t in cache.moves(j, state):
                if improving and not lv[j, t] > lv[j, state]:
                    continue
                node = (t, j)
                if node in seen:
                    continue
                seen.add(node)
                out.parent[node] = here
                if t not in out.node:
                    out.node[t] = node
                    out.order.append(t)
                queue.append(node)
    if len(cache._reach) < 200_000:
        cache._reach[key] = out
    return out


def _sanction(
    cache: MoveCache, dm: int, state: int, target: int, concept: str
) -> tuple[bool, list[Step] | None]:
    """Is there a sanction against ``dm``'s improvement ``state -> target``? Return one."""
    model = cache.model
    lv = model.levels[dm]
    others = [j for j in range(model.n_dms) if j != dm]
    reach = reachable(cache, others, target, improving=(concept == "seq"))
    for s2 in reach:  # shortest sequences first
        if lv[s2] > lv[state]:
            continue
        if concept == "smr" and any(lv[s3] > lv[state] for s3 in cache.moves(dm, s2)):
            continue
        return True, reach[s2]
    return False, None


def is_stable(cache: MoveCache, dm: int, state: int, concept: str) -> bool:
    """Stability of ``state`` for ``dm`` under ``concept`` by direct search."""
    lv = cache.model.levels[dm]
    for s1 in cache.moves(dm, state):
        if lv[s1] <= lv[state]:
            continue
        if concept == "nash":
            return False
        ok, _ = _sanction(cache, dm, state, s1, concept)
        if not ok:
            return False
    return True


def stability_tables_search(model: ConflictModel, concepts: Sequence[str]) -> dict[str, np.ndarray]:
    """Same output as :func:`accord.conflict.stability.stability_tables`, by direct search."""
    cache = MoveCache(model)
    out = {}
    for c in concepts:
        tab = np.zeros((model.n_dms, model.n_states), dtype=bool)
        for i in range(model.n_dms):
            for s in range(model.n_states):
                tab[i, s] = is_stable(cache, i, s, c)
        out[c] = tab
    return out


@dataclass
class Deterrence:
    """One unilateral improvement of a DM and the sanction that deters it (if any)."""

    target: int
    sanction: list[Step] | None = None

    def to_dict(self, model: ConflictModel) -> dict[str, Any]:
        """JSON-ready form with patterns and DM names."""
        return {
            "improvement": model.pattern(self.target),
            "deterred": self.sanction is not None,
            "sanction": None if self.sanction is None else steps_to_dicts(model, self.sanction),
        }


@dataclass
class Explanation:
    """Why ``state`` is (not) stable for ``dm`` under ``concept``."""

    dm: int
    state: int
    concept: str
    stable: bool
    improvements: list[Deterrence] = field(default_factory=list)

    def to_dict(self, model: ConflictModel) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "dm": model.dms[self.dm].name,
            "state": model.pattern(self.state),
            "concept": self.concept,
            "stable": self.stable,
            "improvements": [d.to_dict(model) for d in self.improvements],
        }

    def text(self, model: ConflictModel) -> str:
        """A short human-readable account."""
        name = model.dms[self.dm].name
        s = model.pattern(self.state)
        if not self.improvements:
            return f"{s} is {self.concept.upper()} stable for {name}: it has no unilateral improvement"
        parts = [self._part(model, name, d) for d in self.improvements]
        verdict = "stable" if self.stable else "unstable"
        return f"{s} is {self.concept.upper()} {verdict} for {name}: " + ". ".join(parts)

    def _part(self, model: ConflictModel, name: str, d: Deterrence) -> str:
        """One improvement and its sanction, for :meth:`text`."""
        if d.sanction is None:
            return f"{name} can improve to {model.pattern(d.target)} and nobody can deter it"
        seq = "; ".join(
            f"{model.dms[j].name} {model.pattern(a)}->{model.pattern(b)}" for j, a, b in d.sanction
        )
        return f"{name}'s move to {model.pattern(d.target)} is deterred by {seq}"


def steps_to_dicts(model: ConflictModel, steps: Sequence[Step]) -> list[dict[str, str]]:
    """Steps as ``{"dm", "from", "to"}`` dicts with names and patterns."""
    return [{"dm": model.dms[j].name, "from": model.pattern(a), "to": model.pattern(b)} for j, a, b in steps]


def explain(
    model: ConflictModel,
    dm: int | str,
    state: int | str,
    concept: str = "gmr",
    *,
    cache: MoveCache | None = None,
) -> Explanation:
    """Explain the stability of ``state`` for ``dm`` under ``concept``.

    Lists every unilateral improvement of ``dm`` from ``state`` with the shortest sanctioning
    sequence by the other DMs that leaves ``dm`` no better off than at ``state`` (for SMR, one
    from which ``dm`` cannot escape to a better state; for SEQ, made of improvements of the
    sanctioners), or ``None`` if there is none. Under Nash no improvement is deterred. For SIM
    (:mod:`accord.conflict.simultaneous`) the deterrent is a set of simultaneous responses.
    Limited-move and non-myopic stability rest on anticipation trees, not sanctions, and are
    not explained (a :class:`~accord.errors.ConfigurationError`).
    """
    concept = concept.lower()
    if concept not in EXPLAINED:
        raise ConfigurationError(
            f"cannot explain concept '{concept}'{did_you_mean(concept, EXPLAINED)}; "
            f"explanations cover {', '.join(EXPLAINED)}"
        )
    if concept == "sim":
        from accord.conflict.simultaneous import explain_sim

        return explain_sim(model, dm, state)
    i = model.dm_index(dm)
    s = model.state_id(state) if isinstance(state, str) else int(state)
    cache = cache or MoveCache(model)
    lv = model.levels[i]
    out = Explanation(i, s, concept, True)
    for s1 in cache.moves(i, s):
        if lv[s1] <= lv[s]:
            continue
        if concept == "nash":
            out.improvements.append(Deterrence(s1, None))
            out.stable = False
            continue
        ok, path = _sanction(cache, i, s, s1, concept)
        out.improvements.append(Deterrence(s1, path))
        if not ok:
            out.stable = False
    return out
