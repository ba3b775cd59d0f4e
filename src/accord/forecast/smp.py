r"""KTAB's Spatial Model of Politics (SMP), multi-dimensional, vectorised.

The SMP is the bargaining model of the KAPSARC Toolkit for Behavioral Analysis (KTAB;
Wise, Lester, Efird et al., "An Introduction to the KAPSARC Toolkit for Behavioral
Analysis (KTAB) using one-dimensional Spatial Models", KAPSARC discussion paper
KS-1514-DP015A, 2015; the multi-dimensional SMP as shipped in KTAB's ``smpc``, MIT licence,
https://github.com/KAPSARC/KTAB). This module is our own numpy formulation of the model's
definition; it reproduces KTAB's shipped reference runs digit for digit (see
``tests/forecast/test_smp_ktab.py`` and ``docs/forecast.md``).

The model, on the internal 0-1 scale (inputs are 0-100 and reported back on 0-100):

*Salience-weighted distance* (KTAB ``bvDiff``): actor :math:`i` with ideal :math:`\iota_i`
and saliences :math:`s_i` sees position :math:`x` at

.. math:: d_i(x) = \sqrt{\textstyle\sum_k s_{ik}^2 (\iota_{ik} - x_k)^2 \,/\, \sum_k s_{ik}^2}.

*Risk-attitude utility* (``bsUtil``): :math:`u(d, R) = (1 - d)(1 + d R)` for
:math:`d \le 1` (and :math:`(1-d)(1+R)` beyond), :math:`R \in [-1/2, 1]` with the default
"Mid" range; :math:`R=0` is risk neutral.

*Votes* (``Model::vote``): actor :math:`k` with weight :math:`w_k` votes
:math:`w_k\,\rho(u_{ka} - u_{kb})` between options :math:`a, b`; :math:`\rho` is the voting
rule (proportional :math:`\rho(\delta)=\delta` by default). The coalition for :math:`a`
over :math:`b` is :math:`c_{ab} = 10^{-8} + \sum_k \max(v_{kab}, 0)`, and the *victory
probability* is :math:`P[a>b] = c_{ab}^\gamma / (c_{ab}^\gamma + c_{ba}^\gamma)` with
:math:`\gamma = 1` (linear, default), 2, 4 or 8, or a thresholded "binary" law.

*Probability of outcomes* (PCE): conditional (default)
:math:`P_a \propto \prod_b P[a>b]`, or the Markov uniform / Markov incentive chains.

Each turn:

1. Risk-neutral utilities :math:`u_{ij} = 1 - d_i(x_j)`; capability-weighted votes over
   the actors' positions give the PCE probabilities :math:`p_i`, and risk attitudes
   :math:`R_i = (3p_i - p_{max} - 2p_{min}) / (2(p_{max}-p_{min}))` ("Mid").
2. Each actor :math:`h` estimates actor :math:`i`'s risk attitude as
   :math:`R^h_i = (2R_h + R_i)/3` ("OneThird") and forms utilities :math:`U^h_{ij}`.
3. Challenges: actor :math:`i` estimates, for every target :math:`j`, the probability
   :math:`\pi` that :math:`i` defeats :math:`j` with third parties :math:`n` joining
   (semi-committed) by their expected utilities, and the expected gain
   :math:`(1-\sigma_j) 2U_{ii} + \sigma_j [\pi 2U_{ii} + (1-\pi) 2U_{ij}] - (U_{ii} + U_{ij})`
   where :math:`\sigma_j = \sum_k s_{jk}` (a target that cares little concedes). The
   best target with gain :math:`> 10^{-5}` is challenged.
4. Bargain (``S2P2``): on each dimension the two positions are interpolated with weights
   :math:`s_{ik}^2 \pi^2` and :math:`s_{jk}^2 (1-\pi)^2`, rounded to 4 decimals.
5. Resolution: every actor :math:`k` looks at the bargains it is party to plus the status
   quo; all actors vote over these options (their utility of an option is the mean of their
   utilities for every actor's resulting position); the PCE-most-probable option is
   adopted by :math:`k` (Condorcet-style resolution per actor).
6. Stop when the sum of actors' position changes falls below 2% of the first step's
   (after at least 2 turns), or after 100 turns.

The implementation is vectorised over actors, targets and third parties (one loop over
the estimating actor and one over actors' bargain lists), so a turn costs
:math:`O(n^3)` numpy work rather than :math:`O(n^4)` Python.
"""

from __future__ import annotations

import itertools
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.spatial.distance import cdist

from accord.errors import ConfigurationError, Location, ModelError, did_you_mean, one_of
from accord.forecast.problem import SpatialProblem
from accord.forecast.result import ForecastResult

__all__ = [
    "SMPConfig",
    "SMPRun",
    "big_r_from_prob",
    "bs_util",
    "coalitions",
    "pair_coalitions",
    "pce",
    "salience_distance",
    "smp_forecast",
    "smp_run",
    "victory_prob",
    "vote",
]

F = NDArray[np.float64]

VOTING_RULES = ("binary", "prop_bin", "proportional", "prop_cubic", "cubic", "asym_prospect")
VICTORY_MODELS = ("linear", "square", "quartic", "octic", "binary")
PCE_MODELS = ("conditional", "markov_incentive", "markov_uniform")
TRANSITIONS = ("deterministic", "stochastic")
BIG_R_RANGES = ("min", "mid", "max")
BIG_R_ADJUSTS = ("none", "one_third", "half", "two_thirds", "full")
THIRD_PARTY = ("none", "semi", "full")
INTERPOLATIONS = ("s1p1", "s2p2", "s2pmax")
BARGAIN_MODELS = ("init_only", "init_rcvr", "power_weighted")

_MIN_COALITION = 1e-8  # KTAB Model::coalitions
_MIN_CHALLENGE_COALITION = 1e-10  # KTAB probEduChlg
_MIN_SIG_EDU = 1e-5  # smallest expected gain worth a challenge
_MIN_W = 1e-6  # interpolation regulariser


