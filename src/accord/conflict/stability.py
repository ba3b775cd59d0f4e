"""Nash, GMR, SMR and SEQ stability for any number of decision makers, vectorized.

Definitions (Fang, Hipel & Kilgour 1993, *Interactive Decision Making: The Graph Model for
Conflict Resolution*, Ch. 3; Kilgour & Hipel 2005, GDN 14:441-460, Table 1). For DM *i*, state *s*,
``P_i`` its preference levels, ``R_i(s)`` its unilateral moves (UMs), ``R_i^+(s)`` its unilateral
improvements (UIs), and ``H = N - {i}`` the opponents, with ``R_H(s)`` / ``R_H^+(s)`` the states
reachable by *legal sequences* of UMs / UIs of members of ``H`` (any member may move several times,
no member twice in a row):

* **Nash (R)**: ``R_i^+(s)`` is empty.
* **GMR**: every ``s1`` in ``R_i^+(s)`` has a sanction ``s2`` in ``R_H(s1)`` with ``P_i(s2) <= P_i(s)``.
* **SMR**: as GMR, and moreover every ``s3`` in ``R_i(s2)`` has ``P_i(s3) <= P_i(s)``.
* **SEQ**: as GMR with the sanction ``s2`` in ``R_H^+(s1)`` (opponents only make UIs).

Method. This is the matrix formulation of Xu, Hipel & Kilgour (2009, "Matrix representation of
solution concepts in multiple-decision-maker graph models", IEEE SMC-A 39(1), Eqs. for
``M_i^GMR``, ``M_i^SMR``, ``M_i^SEQ``) evaluated without forming ``m x m`` matrices:

1. In option form the reachability matrix of DM *j* is a Kronecker product (identity on the other
   DMs' options times DM *j*'s own transition matrix, restricted to feasible states), so a product
   ``J_j x`` with a vector is computed per option axis on the array of all ``2**n`` codes
   (:func:`um_reduce`), and ``J_j^+ x`` with a loop over pairs of the DM's own patterns
   (:func:`ui_min`).
2. The Boolean "exists a sanction" products become min/max reductions: for a target ``s1``, the
   least-preferred (for *i*) state the opponents can reach, ``M(s1) = min_{s2 in R_H(s1)+s1} P_i(s2)``,
   is a least fixed point computed by relaxing each opponent's moves until nothing changes
   (:func:`closure_min`). A sanction against ``s1`` exists iff ``M(s1) <= P_i(s)``. Then *s* is
   unstable iff ``max_{s1 in R_i(s)} min(P_i(s1), M(s1)) > P_i(s)`` — one more reduction.
3. In option form two consecutive moves of the same DM compose into one move (irreversibility
   is a per-option, per-direction rule; improvements compose by transitivity), so the rule "no DM
   moves twice in a row" does not change which states other than the start can be reached, and the
   start of a sanction sequence is never itself a sanction (it is an improvement for *i*). The
   direct graph search of :mod:`accord.conflict.graphsearch`, which enforces the rule literally,
   is the cross-check (``tests/conflict/test_crosscheck.py``).

Cost: ``O(2**n * sum_j k_j)`` per closure pass for UM sanctions and ``O(2**n * 2**k_j)`` per
opponent and pass for UI sanctions, with ``k_j`` the number of options of DM *j*; memory is a few
arrays of ``2**n`` 32-bit integers. There is no per-state Python loop.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
from numpy.typing import NDArray

from accord.conflict.model import FORBID_BOTH, FORBID_N_TO_Y, FORBID_Y_TO_N, ConflictModel
from accord.errors import ConfigurationError

I32 = NDArray[np.int32]
BoolArray = NDArray[np.bool_]

INF = np.int32(np.iinfo(np.int32).max)
NEG = np.int32(np.iinfo(np.int32).min)

CONCEPTS = ("nash", "gmr", "smr", "seq")

#: DMs with at least this many options, all reversible, use the sort-based :func:`ui_min`
#: (pairs of own patterns cost ``4**k`` vector operations; sorting costs ``2**n log 2**k``).
SORTED_UI_MIN_OPTIONS = 5


def full_levels(model: ConflictModel, dm: int, fill: int) -> I32:
    """DM levels as int32 over all ``2**n`` codes (dense ranks), ``fill`` at infeasible codes."""
    out = np.full(model.feasible.size, fill, dtype=np.int32)
    lv = model.levels[dm]
    _, dense = np.unique(lv, return_inverse=True)
    out[model.codes] = dense.astype(np.int32).reshape(lv.shape)
    return out


def um_reduce(model: ConflictModel, x: I32, dm: int, kind: str) -> I32:
    """``y[s] = max`` (or ``min``) of ``x`` over ``R_dm(s)`` and ``s`` itself, for all codes.

    ``x`` must hold ``NEG`` (for max) or ``INF`` (for min) at infeasible codes, so that moves into
    infeasible states count for nothing. The move set of a DM is a product over its options (each
    option free, or one-way, or fixed), so the reduction is done one option axis at a time.
    Values at infeasible codes in the result are meaningless.
    """
    n = model.n_options
    op = np.maximum if kind == "max" else np.minimum
    y = x.copy()
    for i in model.dms[dm].indices:
        rule = int(model.forbid[i])
        if rule == FORBID_BOTH:
            continue
        v = y.reshape(2 ** (n - i - 1), 2, 2**i)
        x0, x1 = v[:, 0, :], v[:, 1, :]
        if rule == FORBID_Y_TO_N:  # N -> Y allowed only: from N reach both; from Y only Y
            op(x0, x1, out=x0)
        elif rule == FORBID_N_TO_Y:  # Y -> N allowed only
            op(x0, x1, out=x1)
        else:
            op(x0, x1, out=x0)
            x1[...] = x0
    return y


def ui_min(model: ConflictModel, x: I32, dm: int, pref: I32) -> I32:
    """``y[s] = min(x[s], min x[t] over unilateral improvements t of DM dm from s)``.

    ``pref`` is the mover's levels over all codes with ``NEG`` at infeasible codes; ``x`` has
    ``INF`` at infeasible codes. Loops over pairs of the DM's own option patterns; each step is a
    vector operation over all other options.
    """
    n = model.n_options
    d = model.dms[dm]
    k = len(d.options)
    shape = (2 ** (n - d.first - k), 2**k, 2**d.first)
    x3 = x.reshape(shape)
    p3 = pref.reshape(shape)
    y = x.copy()
    y3 = y.reshape(shape)
    if k >= SORTED_UI_MIN_OPTIONS and not any(int(model.forbid[o]) for o in d.indices):
        return _ui_min_sorted(x3, p3, y)
    allowed = model.allowed_own(dm)
    cand = np.empty((shape[0], shape[2]), dtype=np.int32)
    for f in range(2**k):
        src = p3[:, f, :]
        acc = y3[:, f, :]
        for t in np.flatnonzero(allowed[f]):
            better = p3[:, t, :] > src
            np.copyto(cand, INF)
            np.copyto(cand, x3[:, t, :], where=better)
            np.minimum(acc, cand, out=acc)
    return y


def _ui_min_sorted(x3: I32, p3: I32, y: I32) -> I32:
    """:func:`ui_min` for a DM whose options are all reversible (any own pattern reachable).

    Along the DM's own-pattern axis, sort by the mover's preference (descending); the least ``x``
    over strictly better patterns is a running minimum up to the start of each tie group.
    ``O(2**n log 2**k)`` instead of ``O(2**n 2**k)``.
    """
    xp = np.moveaxis(x3, 1, -1)
    pp = np.moveaxis(p3, 1, -1)
    k = xp.shape[-1]
    order = np.argsort(-pp.astype(np.int64), axis=-1, kind="stable")
    ps = np.take_along_axis(pp, order, axis=-1)
    xs = np.take_along_axis(xp, order, axis=-1)
    running = np.minimum.accumulate(xs, axis=-1)
    shifted = np.empty_like(running)
    shifted[..., 0] = INF
    shifted[..., 1:] = running[..., :-1]
    new_group = np.ones(ps.shape, dtype=bool)
    new_group[..., 1:] = ps[..., 1:] != ps[..., :-1]
    start = np.maximum.accumulate(np.where(new_group, np.arange(k), 0), axis=-1)
    best = np.minimum(xs, np.take_along_axis(shifted, start, axis=-1))
    out = np.empty_like(xp)
    np.put_along_axis(out, order, best, axis=-1)
    y3 = y.reshape(x3.shape)
    y3[...] = np.moveaxis(out, -1, 1)
    return y


def closure_min(
    model: ConflictModel,
    values: I32,
    movers: Sequence[int],
    *,
    improving: bool = False,
    prefs: dict[int, I32] | None = None,
) -> I32:
    """Least value of ``values`` over the states the coalition ``movers`` can reach (start included).

    With ``improving`` the coalition only makes unilateral improvements (each mover's own
    ``prefs[j]``, ``NEG`` at infeasible codes). ``values`` has ``INF`` at infeasible codes. The
    result is the least fixed point of ``x = min(values, min over one move of x)``, found by
    relaxing the movers' moves in turn until a full pass changes nothing.
    """
    feas = model.feasible
    x = values.copy()
    if not movers:
        return x
    while True:
        changed = False
        for j in movers:
            if improving:
                assert prefs is not None
                y = ui_min(model, x, j, prefs[j])
            else:
                y = um_reduce(model, x, j, "min")
            y[~feas] = INF
            if len(movers) == 1:
                return y
            if not changed and bool(np.any(y != x)):
                changed = True
            x = y
        if not changed:
            return x


def _unstable(model: ConflictModel, w: I32, dm: int, p_neg: I32) -> BoolArray:
    """True at codes where some move of ``dm`` reaches ``w > P_dm(s)``."""
    w = w.copy()
    w[~model.feasible] = NEG
    best = um_reduce(model, w, dm, "max")
    return best > p_neg


def stability_tables(
    model: ConflictModel, concepts: Iterable[str] = CONCEPTS
) -> dict[str, NDArray[np.bool_]]:
    """Per-DM stability of every feasible state.

    Parameters
    ----------
    model : ConflictModel
    concepts : iterable of str
        Any of ``"nash"``, ``"gmr"``, ``"smr"``, ``"seq"``.

    Returns
    -------
    dict
        ``concept -> bool array (n_dms, m)``; ``[i, s]`` is True when state id ``s`` is stable
        for DM ``i``. A state stable for every DM is an equilibrium.
    """
    wanted = [c.lower() for c in concepts]
    for c in wanted:
        if c not in CONCEPTS:
            raise ConfigurationError(f"unknown solution concept '{c}'; use one of {', '.join(CONCEPTS)}")
    n_dm = model.n_dms
    feas = model.feasible
    codes = model.codes
    p_neg = {i: full_levels(model, i, int(NEG)) for i in range(n_dm)}
    out = {c: np.zeros((n_dm, model.n_states), dtype=bool) for c in wanted}
    for i in range(n_dm):
        others = [j for j in range(n_dm) if j != i]
        pi = p_neg[i]
        p_inf = pi.copy()
        p_inf[~feas] = INF
        if "nash" in out:
            out["nash"][i] = ~_unstable(model, pi, i, pi)[codes]
        if "gmr" in out:
            m_gmr = closure_min(model, p_inf, others)
            out["gmr"][i] = ~_unstable(model, m_gmr, i, pi)[codes]
        if "smr" in out:
            cmax = um_reduce(model, pi, i, "max")
            cmax[~feas] = INF
            m_smr = closure_min(model, cmax, others)
            out["smr"][i] = ~_unstable(model, np.minimum(m_smr, p_inf), i, pi)[codes]
        if "seq" in out:
            m_seq = closure_min(model, p_inf, others, improving=True, prefs=p_neg)
            out["seq"][i] = ~_unstable(model, m_seq, i, pi)[codes]
    return out
