"""Static baseline forecasts: compromise, weighted median and spatial Nash bargaining.

These are the reference models of the *European Union Decides* project (Thomson,
Stokman, Achen & König, eds., 2006, Cambridge University Press), against which every
more elaborate model is measured: the compromise model was the single most accurate
predictor there.

All three work issue by issue: dimension ``d`` is forecast from the actors' positions,
capabilities and saliences on ``d`` alone. Positions are on the 0-100 scale.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike, NDArray

from accord.errors import ConfigurationError, Location, ModelError
from accord.forecast.problem import SpatialProblem
from accord.forecast.result import ForecastResult

__all__ = [
    "compromise",
    "compromise_forecast",
    "nash_bargaining",
    "nash_bargaining_forecast",
    "weighted_median",
    "weighted_median_forecast",
]


def _weights(capability: NDArray[np.float64], salience: NDArray[np.float64]) -> NDArray[np.float64]:
    """Capability x salience, per actor and dimension; a dimension nobody cares about
    (all saliences zero) falls back to capability alone so that it still has a forecast."""
    w = capability[:, None] * salience
    empty = ~np.any(w > 0, axis=0)
    if np.any(empty):
        w[:, empty] = capability[:, None]
    return w


def compromise(capability: ArrayLike, position: ArrayLike, salience: ArrayLike) -> NDArray[np.float64]:
    r"""Compromise model: the capability x salience weighted mean of positions.

    .. math:: \hat x_d = \frac{\sum_i c_i s_{id} x_{id}}{\sum_i c_i s_{id}}

    Van den Bos (1991); Achen (2006), "Institutional realism and bargaining models",
    ch. 4 of *The European Union Decides*, eq. (4.1), where it is derived as an
    approximation to the Nash bargaining solution.

    Parameters
    ----------
    capability : array_like, shape (n_actors,)
    position : array_like, shape (n_actors, n_dims)
        0-100 scale.
    salience : array_like, shape (n_actors, n_dims)
        In [0, 1]. A dimension with all saliences zero is weighted by capability alone.

    Returns
    -------
    numpy.ndarray, shape (n_dims,)
    """
    c = np.asarray(capability, dtype=np.float64)
    x = np.asarray(position, dtype=np.float64)
    w = _weights(c, np.asarray(salience, dtype=np.float64))
    return np.asarray((w * x).sum(axis=0) / w.sum(axis=0), dtype=np.float64)


def weighted_median(capability: ArrayLike, position: ArrayLike, salience: ArrayLike) -> NDArray[np.float64]:
    r"""Weighted median of positions (the position of the weighted median voter).

    With weights :math:`w_i = c_i s_{id}` and total :math:`W`, the forecast on ``d`` is the
    position :math:`x` such that actors to the left of :math:`x` and actors to the right
    each hold at most :math:`W/2` (Black 1948's median voter, weighted as in the
    *European Union Decides* baselines). When the weight splits exactly in half between two
    adjacent positions, the midpoint of the two is returned.

    Parameters and return value as for :func:`compromise`.
    """
    c = np.asarray(capability, dtype=np.float64)
    x = np.asarray(position, dtype=np.float64)
    w = _weights(c, np.asarray(salience, dtype=np.float64))
    order = np.argsort(x, axis=0, kind="stable")
    xs = np.take_along_axis(x, order, axis=0)
    ws = np.take_along_axis(w, order, axis=0)
    cum = np.cumsum(ws, axis=0)
    half = cum[-1] / 2.0
    tol = 1e-12 * cum[-1]
    out = np.empty(x.shape[1])
    for d in range(x.shape[1]):
        k = int(np.argmax(cum[:, d] >= half[d] - tol[d]))
        if abs(cum[k, d] - half[d]) <= tol[d] and k + 1 < x.shape[0]:
            # Exactly half the weight at or left of xs[k]: the median is any point of
            # [xs[k], next positive-weight position]; take the midpoint.
            nxt = k + 1 + int(np.argmax(ws[k + 1 :, d] > 0))
            out[d] = 0.5 * (xs[k, d] + xs[nxt, d])
        else:
            out[d] = xs[k, d]
    return out


def _bisect_decreasing(fn: Callable[[float], float], lo: float, hi: float) -> float:
    """Zero of a non-increasing function on (lo, hi) by bisection (to machine precision)."""
    a, b = lo, hi
    for _ in range(200):
        mid = 0.5 * (a + b)
        if mid <= a or mid >= b:
            break
        if fn(mid) > 0:
            a = mid
        else:
            b = mid
    return 0.5 * (a + b)


def nash_bargaining(
    capability: ArrayLike,
    position: ArrayLike,
    salience: ArrayLike,
    status_quo: ArrayLike,
    exponent: float = 2.0,
) -> NDArray[np.float64]:
    r"""Spatial (asymmetric) Nash bargaining solution, issue by issue.

    Utility of actor :math:`i` for outcome :math:`x` on dimension :math:`d` is the
    salience-weighted loss :math:`u_{id}(x) = -s_{id}\,|x - x_{id}|^a` (quadratic,
    :math:`a = 2`, by default, as in Achen 2006, *The European Union Decides* ch. 4;
    :math:`a = 1` gives linear loss). The disagreement point is the status quo
    :math:`q_d`. The forecast maximises the weighted Nash product (Nash 1950;
    Kalai 1977 for the asymmetric form; Achen 2006, eq. 4.3)

    .. math:: \hat x_d = \arg\max_{x \in F_d} \prod_i \bigl(u_{id}(x) - u_{id}(q_d)\bigr)^{w_{id}},
              \qquad w_{id} = c_i s_{id},

    over the individually rational set :math:`F_d = \{x : u_{id}(x) \ge u_{id}(q_d)\ \forall i,
    w_{id} > 0\}` (an interval containing :math:`q_d`). Because the Nash product is
    invariant to rescaling each utility, salience matters only through the weights.
    If :math:`F_d = \{q_d\}` (actors on both sides of the status quo can veto any move)
    the solution is :math:`q_d`.

    Parameters
    ----------
    capability, position, salience : array_like
        As for :func:`compromise`.
    status_quo : array_like, shape (n_dims,)
        Disagreement point on the 0-100 scale.
    exponent : float, default 2
        Loss exponent :math:`a \ge 1` (the objective is then concave, so the maximiser,
        found by bisection on its
        (super)gradient to machine precision, is unique).

    Returns
    -------
    numpy.ndarray, shape (n_dims,)
    """
    if not exponent >= 1.0:
        raise ConfigurationError(f"exponent must be >= 1 (concave Nash product), got {exponent}")
    c = np.asarray(capability, dtype=np.float64)
    x = np.asarray(position, dtype=np.float64)
    w = _weights(c, np.asarray(salience, dtype=np.float64))
    q = np.asarray(status_quo, dtype=np.float64)
    out = np.empty(x.shape[1])
    for d in range(x.shape[1]):
        act = w[:, d] > 0
        p, wd = x[act, d], w[act, d]
        r = np.abs(q[d] - p)  # radius of each actor's acceptable interval
        lo = max(0.0, float(np.max(p - r)))
        hi = min(100.0, float(np.min(p + r)))
        if hi - lo <= 1e-12:
            out[d] = q[d]
            continue
        ra = r**exponent

        def slope(
            z: float,
            p: NDArray[np.float64] = p,
            ra: NDArray[np.float64] = ra,
            wd: NDArray[np.float64] = wd,
            mid: float = 0.5 * (lo + hi),
        ) -> float:
            # (Super)gradient of sum_i w_i log(r_i^a - |z - p_i|^a): non-increasing in z.
            dz = z - p
            gain = ra - np.abs(dz) ** exponent
            if np.any(gain <= 0):  # outside F: point back inside
                return 1.0 if z < mid else -1.0
            g = -exponent * np.sign(dz) * np.abs(dz) ** (exponent - 1.0)
            return float(np.sum(wd * g / gain))

        out[d] = _bisect_decreasing(slope, lo, hi)
    return out


def _as_result(
    name: str, problem: SpatialProblem, values: NDArray[np.float64], **details: object
) -> ForecastResult:
    return ForecastResult(
        model=name,
        forecast={d: float(v) for d, v in zip(problem.dimensions, values, strict=True)},
        details={"method": name, **details},
    )


def compromise_forecast(problem: SpatialProblem) -> ForecastResult:
    """:func:`compromise` on a :class:`SpatialProblem`."""
    return _as_result(
        "compromise",
        problem,
        compromise(problem.capability, problem.position, problem.salience),
    )


def weighted_median_forecast(problem: SpatialProblem) -> ForecastResult:
    """:func:`weighted_median` on a :class:`SpatialProblem`."""
    return _as_result(
        "median",
        problem,
        weighted_median(problem.capability, problem.position, problem.salience),
    )


def nash_bargaining_forecast(
    problem: SpatialProblem, status_quo: ArrayLike | None = None, exponent: float = 2.0
) -> ForecastResult:
    """:func:`nash_bargaining` on a :class:`SpatialProblem`.

    ``status_quo`` overrides ``problem.status_quo``; one of them is required.
    """
    sq = problem.status_quo if status_quo is None else status_quo
    if sq is None:
        raise ModelError(
            "the Nash bargaining solution needs a status quo (disagreement point) on every "
            "dimension; give status_quo=[...] on the 0-100 scale",
            Location(file=problem.source, path="status_quo"),
        )
    sq_arr = np.asarray(sq, dtype=np.float64)
    if sq_arr.shape != (problem.n_dims,) or np.any((sq_arr < 0) | (sq_arr > 100)):
        raise ModelError(
            f"status_quo must be {problem.n_dims} numbers in [0, 100], got {sq_arr.tolist()}",
            Location(file=problem.source, path="status_quo"),
        )
    values = nash_bargaining(problem.capability, problem.position, problem.salience, sq_arr, exponent)
    # Where the solution is the status quo itself, no other value is acceptable to every actor
    # (actors on both sides of it): any interior maximiser gives every actor a positive gain.
    kept = [d for d, v, q in zip(problem.dimensions, values, sq_arr, strict=True) if v == q]
    return _as_result(
        "nash",
        problem,
        values,
        status_quo=sq_arr.tolist(),
        status_quo_kept=kept,
        exponent=exponent,
        utility="u_i(x) = -s_i |x - x_i|^exponent; weights c_i s_i; disagreement = status quo",
    )