@dataclass(frozen=True)
class SMPConfig:
    """Parameters of the SMP; the defaults are KTAB's (``smpc`` without options).

    Attributes
    ----------
    victory_prob : {"linear", "square", "quartic", "octic", "binary"}
        KTAB ``VictoryProbModel``.
    voting_rule : {"binary", "prop_bin", "proportional", "prop_cubic", "cubic", "asym_prospect"}
        KTAB ``VotingRule`` used for coalitions and challenges.
    pce : {"conditional", "markov_incentive", "markov_uniform"}
        KTAB ``PCEModel``: probability of outcomes from pairwise victory probabilities.
    state_transition : {"deterministic", "stochastic"}
        Deterministic: each actor adopts its most probable option; stochastic: draws one
        (using ``seed``).
    big_r_range : {"min", "mid", "max"}
        Range of inferred risk attitudes: [0, 1], [-1/2, 1], [-1, 1].
    big_r_adjust : {"none", "one_third", "half", "two_thirds", "full"}
        How much of actor i's own risk attitude actor h attributes to it.
    third_party_commit : {"none", "semi", "full"}
        Third parties' commitment when joining a challenge.
    interpolation : {"s1p1", "s2p2", "s2pmax"}
        How a bargain interpolates the two positions (KTAB ``InterVecBrgn``).
    bargain_model : {"init_only", "init_rcvr", "power_weighted"}
        Which bargains are put on the table (KTAB ``BargnModel``).
    min_iter, max_iter : int
        Stopping rule: at least ``min_iter`` and at most ``max_iter`` turns.
    min_delta_ratio : float
        Stop when the last turn's movement is below this fraction of the first turn's.
    min_sig_delta : float
        Added to the first turn's movement (0-1 scale) to avoid dividing by zero.
    pos_tol : float
        Positions closer than this (Euclidean, 0-1 scale) are the same outcome.
    seed : int or None
        Seed for stochastic transitions.
    """

    victory_prob: str = "linear"
    voting_rule: str = "proportional"
    pce: str = "conditional"
    state_transition: str = "deterministic"
    big_r_range: str = "mid"
    big_r_adjust: str = "one_third"
    third_party_commit: str = "semi"
    interpolation: str = "s2p2"
    bargain_model: str = "init_only"
    min_iter: int = 2
    max_iter: int = 100
    min_delta_ratio: float = 0.02
    min_sig_delta: float = 1e-4
    pos_tol: float = 1e-3
    seed: int | None = None

    def __post_init__(self) -> None:
        for name, choices in (
            ("victory_prob", VICTORY_MODELS),
            ("voting_rule", VOTING_RULES),
            ("pce", PCE_MODELS),
            ("state_transition", TRANSITIONS),
            ("big_r_range", BIG_R_RANGES),
            ("big_r_adjust", BIG_R_ADJUSTS),
            ("third_party_commit", THIRD_PARTY),
            ("interpolation", INTERPOLATIONS),
            ("bargain_model", BARGAIN_MODELS),
        ):
            value = getattr(self, name)
            if value not in choices:
                raise ConfigurationError(
                    f"SMP option {name}={value!r} is not valid{did_you_mean(value, choices)}; "
                    f"choose {one_of(choices)}"
                )
        if not (1 <= self.min_iter <= self.max_iter):
            raise ConfigurationError(
                f"SMP needs 1 <= min_iter <= max_iter, got {self.min_iter}, {self.max_iter}"
            )


# ----------------------------------------------------------------------------------------
# Building blocks (pure functions over arrays)


def salience_distance(ideal: ArrayLike, position: ArrayLike, salience: ArrayLike) -> F:
    r"""Salience-weighted distance from every actor's ideal to every position.

    ``D[i, j] = sqrt(sum_k (s_ik (ideal_ik - pos_jk))^2 / sum_k s_ik^2)`` (KTAB ``bvDiff``;
    all on the 0-1 scale).

    Parameters
    ----------
    ideal : array_like, shape (n, m)
    position : array_like, shape (p, m)
    salience : array_like, shape (n, m)

    Returns
    -------
    numpy.ndarray, shape (n, p)
    """
    i = np.asarray(ideal, dtype=np.float64)
    x = np.asarray(position, dtype=np.float64)
    s = np.asarray(salience, dtype=np.float64)
    # sums run over dimensions in order, as KTAB's, so that results agree to the last bit
    num = np.zeros((i.shape[0], x.shape[0]))
    den = np.zeros(i.shape[0])
    for k in range(i.shape[1]):
        t = (i[:, k, None] - x[None, :, k]) * s[:, k, None]
        num += t * t
        den += s[:, k] * s[:, k]
    return np.asarray(np.sqrt(num / den[:, None]), dtype=np.float64)


def _norms(a: F, b: F) -> F:
    """Euclidean norms of ``a - b`` along the last axis, summing dimensions in order
    (KTAB ``KBase::norm``); positions on the 4-decimal grid make exact ties with the
    1e-3 tolerance common, so the summation order matters."""
    acc = np.zeros(np.broadcast_shapes(a.shape, b.shape)[:-1])
    for k in range(a.shape[-1]):
        t = a[..., k] - b[..., k]
        acc += t * t
    return np.asarray(np.sqrt(acc))


def bs_util(d: ArrayLike, risk: ArrayLike) -> F:
    r"""KTAB's risk-attitude utility of a (salience-weighted) distance ``d``.

    :math:`u = (1-d)(1 + dR)` for :math:`d \le 1`, else :math:`(1-d)(1+R)`; :math:`R=0` is
    risk neutral, :math:`R>0` risk averse (concave), :math:`R<0` risk seeking.
    """
    dd = np.asarray(d, dtype=np.float64)
    r = np.asarray(risk, dtype=np.float64)
    return np.asarray(np.where(dd <= 1.0, (1.0 - dd) * (1.0 + dd * r), (1.0 - dd) * (1.0 + r)))


def vote(rule: str, weight: ArrayLike, du: ArrayLike) -> F:
    """Vote of actors with ``weight`` given utility differences ``du = u(a) - u(b)``.

    KTAB ``Model::vote``: binary (a steep clipped step), proportional, cubic and mixes
    (``prop_bin`` 80/20, ``prop_cubic`` 50/50), and ``asym_prospect`` (gains count 2/3).
    """
    w = np.asarray(weight, dtype=np.float64)
    d = np.asarray(du, dtype=np.float64)
    if rule == "proportional":
        return np.asarray(w * d)
    binary = np.clip(d / 1e-8, -1.0, 1.0)
    if rule == "binary":
        return np.asarray(w * binary)
    if rule == "prop_bin":
        return np.asarray(w * (0.8 * d + 0.2 * binary))
    if rule == "prop_cubic":
        return np.asarray(w * (0.5 * d + 0.5 * (d * d * d)))
    if rule == "cubic":
        return np.asarray(w * (d * d * d))
    if rule == "asym_prospect":
        return np.asarray(np.where(d < 0, w * d, np.where(d > 0, (2.0 * w * d) / 3.0, 0.0)))
    raise ConfigurationError(f"unknown voting rule {rule!r}; choose {one_of(VOTING_RULES)}")


def coalitions(rule: str, weight: ArrayLike, util: ArrayLike, chunk: int = 64) -> F:
    r"""Coalition strengths ``c[a, b] = 1e-8 + sum_k max(vote_k(a, b), 0)``.

    As in KTAB (``Model::coalitions``), each pair is voted on once with the later option
    first (``a > b``); ``c[b, a]`` collects the negative votes of that comparison. This
    equals the formula above for every voting rule that is odd in the utility difference,
    i.e. all but ``asym_prospect``.

    Parameters
    ----------
    rule : str
        Voting rule (see :func:`vote`).
    weight : array_like, shape (n_voters,)
    util : array_like, shape (n_voters, n_options)
        Utility of each option to each voter.
    chunk : int
        Voters processed at once (bounds memory at ``chunk * n_options**2`` doubles).

    Returns
    -------
    numpy.ndarray, shape (n_options, n_options); the diagonal is 1e-8.
    """
    w = np.asarray(weight, dtype=np.float64)
    u = np.asarray(util, dtype=np.float64)
    n, o = u.shape
    if rule == "proportional":
        # sum_k w_k max(u_ka - u_kb, 0) = (m_a - m_b + sum_k |w_k u_ka - w_k u_kb|) / 2 with
        # m = w @ u: one L1 distance matrix between the columns of w * u (w > 0).
        v = w[:, None] * u
        m = v.sum(axis=0)
        c = 0.5 * ((m[:, None] - m[None, :]) + cdist(v.T, v.T, "cityblock"))
        c = np.maximum(c, 0.0) + _MIN_COALITION
    else:
        # KTAB compares each pair once, the later option first: positive votes back it,
        # negative votes back the earlier one. For a rule that is not odd in the
        # utility difference (asym_prospect) this order matters, so it is kept.
        pos = np.zeros((o, o))
        neg = np.zeros((o, o))
        for start in range(0, n, chunk):
            sl = slice(start, start + chunk)
            vk = vote(rule, w[sl, None, None], u[sl, :, None] - u[sl, None, :])
            pos += np.maximum(vk, 0.0).sum(axis=0)
            neg += np.maximum(-vk, 0.0).sum(axis=0)
        c = np.tril(pos, -1) + np.tril(neg, -1).T + _MIN_COALITION
    np.fill_diagonal(c, _MIN_COALITION)
    return np.asarray(c)


