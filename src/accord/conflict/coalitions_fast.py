"""Coalitional Nash, GMR and SEQ stability, vectorized over states (block by block).

Same definitions as :mod:`accord.conflict.coalitions` (Kilgour, Hipel, Fang & Peng 2001; Inohara &
Hipel 2008), computed without a per-state search:

1. **Blocks.** A coalition ``H`` moves only its members' options, so the states it can reach from
   ``s`` share ``s``'s other options: group the states by the pattern of the non-members' options
   (a *block*) and index each block by the ``B = 2**k`` patterns of the members' ``k`` options.
2. **Reach.** Within a block, one member's move changes that member's options to a pattern its
   irreversibility allows, landing on a feasible state; ``R_H`` is the transitive closure of these
   moves (legal sequences: a member's consecutive moves compose into one move, as in
   :mod:`accord.conflict.stability`), found by pushing each start's reachable set along the
   members' option axes, pass after pass, until nothing changes.
3. **Sanctions.** For each member ``k`` the least level the opponents can push it to from ``t``,
   ``M_k(t) = min P_k over R_{N-H}(t)`` (by unilateral moves for CGMR, improvements for CSEQ), is the
   same least fixed point as for one DM (:func:`accord.conflict.stability.closure_min`); a
   coalitional improvement ``t`` of ``s`` is sanctioned iff some member has ``M_k(t) <= P_k(s)``.
4. **Verdict.** ``s`` is unstable iff some ``t`` in ``R_H(s)`` has, for every member,
   ``min(P_k(t), M_k(t)) > P_k(s)`` — one comparison over all ``(s, t)`` pairs of a block.

Cost: per block ``O(B**2 k)`` per pass of the closure and ``O(B**2 |H|)`` for the verdict, with
``2**n / B`` blocks; memory is bounded by processing blocks in chunks. Coalitional SMR (whose sanctions must also
block the coalition's escape) stays with the direct search of :mod:`accord.conflict.coalitions`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from accord.conflict.model import FORBID_BOTH, FORBID_N_TO_Y, FORBID_Y_TO_N, ConflictModel
from accord.conflict.stability import INF, NEG, closure_min, full_levels

#: Concepts computed here.
FAST_CONCEPTS = ("nash", "gmr", "seq")
#: Largest block (``2**k`` patterns of the members' options) handled here.
MAX_BLOCK = 4096
#: Bytes of working arrays per chunk of blocks.
CHUNK_BYTES = 128 * 2**20


def _deposit(bits: Sequence[int]) -> NDArray[np.int64]:
    """Codes of the ``2**len(bits)`` patterns of the given option bits, in the model's code space."""
    f = np.arange(1 << len(bits), dtype=np.int64)
    out = np.zeros_like(f)
    for j, pos in enumerate(bits):
        out |= ((f >> j) & 1) << pos
    return out


def _reach(
    model: ConflictModel, members: Sequence[int], bits: Sequence[int], feas: NDArray[np.bool_]
) -> NDArray[np.bool_]:
    """``R[b, s, t]``: ``t`` is reachable from ``s`` (or is ``s``) by members' moves in block ``b``.

    Pushes the reachable sets along each member's options (every subset of its options may change
    in one move, as irreversibility allows; only the landing state must be feasible) until a full
    pass adds nothing. Each pass costs ``O(B**2 k)`` per block.
    """
    nb, size = feas.shape
    reach = np.zeros((nb, size, size), dtype=bool)
    idx = np.arange(size)
    reach[:, idx, idx] = feas
    spans = []
    k = 0
    for j in members:
        spans.append(range(k, k + len(model.dms[j].options)))
        k += len(model.dms[j].options)
    while True:
        before = int(reach.sum())
        for span in spans:
            moved = reach.copy()
            for pos in span:
                v = moved.reshape(nb, size, size >> (pos + 1), 2, 1 << pos)
                x0, x1 = v[:, :, :, 0, :], v[:, :, :, 1, :]
                rule = int(model.forbid[bits[pos]])
                if rule == FORBID_Y_TO_N:  # may only be taken: from N, reach Y
                    x1 |= x0
                elif rule == FORBID_N_TO_Y:  # may only be dropped: from Y, reach N
                    x0 |= x1
                elif rule != FORBID_BOTH:
                    both = x0 | x1
                    x0[...] = both
                    x1[...] = both
            reach |= moved & feas[:, None, :]
        if int(reach.sum()) == before:
            return reach


def coalition_tables_fast(
    model: ConflictModel,
    coalition: Sequence[int],
    concepts: Sequence[str] = FAST_CONCEPTS,
    *,
    p_neg: dict[int, NDArray[np.int32]] | None = None,
) -> dict[str, NDArray[np.bool_]]:
    """Coalitional stability of every state for one coalition: ``concept -> bool array (m,)``.

    ``concepts`` among ``"nash"``, ``"gmr"``, ``"seq"``. The coalition's options must number at
    most ``log2(MAX_BLOCK)``. ``p_neg`` (each DM's ``full_levels`` with ``NEG`` for infeasible
    states) may be passed in to share it between coalitions.
    """
    members = sorted(set(coalition))
    if not members:
        raise ValueError("a coalition needs at least one decision maker")
    others = [j for j in range(model.n_dms) if j not in members]
    bits = [i for j in members for i in model.dms[j].indices]
    size = 1 << len(bits)
    if size > MAX_BLOCK:
        raise ValueError(f"coalition with {len(bits)} options; at most {MAX_BLOCK.bit_length() - 1}")
    dep = _deposit(bits)
    hmask = int(dep[-1])
    bases = np.unique(model.codes & ~hmask)
    codes = bases[:, None] | dep[None, :]  # (blocks, B)
    feas = model.feasible[codes]
    if p_neg is None:
        p_neg = {j: full_levels(model, j, int(NEG)) for j in range(model.n_dms)}
    levels = np.stack([p_neg[k][codes] for k in members], axis=-1).astype(np.int64)  # (blocks, B, |H|)
    sanction: dict[str, NDArray[np.int64]] = {}
    for c in concepts:
        if c == "nash":
            sanction[c] = levels
            continue
        per = []
        for k in members:
            p_inf = p_neg[k].copy()
            p_inf[~model.feasible] = INF
            m_k = closure_min(model, p_inf, others, improving=(c == "seq"), prefs=p_neg)
            per.append(np.minimum(p_neg[k], m_k)[codes])
        sanction[c] = np.stack(per, axis=-1).astype(np.int64)
    out = {c: np.ones(model.n_states, dtype=bool) for c in concepts}
    ids = model.index[codes]
    chunk = max(1, CHUNK_BYTES // (size * size * (8 + len(members))))
    for a in range(0, len(bases), chunk):
        sl = slice(a, a + chunk)
        f = feas[sl]
        r = _reach(model, members, bits, f)
        lv = levels[sl]
        better = np.all(lv[:, None, :, :] > lv[:, :, None, :], axis=-1)  # [b, s, t]: every member
        for c in concepts:
            w = sanction[c][sl]
            unsanctioned = np.all(w[:, None, :, :] > lv[:, :, None, :], axis=-1)
            unstable = np.any(r & better & unsanctioned, axis=2) & f
            hit = ids[sl][unstable]
            out[c][hit] = False
    return out


__all__ = ["FAST_CONCEPTS", "MAX_BLOCK", "coalition_tables_fast"]
