"""Bad-faith negotiation: fake concessions and re-opening settled points."""

from __future__ import annotations

from typing import Any

import numpy as np

from accord.protocols.strategies.base import View
from accord.protocols.strategies.timebased import TimeBased


class BadFaith(TimeBased):
    """Looks like it moves, does not, and takes concessions back.

    * Fake concessions: until ``reopen_at`` it offers a different outcome each round,
      drawn from its own top ``fake_band`` of utility (changes that cost it nothing).
    * Re-opening settled points: from ``reopen_at`` on, every other round it returns to
      its best outcome, withdrawing whatever it seemed to have given.
    * It accepts like a hard Boulware (``exponent = 8``) and objects to every change of
      a single negotiating text that does not improve its own position.

    Hardball tactics as described by Lewicki, Saunders & Barry (2015), *Negotiation*,
    7th ed., ch. 3 ("hardball tactics": nibbling, the "chicken", retracting concessions).
    Opponents see it through their ``trust`` (lowered by retractions), which can make
    them walk out.
    """

    name = "bad-faith"
    family = "bad-faith"
    stochastic = True
    source = "Lewicki, Saunders & Barry (2015), Negotiation, ch. 3 (hardball tactics)"

    def __init__(
        self, exponent: float = 8.0, fake_band: float = 0.03, reopen_at: float = 0.5, **kw: Any
    ) -> None:
        super().__init__(exponent, **kw)
        self.fake_band = float(fake_band)
        self.reopen_at = float(reopen_at)
        self.params = {
            "exponent": self.exponent,
            "fake_band": self.fake_band,
            "reopen_at": self.reopen_at,
        }

    def propose(self, view: View) -> int:
        if view.t >= self.reopen_at and view.round % 2 == 0:
            return view.best()
        top = view.candidates() & (view.utility >= view.umax() - self.fake_band * self._range)
        idx = np.flatnonzero(top)
        if idx.size == 0:
            return view.best()
        return int(idx[view.rng.integers(idx.size)])

    def objects(self, view: View, candidate: int, text: int) -> bool:
        return bool(view.utility[candidate] <= view.utility[text])