def pair_coalitions(rule: str, weight: ArrayLike, util: ArrayLike, a: ArrayLike, b: ArrayLike) -> F:
    """Coalition strengths ``c[a_p, b_p]`` (see :func:`coalitions`) for listed pairs only."""
    w = np.asarray(weight, dtype=np.float64)
    u = np.asarray(util, dtype=np.float64)
    ai = np.asarray(a, dtype=np.intp)
    bi = np.asarray(b, dtype=np.intp)
    hi = np.maximum(ai, bi)
    lo = np.minimum(ai, bi)
    vk = vote(rule, w[:, None], u[:, hi] - u[:, lo])  # the later option first, as KTAB
    c = np.where(ai > bi, np.maximum(vk, 0.0), np.maximum(-vk, 0.0)).sum(axis=0)
    return np.asarray(np.where(ai == bi, _MIN_COALITION, c + _MIN_COALITION))


def victory_prob(model: str, c: ArrayLike) -> F:
    """Pairwise victory probabilities ``P[a > b]`` from coalition strengths (diagonal 1/2).

    KTAB ``VPModel``: linear ``c_ab / (c_ab + c_ba)``, square, quartic, octic (powers 2, 4,
    8) and binary (certain victory beyond a 1.1 strength ratio, linear in between).
    """
    cm = np.asarray(c, dtype=np.float64)
    ct = cm.T
    if model == "linear":
        x1, x2 = cm, ct
    elif model == "square":
        x1, x2 = cm * cm, ct * ct
    elif model == "quartic":
        x1, x2 = (cm * cm) ** 2, (ct * ct) ** 2
    elif model == "octic":
        x1, x2 = ((cm * cm) ** 2) ** 2, ((ct * ct) ** 2) ** 2
    elif model == "binary":
        th = 1.10
        r12 = cm / (cm + ct)
        mid = (r12 * (th + 1.0) - 1.0) / (th - 1.0)
        x1 = np.where(cm >= th * ct, 1.0, np.where(ct >= th * cm, 1e-6, mid))
        x2 = np.where(cm >= th * ct, 1e-6, np.where(ct >= th * cm, 1.0, 1.0 - mid))
    else:
        raise ConfigurationError(f"unknown victory model {model!r}; choose {one_of(VICTORY_MODELS)}")
    p = x1 / (x1 + x2)
    np.fill_diagonal(p, 0.5)
    return np.asarray(p)


def pce(model: str, pv: ArrayLike, c: ArrayLike | None = None, vpm: str = "linear") -> F:
    r"""Probability that each option is the outcome, from victory probabilities.

    ``conditional``: :math:`P_a \propto \prod_b P[a>b]` (probability that :math:`a` beats
    all others, conditioned on some option doing so); ``markov_uniform``: stationary
    distribution of a chain in which a uniformly chosen challenger meets the incumbent;
    ``markov_incentive``: challengers chosen in proportion to their coalition's incentive
    :math:`c_{ab} P[a>b]` (KTAB ``Model::probCE2``; the chains are iterated to KTAB's
    tolerances, 1e-6 and 1e-8).
    """
    p_v = np.asarray(pv, dtype=np.float64)
    n = p_v.shape[0]
    if model == "conditional":
        with np.errstate(divide="ignore"):
            logp = np.log(p_v).sum(axis=1)
        logp -= logp.max()
        p = np.exp(logp)
        return np.asarray(p / p.sum())
    if model == "markov_uniform":
        p = np.full(n, 1.0 / n)
        for _ in range(100000):
            q = (p_v * (p[:, None] + p[None, :])).sum(axis=1) / n
            change = np.max(np.abs(q - p))
            p = (p + q) / 2.0
            if change <= 1e-6:
                break
        return p
    if model == "markov_incentive":
        if c is None:
            raise ConfigurationError("the markov_incentive PCE needs coalition strengths")
        cm = np.asarray(c, dtype=np.float64)
        inc = cm * victory_prob(vpm, cm)
        inc[np.diag_indices(n)] += 1e-10
        chlg = inc / inc.sum(axis=0, keepdims=True)  # chlg[a, b]: a challenges b
        p = np.full(n, 1.0 / n)
        for _ in range(100000):
            ct = p[:, None] * chlg.T
            q = (p_v * (ct + ct.T)).sum(axis=1)
            change = np.max(np.abs(q - p))
            p = (p + q) / 2.0
            if change <= 1e-8:
                break
        return p
    raise ConfigurationError(f"unknown PCE model {model!r}; choose {one_of(PCE_MODELS)}")


def scalar_pce(cfg: SMPConfig, weight: F, util: F) -> F:
    """PCE over options given voters' utilities (KTAB ``Model::scalarPCE``)."""
    c = coalitions(cfg.voting_rule, weight, util)
    pv = victory_prob(cfg.victory_prob, c)
    return pce(cfg.pce, pv, c, cfg.victory_prob)


def big_r_from_prob(p: ArrayLike, rng: str = "mid") -> F:
    """Risk attitudes inferred from probabilities: the likeliest actor is the most risk
    averse (KTAB ``Model::bigRfromProb``). ``min``: [0, 1]; ``mid``: [-1/2, 1];
    ``max``: [-1, 1]. All-equal probabilities give risk neutrality (KTAB would fail)."""
    pa = np.asarray(p, dtype=np.float64)
    lo, hi = float(pa.min()), float(pa.max())
    if hi - lo <= 0.0:
        return np.zeros_like(pa)
    if rng == "min":
        return np.asarray((pa - lo) / (hi - lo))
    if rng == "mid":
        return np.asarray((3 * pa - (hi + 2 * lo)) / (2 * (hi - lo)))
    if rng == "max":
        return np.asarray((2 * pa - (hi + lo)) / (hi - lo))
    raise ConfigurationError(f"unknown risk range {rng!r}; choose {one_of(BIG_R_RANGES)}")


def est_nra(rh: ArrayLike, ri: ArrayLike, adjust: str) -> F:
    """Actor h's estimate of actor i's risk attitude (KTAB ``Model::estNRA``)."""
    a = np.asarray(rh, dtype=np.float64)
    b = np.asarray(ri, dtype=np.float64)
    if adjust == "full":
        return np.asarray(b + 0.0 * a)
    if adjust == "two_thirds":
        return np.asarray((a + (2.0 * b)) / 3.0)
    if adjust == "half":
        return np.asarray((a + b) / 2)
    if adjust == "one_third":
        return np.asarray(((2.0 * a) + b) / 3.0)
    if adjust == "none":
        return np.asarray(a + 0.0 * b)
    raise ConfigurationError(f"unknown risk adjustment {adjust!r}; choose {one_of(BIG_R_ADJUSTS)}")


