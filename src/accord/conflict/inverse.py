"""Inverse GMCR: which preference rankings of one DM make a chosen state an equilibrium.

Inverse analysis (Kinsara, Kilgour & Hipel 2015, "Inverse approach to the graph model for
conflict resolution", IEEE SMC-Systems 45(5):734-742; Garcia, Obeidi & Hipel 2019) fixes the
other DMs' preferences and asks for which preferences of DM *i* a desired state ``s`` is an
equilibrium under a solution concept. Rankings are strict (as in Kinsara et al.'s brute-force
method).

* **Nash** has a closed form: ``s`` is Nash stable for *i* iff *i* ranks ``s`` above every state
  of ``R_i(s)``; with ``r = |R_i(s)|`` that is ``m! / (r + 1)`` of the ``m!`` strict rankings, and
  the other DMs' Nash stability at ``s`` does not depend on *i*'s preferences.
* **GMR** and **SMR** stability of ``s`` for *i* depends only on the set ``U`` of states *i*
  ranks above ``s`` (a sanction must lie outside ``U``; for SMR *i*'s escapes from it must too),
  and the other DMs' GMR/SMR stability does not depend on *i*'s preferences (they are sanctioned
  by *i*'s moves, not improvements). So the count is ``sum |U|! (m-1-|U|)!`` over the valid sets
  ``U``, found by a vectorized scan of all ``2**(m-1)`` bit masks (exact up to ``max_set_bits``).
* SEQ (where *i*'s improvements sanction the others) is counted by enumerating rankings
  (exactly when ``m!`` is at most ``max_checks``, otherwise as a lower bound from the rankings
  examined), each checked by direct search at ``s`` only (:mod:`accord.conflict.graphsearch`).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from accord.conflict.graphsearch import MoveCache, is_stable, reachable
from accord.conflict.model import ConflictModel
from accord.errors import ConfigurationError


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
            "count": _big(self.count),
            "exact": self.exact,
            "total_rankings": _big(math.factorial(m.n_states)),
            "checked": self.checked,
            "rankings": [[m.pattern(s) for s in r] for r in self.rankings],
        }


def _big(n: int) -> int | str:
    """``n`` itself, or beyond 10**300 a string such as ``'4.917e+4919'`` (JSON readers and
    Python's int-to-text conversion both balk at numbers of thousands of digits)."""
    if n < 10**300:
        return n
    shift = n.bit_length() - 60
    lg = math.log10(n >> shift) + shift * math.log10(2)
    e = int(lg)
    return f"{10 ** (lg - e):.3f}e+{e}"


#: Concepts inverse analysis handles.
INVERSE_CONCEPTS = ("nash", "gmr", "smr", "seq")


def inverse(
    model: ConflictModel,
    dm: int | str,
    state: int | str,
    limit: int = 10,
    *,
    concept: str = "nash",
    max_checks: int = 50_000,
    max_set_bits: int = 22,
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
        Largest number of rankings to examine when counting by enumeration (SEQ, or GMR/SMR
        models with more than ``max_set_bits + 1`` states).
    max_set_bits : int
        GMR and SMR are counted exactly over the ``2**(m-1)`` possible sets of states ranked above
        ``state`` when ``m - 1`` is at most this.
    """
    i = model.dm_index(dm)
    s = model.state_id(state) if isinstance(state, str) else int(state)
    concept = str(concept).strip().lower()
    if concept not in INVERSE_CONCEPTS:
        raise ConfigurationError(
            f"inverse analysis handles {', '.join(INVERSE_CONCEPTS)}; got concept '{concept}'"
        )
    if limit < 0:
        raise ConfigurationError(f"limit must be 0 or more, got {limit}")
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
    if concept in ("gmr", "smr") and m - 1 <= max_set_bits:
        return _by_upper_sets(model, cache, i, s, concept, limit)
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


def _by_upper_sets(
    model: ConflictModel, cache: MoveCache, i: int, s: int, concept: str, limit: int
) -> InverseResult:
    """Exact GMR/SMR count over the sets of states ranked above ``s`` (see the module docstring)."""
    m = model.n_states
    others = [j for j in range(model.n_dms) if j != i]
    items = [t for t in range(m) if t != s]
    bit = {t: 1 << k for k, t in enumerate(items)}

    def mask(states: Iterable[int]) -> int:
        return sum(bit[t] for t in set(states) if t != s)

    found: list[list[int]] = []
    if not all(is_stable(cache, j, s, concept) for j in others):
        return InverseResult(model, i, s, concept, 0, True, found, 0)
    # per improvement candidate s1: (bit of s1, list of masks; some mask must avoid U entirely)
    rules: list[tuple[int, list[int]]] = []
    for s1 in cache.moves(i, s):
        options = []
        for s2 in reachable(cache, others, s1):
            if s2 == s:
                continue
            extra = mask(cache.moves(i, s2)) if concept == "smr" else 0
            options.append(bit[s2] | extra)
        rules.append((bit[s1], options))
    n_items = len(items)
    sizes = np.zeros(n_items + 1, dtype=np.int64)
    chunk = 1 << min(n_items, 20)
    for start in range(0, 1 << n_items, chunk):
        u = np.arange(start, min(start + chunk, 1 << n_items), dtype=np.uint64)
        ok = np.ones(u.size, dtype=bool)
        for b1, options in rules:
            sanctioned = np.zeros(u.size, dtype=bool)
            for opt in options:
                sanctioned |= (u & np.uint64(opt)) == 0
            ok &= ((u & np.uint64(b1)) == 0) | sanctioned
        valid = u[ok]
        sizes += np.bincount(_popcount(valid), minlength=n_items + 1)
        for v in valid[: max(0, limit - len(found))]:
            above = [t for t in items if int(v) & bit[t]]
            below = [t for t in items if not int(v) & bit[t]]
            found.append([*above, s, *below])
    count = sum(int(c) * math.factorial(k) * math.factorial(n_items - k) for k, c in enumerate(sizes))
    return InverseResult(model, i, s, concept, count, True, found, 1 << n_items)


def _popcount(u: NDArray[np.uint64]) -> NDArray[np.int64]:
    """Number of set bits of each element."""
    out = np.zeros(u.size, dtype=np.int64)
    x = u.copy()
    while x.any():
        out += (x & np.uint64(1)).astype(np.int64)
        x >>= np.uint64(1)
    return out
