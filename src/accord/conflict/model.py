"""The graph model in option form: decision makers, options, feasible states, moves, preferences.

A *state* is a pattern of options, ``Y`` (taken) or ``N`` (not taken), one letter per option in
declaration order (all options of the first decision maker, then the second, ...). Internally a
state is the integer ``code = sum_i 2**i [option i taken]`` (option 0 is the least significant
bit, as in GMCR II and GMCR+), so every set of states is a numpy array over ``0 .. 2**n - 1``.
Feasible states get ids ``0 .. m-1`` in increasing code order (the number shown to users is
``id + 1``, the GMCR convention).

A decision maker's unilateral move (Fang, Hipel & Kilgour 1993, Ch. 2) changes any subset of its
own options, leads to a feasible state, and respects irreversibility: an option may forbid the
``Y->N`` change (once taken, it cannot be withdrawn), the ``N->Y`` change, or both. The moves of
DM *i* from a state are therefore the states with the same options of the other DMs, which is the
structure :mod:`accord.conflict.stability` exploits.

Preferences are integer *levels* per DM and state (higher is more preferred; equal levels are
ties), from an explicit ranking or from option prioritization (:mod:`accord.conflict.logic`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from accord.errors import ConfigurationError

IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

#: Irreversibility codes: which changes of an option are *forbidden*.
FORBID_NONE, FORBID_Y_TO_N, FORBID_N_TO_Y, FORBID_BOTH = 0, 1, 2, 3
DIRECTIONS = {"Y->N": FORBID_Y_TO_N, "N->Y": FORBID_N_TO_Y, "both": FORBID_BOTH}

#: Largest number of options (2**n codes are held in memory as arrays). A full Nash/GMR/SMR/SEQ
#: analysis at 24 options (11.9 M feasible states in benchmarks/conflict_bench.py) takes about 50 s
#: and 2.6 GB on 2 cores; each further option doubles both, so 25-26 would need 5-11 GB.
MAX_OPTIONS = 24


@dataclass(frozen=True)
class DecisionMaker:
    """A decision maker and the index range of its options."""

    name: str
    options: tuple[str, ...]
    first: int  # index of its first option

    @property
    def indices(self) -> range:
        """Indices of its options in the global option order."""
        return range(self.first, self.first + len(self.options))


@dataclass(eq=False)
class ConflictModel:
    """A graph model in option form (immutable after construction; build with :func:`build_model`).

    Attributes
    ----------
    name : str
    dms : tuple of DecisionMaker
    options : tuple of str
        All option names in declaration order.
    forbid : int array (n_options,)
        Irreversibility code per option (``FORBID_*``).
    feasible : bool array (2**n_options,)
        Whether each option pattern is a feasible state.
    codes : int array (m,)
        Codes of the feasible states, ascending; state id ``k`` has code ``codes[k]``.
    levels : int array (n_dms, m)
        Preference level of each DM for each state (higher is better, equal is a tie).
    status_quo : int or None
        State id of the status quo, if given.
    meta : dict
        Free-form descriptive data kept from the input (descriptions, sources, notes).
    """

    name: str
    dms: tuple[DecisionMaker, ...]
    options: tuple[str, ...]
    forbid: IntArray
    feasible: BoolArray
    codes: IntArray
    levels: IntArray
    status_quo: int | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    _index: IntArray | None = None
    _allowed: dict[int, BoolArray] = field(default_factory=dict, repr=False)

    # -- sizes ----------------------------------------------------------------------------------
    @property
    def n_options(self) -> int:
        """Number of options."""
        return len(self.options)

    @property
    def n_dms(self) -> int:
        """Number of decision makers."""
        return len(self.dms)

    @property
    def n_states(self) -> int:
        """Number of feasible states."""
        return int(self.codes.size)

    @property
    def dm_names(self) -> list[str]:
        """Names of the decision makers."""
        return [d.name for d in self.dms]

    # -- state conversions ----------------------------------------------------------------------
    @property
    def index(self) -> IntArray:
        """Array over all codes: state id of a feasible code, -1 otherwise."""
        if self._index is None:
            idx = np.full(self.feasible.size, -1, dtype=np.int64)
            idx[self.codes] = np.arange(self.codes.size)
            self._index = idx
        return self._index

    def pattern(self, state: int) -> str:
        """Option pattern (``Y``/``N`` per option) of state id ``state``."""
        return code_to_pattern(int(self.codes[state]), self.n_options)

    def patterns(self, states: Sequence[int] | IntArray | None = None) -> list[str]:
        """Patterns of several state ids (all states if ``None``)."""
        ids = range(self.n_states) if states is None else states
        return [self.pattern(int(s)) for s in ids]

    def state_id(self, pattern: str | int) -> int:
        """State id of a full pattern (``"YNN"``) or of a 1-based state number."""
        if isinstance(pattern, int | np.integer):
            if not 1 <= int(pattern) <= self.n_states:
                raise ConfigurationError(f"state number {pattern} is not in 1..{self.n_states}")
            return int(pattern) - 1
        p = str(pattern).strip()
        if len(p) != self.n_options or set(p) - {"Y", "N"}:
            raise ConfigurationError(
                f"'{p}' is not a state: give {self.n_options} letters Y or N, one per option "
                f"({', '.join(self.options)})"
            )
        sid = int(self.index[pattern_to_code(p)])
        if sid < 0:
            raise ConfigurationError(f"state '{p}' is infeasible")
        return sid

    def dm_index(self, name: str | int) -> int:
        """Index of a decision maker by name (or pass an index through)."""
        if isinstance(name, int | np.integer) and not isinstance(name, bool):
            if not 0 <= int(name) < self.n_dms:
                raise ConfigurationError(
                    f"decision maker number {int(name)} is out of range; this model has {self.n_dms} "
                    f"(0 to {self.n_dms - 1}: {', '.join(self.dm_names)})"
                )
            return int(name)
        for i, d in enumerate(self.dms):
            if d.name == name:
                return i
        from accord.errors import did_you_mean

        raise ConfigurationError(
            f"unknown decision maker '{name}'{did_you_mean(str(name), self.dm_names)}; "
            f"the decision makers are {', '.join(self.dm_names)}"
        )

    def option_values(self, codes: IntArray | None = None) -> BoolArray:
        """Bool array (len(codes), n_options): which options each state takes."""
        c = self.codes if codes is None else codes
        return ((c[:, None] >> np.arange(self.n_options)) & 1).astype(bool)

    def full_levels(self, dm: int, fill: int) -> IntArray:
        """Levels of DM ``dm`` over all ``2**n`` codes, ``fill`` at infeasible codes."""
        out = np.full(self.feasible.size, fill, dtype=np.int64)
        out[self.codes] = self.levels[dm]
        return out

    # -- moves ----------------------------------------------------------------------------------
    def allowed_own(self, dm: int) -> BoolArray:
        """Bool matrix ``A[f, t]``: may DM ``dm`` change its own options from pattern f to t?

        Own patterns are integers over the DM's options (its first option is bit 0). The diagonal
        is False (staying put is not a move). Feasibility of the target is not included.
        Computed once per DM (read-only array).
        """
        hit = self._allowed.get(dm)
        if hit is not None:
            return hit
        d = self.dms[dm]
        k = len(d.options)
        f = np.arange(2**k)[:, None]
        t = np.arange(2**k)[None, :]
        ok = f != t
        for j, opt in enumerate(d.indices):
            fb, tb = (f >> j) & 1, (t >> j) & 1
            code = int(self.forbid[opt])
            if code & FORBID_Y_TO_N:
                ok = ok & ~((fb == 1) & (tb == 0))
            if code & FORBID_N_TO_Y:
                ok = ok & ~((fb == 0) & (tb == 1))
        out = np.asarray(ok, dtype=bool)
        out.flags.writeable = False
        self._allowed[dm] = out
        return out

    def moves(self, dm: int, state: int) -> list[int]:
        """State ids DM ``dm`` can reach from ``state`` in one unilateral move (UM)."""
        d = self.dms[dm]
        code = int(self.codes[state])
        k = len(d.options)
        own = (code >> d.first) & (2**k - 1)
        base = code & ~((2**k - 1) << d.first)
        allowed = self.allowed_own(dm)[own]
        out = []
        for t in np.flatnonzero(allowed):
            sid = int(self.index[base | (int(t) << d.first)])
            if sid >= 0:
                out.append(sid)
        return out

    def improvements(self, dm: int, state: int) -> list[int]:
        """Unilateral improvements (UIs) of ``dm`` from ``state``: moves to states it prefers."""
        lv = self.levels[dm]
        return [t for t in self.moves(dm, state) if lv[t] > lv[state]]

    def describe_state(self, state: int) -> dict[str, list[str]]:
        """Options taken in a state, grouped by decision maker."""
        vals = self.option_values(self.codes[[state]])[0]
        return {d.name: [d.options[j] for j, i in enumerate(d.indices) if vals[i]] for d in self.dms}


def code_to_pattern(code: int, n: int) -> str:
    """Pattern string of a code (option 0 first)."""
    return "".join("Y" if (code >> i) & 1 else "N" for i in range(n))


def pattern_to_code(pattern: str) -> int:
    """Code of a full ``Y``/``N`` pattern."""
    return sum(1 << i for i, ch in enumerate(pattern) if ch == "Y")


def pattern_mask(pattern: str, n_codes: int) -> BoolArray:
    """Bool array over all codes: which codes match a pattern with ``-`` wildcards."""
    codes = np.arange(n_codes, dtype=np.int64)
    ok = np.ones(n_codes, dtype=bool)
    for i, ch in enumerate(pattern):
        if ch == "Y":
            ok &= ((codes >> i) & 1) == 1
        elif ch == "N":
            ok &= ((codes >> i) & 1) == 0
    return ok


def levels_from_ranking(groups: Sequence[Sequence[int]], m: int) -> IntArray:
    """Levels from a ranking given as groups of state ids, most preferred group first.

    Raises ``ValueError`` naming the states missing or repeated.
    """
    lv = np.full(m, -1, dtype=np.int64)
    top = len(groups)
    for g, group in enumerate(groups):
        for s in group:
            if lv[s] >= 0:
                raise ConfigurationError(f"state {s} is ranked twice")
            lv[s] = top - g
    missing = np.flatnonzero(lv < 0)
    if missing.size:
        raise ConfigurationError(f"{missing.size} feasible states are not ranked")
    return lv


def build_model(
    name: str,
    decision_makers: Sequence[tuple[str, Sequence[str]]],
    *,
    infeasible: BoolArray | None = None,
    forbid: Sequence[int] | None = None,
    levels: IntArray | Sequence[Sequence[int]] | None = None,
    level_fn: Any = None,
    status_quo: str | None = None,
    meta: dict[str, Any] | None = None,
) -> ConflictModel:
    """Build a :class:`ConflictModel` from plain Python data.

    Parameters
    ----------
    name : str
    decision_makers : sequence of (name, option names)
    infeasible : bool array over ``2**n`` codes, optional
        True where a pattern is infeasible.
    forbid : sequence of int, optional
        Irreversibility code per option (``FORBID_*``); default all reversible.
    levels : array (n_dms, m), optional
        Preference levels over the feasible states (ids in ascending code order).
    level_fn : callable, optional
        ``level_fn(codes) -> (n_dms, m)`` levels computed from the feasible codes (used when the
        states are not known in advance, e.g. by the loader).
    status_quo : str, optional
        Pattern of the status quo.
    """
    dms: list[DecisionMaker] = []
    opts: list[str] = []
    for dm_name, dm_opts in decision_makers:
        dms.append(DecisionMaker(str(dm_name), tuple(str(o) for o in dm_opts), len(opts)))
        opts.extend(str(o) for o in dm_opts)
    n = len(opts)
    if n > MAX_OPTIONS:
        raise ConfigurationError(f"{n} options; at most {MAX_OPTIONS} are supported")
    feas = np.ones(2**n, dtype=bool) if infeasible is None else ~np.asarray(infeasible, dtype=bool)
    codes = np.flatnonzero(feas).astype(np.int64)
    if level_fn is not None:
        lv = np.asarray(level_fn(codes), dtype=np.int64)
    elif levels is not None:
        lv = np.asarray(levels, dtype=np.int64)
    else:
        lv = np.zeros((len(dms), codes.size), dtype=np.int64)
    if lv.shape != (len(dms), codes.size):
        raise ConfigurationError(f"levels have shape {lv.shape}; expected {(len(dms), codes.size)}")
    fb = np.zeros(n, dtype=np.int64) if forbid is None else np.asarray(forbid, dtype=np.int64)
    model = ConflictModel(
        name=name,
        dms=tuple(dms),
        options=tuple(opts),
        forbid=fb,
        feasible=feas,
        codes=codes,
        levels=lv,
        meta=dict(meta or {}),
    )
    if status_quo is not None:
        model.status_quo = model.state_id(status_quo)
    return model