# ----------------------------------------------------------------------------------------
# One state


@dataclass
class _State:
    """Everything computed for one state (0-1 scale)."""

    pos: F  # (n, m)
    dist: F  # (n, n): d_i(x_j), ideals == positions
    risk: F  # (n,)
    own_util: F  # (n, n): U^i_{ij}, actor i's own-perspective utility of j's position
    prob: F  # (n,) probability that each actor's position prevails (unique positions)
    omd_t: F = field(default_factory=lambda: np.zeros((0, 0)))  # (1 - dist).T, contiguous
    omdd_t: F = field(default_factory=lambda: np.zeros((0, 0)))  # ((1 - dist) dist).T
    within: bool = True  # all distances <= 1 (so utilities are (1-d)(1+dR))


def _state(pos: F, cap: F, sal: F, cfg: SMPConfig) -> _State:
    dist = salience_distance(pos, pos, sal)
    rn_util = bs_util(dist, 0.0)
    p = scalar_pce(cfg, cap, rn_util)
    risk = big_r_from_prob(p, cfg.big_r_range)
    own = bs_util(dist, est_nra(risk, risk, cfg.big_r_adjust)[:, None])
    # probability of each unique position (KTAB SMPState::pDist(-1) and posProb)
    uniq, owner = _unique_positions(pos, cfg.pos_tol)
    pu = scalar_pce(cfg, cap, own[:, uniq])
    dist_t = np.ascontiguousarray(dist.T)
    return _State(
        pos=pos,
        dist=dist,
        risk=risk,
        own_util=own,
        prob=pu[owner],
        omd_t=1.0 - dist_t,
        omdd_t=(1.0 - dist_t) * dist_t,
        within=bool(np.all(dist <= 1.0)),
    )


def _unique_positions(pos: F, tol: float) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """First-appearance unique positions and, for each actor, the (last) unique position
    within ``tol`` of its own (KTAB ``ueIndices`` / ``State::posProb``)."""
    n = pos.shape[0]
    close = _norms(pos[:, None, :], pos[None, :, :]) < tol
    uniq: list[int] = []
    taken = np.zeros(n, dtype=bool)
    for i in range(n):
        if not taken[i]:
            uniq.append(i)
            taken |= close[i]
    u = np.array(uniq, dtype=np.intp)
    match = close[:, u]
    owner = (len(u) - 1 - np.argmax(match[:, ::-1], axis=1)).astype(np.intp)
    return u, owner


def _util_cols(st: _State, h: int, cols: NDArray[np.intp] | slice, cfg: SMPConfig) -> F:
    """Columns ``cols`` of actor h's estimate of the utility matrix, ``U^h[:, cols]``:
    h attributes risk attitude ``est_nra(R_h, R_i)`` to actor i."""
    rhi = est_nra(st.risk[h], st.risk, cfg.big_r_adjust)
    d = st.dist[:, cols]
    return bs_util(d, rhi[:, None] if d.ndim == 2 else rhi)


def _third_party_votes(cfg: SMPConfig, w: F, uni: F, unj: F, unn: F, chij: F, chji: F) -> F:
    """Third parties' votes for i over j (KTAB ``Actor::vProbLittle`` then
    ``Actor::thirdPartyVoteSU``); arrays broadcast, third parties on the last axis."""
    rule = cfg.voting_rule
    cn = vote(rule, w, uni - unj)
    pos_cn = np.maximum(cn, 0.0)
    cni = chij[..., None] + pos_cn
    cnj = chji[..., None] + (pos_cn - cn)
    pin = cni / (cni + cnj)
    pjn = 1.0 - pin
    # Utility to n of joining i (vs joining j) when the third party's commitment is:
    # semi: i&n beat j -> 2u_ni + u_nn, j beats i&n -> 3u_nj; i beats j&n -> 3u_ni,
    # j&n beat i -> 2u_nj + u_nn. Full and no commitment make both sides equal for n.
    if cfg.third_party_commit != "semi":
        return np.zeros(np.broadcast_shapes(pin.shape, np.shape(unn)))
    return vote(rule, w, pin * (unn - uni) + pjn * (unj - unn))


def _challenge_estimates(
    st: _State,
    w: F,
    sal_sum: F,
    cfg: SMPConfig,
    h: ArrayLike,
    k: ArrayLike,
    i: ArrayLike,
    j: ArrayLike,
) -> tuple[F, F]:
    r"""Actor h's estimate of P[i defeats j] and of the expected gain to actor k if i
    challenges j (KTAB ``SMPState::probEduChlg``), for arrays of (h, k, i, j).

    With :math:`U = U^h` (h's estimate of everyone's utilities) and actor weights
    :math:`w = c \cdot \sum_d s_d`: i and j vote :math:`w_i(U_{ii}-U_{ij})` and
    :math:`w_j(U_{ji}-U_{jj})`; each third party n joins by comparing its expected utility
    of backing i or j given its own effect on the odds (``vProbLittle``,
    ``thirdPartyVoteSU``); :math:`\pi` is the share of i's coalition, and the gain to k is
    :math:`(1-\sigma_j) 2U_{ki} + \sigma_j[\pi 2U_{ki} + (1-\pi) 2U_{kj}] - (U_{ki}+U_{kj})`.
    """
    ha, ka, ia, ja = (np.atleast_1d(np.asarray(x, dtype=np.intp)) for x in (h, k, i, j))
    ha, ka, ia, ja = np.broadcast_arrays(ha, ka, ia, ja)
    n = w.shape[0]
    rule = cfg.voting_rule
    rhi = est_nra(st.risk[ha][:, None], st.risk[None, :], cfg.big_r_adjust)  # (C, n)
    uni = bs_util(st.dist[:, ia].T, rhi)  # uni[c, n] = U^h[n, i]
    unj = bs_util(st.dist[:, ja].T, rhi)
    unn = bs_util(np.diagonal(st.dist)[None, :], rhi)
    c_ = np.arange(len(ia))
    ci = vote(rule, w[ia], uni[c_, ia] - unj[c_, ia])
    cj = vote(rule, w[ja], uni[c_, ja] - unj[c_, ja])
    chij = _MIN_CHALLENGE_COALITION + np.maximum(ci, 0.0) + np.maximum(cj, 0.0)
    chji = _MIN_CHALLENGE_COALITION - np.minimum(ci, 0.0) - np.minimum(cj, 0.0)
    vn = _third_party_votes(cfg, w, uni, unj, unn, chij, chji)
    third = (np.arange(n) != ia[:, None]) & (np.arange(n) != ja[:, None])
    vn = np.where(third, vn, 0.0)
    chij = chij + np.maximum(vn, 0.0).sum(axis=1)
    chji = chji - np.minimum(vn, 0.0).sum(axis=1)
    phij = chij / (chij + chji)
    uki, ukj = uni[c_, ka], unj[c_, ka]
    sj = sal_sum[ja]
    eu = (1.0 - sj) * (uki + uki) + sj * (phij * (uki + uki) + (1.0 - phij) * (ukj + ukj))
    return phij, eu - (uki + ukj)


