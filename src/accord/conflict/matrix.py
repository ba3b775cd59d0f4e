"""Dense matrix formulation of Nash, GMR, SMR and SEQ (Xu, Hipel & Kilgour 2009), for small models.

This is the textbook form of the matrix method, with explicit ``m x m`` 0/1 matrices, kept as an
independent check of :mod:`accord.conflict.stability` and as a readable statement of the method.
Notation (Xu, Hipel & Kilgour 2009, IEEE SMC-A 39(1):96-108, Sec. III; Xu, Hipel, Kilgour & Fang
2018, *Conflict Resolution Using the Graph Model*, Ch. 4):

* ``J_i(s, q) = 1`` iff ``q`` is in ``R_i(s)``; ``P_i^+(s, q) = 1`` iff ``q`` is preferred to ``s`` by
  *i*; ``P_i^{-,=}(s, q) = 1`` iff ``s`` is at least as good as ``q`` for *i*;
  ``J_i^+ = J_i o P_i^+`` (elementwise product); ``E`` is all ones.
* Coalition reachability with the rule "no DM moves twice in a row" tracks the last mover:
  ``A_j`` (reachable with last mover ``j``) starts at ``J_j`` and grows by
  ``A_j <- sign(A_j + (sum_{k != j} A_k) J_j)`` until nothing changes; ``J_H = sign(sum_j A_j)``
  (for UIs, ``J_j^+`` replaces ``J_j``).
* Nash: ``e_s^T J_i^+ e = 0``.
* GMR: ``M = J_i^+ [E - sign(J_{N-i} (P_i^{-,=})^T)]``, stable iff ``M(s, s) = 0``.
* SMR: ``M = J_i^+ [E - sign(J_{N-i} [(P_i^{-,=})^T o (E - sign(J_i (P_i^+)^T))])]``.
* SEQ: ``M = J_i^+ [E - sign(J^+_{N-i} (P_i^{-,=})^T)]``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
from numpy.typing import NDArray

from accord.conflict.model import ConflictModel

MAX_STATES = 2000
Mat = NDArray[np.int64]


def reachability(model: ConflictModel, dm: int) -> Mat:
    """``J_dm`` as a dense 0/1 matrix."""
    m = model.n_states
    j = np.zeros((m, m), dtype=np.int64)
    for s in range(m):
        j[s, model.moves(dm, s)] = 1
    return j


def coalition_reach(mats: Sequence[Mat]) -> Mat:
    """``J_H`` from the members' (UM or UI) matrices, by legal sequences (last-mover tracking)."""
    if not mats:
        raise ValueError("empty coalition")
    acc = [a.copy() for a in mats]
    while True:
        total = sum(acc)
        new = [np.sign(acc[j] + (total - acc[j]) @ mats[j]) for j in range(len(mats))]
        if all(np.array_equal(a, b) for a, b in zip(new, acc, strict=True)):
            return np.sign(sum(acc))
        acc = new


def stability_tables_dense(model: ConflictModel, concepts: Iterable[str]) -> dict[str, NDArray[np.bool_]]:
    """Same output as :func:`accord.conflict.stability.stability_tables`, by dense matrices."""
    m = model.n_states
    if m > MAX_STATES:
        raise ValueError(f"the dense matrix method is limited to {MAX_STATES} states")
    n = model.n_dms
    lv = model.levels
    e = np.ones((m, m), dtype=np.int64)
    jm = [reachability(model, i) for i in range(n)]
    p_plus = [(lv[i][None, :] > lv[i][:, None]).astype(np.int64) for i in range(n)]
    p_le = [(lv[i][:, None] >= lv[i][None, :]).astype(np.int64) for i in range(n)]
    j_plus = [jm[i] * p_plus[i] for i in range(n)]
    out = {}
    for c in concepts:
        tab = np.zeros((n, m), dtype=bool)
        for i in range(n):
            others = [k for k in range(n) if k != i]
            if c == "nash":
                tab[i] = j_plus[i].sum(axis=1) == 0
                continue
            if c == "gmr":
                jh = coalition_reach([jm[k] for k in others])
                mat = j_plus[i] @ (e - np.sign(jh @ p_le[i].T))
            elif c == "smr":
                jh = coalition_reach([jm[k] for k in others])
                escape = np.sign(jm[i] @ p_plus[i].T)
                mat = j_plus[i] @ (e - np.sign(jh @ (p_le[i].T * (e - escape))))
            elif c == "seq":
                jh = coalition_reach([j_plus[k] for k in others])
                mat = j_plus[i] @ (e - np.sign(jh @ p_le[i].T))
            else:
                raise ValueError(f"unknown concept '{c}'")
            tab[i] = np.diag(mat) == 0
        out[c] = tab
    return out
