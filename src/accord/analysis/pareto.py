"""Exact Pareto front of a utility matrix.

The front is the set of outcomes that no other outcome *weakly dominates*: row ``j`` weakly
dominates row ``i`` when ``U[j] >= U[i]`` in every column and ``U[j] > U[i]`` in at least one
(Pareto 1906; the maximal-vector problem of Kung, Luccio & Preparata 1975). Exact duplicates
of a front row do not dominate each other, so every copy is kept.

Method
------
1. *Linear-time pruning.* A row with the largest utility sum is taken as a pivot and every row
   it weakly dominates is discarded in one vectorized pass; the pivot step repeats on the
   survivors while it keeps discarding at least half of them. Discarding rows dominated by
   any row is exact: whatever a discarded row dominates, the pivot dominates too. On random
   utilities this leaves a fraction of a percent of the rows after a few passes over the
   data, before anything is sorted.
2. *Exact maxima of the survivors.* The survivors are sorted lexicographically in decreasing
   order (one ``argsort`` of the first column when it has no ties), so that a dominating row
   always comes before the rows it dominates, and exact duplicates become adjacent and are
   collapsed. Then

   * one party: the rows with the largest value;
   * two parties: a running maximum of the second column (Kung et al. 1975, the two-
     dimensional sweep), ``O(n log n)``;
   * three parties: "is there an earlier row with ``y' >= y`` and ``z' >= z``" for every row,
     answered for all rows at once by an offline divide and conquer over the sorted
     positions (Bentley 1980's scheme for dominance problems). Keeping the rows presorted
     by ``y`` inside the blocks of every level makes each level one ``O(n)`` vectorized pass
     (a segmented running maximum and a stable partition), so the whole is ``O(n log n)``;
     pairs of positions within the same block of 32 are compared directly;
   * four or more parties: sort-filter-skyline (Chomicki, Godfrey, Gryz & Liang 2003): rows in
     decreasing order of utility sum are checked in vectorized blocks against the front found
     so far, ``O(n h k)`` for a front of ``h`` rows. When that work grows past a multiple of
     ``n log^(k-2) n`` (large fronts), the same divide and conquer as for three parties,
     nested once per further party, takes over: ``O(n log^(k-2) n)``.

References
----------
Kung, H. T., Luccio, F., & Preparata, F. P. (1975). On finding the maxima of a set of
vectors. *Journal of the ACM*, 22(4), 469-476.
Bentley, J. L. (1980). Multidimensional divide-and-conquer. *Communications of the ACM*,
23(4), 214-229.
Chomicki, J., Godfrey, P., Gryz, J., & Liang, D. (2003). Skyline with presorting. *ICDE*.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from accord.analysis._validate import BoolArray, FloatArray, IntArray, row_mask, utility_matrix

__all__ = ["pareto_front"]

#: Below this many rows the pruning passes stop (the exact step is cheap there).
_PRUNE_MIN = 64
#: A pruning pass is applied only if it keeps at most this fraction of the rows.
_PRUNE_APPLY = 0.9
#: Pruning passes repeat while they keep at most this fraction of the rows.
_PRUNE_REPEAT = 0.5
#: Pairs of positions closer than 2**_LEAF_BITS are compared directly (three parties).
_LEAF_BITS = 5
#: The second pruning stage runs on more rows than this ...
_FILTER_MIN = 1024
#: ... with the front of this many high-sum rows as pivots ...
_FILTER_SAMPLE = 256
#: ... if (number of pivots) x (rows) is at most this.
_FILTER_BUDGET = 1 << 25
#: Sort-filter-skyline gives way to divide and conquer after this many x n log^(k-2) n
#: row comparisons for k = 4 parties (a quarter of it for every further party; measured).
_SFS_WORK = 4.0
#: Bytes of boolean workspace per vectorized block comparison (k >= 4).
_BLOCK_BUDGET = 1 << 22


def pareto_front(U: Any, mask: Any = None) -> IntArray:
    """Indices of the Pareto-optimal rows of a utility matrix.

    Parameters
    ----------
    U : array_like of shape (n_outcomes, n_parties)
        Utilities, higher is better for every party (column). Converted to float64.
    mask : array_like of bool, shape (n_outcomes,), optional
        Admissible rows (e.g. outcomes that cross no red line). If given, the front of the
        admissible rows is returned: inadmissible rows are neither returned nor allowed to
        dominate. Indices still refer to rows of ``U``.

    Returns
    -------
    numpy.ndarray of int64
        Sorted indices of the rows that no other (admissible) row weakly dominates (``>=``
        in every column and ``>`` in at least one). Every copy of a duplicated front row is
        returned. An empty matrix gives an empty array; a matrix with no column gives every
        (admissible) row.

    Raises
    ------
    accord.errors.AnalysisError
        If ``U`` is not 2-D, not real-valued, or contains NaN or infinite values, or if
        ``mask`` is not a boolean vector with one entry per row. ``AnalysisError`` is also a
        ``ValueError``.

    Notes
    -----
    Exact for any number of parties: comparisons only, no tolerance. Random utilities cost
    a few passes over the data (pivot pruning); fronts that hold nearly every row (opposed
    interests) cost ``O(n log n)`` for two and for three parties, and
    ``O(min(n h k, n log^(k-2) n))`` for ``k >= 4`` parties and a front of ``h`` rows.
    Extra memory stays below three times the size of ``U``. See the module docstring for
    the method and references.

    Examples
    --------
    >>> pareto_front([[1, 0], [0, 1], [0.5, 0.5], [0.4, 0.4], [1, 0]]).tolist()
    [0, 1, 2, 4]
    >>> pareto_front([[1, 0], [0, 1], [0.5, 0.5], [0.4, 0.4]], mask=[True, True, False, True])
    array([0, 1, 3])
    """
    A = utility_matrix(U, "U")
    if mask is not None:
        rows = np.flatnonzero(row_mask(mask, A.shape[0], "mask"))
        if rows.size < A.shape[0]:
            return rows[_pareto_front(A[rows])]
    return _pareto_front(A)


def _pareto_front(A: FloatArray) -> IntArray:
    n, k = A.shape
    if n == 0:
        return np.empty(0, dtype=np.int64)
    if k == 0:
        return np.arange(n, dtype=np.int64)
    with np.errstate(over="ignore"):  # huge finite utilities may overflow the row sums
        idx, B = _prune(A)
        keep = _front_mask(B)
    if idx is None:
        return np.flatnonzero(keep).astype(np.int64, copy=False)
    return idx[keep]


def _prune(A: FloatArray) -> tuple[IntArray | None, FloatArray]:
    """Discard rows weakly dominated by max-sum pivots; return (kept indices or None, rows)."""
    idx: IntArray | None = None
    B = A
    k = A.shape[1]
    while B.shape[0] > _PRUNE_MIN:
        m = B.shape[0]
        s = B[:, 0].copy()
        for c in range(1, k):
            s += B[:, c]
        j = int(np.argmax(s))
        p = B[j].copy()
        keep = B[:, 0] > p[0]
        for c in range(1, k):
            keep |= B[:, c] > p[c]
        # Rows equal to the pivot are not dominated by it; they have the same sum exactly.
        same = np.flatnonzero(s == s[j])
        keep[same[(B[same] == p).all(axis=1)]] = True
        del s
        n_keep = int(np.count_nonzero(keep))
        if n_keep > _PRUNE_APPLY * m:
            break
        sel = np.flatnonzero(keep)
        idx = sel if idx is None else idx[sel]
        B = B[sel]
        if n_keep > _PRUNE_REPEAT * m:
            break
    m = B.shape[0]
    if idx is not None and _FILTER_MIN < m <= A.shape[0] // 4:
        # Second stage: the exact front of a few hundred high-sum rows (overall and tilted
        # towards each party) serves as a set of pivots for one more vectorized pass.
        s = B.sum(axis=1)
        picks = [np.argpartition(-s, _FILTER_SAMPLE)[:_FILTER_SAMPLE]]
        for c in range(k):
            tilted = s + 2.0 * B[:, c]
            picks.append(np.argpartition(-tilted, _FILTER_SAMPLE // k)[: _FILTER_SAMPLE // k])
        del s
        sample = B[np.unique(np.concatenate(picks))]
        pivots = sample[_front_mask(sample)]
        if pivots.shape[0] * m <= _FILTER_BUDGET:
            keep = ~_dominated_by_any(pivots, B)
            if int(np.count_nonzero(keep)) < m:
                sel = np.flatnonzero(keep)
                idx = sel if idx is None else idx[sel]
                B = B[sel]
    return idx, B


def _front_mask(B: FloatArray) -> BoolArray:
    """Boolean mask of the rows of ``B`` (n >= 1, k >= 1) that are not weakly dominated."""
    m, k = B.shape
    if k == 1:
        col = B[:, 0]
        return np.asarray(col == col.max())
    itype = _index_type(m)
    order = _lex_desc_order(B, itype)
    new_run = np.ones(m, dtype=np.bool_)
    cols: list[FloatArray] = []
    # k >= 4: all columns, transposed, for sort-filter-skyline; k < 4: columns 1.. only.
    table = np.empty((k, m)) if k >= 4 else None
    for c in range(k):
        col = B[order, c] if table is None else np.take(B[:, c], order, out=table[c])
        same = col[1:] == col[:-1]
        if c == 0:
            new_run[1:] = ~same
        else:
            new_run[1:] |= ~same
            if table is None:
                cols.append(col)
        del same, col
    rep = np.flatnonzero(new_run)  # first row of each run of duplicates
    all_unique = rep.size == m
    if not all_unique:
        cols = [col[rep] for col in cols]
        if table is not None:
            table = table[:, rep]
    del rep
    if table is not None:
        owned = [table]
        del table  # _dominated_many frees the table before its divide and conquer
        dominated = _dominated_many(owned, itype)
    elif k == 2:
        dominated = _dominated_by_earlier_1d(cols[0])
        del cols
    else:
        y, z = cols
        del cols
        zrank = _dense_rank(z, itype)
        del z
        by_y = _desc_order(y, itype)
        del y
        dominated = _dominated_by_earlier_2d(by_y, zrank)
        del by_y, zrank
    if all_unique:
        front_sorted = ~dominated
    else:
        run_id = np.cumsum(new_run, dtype=itype)
        run_id -= 1
        front_sorted = ~dominated[run_id]
        del run_id
    del dominated, new_run
    mask = np.empty(m, dtype=np.bool_)
    mask[order] = front_sorted
    return mask


def _lex_desc_order(B: FloatArray, itype: type[np.signedinteger[Any]]) -> NDArray[Any]:
    """Row order, lexicographically decreasing: a dominating row precedes those it dominates,
    and exact duplicates are adjacent. Without ties in the first column one ``argsort`` of
    that column suffices (several times cheaper than ``lexsort`` on all columns)."""
    first = B[:, 0]
    order = np.argsort(first)
    ordered = first[order]
    if not (ordered[1:] == ordered[:-1]).any():
        return order[::-1].astype(itype)
    del order, ordered
    return np.lexsort(B.T[::-1])[::-1].astype(itype)


def _desc_order(v: FloatArray, itype: type[np.signedinteger[Any]]) -> NDArray[Any]:
    """Positions by decreasing ``v``, equal values by increasing position."""
    order = np.argsort(v)
    ordered = v[order]
    if (ordered[1:] == ordered[:-1]).any():
        return np.argsort(-v, kind="stable").astype(itype)
    return order[::-1].astype(itype)


def _index_type(m: int) -> type[np.signedinteger[Any]]:
    return np.int32 if m < 2**30 else np.int64


def _dense_rank(v: FloatArray, itype: type[np.signedinteger[Any]]) -> NDArray[Any]:
    """Ranks 0, 1, ... of the values of ``v``; equal values get equal ranks."""
    m = v.size
    ov = np.argsort(v)
    vs = v[ov]
    ranks_sorted = np.empty(m, dtype=itype)
    ranks_sorted[0] = 0
    np.cumsum(vs[1:] != vs[:-1], out=ranks_sorted[1:])
    del vs
    rank = np.empty(m, dtype=itype)
    rank[ov] = ranks_sorted
    return rank


def _dominated_by_earlier_1d(y: FloatArray) -> BoolArray:
    """``out[i]`` is True iff some ``j < i`` has ``y[j] >= y[i]``."""
    out = np.zeros(y.size, dtype=np.bool_)
    if y.size > 1:
        run = np.maximum.accumulate(y)
        out[1:] = run[:-1] >= y[1:]
    return out


def _dominated_by_earlier_2d(by_y: NDArray[Any], zrank: NDArray[Any]) -> BoolArray:
    """``out[i]`` is True iff some ``j < i`` has ``y[j] >= y[i]`` and ``z[j] >= z[i]``.

    ``by_y`` lists the positions by decreasing ``y`` (equal ``y`` by increasing position) and
    ``zrank`` holds dense ranks of ``z``.

    Offline divide and conquer over positions (Bentley 1980): at level ``l`` every pair of
    sibling blocks of size ``2**l`` is handled at once. Positions are kept ordered by
    decreasing ``y`` inside blocks of size ``2**(l+1)``; in that order the left-block elements
    that precede a right-block element are exactly those with ``y' >= y``, so a segmented
    running maximum of their ``z`` ranks answers the query. A stable partition (one cumulative
    sum) then produces the order for the next level. Each level is ``O(n)``.
    """
    m = by_y.size
    out = np.zeros(m, dtype=np.bool_)
    if m <= 1:
        return out
    itype = by_y.dtype.type
    # Pairs inside the same block of 2**_LEAF_BITS positions: direct comparison, which is
    # cheaper than the last few levels. yrank orders by decreasing y, ties by position.
    yrank = np.empty(m, dtype=itype)
    yrank[by_y] = np.arange(m, dtype=itype)
    _leaf_dominated(yrank, zrank, 1 << _LEAF_BITS, out)
    del yrank
    levels = (m - 1).bit_length()
    if levels <= _LEAF_BITS:
        return out
    # Positions, their z ranks and their "dominated" flags travel together through the
    # partitions, so that every level reads them in order (cache-friendly) instead of
    # gathering them at random.
    order = by_y
    zr = zrank[order]
    flag = np.zeros(m, dtype=np.bool_)
    span = np.int64(m + 1)  # zrank + 1 lies in [0, m]
    for level in range(levels - 1, _LEAF_BITS - 1, -1):
        shift = level + 1
        right = ((order >> level) & 1).astype(np.bool_)
        # key = block * span + (zrank + 1 for left elements, 0 for right ones); a running
        # maximum of it is a running maximum restarted at every block.
        base = (order >> shift).astype(np.int64)
        base *= span
        key = zr.astype(np.int64)
        key += 1
        key *= ~right
        key += base
        np.maximum.accumulate(key, out=key)
        base += zr  # own block * span + own zrank
        hit = np.greater(key, base)  # an earlier left element with y' >= y has zrank >= own
        del key, base
        hit &= right
        flag |= hit
        del hit
        if level == _LEAF_BITS:
            break
        dest = _partition_dest(order, right, level)
        del right
        order, zr, flag = _scatter(dest, order), _scatter(dest, zr), _scatter(dest, flag)
        del dest
    out[order] |= flag
    return out


def _leaf_dominated(yrank: NDArray[Any], zrank: NDArray[Any], size: int, out: BoolArray) -> None:
    """Set ``out[b]`` if an earlier position ``a`` of the same block of ``size`` positions has
    ``yrank[a] < yrank[b]`` and ``zrank[a] >= zrank[b]``."""
    m = yrank.size
    blocks = -(-m // size)
    pad = blocks * size - m
    Y = np.concatenate([yrank, np.zeros(pad, dtype=yrank.dtype)]).reshape(blocks, size)
    Z = np.concatenate([zrank, np.zeros(pad, dtype=zrank.dtype)]).reshape(blocks, size)
    hit = np.zeros((blocks, size), dtype=np.bool_)
    for a in range(min(size, m) - 1):
        cond = Y[:, a, None] < Y[:, a + 1 :]
        cond &= Z[:, a, None] >= Z[:, a + 1 :]
        hit[:, a + 1 :] |= cond
    out |= hit.reshape(-1)[:m]


def _partition_dest(pos: NDArray[Any], right: BoolArray, level: int) -> NDArray[Any]:
    """Destinations of a stable partition of every block of ``2**(level+1)`` indices: the
    elements whose position has bit ``level`` clear (left half) first, then the others.

    Block ``b`` occupies indices ``[b * 2**(level+1), (b+1) * 2**(level+1))`` and holds the
    positions with ``position >> (level+1) == b``; afterwards each half occupies its own
    aligned range of ``2**level`` indices, in the same relative order as before.
    """
    itype = pos.dtype.type
    shift = level + 1
    start = pos >> shift
    start <<= shift  # index (and first position) of the block
    dest = np.cumsum(right, dtype=itype)
    dest -= right  # right elements before each index
    dest -= dest[start]  # ... within the block: rank among the block's right elements
    left_rank = np.arange(pos.size, dtype=itype)
    left_rank -= start
    left_rank -= dest  # rank among the block's left elements
    dest += itype(1 << level)
    np.copyto(dest, left_rank, where=~right)
    del left_rank
    dest += start
    return dest


def _dominated_by_earlier_nd(
    ranks: list[NDArray[Any]], src: BoolArray, tgt: BoolArray, bits: int
) -> BoolArray:
    """``out[i]`` is True iff ``tgt[i]`` and some ``j < i`` in the same aligned block of
    ``2**bits`` indices has ``src[j]`` and ``ranks[c][j] >= ranks[c][i]`` for every ``c``.

    The general form of :func:`_dominated_by_earlier_2d` for any number of rank arrays
    (Bentley 1980): a divide and conquer over the indices whose cross-half step is the same
    problem with one rank array fewer, solved for all blocks of a level in one call.
    ``O(n log^q n)`` for ``q`` rank arrays. ``src`` and ``tgt`` must be disjoint when
    ``ranks`` has a single array.
    """
    m = ranks[0].size
    itype = ranks[0].dtype.type
    span = np.int64(m + 1)
    block = np.arange(m, dtype=np.int64) >> bits
    block *= span
    if len(ranks) == 1:
        # Segmented running maximum of the sources' ranks (+1; 0 for non-sources).
        r = ranks[0]
        key = r.astype(np.int64)
        key += 1
        key *= src
        key += block
        np.maximum.accumulate(key, out=key)
        block += r
        hit = np.greater(key, block)
        hit &= tgt
        return hit
    # Order every block by decreasing first rank, ties by increasing index.
    block += m - ranks[0]
    pos = np.argsort(block, kind="stable").astype(itype)
    del block
    rest = [r[pos] for r in ranks[1:]]
    src_o, tgt_o = src[pos], tgt[pos]
    flag = np.zeros(m, dtype=np.bool_)
    for level in range(bits - 1, -1, -1):
        right = ((pos >> level) & 1).astype(np.bool_)
        sources = src_o & ~right
        targets = tgt_o & right
        if sources.any() and targets.any():
            flag |= _dominated_by_earlier_nd(rest, sources, targets, level + 1)
        del sources, targets
        if level == 0:
            break
        dest = _partition_dest(pos, right, level)
        del right
        pos, src_o, tgt_o, flag = (_scatter(dest, a) for a in (pos, src_o, tgt_o, flag))
        rest = [_scatter(dest, r) for r in rest]
    out = np.zeros(m, dtype=np.bool_)
    out[pos] = flag
    return out


def _scatter(dest: NDArray[Any], values: NDArray[Any]) -> NDArray[Any]:
    moved = np.empty_like(values)
    moved[dest] = values
    return moved


def _dominated_many(owned: list[FloatArray], itype: type[np.signedinteger[Any]]) -> BoolArray:
    """Rows dominated by an earlier row, for ``k >= 4`` parties.

    ``owned`` is a one-element list with the table of distinct rows as columns, ``(k, m)``,
    in lexicographically decreasing order; it is emptied so that the table can be freed
    early. Sort-filter-skyline is fastest for small fronts; once its work exceeds a multiple
    of the divide and conquer's ``n log^(k-2) n``, the latter takes over.
    """
    table = owned.pop()
    k, m = table.shape
    budget = _SFS_WORK * 4.0 ** (4 - k) * m * max(1.0, np.log2(m)) ** (k - 2)
    dominated = _dominated_sfs(table, budget)
    if dominated is not None:
        return dominated
    ranks = [_dense_rank(table[c], itype) for c in range(1, k)]
    del table
    everyone = np.ones(m, dtype=np.bool_)
    return _dominated_by_earlier_nd(ranks, everyone, everyone, (m - 1).bit_length())


def _dominated_sfs(table: FloatArray, budget: float = np.inf) -> BoolArray | None:
    """Sort-filter-skyline (Chomicki et al. 2003) for k >= 4 parties, vectorized in blocks.

    ``table`` holds distinct rows as columns, ``(k, m)``, in lexicographically decreasing
    order. They are visited in decreasing order of their sum (ties keep the lexicographic
    order); floating-point sums are monotone, so every dominating row is visited before the
    rows it dominates. A block of rows is compared with the front found so far and with its
    own earlier rows. For distinct rows ``>=`` in every column already means weak
    domination. Returns ``None`` as soon as the number of row comparisons exceeds ``budget``.
    """
    k, m = table.shape
    total = table[0].copy()
    for c in range(1, k):
        total += table[c]
    visit = np.argsort(-total, kind="stable")
    del total
    dominated = np.ones(m, dtype=np.bool_)
    front = np.empty((k, min(m, 1024)))  # columns 0..h-1 hold the front found so far
    h = 0
    workspace = _workspace(m, k)
    block = max(16, min(1024, int(workspace**0.5)))
    work = 0.0
    for start in range(0, m, block):
        rows = visit[start : start + block]
        work += (h + rows.size) * rows.size
        if work > budget:
            return None
        C = table[:, rows]
        alive = np.flatnonzero(~_any_weakly_greater(front[:, :h], C, workspace))
        Ca = C[:, alive]
        ge = Ca[0][:, None] >= Ca[0][None, :]
        for c in range(1, k):
            ge &= Ca[c][:, None] >= Ca[c][None, :]
        own = alive[~np.triu(ge, 1).any(axis=0)]  # not dominated by an earlier row of the block
        del ge
        dominated[rows[own]] = False
        if h + own.size > front.shape[1]:
            grown = np.empty((k, min(m, max(2 * front.shape[1], h + own.size))))
            grown[:, :h] = front[:, :h]
            front = grown
        front[:, h : h + own.size] = C[:, own]
        h += own.size
    return dominated


def _workspace(m: int, k: int) -> int:
    """Bytes of boolean workspace for block comparisons: small next to the data."""
    return int(min(_BLOCK_BUDGET, max(1 << 14, m * k)))


def _any_weakly_greater(Ft: FloatArray, Ct: FloatArray, workspace: int) -> BoolArray:
    """``out[i]`` is True iff some column ``j`` of ``Ft`` is ``>=`` column ``i`` of ``Ct``."""
    out = np.zeros(Ct.shape[1], dtype=np.bool_)
    h = Ft.shape[1]
    if h == 0 or Ct.shape[1] == 0:
        return out
    chunk = max(1, workspace // Ct.shape[1])
    for a in range(0, h, chunk):
        ge = Ft[0, a : a + chunk, None] >= Ct[0]
        for c in range(1, Ft.shape[0]):
            ge &= Ft[c, a : a + chunk, None] >= Ct[c]
        out |= ge.any(axis=0)
    return out


def _dominated_by_any(P: FloatArray, Q: FloatArray) -> BoolArray:
    """``out[i]`` is True iff some row of ``P`` weakly dominates ``Q[i]``."""
    out = np.zeros(Q.shape[0], dtype=np.bool_)
    if P.shape[0] == 0 or Q.shape[0] == 0:
        return out
    k = Q.shape[1]
    Qt = np.ascontiguousarray(Q.T)
    chunk = max(1, _workspace(Q.shape[0], k) // Q.shape[0])
    for a in range(0, P.shape[0], chunk):
        Pc = P[a : a + chunk]
        ge = Pc[:, 0, None] >= Qt[0]
        gt = Pc[:, 0, None] > Qt[0]
        for c in range(1, k):
            ge &= Pc[:, c, None] >= Qt[c]
            gt |= Pc[:, c, None] > Qt[c]
        ge &= gt
        out |= ge.any(axis=0)
    return out
