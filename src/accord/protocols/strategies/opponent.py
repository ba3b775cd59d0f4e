"""Frequency-based opponent modelling (HardHeaded-style)."""

from __future__ import annotations

from typing import Any

import numpy as np

from accord.protocols.problem import NegotiationProblem
from accord.protocols.strategies.base import View, worst_at_least
from accord.protocols.strategies.timebased import TimeBased


def frequency_model(problem: NegotiationProblem, offers: list[int]) -> np.ndarray:
    """Estimated opponent utility of every outcome from the offers it made.

    With issue levels: issue weights grow with how often the opponent kept the issue
    unchanged between consecutive offers, value scores with how often it offered each
    level (van Krimpen, Looije & Hajizadeh 2013, "HardHeaded"; Baarslag et al. 2013,
    frequency models). Without levels: how often each outcome was offered.

    Returns
    -------
    ndarray, shape (n_outcomes,), in [0, 1]
    """
    n = problem.n_outcomes
    if not offers:
        return np.zeros(n)
    if problem.levels is None:
        counts = np.bincount(np.asarray(offers), minlength=n).astype(float)
        return np.asarray(counts / counts.max())
    lv = problem.levels
    seq = lv[np.asarray(offers)]
    n_issues = lv.shape[1]
    w = np.ones(n_issues)
    if len(offers) > 1:
        w += (seq[1:] == seq[:-1]).sum(axis=0)
    w /= w.sum()
    est = np.zeros(n)
    for j in range(n_issues):
        c = np.bincount(seq[:, j], minlength=int(lv[:, j].max()) + 1).astype(float)
        est += w[j] * (c / c.max())[lv[:, j]]
    return est


class FrequencyModel(TimeBased):
    """Time-based concession plus a frequency model of the opponents' preferences.

    Among its own outcomes within ``band`` (share of its utility range) above its
    time-based threshold, it offers the one the model rates best for the opponents;
    acceptance is time-based.
    """

    name = "frequency"
    family = "opponent-model"
    uses_opponent_model = True
    source = (
        "van Krimpen, Looije & Hajizadeh (2013) HardHeaded, in Complex Automated "
        "Negotiations, SCI 435; Baarslag et al. (2013) opponent models survey"
    )

    def __init__(self, exponent: float = 2.0, band: float = 0.05, **kw: Any) -> None:
        super().__init__(exponent, **kw)
        self.band = float(band)
        self.params = {"exponent": self.exponent, "band": self.band}

    def propose(self, view: View) -> int:
        lo = self.threshold(view)
        mask = view.candidates() & (view.utility >= lo)
        mask &= view.utility <= lo + self.band * self._range
        theirs = [o for p, o in view.history if p >= 0 and p != view.me]
        if not theirs or not mask.any():
            got = worst_at_least(view.utility, view.candidates(), lo)
            return view.best() if got is None else got
        est = frequency_model(view.problem, theirs)
        return int(np.argmax(np.where(mask, est, -np.inf)))
