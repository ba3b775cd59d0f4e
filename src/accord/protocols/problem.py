"""The numeric negotiation problem every protocol runs on.

A :class:`NegotiationProblem` is what is left of a scenario once the outcome space has
been enumerated: a utility matrix, red lines, no-deal values (which may decay with
time), discount factors and, optionally, how to print an outcome. The protocols never
look at issues or scenario files, so the lead's ``OutcomeSpace`` converts in a few
lines (:meth:`NegotiationProblem.from_space`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from accord.errors import ConfigurationError

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]
IntArray = NDArray[np.int64]


@dataclass(frozen=True, eq=False)
class NegotiationProblem:
    """Outcomes, utilities and outside options of a negotiation.

    Parameters
    ----------
    U : ndarray, shape (n_outcomes, n_parties)
        Utility of every outcome to every party (any scale; [0, 1] is usual).
    no_deal : ndarray of shape (n_parties,), or callable ``round -> ndarray``
        Each party's value of no agreement. A callable gives the value after ``round``
        rounds (e.g. a decaying outside option); it must be deterministic.
    acceptable : bool ndarray, shape (n_outcomes, n_parties), optional
        Red lines: ``False`` where an outcome crosses the party's red line (it never
        proposes or accepts it). Default: everything acceptable.
    discount : ndarray, shape (n_parties,), optional
        Per-round discount factor ``delta_i`` in (0, 1]: an agreement in round ``k`` is
        worth ``delta_i**k * U[o, i]`` (Rubinstein 1982). Default 1 (no discounting).
    party_names : sequence of str, optional
        Names in column order (default ``P0, P1, ...``).
    decode : callable ``int -> dict``, optional
        Terms of an outcome (issue -> value), used in traces.
    levels : int ndarray, shape (n_outcomes, n_issues), optional
        Level index of each issue per outcome; defines the neighbourhood used by
        single-text mediators and the frequency opponent model.
    """

    U: FloatArray
    no_deal: FloatArray | Callable[[int], FloatArray]
    acceptable: BoolArray | None = None
    discount: FloatArray | None = None
    party_names: tuple[str, ...] = ()
    decode: Callable[[int], dict[str, Any]] | None = None
    levels: IntArray | None = None
    _nd_cache: dict[int, FloatArray] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        U = np.asarray(self.U, dtype=np.float64)
        if U.ndim != 2 or U.shape[0] < 1 or U.shape[1] < 2:
            raise ConfigurationError(
                f"U must be a 2-D array (n_outcomes >= 1, n_parties >= 2), got shape {U.shape}"
            )
        if not np.all(np.isfinite(U)):
            raise ConfigurationError("U contains NaN or infinite utilities")
        object.__setattr__(self, "U", U)
        n, m = U.shape
        if not callable(self.no_deal):
            nd = np.asarray(self.no_deal, dtype=np.float64).reshape(-1)
            if nd.shape != (m,):
                raise ConfigurationError(f"no_deal must have {m} values (one per party)")
            object.__setattr__(self, "no_deal", nd)
        if self.acceptable is not None:
            acc = np.asarray(self.acceptable, dtype=bool)
            if acc.shape != (n, m):
                raise ConfigurationError(f"acceptable must have shape {(n, m)}, got {acc.shape}")
            object.__setattr__(self, "acceptable", acc)
        if self.discount is not None:
            d = np.asarray(self.discount, dtype=np.float64).reshape(-1)
            if d.shape != (m,) or np.any(d <= 0) or np.any(d > 1):
                raise ConfigurationError(f"discount must be {m} factors in (0, 1]")
            object.__setattr__(self, "discount", d)
        names = tuple(self.party_names) or tuple(f"P{i}" for i in range(m))
        if len(names) != m:
            raise ConfigurationError(f"party_names must have {m} names, got {len(names)}")
        object.__setattr__(self, "party_names", names)
        if self.levels is not None:
            lv = np.asarray(self.levels, dtype=np.int64)
            if lv.ndim != 2 or lv.shape[0] != n:
                raise ConfigurationError(f"levels must have shape ({n}, n_issues)")
            object.__setattr__(self, "levels", lv)

    @property
    def n_outcomes(self) -> int:
        """Number of outcomes."""
        return int(self.U.shape[0])

    @property
    def n_parties(self) -> int:
        """Number of parties."""
        return int(self.U.shape[1])

    def no_deal_at(self, round: int) -> FloatArray:
        """Each party's no-deal value after ``round`` rounds."""
        if not callable(self.no_deal):
            return self.no_deal
        got = self._nd_cache.get(round)
        if got is None:
            got = np.asarray(self.no_deal(round), dtype=np.float64).reshape(-1)
            if got.shape != (self.n_parties,):
                raise ConfigurationError(
                    f"no_deal({round}) must return {self.n_parties} values, got {got.shape}"
                )
            self._nd_cache[round] = got
        return got

    def discount_at(self, round: int) -> FloatArray:
        """``delta_i ** round`` for every party."""
        if self.discount is None:
            return np.ones(self.n_parties)
        return np.asarray(self.discount**round, dtype=np.float64)

    def utilities_at(self, outcome: int, round: int) -> FloatArray:
        """Discounted utility of ``outcome`` to every party if agreed in ``round``."""
        return np.asarray(self.U[outcome] * self.discount_at(round), dtype=np.float64)

    def acceptable_for(self, party: int) -> BoolArray:
        """Red-line mask of one party (all True if none)."""
        if self.acceptable is None:
            return np.ones(self.n_outcomes, dtype=bool)
        return np.asarray(self.acceptable[:, party])

    def terms(self, outcome: int) -> dict[str, Any] | None:
        """Decoded terms of an outcome, if a decoder was given."""
        return None if self.decode is None else dict(self.decode(int(outcome)))

    @classmethod
    def from_space(
        cls,
        space: Any,
        parties: Sequence[int] | None = None,
        clock_per_round: float = 1.0,
        discount: FloatArray | None = None,
    ) -> NegotiationProblem:
        """Build a problem from an ``accord.OutcomeSpace`` (duck-typed).

        Uses ``space.utilities()``, ``space.acceptable()``, ``space.no_deal(t)``,
        ``space.decode``, ``space.levels()`` and ``space.actors.names``; ``parties``
        selects columns (default: the actors whose role is ``party``, else all), and a
        round lasts ``clock_per_round`` clock units of the no-deal decay.
        """
        cols = list(parties) if parties is not None else None
        if cols is None:
            p = getattr(space.actors, "parties", None)
            cols = [int(c) for c in p] if p is not None and len(p) >= 2 else None
        U = np.asarray(space.utilities())
        acc = np.asarray(space.acceptable())
        names = list(space.actors.names)
        idx = cols if cols is not None else list(range(U.shape[1]))

        def nd(round: int) -> FloatArray:
            return np.asarray(space.no_deal(round * clock_per_round))[idx]

        lv = space.levels() if hasattr(space, "levels") else None
        return cls(
            U=U[:, idx],
            no_deal=nd,
            acceptable=acc[:, idx],
            discount=discount,
            party_names=tuple(names[i] for i in idx),
            decode=space.decode,
            levels=lv,
        )