def _challenge_one(
    st: _State, w: F, sal_sum: F, cfg: SMPConfig, h: int, k: int, i: int, j: int
) -> tuple[float, float]:
    """Scalar form of :func:`_challenge_estimates`."""
    p, e = _challenge_estimates(st, w, sal_sum, cfg, h, k, i, j)
    return float(p[0]), float(e[0])


def _challenges_by(
    st: _State,
    w: F,
    sal_sum: F,
    cfg: SMPConfig,
    i: int,
    buf: F | None = None,
    rows: NDArray[np.intp] | None = None,
) -> tuple[F, F]:
    """For targets ``rows`` (default: all): actor i's estimate of P[i defeats j] and of
    its own expected gain from challenging j (the ``h = k = i`` case of
    :func:`_challenge_estimates`, vectorised over targets and third parties).
    ``buf``: optional (5, n, n) scratch space."""
    n = w.shape[0]
    rule = cfg.voting_rule
    js = np.arange(n) if rows is None else rows
    r = len(js)
    rhi = est_nra(st.risk[i], st.risk, cfg.big_r_adjust)
    if buf is None:
        buf = np.empty((5, n, n))
    b1, b2, b3, b4, b5 = (x[:r] for x in buf)
    # T[r, n] = U^i[n, j_r]: i's estimate of n's utility for target j_r's position
    if st.within:  # (1 - d)(1 + d R) = (1 - d) + (1 - d) d R
        T = np.multiply(st.omdd_t[js], rhi, out=b1)
        T += st.omd_t[js]
        col_i = st.omdd_t[i] * rhi + st.omd_t[i]  # U[n, i]
        dg = np.diagonal(st.omdd_t) * rhi + np.diagonal(st.omd_t)  # U[n, n]
    else:
        full = bs_util(st.dist, rhi[:, None])
        np.copyto(b1, full.T[js])
        T = b1
        col_i = full[:, i].copy()
        dg = np.diagonal(full).copy()
    ci = vote(rule, w[i], dg[i] - T[:, i])  # w_i (U[i, i] - U[i, j])
    cj = vote(rule, w[js], col_i[js] - dg[js])  # w_j (U[j, i] - U[j, j])
    chij = _MIN_CHALLENGE_COALITION + np.maximum(ci, 0.0) + np.maximum(cj, 0.0)
    chji = _MIN_CHALLENGE_COALITION - np.minimum(ci, 0.0) - np.minimum(cj, 0.0)
    if rule == "proportional" and cfg.third_party_commit == "semi":
        cn = np.subtract(col_i, T, out=b2)  # u_ni - u_nj
        cn *= w
        pin = np.maximum(cn, 0.0, out=b4)
        pin += chij[:, None]  # c_ni
        den = np.abs(cn, out=b5)
        den += (chij + chji)[:, None]  # c_ni + c_nj
        pin /= den
        g = np.subtract(T, dg, out=b3)  # u_nj - u_nn
        vn = np.subtract(dg - col_i, g, out=b5)  # (u_nn - u_ni) - (u_nj - u_nn)
        vn *= pin
        vn += g  # pin (u_nn - u_ni) + (1 - pin)(u_nj - u_nn)
        vn *= w
    else:
        vn = _third_party_votes(cfg, w, col_i[None, :], T, dg[None, :], chij, chji)
    vn[:, i] = 0.0
    vn[np.arange(r), js] = 0.0
    pos_sum = np.maximum(vn, 0.0, out=b3).sum(axis=1)
    neg_sum = vn.sum(axis=1) - pos_sum
    chij = chij + pos_sum
    chji = chji - neg_sum
    phij = chij / (chij + chji)
    uki, ukj = dg[i], T[:, i]
    sj = sal_sum[js]
    eu = (1.0 - sj) * (uki + uki) + sj * (phij * (uki + uki) + (1.0 - phij) * (ukj + ukj))
    return phij, eu - (uki + ukj)


