"""Bargaining solution points over a finite set of outcomes.

Every function takes a utility matrix ``U`` (n_outcomes, n_parties; higher is better), the
parties' disagreement (no-deal) utilities ``d`` and optionally a boolean ``mask`` of admissible
rows (e.g. outcomes that cross no party's red line). The candidates are the admissible rows
that give *every* party strictly more than its disagreement value; if there is none, the
result is empty (``feasible=False``) and says so, it is not an exception.

On a discrete set the maximiser need not be unique. Every row whose objective is within a
relative tolerance ``rtol`` (default ``1e-12``) of the best is returned, in increasing index
order. For the two max-min solutions (egalitarian, Kalai-Smorodinsky) ties in the minimum are
then broken lexicographically (*leximin*: compare the second-smallest normalised gain, then
the third, ... with the same tolerance), which selects Pareto-optimal rows (Imai 1983).

Solutions
---------
* :func:`nash_bargaining` - maximise ``prod_i (u_i - d_i)`` (Nash 1950), or with weights
  ``w`` the asymmetric Nash product ``prod_i (u_i - d_i)^{w_i}``, i.e. maximise
  ``sum_i w_i log(u_i - d_i)`` (Kalai 1977; Roth 1979, ch. 1).
* :func:`kalai_smorodinsky` - maximise ``min_i (u_i - d_i) / (a_i - d_i)`` where the ideal
  point ``a_i`` is party ``i``'s best utility among admissible rows with ``u >= d``
  (Kalai & Smorodinsky 1975): on a continuous frontier this is the Pareto point on the segment
  from ``d`` to ``a``.
* :func:`egalitarian` - maximise ``min_i (u_i - d_i)`` (Kalai 1977), leximin tie-break.
* :func:`utilitarian` - maximise ``sum_i u_i``.

All four maximisers lie on the Pareto front of the candidates. Each function evaluates its
objective in one vectorized pass over the candidates, which is cheaper than computing the
front first, so the front is not computed.

References
----------
Nash, J. F. (1950). The bargaining problem. *Econometrica*, 18(2), 155-162.
Kalai, E., & Smorodinsky, M. (1975). Other solutions to Nash's bargaining problem.
*Econometrica*, 43(3), 513-518.
Kalai, E. (1977). Proportional solutions to bargaining situations: interpersonal utility
comparisons. *Econometrica*, 45(7), 1623-1630. Also: Kalai, E. (1977). Nonsymmetric Nash
solutions and replications of 2-person bargaining. *Int. J. Game Theory*, 6(3), 129-133.
Roth, A. E. (1979). *Axiomatic Models of Bargaining*. Springer.
Imai, H. (1983). Individual monotonicity and lexicographic maxmin solution.
*Econometrica*, 51(2), 389-401.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from accord.analysis._validate import (
    BoolArray,
    FloatArray,
    IntArray,
    party_vector,
    row_mask,
    utility_matrix,
)
from accord.errors import AnalysisError, Location

__all__ = [
    "BargainingSolution",
    "bargaining_solutions",
    "egalitarian",
    "kalai_smorodinsky",
    "nash_bargaining",
    "utilitarian",
]

DEFAULT_RTOL = 1e-12

_NO_DEAL = "no admissible outcome gives every party more than its disagreement value"


@dataclass(frozen=True)
class BargainingSolution:
    """The optimal outcome(s) of one bargaining solution concept.

    Attributes
    ----------
    solution : str
        ``"nash"``, ``"kalai_smorodinsky"``, ``"egalitarian"`` or ``"utilitarian"``.
    indices : numpy.ndarray of int64
        Rows of ``U`` that attain the optimum (ties within ``rtol``), increasing.
        Empty if no admissible outcome beats the disagreement point for every party.
    utilities : numpy.ndarray of float64, shape (len(indices), n_parties)
        ``U[indices]``.
    value : float or None
        Objective at the optimum: the (weighted) Nash product, the smallest normalised gain
        (Kalai-Smorodinsky), the smallest gain (egalitarian) or the utility sum
        (utilitarian). ``None`` when there is no candidate.
    disagreement : numpy.ndarray of float64 or None
        Disagreement utilities ``d`` used (``None``: utilitarian without participation
        constraint).
    n_candidates : int
        Number of admissible rows with ``u > d`` for every party.
    message : str
        One line: what was found, or why nothing was.
    weights : numpy.ndarray or None
        Bargaining weights (asymmetric Nash only).
    ideal : numpy.ndarray or None
        Ideal point ``a`` (Kalai-Smorodinsky only).
    """

    solution: str
    indices: IntArray
    utilities: FloatArray
    value: float | None
    disagreement: FloatArray | None
    n_candidates: int
    message: str
    weights: FloatArray | None = field(default=None)
    ideal: FloatArray | None = field(default=None)

    @property
    def feasible(self) -> bool:
        """True if at least one outcome beats the disagreement point for every party."""
        return self.indices.size > 0

    @property
    def index(self) -> int | None:
        """The first optimal row (smallest index), or ``None`` if there is none."""
        return int(self.indices[0]) if self.indices.size else None

    def to_dict(self) -> dict[str, Any]:
        """Plain, JSON-serialisable dictionary."""
        return {
            "solution": self.solution,
            "feasible": self.feasible,
            "indices": [int(i) for i in self.indices],
            "utilities": self.utilities.tolist(),
            "value": None if self.value is None else float(self.value),
            "disagreement": None if self.disagreement is None else self.disagreement.tolist(),
            "n_candidates": int(self.n_candidates),
            "message": self.message,
            "weights": None if self.weights is None else self.weights.tolist(),
            "ideal": None if self.ideal is None else self.ideal.tolist(),
        }

    def __str__(self) -> str:
        return f"{self.solution}: {self.message}"

    def _repr_html_(self) -> str:
        """Small HTML table for Jupyter: one row per optimal outcome."""
        title = html.escape(str(self))
        if not self.feasible:
            return f"<p><b>{title}</b></p>"
        k = self.utilities.shape[1]
        head = "".join(f"<th>party {c}</th>" for c in range(k))
        body = "".join(
            f"<tr><td>{int(i)}</td>" + "".join(f"<td>{v:.6g}</td>" for v in row) + "</tr>"
            for i, row in zip(self.indices, self.utilities, strict=True)
        )
        return (
            f"<p><b>{title}</b></p><table><thead><tr><th>outcome</th>{head}</tr></thead>"
            f"<tbody>{body}</tbody></table>"
        )


# --------------------------------------------------------------------------- helpers


def _prepare(
    U: Any, disagreement: Any, mask: Any
) -> tuple[FloatArray, FloatArray, BoolArray | None, IntArray]:
    """Validate; return (U, d, admissible mask or None, candidate rows with u > d)."""
    A = utility_matrix(U, "U")
    n, k = A.shape
    if k == 0:
        raise AnalysisError("must have at least one column (one per party)", Location(path="U"))
    d = party_vector(disagreement, k, "disagreement")
    admissible = None if mask is None else row_mask(mask, n, "mask")
    better = np.ones(n, dtype=np.bool_)
    for c in range(k):
        better &= A[:, c] > d[c]
    if admissible is not None:
        better &= admissible
    return A, d, admissible, np.flatnonzero(better)


def _check_rtol(rtol: float) -> float:
    if not (np.isfinite(rtol) and 0.0 <= rtol < 1.0):
        raise AnalysisError(f"must be in [0, 1), got {rtol!r}", Location(path="rtol"))
    return float(rtol)


def _near_best(values: FloatArray, tol: float) -> IntArray:
    """Positions of values within ``tol`` of the maximum."""
    best = values.max()
    return np.flatnonzero(values >= best - tol)


def _leximin(gains: FloatArray, rtol: float) -> tuple[IntArray, float]:
    """Positions of the leximin-best rows of ``gains`` and the best minimum.

    Rows are compared on their sorted (increasing) entries: the largest smallest entry wins;
    ties (within ``rtol`` relative) are broken by the second-smallest entry, and so on.
    """
    first = gains.min(axis=1)
    best = float(first.max())
    keep = _near_best(first, rtol * abs(best))
    if keep.size > 1 and gains.shape[1] > 1:
        ordered = np.sort(gains[keep], axis=1)
        for level in range(1, gains.shape[1]):
            col = ordered[:, level]
            sel = _near_best(col, rtol * abs(float(col.max())))
            keep, ordered = keep[sel], ordered[sel]
            if keep.size == 1:
                break
    return keep, best


def _empty(
    name: str,
    A: FloatArray,
    d: FloatArray | None,
    weights: FloatArray | None = None,
    ideal: FloatArray | None = None,
) -> BargainingSolution:
    return BargainingSolution(
        solution=name,
        indices=np.empty(0, dtype=np.int64),
        utilities=np.empty((0, A.shape[1])),
        value=None,
        disagreement=d,
        n_candidates=0,
        message=_NO_DEAL if d is not None else "no admissible outcome",
        weights=weights,
        ideal=ideal,
    )


def _result(
    name: str,
    A: FloatArray,
    d: FloatArray | None,
    rows: IntArray,
    value: float,
    n_candidates: int,
    weights: FloatArray | None = None,
    ideal: FloatArray | None = None,
) -> BargainingSolution:
    rows = np.sort(rows).astype(np.int64, copy=False)
    ties = "" if rows.size == 1 else f" ({rows.size} tied outcomes)"
    return BargainingSolution(
        solution=name,
        indices=rows,
        utilities=A[rows].copy(),
        value=float(value),
        disagreement=d,
        n_candidates=n_candidates,
        message=f"outcome {int(rows[0])} of {n_candidates} candidates, value {value:.6g}{ties}",
        weights=weights,
        ideal=ideal,
    )


# --------------------------------------------------------------------------- solutions


def nash_bargaining(
    U: Any,
    disagreement: Any,
    *,
    weights: Any = None,
    mask: Any = None,
    rtol: float = DEFAULT_RTOL,
) -> BargainingSolution:
    """Nash bargaining solution (symmetric or asymmetric) over a finite set of outcomes.

    Maximises the Nash product ``prod_i (u_i - d_i)`` (Nash 1950, the product of gains over
    the disagreement point) over admissible outcomes with ``u_i > d_i`` for every party. With
    ``weights`` ``w`` it maximises the asymmetric (generalised) Nash product
    ``prod_i (u_i - d_i)^{w_i}``, equivalently ``sum_i w_i log(u_i - d_i)`` (Kalai 1977;
    Roth 1979); for a linear split of a unit pie it gives party 1 the share ``w_1/(w_1+w_2)``.

    Parameters
    ----------
    U : array_like, shape (n_outcomes, n_parties)
        Utilities, higher is better.
    disagreement : array_like, shape (n_parties,) or scalar
        Utility of no deal for each party.
    weights : array_like, shape (n_parties,), optional
        Positive bargaining weights (e.g. capabilities). ``None`` means all equal to 1.
    mask : array_like of bool, shape (n_outcomes,), optional
        Admissible rows (``True``). ``None`` means all rows.
    rtol : float
        Outcomes whose Nash product is within this relative tolerance of the best are
        all returned. The comparison is made on ``sum_i w_i log(u_i - d_i)``, so that products
        neither overflow nor underflow.

    Returns
    -------
    BargainingSolution
        ``value`` is the (weighted) Nash product at the optimum.

    Raises
    ------
    accord.errors.AnalysisError
        Non-finite or mis-shaped ``U``, ``disagreement``, ``weights`` or ``mask``;
        non-positive weights.
    """
    rtol = _check_rtol(rtol)
    A, d, _, cand = _prepare(U, disagreement, mask)
    k = A.shape[1]
    w = None
    if weights is not None:
        w = party_vector(weights, k, "weights")
        if not (w > 0).all():
            raise AnalysisError(
                f"must be positive (one per party), got {w.tolist()}", Location(path="weights")
            )
    if cand.size == 0:
        return _empty("nash", A, d, weights=w)
    gains = A[cand] - d
    logs = np.log(gains)
    objective = logs.sum(axis=1) if w is None else logs @ w
    best = _near_best(objective, -np.log1p(-rtol) if rtol > 0 else 0.0)
    rows = cand[best]
    top = gains[best[0]]
    value = float(np.prod(top if w is None else top**w))
    return _result("nash", A, d, rows, value, cand.size, weights=w)


def kalai_smorodinsky(
    U: Any,
    disagreement: Any,
    *,
    mask: Any = None,
    rtol: float = DEFAULT_RTOL,
) -> BargainingSolution:
    """Kalai-Smorodinsky solution over a finite set of outcomes.

    The ideal point ``a`` has ``a_i`` = the best utility of party ``i`` over admissible
    outcomes with ``u >= d`` (individually rational). On a continuous frontier the solution is
    the Pareto point on the segment from ``d`` to ``a`` (Kalai & Smorodinsky 1975). On a
    discrete set we maximise the smallest normalised gain
    ``min_i (u_i - d_i) / (a_i - d_i)`` over admissible outcomes with ``u > d``, and break ties
    (within ``rtol``) lexicographically on the sorted normalised gains (leximin; Imai 1983),
    which keeps the choice Pareto-optimal.

    Parameters
    ----------
    U, disagreement, mask, rtol
        As in :func:`nash_bargaining`.

    Returns
    -------
    BargainingSolution
        ``value`` is the smallest normalised gain at the optimum (1 would mean the ideal
        point itself is feasible); ``ideal`` is ``a``.
    """
    rtol = _check_rtol(rtol)
    A, d, admissible, cand = _prepare(U, disagreement, mask)
    if cand.size == 0:
        return _empty("kalai_smorodinsky", A, d)
    rational = np.ones(A.shape[0], dtype=np.bool_)
    for c in range(A.shape[1]):
        rational &= A[:, c] >= d[c]
    if admissible is not None:
        rational &= admissible
    ideal = A[rational].max(axis=0)
    ratios = (A[cand] - d) / (ideal - d)
    best, value = _leximin(ratios, rtol)
    return _result("kalai_smorodinsky", A, d, cand[best], value, cand.size, ideal=ideal)


def egalitarian(
    U: Any,
    disagreement: Any,
    *,
    mask: Any = None,
    rtol: float = DEFAULT_RTOL,
) -> BargainingSolution:
    """Egalitarian solution: maximise the smallest gain ``min_i (u_i - d_i)`` (Kalai 1977).

    Over admissible outcomes with ``u > d``; ties (within ``rtol``) are broken
    lexicographically on the sorted gains (leximin; Imai 1983). Unlike Nash and
    Kalai-Smorodinsky it compares utilities across parties, so it depends on their scales.

    Parameters
    ----------
    U, disagreement, mask, rtol
        As in :func:`nash_bargaining`.

    Returns
    -------
    BargainingSolution
        ``value`` is the smallest gain at the optimum.
    """
    rtol = _check_rtol(rtol)
    A, d, _, cand = _prepare(U, disagreement, mask)
    if cand.size == 0:
        return _empty("egalitarian", A, d)
    best, value = _leximin(A[cand] - d, rtol)
    return _result("egalitarian", A, d, cand[best], value, cand.size)


def utilitarian(
    U: Any,
    disagreement: Any = None,
    *,
    mask: Any = None,
    rtol: float = DEFAULT_RTOL,
) -> BargainingSolution:
    """Utilitarian solution: maximise the sum of utilities ``sum_i u_i``.

    Over admissible outcomes with ``u > d`` for every party; with ``disagreement=None``
    over all admissible outcomes. Ties are outcomes whose total gain ``sum_i (u_i - d_i)``
    is within ``rtol`` (relative) of the best. Like the egalitarian solution it compares
    utilities across parties.

    Parameters
    ----------
    U, mask, rtol
        As in :func:`nash_bargaining`.
    disagreement : array_like, optional
        Utility of no deal for each party; ``None`` imposes no participation constraint.

    Returns
    -------
    BargainingSolution
        ``value`` is the utility sum ``sum_i u_i`` at the optimum.
    """
    rtol = _check_rtol(rtol)
    if disagreement is None:
        A = utility_matrix(U, "U")
        if A.shape[1] == 0:
            raise AnalysisError("must have at least one column (one per party)", Location(path="U"))
        d = None
        admissible = np.ones(A.shape[0], dtype=np.bool_) if mask is None else row_mask(mask, A.shape[0])
        cand = np.flatnonzero(admissible)
        gains = A[cand]
    else:
        A, d, _, cand = _prepare(U, disagreement, mask)
        gains = A[cand] - d
    if cand.size == 0:
        return _empty("utilitarian", A, d)
    total = gains.sum(axis=1)
    best_total = float(total.max())
    best = _near_best(total, rtol * abs(best_total))
    rows = cand[best]
    return _result("utilitarian", A, d, rows, float(A[rows[0]].sum()), cand.size)


def bargaining_solutions(
    U: Any,
    disagreement: Any,
    *,
    weights: Any = None,
    mask: Any = None,
    rtol: float = DEFAULT_RTOL,
) -> dict[str, BargainingSolution]:
    """All four solution points, keyed ``nash``, ``kalai_smorodinsky``, ``egalitarian``,
    ``utilitarian`` (``weights`` applies to Nash only; see the individual functions)."""
    return {
        "nash": nash_bargaining(U, disagreement, weights=weights, mask=mask, rtol=rtol),
        "kalai_smorodinsky": kalai_smorodinsky(U, disagreement, mask=mask, rtol=rtol),
        "egalitarian": egalitarian(U, disagreement, mask=mask, rtol=rtol),
        "utilitarian": utilitarian(U, disagreement, mask=mask, rtol=rtol),
    }
