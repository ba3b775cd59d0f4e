r"""Bueno de Mesquita's expected-utility model, as reconstructed by Scholz, Calbert & Smith.

Bueno de Mesquita (BDM) never published his forecasting model in full; Scholz, Calbert &
Smith ("Unravelling Bueno De Mesquita's group decision model", *Journal of Theoretical
Politics* 23(4), 2011, 510-531) pieced it together from BDM (1985, 1994, 1997, "A decision
making model: its structure and form", *International Interactions* 23). This module is
our vectorised reading of that reconstruction, one issue dimension at a time (BDM's model
is single-issue); an actor's salience on a dimension is its salience for that issue.

Notation (positions normalised by the issue's range :math:`\Delta`, so distances are in
[0, 1]; :math:`w_k = c_k s_k`):

*Median voter* :math:`\mu`: the actors' position that beats every other in pairwise votes
:math:`\sum_k w_k (|x_k - x_b| - |x_k - x_a|)` (BDM's weighted median).

*Utilities* of actor i with risk exponent :math:`r_i \in [1/2, 2]` in a contest with j
(Scholz et al. section 3; BDM 1997):

.. math::
    U^s_{ij} = 2 - 4(\tfrac12 - \tfrac12|x_i-x_j|)^{r_i},\quad
    U^f_{ij} = 2 - 4(\tfrac12 + \tfrac12|x_i-x_j|)^{r_i},\\
    U^b_{ij} = 2 - 4(\tfrac12 - \tfrac14(|x_i-\mu| + |x_i-x_j|))^{r_i},\quad
    U^w_{ij} = 2 - 4(\tfrac12 + \tfrac14(|x_i-\mu| + |x_i-x_j|))^{r_i},\quad
    U^{sq} = 2 - 4(\tfrac12)^{r_i}.

*Probability of success* of i against j (Scholz et al. section 4): the share of all
votes :math:`v_k = w_k(|x_k-x_j| - |x_k-x_i|)` cast on i's side,
:math:`P_{ij} = \sum_k \max(v_k, 0) / \sum_k |v_k|` (so :math:`P_{ij} + P_{ji} = 1`).

*Expected utility* of i challenging j (Scholz et al. section 2.2, eq. 1):

.. math::
    EU_{ij} = s_j[P_{ij}U^s_{ij} + (1-P_{ij})U^f_{ij}] + (1-s_j)U^s_{ij}
              - [Q\,U^{sq} + (1-Q)(T\,U^b_{ij} + (1-T)U^w_{ij})],

with :math:`Q = T = 1` by default (status quo expected to persist absent a challenge).

*Risk* (section 5): with :math:`r = 1`, actor i's exposure is
:math:`E_i = \sum_{j \ne i} EU_{ji}` (others' gains from challenging i);
:math:`R_i = (2E_i - E_{max} - E_{min})/(E_{max} - E_{min})` and
:math:`r_i = (1 - R_i/3)/(1 + R_i/3)`; the round's utilities are then recomputed.

*Offers and moves* (section 6): i sends j an offer (to move to :math:`x_i`) when
:math:`EU_{ij} > 0`. Actor j considers the offer with the largest :math:`EU_{ij}` (ties: the
nearest position) and, with :math:`e = EU_{ji}` its own view of the same dyad:

- *confrontation* (:math:`e > 0`, :math:`e < EU_{ij}`): j loses and moves to :math:`x_i`;
- *compromise* (:math:`e < 0`, :math:`|e| < EU_{ij}`): j moves toward :math:`x_i` by the
  fraction :math:`|e| / EU_{ij}`;
- *capitulation* (:math:`e < 0`, :math:`|e| \ge EU_{ij}`): j moves to :math:`x_i`;
- otherwise (j expects to win the confrontation) j stays.

All actors move simultaneously; rounds repeat until no position moves by more than
``tol`` or ``max_rounds`` is reached. The forecast is the final median voter position.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from accord.errors import ConfigurationError, Location, ModelError
from accord.forecast.problem import SpatialProblem
from accord.forecast.result import ForecastResult

__all__ = [
    "EURound",
    "basic_utilities",
    "eu_forecast",
    "eu_run",
    "expected_utilities",
    "median_position",
    "resolve_offers",
    "risk_exponents",
    "success_probabilities",
]

F = NDArray[np.float64]

CONFRONT, COMPROMISE, CAPITULATE = 1, 2, 3
_OUTCOME = {
    0: "none",
    CONFRONT: "confrontation",
    COMPROMISE: "compromise",
    CAPITULATE: "capitulation",
}


def median_position(x: ArrayLike, w: ArrayLike) -> float:
    """Position (among the actors') that wins every pairwise vote
    ``sum_k w_k (|x_k - b| - |x_k - a|)``; the first such actor if several tie."""
    xa = np.asarray(x, dtype=np.float64)
    wa = np.asarray(w, dtype=np.float64)
    d = np.abs(xa[:, None] - xa[None, :])  # d[k, a] = |x_k - x_a|
    votes = np.einsum("k,kab->ab", wa, d[:, None, :] - d[:, :, None])  # a over b
    margin = votes.min(axis=1)
    return float(xa[int(np.argmax(margin))])


def success_probabilities(x: ArrayLike, w: ArrayLike) -> F:
    """``P[i, j]``: probability that i prevails over j (Scholz et al. 2011, section 4).

    Positions equal to each other give 1/2.
    """
    xa = np.asarray(x, dtype=np.float64)
    wa = np.asarray(w, dtype=np.float64)
    d = np.abs(xa[:, None] - xa[None, :])  # d[k, i]
    n = xa.shape[0]
    p = np.full((n, n), 0.5)
    for i in range(n):
        v = wa[:, None] * (d - d[:, i : i + 1])  # v[k, j] = w_k (|x_k - x_j| - |x_k - x_i|)
        tot = np.abs(v).sum(axis=0)
        pos = np.maximum(v, 0.0).sum(axis=0)
        p[i] = np.where(tot > 0, pos / np.where(tot > 0, tot, 1.0), 0.5)
    return p


def basic_utilities(x: ArrayLike, mu: float, r: ArrayLike) -> dict[str, F]:
    """The five utilities of Scholz et al. (2011, section 3) for every dyad (i, j).

    Returns a dict with ``"s"``, ``"f"``, ``"b"``, ``"w"`` (each (n, n)) and ``"sq"`` (n,).
    Positions and ``mu`` must be normalised to [0, 1].
    """
    xa = np.asarray(x, dtype=np.float64)
    ra = np.asarray(r, dtype=np.float64)[:, None]
    dij = np.abs(xa[:, None] - xa[None, :])
    dmu = np.abs(xa - mu)[:, None]
    return {
        "s": 2.0 - 4.0 * (0.5 - 0.5 * dij) ** ra,
        "f": 2.0 - 4.0 * (0.5 + 0.5 * dij) ** ra,
        "b": 2.0 - 4.0 * np.maximum(0.5 - 0.25 * (dmu + dij), 0.0) ** ra,
        "w": 2.0 - 4.0 * (0.5 + 0.25 * (dmu + dij)) ** ra,
        "sq": 2.0 - 4.0 * 0.5 ** ra[:, 0],
    }


def expected_utilities(
    x: ArrayLike, s: ArrayLike, w: ArrayLike, mu: float, r: ArrayLike, q: float = 1.0,
    t: float = 1.0,
) -> F:  # fmt: skip
    """``EU[i, j]``: i's expected utility of challenging j (diagonal 0)."""
    sa = np.asarray(s, dtype=np.float64)
    u = basic_utilities(x, mu, r)
    p = success_probabilities(x, w)
    sj = sa[None, :]
    eu = sj * (p * u["s"] + (1.0 - p) * u["f"]) + (1.0 - sj) * u["s"]
    eu -= q * u["sq"][:, None] + (1.0 - q) * (t * u["b"] + (1.0 - t) * u["w"])
    np.fill_diagonal(eu, 0.0)
    return np.asarray(eu)


def risk_exponents(eu_r1: ArrayLike) -> F:
    """Risk exponents ``r_i in [1/2, 2]`` from expected utilities computed with r = 1
    (Scholz et al. 2011, section 5). Equal exposures give risk neutrality (r = 1)."""
    eu = np.asarray(eu_r1, dtype=np.float64)
    exposure = eu.sum(axis=0) - np.diagonal(eu)  # sum_j EU[j, i]
    lo, hi = exposure.min(), exposure.max()
    if hi - lo <= 1e-15:
        return np.ones_like(exposure)
    big_r = (2.0 * exposure - hi - lo) / (hi - lo)
    return np.asarray((1.0 - big_r / 3.0) / (1.0 + big_r / 3.0))


@dataclass(frozen=True)
class EURound:
    """One round on one dimension (positions on the problem's 0-100 scale)."""

    positions: F
    median: float
    risk: F
    outcome: NDArray[np.int_]  # per actor: 0 none, 1 confrontation, 2 compromise, 3 capitulation
    mover_to: NDArray[np.intp]  # per actor: index of the actor whose offer it took, or -1


def resolve_offers(x: ArrayLike, eu: ArrayLike) -> tuple[F, NDArray[np.int_], NDArray[np.intp]]:
    """Offers and moves (Scholz et al. 2011, section 6) given ``EU[i, j]``.

    Returns the new positions, each actor's outcome code (0 none, 1 confrontation lost,
    2 compromise, 3 capitulation) and the index of the actor whose offer it took (-1).
    """
    xa = np.asarray(x, dtype=np.float64)
    e_all = np.asarray(eu, dtype=np.float64)
    n = xa.shape[0]
    offers = e_all > 0.0  # offers[i, j]: i challenges j
    np.fill_diagonal(offers, False)
    new = xa.copy()
    outcome = np.zeros(n, dtype=np.int_)
    sender = np.full(n, -1, dtype=np.intp)
    for j in range(n):
        senders = np.flatnonzero(offers[:, j])
        if senders.size == 0:
            continue
        best = e_all[senders, j].max()
        cands = senders[e_all[senders, j] == best]
        i = int(cands[np.argmin(np.abs(xa[cands] - xa[j]))])
        e = e_all[j, i]
        if 0 < e < best:
            new[j], outcome[j] = xa[i], CONFRONT
        elif e < 0 and -e < best:
            new[j], outcome[j] = xa[j] + (xa[i] - xa[j]) * (-e / best), COMPROMISE
        elif e <= 0:
            new[j], outcome[j] = xa[i], CAPITULATE
        else:
            continue
        sender[j] = i
    return new, outcome, sender


def _round(x: F, c: F, s: F, q: float, t: float) -> tuple[F, float, F, NDArray[np.int_], NDArray[np.intp]]:
    """One round on normalised positions ``x`` (in [0, 1])."""
    w = c * s
    mu = median_position(x, w)
    r = risk_exponents(expected_utilities(x, s, w, mu, np.ones_like(x), q, t))
    eu = expected_utilities(x, s, w, mu, r, q, t)
    new, outcome, sender = resolve_offers(x, eu)
    return new, mu, r, outcome, sender


def eu_run(
    capability: ArrayLike,
    position: ArrayLike,
    salience: ArrayLike,
    *,
    max_rounds: int = 20,
    tol: float = 1e-6,
    q: float = 1.0,
    t: float = 1.0,
) -> list[list[EURound]]:
    """Run the expected-utility model on every dimension.

    Parameters
    ----------
    capability : array_like, shape (n,)
    position : array_like, shape (n, m)
        0-100 scale; each dimension is normalised by its initial range.
    salience : array_like, shape (n, m)
        In [0, 1].
    max_rounds : int
        At most this many rounds per dimension.
    tol : float
        Stop when no position moves by more than ``tol`` (0-100 scale).
    q, t : float
        Probability that the status quo persists absent a challenge, and that a change
        would favour the actor (Scholz et al.'s Q and T; 1 by default).

    Returns
    -------
    list (one per dimension) of list of :class:`EURound` (round 0 is the input state).
    """
    if max_rounds < 1:
        raise ConfigurationError(f"max_rounds must be >= 1, got {max_rounds}")
    if not (0.0 <= q <= 1.0 and 0.0 <= t <= 1.0):
        raise ConfigurationError(f"q and t are probabilities in [0, 1], got q={q}, t={t}")
    c = np.asarray(capability, dtype=np.float64)
    pos = np.asarray(position, dtype=np.float64)
    sal = np.asarray(salience, dtype=np.float64)
    out: list[list[EURound]] = []
    for d in range(pos.shape[1]):
        lo, hi = float(pos[:, d].min()), float(pos[:, d].max())
        span = hi - lo
        x = (pos[:, d] - lo) / span if span > 0 else np.zeros(pos.shape[0])
        rounds: list[EURound] = []
        n = x.shape[0]
        for _ in range(max_rounds):
            new, mu, r, outcome, sender = _round(x, c, sal[:, d], q, t)
            rounds.append(EURound(lo + x * span, lo + mu * span, r, outcome, sender))
            moved = float(np.max(np.abs(new - x))) * span
            x = new
            if moved <= tol or span == 0:
                break
        w = c * sal[:, d]
        rounds.append(
            EURound(
                lo + x * span,
                lo + median_position(x, w) * span,
                np.ones(n),
                np.zeros(n, dtype=np.int_),
                np.full(n, -1, dtype=np.intp),
            )
        )
        out.append(rounds)
    return out


def eu_forecast(problem: SpatialProblem, **options: Any) -> ForecastResult:
    """Run :func:`eu_run` on a :class:`SpatialProblem`; ``forecast`` is each dimension's
    final median voter position. ``options``: ``max_rounds``, ``tol``, ``q``, ``t``."""
    valid = {"max_rounds", "tol", "q", "t"}
    for key in options:
        if key not in valid:
            raise ConfigurationError(
                f"model 'eu' has no option {key!r}; valid options: 'max_rounds', 'q', 't', 'tol'"
            )
    if problem.n_actors < 2:  # pragma: no cover - SpatialProblem already requires 2
        raise ModelError("need at least 2 actors", Location(file=problem.source))
    runs = eu_run(problem.capability, problem.position, problem.salience, **options)
    acts, dims = problem.actors, problem.dimensions
    n_states = max(len(r) for r in runs)
    history = []
    for k in range(n_states):
        entry: dict[str, Any] = {"turn": k, "positions": {}, "median": {}, "moves": {}}
        for a in acts:
            entry["positions"][a] = {}
        for di, d in enumerate(dims):
            rd = runs[di][min(k, len(runs[di]) - 1)]
            entry["median"][d] = rd.median
            for ai, a in enumerate(acts):
                entry["positions"][a][d] = float(rd.positions[ai])
            entry["moves"][d] = {
                acts[ai]: {
                    "outcome": _OUTCOME[int(rd.outcome[ai])],
                    "to": acts[int(rd.mover_to[ai])],
                }
                for ai in range(len(acts))
                if rd.outcome[ai]
            }
        history.append(entry)
    final = history[-1]
    return ForecastResult(
        model="eu",
        forecast={d: float(runs[di][-1].median) for di, d in enumerate(dims)},
        turns=n_states - 1,
        final_positions=final["positions"],
        history=history,
        converged=all(
            float(np.max(np.abs(r[-1].positions - r[-2].positions))) <= options.get("tol", 1e-6) for r in runs
        ),
        details={
            "method": "Bueno de Mesquita expected utility (Scholz, Calbert & Smith 2011)",
            "rounds_per_dimension": {d: len(runs[di]) - 1 for di, d in enumerate(dims)},
            **{k: v for k, v in options.items()},
        },
    )
