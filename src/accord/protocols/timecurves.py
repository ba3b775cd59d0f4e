"""Time-based concession curves (aspiration functions).

A time-based negotiator's *aspiration* at relative time ``t`` in ``[0, 1]`` is the
share of its utility range it still insists on. The polynomial family

.. math:: a(t) = 1 - t^{e}

is the time-dependent tactic of Faratin, Sierra & Jennings (1998), "Negotiation
decision functions for autonomous agents", *Robotics and Autonomous Systems* 24,
eq. (polynomial :math:`\\alpha(t)`), written in the "aspiration" form used by NegMAS:
``e > 1`` concedes late (Boulware), ``e = 1`` linearly, ``e < 1`` early (Conceder).

Thresholds are computed with :func:`math.pow` one time per (steps, exponent) and cached,
so that a vectorised negotiation reproduces, bit for bit, an agent that evaluates the
curve with Python floats each round.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]

#: Named exponents of the polynomial aspiration curve ``a(t) = 1 - t**e``.
EXPONENTS: dict[str, float] = {"boulware": 4.0, "linear": 1.0, "conceder": 0.25}


def relative_times(steps: int) -> FloatArray:
    """Relative time of each round ``k = 0 .. steps-1``: ``t_k = (k + 1) / (steps + 1)``.

    This is the step-based clock of NegMAS's SAO mechanism (time never reaches 1
    inside the negotiation).
    """
    return _relative_times(int(steps)).copy()


@lru_cache(maxsize=64)
def _relative_times(steps: int) -> FloatArray:
    out = np.array([(k + 1) / (steps + 1) for k in range(steps)], dtype=np.float64)
    out.flags.writeable = False
    return out


@lru_cache(maxsize=64)
def _aspirations(steps: int, exponent: float) -> FloatArray:
    pw = math.pow
    out = np.array(
        [1.0 * (1.0 - pw((k + 1) / (steps + 1), exponent)) for k in range(steps)],
        dtype=np.float64,
    )
    out.flags.writeable = False
    return out


def aspiration(steps: int, exponent: float) -> FloatArray:
    """Aspiration ``a(t_k) = 1 - t_k**e`` for every round of a ``steps``-round negotiation.

    Parameters
    ----------
    steps : int
        Number of rounds (deadline).
    exponent : float
        Concession exponent ``e`` (4 Boulware, 1 linear, 0.25 Conceder); ``inf`` never
        concedes (hardliner).

    Returns
    -------
    ndarray of float, shape (steps,)
        Relative utility still demanded in each round, non-increasing in ``k``.
        The returned array is read-only (it is cached).
    """
    if math.isinf(exponent):
        return np.ones(steps)
    return _aspirations(int(steps), float(exponent))


def thresholds(steps: int, exponent: float, umin: float, umax: float, eps: float = 1e-4) -> FloatArray:
    """Absolute acceptance/offer threshold per round.

    ``lo_k = clip((umax - umin) * a(t_k) + umin - eps, umin, umax)``, the operation order
    of NegMAS's utility inverter (``scale_utilities``), so results match it exactly.

    Parameters
    ----------
    steps, exponent :
        See :func:`aspiration`.
    umin, umax : float
        Lowest acceptable (``max(min utility, reserved value)``) and highest utility.
    eps : float
        Tolerance subtracted from the threshold (NegMAS default ``1e-4``).
    """
    lo = (umax - umin) * aspiration(steps, exponent) + umin
    lo -= eps
    np.minimum(lo, umax, out=lo)
    np.maximum(lo, umin, out=lo)
    return lo