def _best_target(st: _State, w: F, sal_sum: F, cfg: SMPConfig, i: int, buf: F) -> tuple[int, float, float]:
    r"""Actor i's most advantageous target (KTAB ``bestChallenge``): the first j with the
        largest expected gain above 1e-5, or -1. Returns (j, P[i beats j], gain).

        The gain to i of challenging j is :math:`(U_{ii}-U_{ij})(1 - 2\sigma_j(1-\pi_j))`.
        Since every actor's utility for its own position is 1, a third party n can add at
        most :math:`\max(0,
    ho(w_n(1 - U_{ni})))` to i's coalition, which bounds
        :math:`\pi_j` and hence the gain. Targets are evaluated in blocks in decreasing order
        of that bound and the search stops when no remaining target can beat the best gain
        found, so the result is exactly the full search's.
    """
    n = w.shape[0]
    rule = cfg.voting_rule
    rhi = est_nra(st.risk[i], st.risk, cfg.big_r_adjust)
    u_i = bs_util(st.dist[i], rhi[i])  # U[i, j] for all j
    col_i = bs_util(st.dist[:, i], rhi)  # U[n, i]
    dg = bs_util(np.diagonal(st.dist), rhi)  # U[n, n]
    ci = vote(rule, w[i], u_i[i] - u_i)
    cj = vote(rule, w, col_i - dg)
    chij = _MIN_CHALLENGE_COALITION + np.maximum(ci, 0.0) + np.maximum(cj, 0.0)
    chji = _MIN_CHALLENGE_COALITION - np.minimum(ci, 0.0) - np.minimum(cj, 0.0)
    if np.all(dg == 1.0):
        extra = np.maximum(vote(rule, w, dg - col_i), 0.0).sum()
        pmax = (chij + extra) / (chij + extra + chji)
        factor = np.maximum(0.0, 1.0 - 2.0 * sal_sum * (1.0 - pmax))
    else:  # pragma: no cover - utilities of own positions are always 1 in KTAB's SMP
        factor = np.ones(n)
    bound = np.abs(u_i[i] - u_i) * factor * (1.0 + 1e-9) + 1e-12
    bound[i] = -np.inf
    order = np.argsort(-bound, kind="stable")[: n - 1]
    gains = np.full(n, -np.inf)
    probs = np.zeros(n)
    best = _MIN_SIG_EDU
    start, block = 0, max(8, n // 16)
    while start < n - 1:
        if bound[order[start]] < best:
            break
        rows = order[start : start + block]
        start += block
        block *= 2  # few calls when many targets must be examined
        ph, edu = _challenges_by(st, w, sal_sum, cfg, i, buf, rows)
        gains[rows] = edu
        probs[rows] = ph
        best = max(best, float(edu.max()))
    j = int(np.argmax(gains))
    if not gains[j] > _MIN_SIG_EDU:
        return -1, 0.0, float(gains[j])
    return j, float(probs[j]), float(gains[j])


def _interpolate(ti: F, si: F, pi: float, tj: F, sj: F, pj: float, how: str) -> tuple[F, F]:
    """Bargain positions for initiator i and receiver j (KTAB ``interpolateBrgn``)."""
    if how == "s2pmax":
        di = max(0.0, pj - pi)
        dj = max(0.0, pi - pj)
        si2, sj2 = si * si, sj * sj
        dik = (di * sj2) / ((di * sj2) + _MIN_W + ((1 - di) * si2))
        djk = (dj * si2) / ((dj * si2) + _MIN_W + ((1 - dj) * sj2))
        return ti + dik * (tj - ti), tj + djk * (ti - tj)
    e = 1 if how == "s1p1" else 2
    wi = si**e * pi**e
    wj = sj**e * pj**e
    den = wi + _MIN_W + wj
    bi = _round4(((wi + _MIN_W) * ti + wj * tj) / den)
    bj = _round4((wi * ti + (_MIN_W + wj) * tj) / den)
    return bi, bj


def _round4(x: F) -> F:
    """Round half up to 4 decimals (KTAB rounds bargains to avoid spurious precision)."""
    return np.asarray(np.floor(0.5 + x * 10000.0) / 10000.0)


@dataclass
class _Bargain:
    init: int
    rcvr: int
    pos_init: F
    pos_rcvr: F
    gain: float
    prob: float


def _challenges_batch(
    st: _State, w: F, sal_sum: F, cfg: SMPConfig, ii: NDArray[np.intp], jj: NDArray[np.intp]
) -> tuple[F, F]:
    """:func:`_challenges_by` for several initiators at once: initiator ``ii[b]`` against
    targets ``jj[b, :]``; returns (P[i beats j], gain to i), each of shape ``jj.shape``.
    Only for the proportional rule with semi-committed third parties and distances <= 1
    (the fast path); the arithmetic is element for element that of :func:`_challenges_by`.
    """
    bsz, r = jj.shape
    rhi = est_nra(st.risk[ii][:, None], st.risk[None, :], cfg.big_r_adjust)  # (B, n)
    T = st.omdd_t[jj] * rhi[:, None, :]  # T[b, r, n] = U^i[n, j_r]
    T += st.omd_t[jj]
    col_i = st.omdd_t[ii] * rhi + st.omd_t[ii]  # (B, n): U[n, i]
    dg = np.diagonal(st.omdd_t)[None, :] * rhi + np.diagonal(st.omd_t)[None, :]  # U[n, n]
    b_idx = np.arange(bsz)
    dgi = dg[b_idx, ii]  # U[i, i]
    uij = T[b_idx, :, ii]  # (B, r): U[i, j_r]
    ci = w[ii][:, None] * (dgi[:, None] - uij)
    cj = w[jj] * (np.take_along_axis(col_i, jj, axis=1) - np.take_along_axis(dg, jj, axis=1))
    chij = _MIN_CHALLENGE_COALITION + np.maximum(ci, 0.0) + np.maximum(cj, 0.0)
    chji = _MIN_CHALLENGE_COALITION - np.minimum(ci, 0.0) - np.minimum(cj, 0.0)
    cn = col_i[:, None, :] - T  # u_ni - u_nj
    cn *= w
    pin = np.maximum(cn, 0.0)
    pin += chij[:, :, None]
    den = np.abs(cn)
    den += (chij + chji)[:, :, None]
    pin /= den
    g = T
    g -= dg[:, None, :]  # u_nj - u_nn (T is not needed any more)
    vn = np.subtract((dg - col_i)[:, None, :], g, out=cn)
    vn *= pin
    vn += g
    vn *= w
    vn[b_idx, :, ii] = 0.0
    vn[b_idx[:, None], np.arange(r)[None, :], jj] = 0.0
    pos_sum = np.maximum(vn, 0.0, out=den).sum(axis=2)
    neg_sum = vn.sum(axis=2) - pos_sum
    chij = chij + pos_sum
    chji = chji - neg_sum
    phij = chij / (chij + chji)
    uki = dgi[:, None]
    sj = sal_sum[jj]
    eu = (1.0 - sj) * (uki + uki) + sj * (phij * (uki + uki) + (1.0 - phij) * (uij + uij))
    return phij, eu - (uki + uij)


def _best_targets_batched(
    st: _State, w: F, sal_sum: F, cfg: SMPConfig, workers: int = 1
) -> list[tuple[int, float, float]]:
    """:func:`_best_target` for all initiators together (same bounds, same blocks, same
    stopping decisions per initiator; fewer, larger numpy calls)."""
    n = w.shape[0]
    rh = est_nra(st.risk[:, None], st.risk[None, :], cfg.big_r_adjust)  # rh[i, n] = R^i_n
    own = bs_util(st.dist, np.diagonal(rh)[:, None])  # U^i[i, j]
    col = bs_util(st.dist.T, rh)  # col[i, n] = U^i[n, i]
    dg = bs_util(np.diagonal(st.dist)[None, :], rh)  # U^i[n, n]
    ci = w[:, None] * (np.diagonal(own)[:, None] - own)
    cj = w[None, :] * (col - dg)
    chij = _MIN_CHALLENGE_COALITION + np.maximum(ci, 0.0) + np.maximum(cj, 0.0)
    chji = _MIN_CHALLENGE_COALITION - np.minimum(ci, 0.0) - np.minimum(cj, 0.0)
    extra = np.maximum(w[None, :] * (dg - col), 0.0).sum(axis=1)
    pmax = (chij + extra[:, None]) / (chij + extra[:, None] + chji)
    factor = np.maximum(0.0, 1.0 - 2.0 * sal_sum[None, :] * (1.0 - pmax))
    bound = np.abs(np.diagonal(own)[:, None] - own) * factor * (1.0 + 1e-9) + 1e-12
    np.fill_diagonal(bound, -np.inf)
    order = np.argsort(-bound, axis=1, kind="stable")[:, : n - 1]
    gains = np.full((n, n), -np.inf)
    probs = np.zeros((n, n))
    best = np.full(n, _MIN_SIG_EDU)
    active = np.ones(n, dtype=bool)
    start, block = 0, max(8, n // 16)
    limit = max(1, 100_000 // (n * block))  # initiators per call: cache-sized arrays
    pool = ThreadPoolExecutor(max_workers=workers) if workers > 1 and n >= 64 else None
    try:
        while start < n - 1:
            first = bound[np.arange(n), order[:, start]]
            active &= first >= best
            act = np.flatnonzero(active)
            if act.size == 0:
                break
            stop = min(start + block, n - 1)
            chunks = [act[c0 : c0 + limit] for c0 in range(0, act.size, limit)]

            def work(ii: NDArray[np.intp], lo: int = start, hi: int = stop) -> None:
                jj = order[ii, lo:hi]
                ph, edu = _challenges_batch(st, w, sal_sum, cfg, ii, jj)
                gains[ii[:, None], jj] = edu  # distinct rows per chunk: safe across threads
                probs[ii[:, None], jj] = ph
                best[ii] = np.maximum(best[ii], edu.max(axis=1))

            if pool is None or len(chunks) == 1:
                for ii in chunks:
                    work(ii)
            else:
                list(pool.map(work, chunks))
            start = stop
            block *= 2
            limit = max(1, limit // 2)
    finally:
        if pool is not None:
            pool.shutdown()
    out: list[tuple[int, float, float]] = []
    for i in range(n):
        j = int(np.argmax(gains[i]))
        if gains[i, j] > _MIN_SIG_EDU:
            out.append((j, float(probs[i, j]), float(gains[i, j])))
        else:
            out.append((-1, 0.0, float(gains[i, j])))
    return out


def _best_targets(
    st: _State, w: F, sal_sum: F, cfg: SMPConfig, workers: int
) -> list[tuple[int, float, float]]:
    """:func:`_best_target` for every initiator: batched for KTAB's default rules, else
    one initiator at a time on ``workers`` threads (numpy releases the GIL; initiators
    are independent, so the result does not depend on threads)."""
    n = w.shape[0]
    fast = cfg.voting_rule == "proportional" and cfg.third_party_commit == "semi"
    if fast and st.within and np.all(np.diagonal(st.dist) == 0.0):
        return _best_targets_batched(st, w, sal_sum, cfg, workers)

    def block(rows: range) -> list[tuple[int, float, float]]:
        buf = np.empty((5, n, n))
        return [_best_target(st, w, sal_sum, cfg, i, buf) for i in rows]

    if workers <= 1 or n < 64:
        return block(range(n))
    bounds = np.linspace(0, n, workers + 1).astype(int)
    parts = [range(int(a), int(b)) for a, b in itertools.pairwise(bounds)]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        done = list(pool.map(block, parts))
    return [r for part in done for r in part]


def _step(
    st: _State, cap: F, sal: F, cfg: SMPConfig, rng: np.random.Generator, workers: int = 1
) -> tuple[F, dict[str, Any]]:
    """One turn of challenges, bargains and their resolution; new positions (0-1)."""
    n = cap.shape[0]
    sal_sum = sal.sum(axis=1)
    w = sal_sum * cap
    bargains: list[_Bargain] = []
    challenges: list[dict[str, Any]] = []
    targets = _best_targets(st, w, sal_sum, cfg, workers)
    pairs = [(i, t[0]) for i, t in enumerate(targets) if t[0] >= 0]
    # the other estimates KTAB reports: i's of the gain to j, j's of the gains to i and j
    ii = np.array([p[0] for p in pairs for _ in range(3)], dtype=np.intp)
    jj = np.array([p[1] for p in pairs for _ in range(3)], dtype=np.intp)
    hh = np.array([x for i, j in pairs for x in (i, j, j)], dtype=np.intp)
    kk = np.array([x for i, j in pairs for x in (j, i, j)], dtype=np.intp)
    est_p, est_g = (
        _challenge_estimates(st, w, sal_sum, cfg, hh, kk, ii, jj) if pairs else (np.zeros(0), np.zeros(0))
    )
    for c, (i, j) in enumerate(pairs):
        pij, gain = targets[i][1], targets[i][2]
        e = [(float(est_p[3 * c + q]), float(est_g[3 * c + q])) for q in range(3)]
        est_ji = e[1]
        challenges.append(
            {
                "initiator": i,
                "target": j,
                # (estimator, affected actor, P[i beats j], expected gain)
                "estimates": [
                    [i, i, pij, gain],
                    [i, j, e[0][0], e[0][1]],
                    [j, i, e[1][0], e[1][1]],
                    [j, j, e[2][0], e[2][1]],
                ],
            }
        )
        bi, bj = _interpolate(st.pos[i], sal[i], pij, st.pos[j], sal[j], 1.0 - pij, cfg.interpolation)
        if cfg.bargain_model == "init_only":
            bargains.append(_Bargain(i, j, bi, bj, gain, pij))
            continue
        # KTAB forms the receiver's version of the bargain from j's estimate of i's
        # *expected gain* (the second element of j's estimate), used as a probability.
        pji = float(est_ji[1])
        ri, rj = _interpolate(st.pos[i], sal[i], pji, st.pos[j], sal[j], 1.0 - pji, cfg.interpolation)
        if cfg.bargain_model == "init_rcvr":
            bargains.append(_Bargain(i, j, bi, bj, gain, pij))
            bargains.append(_Bargain(i, j, ri, rj, gain, pji))
        else:  # power_weighted: KTAB weighs i's version by c_i S_i and j's by c_i S_j
            wi = cap[i] * sal_sum[i]
            wj = cap[i] * sal_sum[j]
            bargains.append(
                _Bargain(
                    i,
                    j,
                    (wi * bi + wj * ri) / (wi + wj),
                    (wi * bj + wj * rj) / (wi + wj),
                    gain,
                    pij,
                )
            )

    # Utility to every actor a of every bargain: the mean over actors of a's utility of
    # each actor's resulting position (only initiator and receiver move).
    own = st.own_util
    sq_util = own.sum(axis=1) / n
    nb = len(bargains)
    bu = np.empty((n, nb))
    if nb:
        inits = np.array([b.init for b in bargains])
        rcvrs = np.array([b.rcvr for b in bargains])
        pi_ = np.array([b.pos_init for b in bargains])
        pr_ = np.array([b.pos_rcvr for b in bargains])
        ui = bs_util(salience_distance(st.pos, pi_, sal), st.risk[:, None])
        ur = bs_util(salience_distance(st.pos, pr_, sal), st.risk[:, None])
        total = own.sum(axis=1)[:, None]
        bu = (total - own[:, inits] - own[:, rcvrs] + ui + ur) / n
    # Each actor k resolves the bargains it is party to, against the status quo (option 0).
    # Coalition strengths depend only on the pair of options compared, so they are
    # computed once for all options and each actor's sub-matrix is taken from there.
    options = np.column_stack([sq_util, bu])
    new_pos = st.pos.copy()
    chosen: list[int | None] = []
    party: list[list[int]] = [[] for _ in range(n)]
    for b_idx, bg in enumerate(bargains):
        party[bg.init].append(b_idx)
        if bg.rcvr != bg.init:
            party[bg.rcvr].append(b_idx)
    subs = [np.array([0, *(m + 1 for m in party[k])]) for k in range(n)]
    pa = np.concatenate([np.repeat(sb, len(sb)) for sb in subs])
    pb = np.concatenate([np.tile(sb, len(sb)) for sb in subs])
    pc = pair_coalitions(cfg.voting_rule, cap, options, pa, pb)
    offset = 0
    for k in range(n):
        mine = party[k]
        size = len(mine) + 1
        cm = pc[offset : offset + size * size].reshape(size, size)
        offset += size * size
        if not mine:
            chosen.append(None)
            continue
        p = pce(cfg.pce, victory_prob(cfg.victory_prob, cm), cm, cfg.victory_prob)
        if cfg.state_transition == "deterministic":
            m = int(np.argmax(np.abs(p)))
        else:
            m = min(int(np.searchsorted(np.cumsum(p), rng.uniform(0.0, 1.0))), len(p) - 1)
        if m == 0:
            chosen.append(None)
            continue
        bg = bargains[mine[m - 1]]
        chosen.append(mine[m - 1])
        new_pos[k] = bg.pos_init if bg.init == k else bg.pos_rcvr
    info = {
        "challenges": challenges,
        "bargains": [
            {
                "initiator": b.init,
                "receiver": b.rcvr,
                "initiator_position": (b.pos_init * 100.0).tolist(),
                "receiver_position": (b.pos_rcvr * 100.0).tolist(),
            }
            for b in bargains
        ],
        "chosen": chosen,
    }
    return new_pos, info


# ----------------------------------------------------------------------------------------
# Runs


@dataclass(frozen=True)
class SMPRun:
    """Trajectory of an SMP run (positions on the 0-100 scale).

    Attributes
    ----------
    positions : numpy.ndarray, shape (n_states, n_actors, n_dims)
        Positions in every state; state 0 is the input.
    probabilities : numpy.ndarray, shape (n_states, n_actors)
        Probability that each actor's position prevails in each state (actors sharing a
        position share its probability).
    risk : numpy.ndarray, shape (n_states, n_actors)
        Inferred risk attitudes in each state.
    ratios : list of float
        After each turn t, movement(t-1 -> t) / (movement(0 -> 1) + min_sig_delta).
    steps : list of dict
        Per turn: challenges (initiator, target, estimates), bargains, chosen bargain per
        actor (index into bargains, or None for the status quo).
    converged : bool
        True when the stopping rule fired before ``max_iter``.
    config : SMPConfig
    """

    positions: F
    probabilities: F
    risk: F
    ratios: list[float]
    steps: list[dict[str, Any]]
    converged: bool
    config: SMPConfig = field(default_factory=SMPConfig)

    @property
    def turns(self) -> int:
        """Number of turns (states - 1)."""
        return int(self.positions.shape[0] - 1)


def _state_distance(a: F, b: F) -> float:
    """Sum over actors (in order, as KTAB) of the distance each actor moved."""
    return float(np.cumsum(_norms(a, b))[-1])


def smp_run(
    capability: ArrayLike,
    position: ArrayLike,
    salience: ArrayLike,
    config: SMPConfig | None = None,
    *,
    source: str | None = None,
    workers: int | None = None,
) -> SMPRun:
    """Run KTAB's Spatial Model of Politics to convergence.

    Parameters
    ----------
    capability : array_like, shape (n_actors,)
        Positive capabilities.
    position : array_like, shape (n_actors, n_dims)
        0-100 scale.
    salience : array_like, shape (n_actors, n_dims)
        In [0, 1], each actor's saliences summing to at most 1 and to more than 0.
    config : SMPConfig, optional
        Model options; KTAB's defaults if omitted.
    source : str, optional
        File name for error messages.
    workers : int, optional
        Threads used for the challenge search (default: up to 2, the CPUs available).
        Results do not depend on it.

    Returns
    -------
    SMPRun
    """
    cfg = config or SMPConfig()
    cap = np.asarray(capability, dtype=np.float64)
    pos = np.asarray(position, dtype=np.float64) / 100.0
    sal = np.asarray(salience, dtype=np.float64)
    n = cap.shape[0]
    if n < 3:
        raise ModelError(f"the SMP needs at least 3 actors, got {n}", Location(file=source, path="actors"))
    if np.any(cap <= 0):
        k = int(np.argmax(cap <= 0))
        raise ModelError(
            f"the SMP needs positive capabilities; actor {k} has {cap[k]:g}",
            Location(file=source, path=f"capability[{k}]"),
        )
    tot = sal.sum(axis=1)
    if np.any(tot > 1.0 + 1e-9) or np.any(tot <= 0):
        k = int(np.argmax((tot > 1.0 + 1e-9) | (tot <= 0)))
        raise ModelError(
            f"actor {k}'s saliences sum to {tot[k]:g}; the SMP needs a total in (0, 1] "
            "(at most 100 on KTAB's percentage scale)",
            Location(file=source, path=f"salience[{k}]"),
        )
    rng = np.random.default_rng(cfg.seed)
    nthreads = workers if workers is not None else min(2, os.cpu_count() or 1)
    states = [_state(pos, cap, sal, cfg)]
    steps: list[dict[str, Any]] = []
    ratios: list[float] = []
    converged = False
    it = 0
    while True:
        it += 1
        new_pos, info = _step(states[-1], cap, sal, cfg, rng, nthreads)
        states.append(_state(new_pos, cap, sal, cfg))
        steps.append(info)
        d01 = _state_distance(states[0].pos, states[1].pos) + cfg.min_sig_delta
        dxy = _state_distance(states[-2].pos, states[-1].pos)
        ratio = dxy / d01
        ratios.append(ratio)
        if cfg.min_iter <= it and ratio < cfg.min_delta_ratio:
            converged = True
            break
        if cfg.max_iter <= it:
            break
    return SMPRun(
        positions=np.array([s.pos * 100.0 for s in states]),
        probabilities=np.array([s.prob for s in states]),
        risk=np.array([s.risk for s in states]),
        ratios=ratios,
        steps=steps,
        converged=converged,
        config=cfg,
    )


def smp_forecast(problem: SpatialProblem, config: SMPConfig | None = None, **options: Any) -> ForecastResult:
    """Run the SMP on a :class:`SpatialProblem` and summarise it.

    ``forecast`` is the probability-weighted mean of the final positions (the expected
    outcome under the final state's outcome distribution); ``details["most_likely"]`` is
    the single most probable final position. ``options`` are :class:`SMPConfig` fields.
    """
    if options:
        valid = set(SMPConfig.__dataclass_fields__)
        for key in options:
            if key not in valid:
                raise ConfigurationError(
                    f"SMP has no option {key!r}{did_you_mean(key, valid)}; "
                    f"valid options: {one_of(sorted(valid), limit=20)}"
                )
        config = SMPConfig(**{**asdict(config or SMPConfig()), **options})
    run = smp_run(problem.capability, problem.position, problem.salience, config, source=problem.source)
    final = run.positions[-1]
    prob = run.probabilities[-1]
    # actors sharing a position share its probability: weight each unique position once
    _, owner = _unique_positions(final / 100.0, run.config.pos_tol)
    weight = np.zeros(len(prob))
    first: dict[int, int] = {}
    for a, o in enumerate(owner):
        first.setdefault(int(o), a)
    for a in first.values():
        weight[a] = prob[a]
    weight /= weight.sum()
    expected = weight @ final
    best = int(np.argmax(prob))
    acts, dims = problem.actors, problem.dimensions

    def posdict(p: F) -> dict[str, dict[str, float]]:
        return {a: {d: float(p[i, k]) for k, d in enumerate(dims)} for i, a in enumerate(acts)}

    history = []
    for t in range(run.positions.shape[0]):
        entry: dict[str, Any] = {
            "turn": t,
            "positions": posdict(run.positions[t]),
            "probabilities": {a: float(run.probabilities[t, i]) for i, a in enumerate(acts)},
            "risk": {a: float(run.risk[t, i]) for i, a in enumerate(acts)},
        }
        if t > 0:
            step = run.steps[t - 1]
            entry["change_ratio"] = run.ratios[t - 1]
            entry["challenges"] = [
                {
                    "initiator": acts[c["initiator"]],
                    "target": acts[c["target"]],
                    "estimates": [[acts[e[0]], acts[e[1]], e[2], e[3]] for e in c["estimates"]],
                }
                for c in step["challenges"]
            ]
        history.append(entry)
    return ForecastResult(
        model="smp",
        forecast={d: float(expected[k]) for k, d in enumerate(dims)},
        turns=run.turns,
        final_positions=posdict(final),
        history=history,
        converged=run.converged,
        details={
            "config": asdict(run.config),
            "most_likely": {d: float(final[best, k]) for k, d in enumerate(dims)},
            "forecast_rule": "probability-weighted mean of the final unique positions",
        },
    )
