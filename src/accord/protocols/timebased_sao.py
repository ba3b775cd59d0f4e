"""Closed-form run of alternating offers between two time-based negotiators.

Two negotiators whose offers and acceptance depend only on the round (time-based
concession, Faratin, Sierra & Jennings 1998) need no round-by-round simulation: every
offer of every round is a binary search of a threshold in the sorted utilities, and the
outcome of the negotiation is the *first* acceptance event in protocol order. This
module finds that event with numpy, and — since agreements usually come early — looks
only at the outcomes that can matter up to a "cover" round before widening the search,
so a 1000-round negotiation over 10^4 outcomes costs a few hundred microseconds.

Protocol (stacked alternating offers, NegMAS ``SAOMechanism`` order): in round ``k``
party 0 first responds to party 1's standing offer (from round ``k-1``) and, if it
rejects, offers; then party 1 responds to that offer and, if it rejects, offers. In
round 0, party 0 only offers. A party accepts an offer ``o`` iff ``u(o) >= lo[k]``.

Offer rule (``below``): a party offers the outcome whose own utility is nearest to its
threshold ``lo[k]`` among those with utility ``>= lo[k] - below``; ties and the
nearest-above case give the lowest utility ``>= lo[k]`` (the "worst in band"). With
``below = 0`` this is exactly the worst outcome in the band; NegMAS's presorting
inverter uses ``below = 1e-6`` (it may pick an outcome up to ``1e-6`` under the
threshold when that one is strictly closer).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

#: NegMAS presorting inverter tolerance below the requested lower bound.
NEGMAS_BELOW = 1e-6


def offer_positions(sorted_u: FloatArray, lows: FloatArray, below: float = 0.0) -> IntArray:
    """Position in ``sorted_u`` of the outcome offered at each threshold.

    Parameters
    ----------
    sorted_u : ndarray, shape (m,)
        Utilities sorted ascending (non-empty).
    lows : ndarray, shape (r,)
        Thresholds (any order).
    below : float
        Tolerance under the threshold, see the module docstring.

    Returns
    -------
    ndarray of int64, shape (r,)
        Index into ``sorted_u`` of each offer: the successor of the threshold (lowest
        value ``>= low``, clamped to the last element) unless its predecessor is
        within ``below`` under the threshold and strictly nearer.
    """
    n = sorted_u.shape[0]
    i = np.searchsorted(sorted_u, lows, side="left")
    np.minimum(i, n - 1, out=i)
    if below <= 0.0:
        return i.astype(np.int64, copy=False)
    prev = i - 1
    has = prev >= 0
    ap = sorted_u[np.maximum(prev, 0)]
    use_prev = has & (ap >= lows - below) & (np.abs(ap - lows) < np.abs(sorted_u[i] - lows))
    return np.where(use_prev, prev, i).astype(np.int64, copy=False)


def _first_event(acc0: NDArray[np.bool_], acc1: NDArray[np.bool_]) -> tuple[int, int] | None:
    """First acceptance in protocol order: (round, responder) or None."""
    k0 = int(np.argmax(acc0)) if acc0.any() else -1
    k1 = int(np.argmax(acc1)) if acc1.any() else -1
    if k0 < 0 and k1 < 0:
        return None
    if k0 < 0:
        return k1, 1
    if k1 < 0:
        return k0, 0
    # In a round, party 0 responds before party 1.
    return (k0, 0) if k0 <= k1 else (k1, 1)


def solve_full(
    u0: FloatArray, u1: FloatArray, lo0: FloatArray, lo1: FloatArray, below: float = 0.0
) -> tuple[int, int]:
    """Reference solver: sort both parties' utilities and evaluate every round.

    Parameters
    ----------
    u0, u1 : ndarray, shape (n,)
        Each party's utility of every outcome.
    lo0, lo1 : ndarray, shape (steps,)
        Each party's threshold in every round (any shape of curve).
    below : float
        Offer-rule tolerance (module docstring).

    Returns
    -------
    (outcome, rounds) : tuple of int
        Index of the agreed outcome (``-1`` for no agreement) and the number of rounds
        played (agreement round + 1, or ``steps`` on timeout).
    """
    steps = lo0.shape[0]
    o0 = np.argsort(u0, kind="stable")
    o1 = np.argsort(u1, kind="stable")
    off0 = o0[offer_positions(u0[o0], lo0, below)]
    off1 = o1[offer_positions(u1[o1], lo1, below)]
    acc1 = u1[off0] >= lo1
    acc0 = np.zeros(steps, dtype=bool)
    acc0[1:] = u0[off1[:-1]] >= lo0[1:]
    ev = _first_event(acc0, acc1)
    if ev is None:
        return -1, steps
    k, who = ev
    return (int(off1[k - 1]) if who == 0 else int(off0[k])), k + 1


def _neighbours(u: FloatArray, values: FloatArray, index: IntArray) -> tuple[FloatArray, FloatArray]:
    """Utilities of the neighbours of outcomes ``index`` in the order (utility, index).

    Returns, for each outcome ``x = index[i]`` with ``u[x] = values[i]``, the utility of
    the outcome just before it and just after it when all outcomes are sorted by
    utility, ties by index (``-inf`` / ``inf`` at the ends). Ties give a neighbour of
    equal utility.
    """
    if values.shape[0] <= 16:
        d = u[None, :] - values[:, None]
        pred = np.where(d < 0.0, u[None, :], -np.inf).max(axis=1)
        succ = np.where(d > 0.0, u[None, :], np.inf).min(axis=1)
        eq = d == 0.0
        if eq.sum() > values.shape[0]:  # ties: some outcome shares a utility
            ar = np.arange(u.shape[0])[None, :]
            pred = np.where((eq & (ar < index[:, None])).any(axis=1), values, pred)
            succ = np.where((eq & (ar > index[:, None])).any(axis=1), values, succ)
        return pred, succ
    order = np.argsort(u, kind="stable")
    s = u[order]
    rank = np.empty_like(order)
    rank[order] = np.arange(order.shape[0])
    r = rank[index]
    pred = np.where(r > 0, s[np.maximum(r - 1, 0)], -np.inf)
    succ = np.where(r < s.shape[0] - 1, s[np.minimum(r + 1, s.shape[0] - 1)], np.inf)
    return pred, succ


def _solve_cover(
    u0: FloatArray,
    u1: FloatArray,
    lo0: FloatArray,
    lo1: FloatArray,
    below: float,
    cover: int,
    max_candidates: int,
) -> tuple[int, int]:
    """Exact first event among rounds ``0..cover`` as (outcome, rounds).

    ``rounds == -1`` means no event in those rounds; ``rounds == -2`` that more than
    ``max_candidates`` outcomes would need sorting (use :func:`solve_full`).

    Only party 0's outcomes with ``u0 >= lo0[cover] - below`` can be offered by party 0
    or accepted by it in those rounds (``lo0`` is non-increasing), so only those are
    sorted. Party 1's offers matter only where party 0 would accept them, i.e. for
    outcomes ``x`` with ``u0[x] >= lo0[last]``; party 1 offers ``x`` in round ``j`` iff its
    threshold ``lo1[j]`` lies between the neighbours of ``u1[x]`` in ``u1`` (and the
    offer rule picks ``x``), which locates those rounds without sorting ``u1``.
    """
    theta = lo0[cover]
    cand = np.flatnonzero(u0 >= theta - 2.0 * below - 1e-12)
    if cand.shape[0] > max_candidates:
        return -1, -2
    uc = u0[cand]
    order = np.argsort(uc, kind="stable")
    cand = cand[order]
    uc = uc[order]
    off0 = cand[offer_positions(uc, lo0[: cover + 1], below)]
    acc1 = u1[off0] >= lo1[: cover + 1]
    k1 = int(np.argmax(acc1)) if acc1.any() else -1
    # Party 0 can accept in rounds 1..last only (it responds before party 1 in a round).
    last = k1 if k1 >= 0 else cover
    first0 = -1
    first0_x = -1
    if last >= 1:
        top = cand[uc >= lo0[last]]
        v = u1[top]
        # Party 1 never offers an outcome more than `below` under its lowest threshold.
        keep = v >= lo1[last - 1] - below
        if keep.any():
            top = top[keep]
            v = v[keep]
            pred, succ = _neighbours(u1, v, top)
            neg = -lo1[:last]  # non-decreasing
            j_lo = np.searchsorted(neg, -succ, side="left")
            j_hi = np.searchsorted(neg, -pred, side="left")
            for x, vx, px, sx, a, b in zip(top, v, pred, succ, j_lo, j_hi, strict=True):
                if a >= b:
                    continue
                m = lo1[a:b]
                as_succ = m <= vx
                # x is the successor of m: offered unless the predecessor is nearer.
                take_pred = (px >= m - below) & (np.abs(px - m) < np.abs(vx - m))
                # x is the predecessor of m: offered only if within `below` and nearer.
                take_x = (vx >= m - below) & (np.abs(vx - m) < np.abs(sx - m))
                offered = np.where(as_succ, ~take_pred, take_x)
                js = np.flatnonzero(offered & (u0[x] >= lo0[a + 1 : b + 1]))
                if js.shape[0] and (first0 < 0 or js[0] + a + 1 < first0):
                    first0 = int(js[0]) + a + 1
                    first0_x = int(x)
    if first0 < 0 and k1 < 0:
        return -1, -1
    if k1 < 0 or (first0 >= 0 and first0 <= k1):
        return first0_x, first0 + 1
    return int(off0[k1]), k1 + 1


def solve(
    u0: FloatArray,
    u1: FloatArray,
    lo0: FloatArray,
    lo1: FloatArray,
    below: float = 0.0,
    covers: tuple[int, ...] = (95, 255, 511),
    max_candidates: int = 512,
) -> tuple[int, int]:
    """Outcome of alternating offers between two time-based negotiators.

    Same result as :func:`solve_full` (tested on random problems), much faster when
    the agreement comes early: it first solves rounds ``0..cover`` for each cover in
    ``covers`` using only the outcomes that can matter there, and falls back to the
    full solver for the rest.

    Parameters
    ----------
    u0, u1 : ndarray, shape (n,)
        Each party's utility of every outcome.
    lo0, lo1 : ndarray, shape (steps,)
        Non-increasing thresholds per round (time-based concession).
    below : float
        Offer-rule tolerance (module docstring).
    covers : tuple of int
        Increasing cover rounds tried before the full solver.
    max_candidates : int
        Go to the full solver when a cover would need more outcomes sorted.

    Returns
    -------
    (outcome, rounds) : tuple of int
        Agreed outcome index (``-1`` if none) and rounds played.
    """
    steps = lo0.shape[0]
    for c in covers:
        if c >= steps - 1:
            break
        outcome, rounds = _solve_cover(u0, u1, lo0, lo1, below, c, max_candidates)
        if rounds == -2:
            break
        if rounds >= 0:
            return outcome, rounds
    return solve_full(u0, u1, lo0, lo1, below)
