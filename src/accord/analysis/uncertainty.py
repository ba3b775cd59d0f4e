"""Monte Carlo over uncertain parameters: how likely is a deal, and what decides it.

Every number of a scenario that carries ``range: [lo, hi]`` is uncertain. :func:`monte_carlo` draws
them (uniformly, or triangular around the stated value), and for each draw decides whether a zone of
possible agreement exists and where the Nash bargaining solution lies (Nash 1950). It then ranks the
parameters by how much they matter, from the same draws ("given data"): the first-order
variance-based index of each parameter, estimated by the correlation ratio over quantile bins
(Plischke, Borgonovo & Smith 2013, *European Journal of Operational Research* 226(3)), and a tornado
of the probability of a deal when the parameter is in the bottom versus the top fifth of its range.

Each draw is evaluated exactly but cheaply: red lines are per issue, so the outcomes inside every
party's red lines form a sub-box of the grid; utilities are built by broadcasting over that box only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from accord.scenario.checks import iter_params, level_ids
from accord.scenario.schema import NumericIssue, Scenario
from accord.space import (
    _EPS,
    OutcomeSpace,
    _constraint_masks,
    _coord,
    position_shape,
    red_line_mask,
    shape_values,
)
from accord.yamlio import format_path

FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class UncertainParam:
    """A number with a range: where it is, its stated value and its bounds."""

    path: tuple[str | int, ...]
    label: str
    value: float
    lo: float
    hi: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": format_path(self.path),
            "label": self.label,
            "value": self.value,
            "lo": self.lo,
            "hi": self.hi,
        }


def uncertain_params(scenario: Scenario) -> list[UncertainParam]:
    """Every parameter with a non-degenerate ``range``, in document order."""
    out = []
    for path, p in iter_params(scenario):
        if p.range is None or p.range[0] == p.range[1]:
            continue
        out.append(
            UncertainParam(path, _label(scenario, path), float(p.value), float(p.range[0]), float(p.range[1]))
        )
    return out


def _label(scenario: Scenario, path: tuple[str | int, ...]) -> str:
    """A parameter in words: "Hamas: red line on <issue> (at most)", "Qatar: most pressure on Hamas"."""
    if len(path) >= 2 and path[0] == "actors" and isinstance(path[1], int):
        actor = scenario.actors[path[1]]
        rest = path[2:]
        words = _words(scenario, actor, rest)
        return f"{actor.name}: " + (
            words or " ".join(str(x) for x in rest if x != "positions").replace("_", " ")
        )
    return format_path(path)


def _words(scenario: Scenario, actor: Any, rest: tuple[str | int, ...]) -> str | None:
    names = {a.id: a.name for a in scenario.actors}
    if len(rest) >= 3 and rest[0] == "positions":
        issue = next((i for i in scenario.issues if i.id == rest[1]), None)
        if issue is None:
            return None
        what = issue.label or issue.id
        tail = rest[2:]
        if tail == ("salience",):
            return f"weight of {what}"
        if tail == ("ideal",):
            return f"what it wants on {what}"
        if tail[0] == "red_line" and len(tail) == 2:
            return f"red line on {what} ({'at least' if tail[1] == 'min' else 'at most'})"
        if tail[0] == "values" and len(tail) == 2:
            from accord.analysis.diagnose import display

            return f"value of '{display(issue, str(tail[1]))}' on {what}"
        return None
    if len(rest) == 2 and rest[0] == "no_deal":
        return {
            "value": "value of no deal",
            "decay": "how fast no deal gets worse",
            "floor": "worst no deal",
        }.get(str(rest[1]))
    if len(rest) == 3 and rest[0] == "levers" and isinstance(rest[1], int) and rest[1] < len(actor.levers):
        lever = actor.levers[rest[1]]
        target = names.get(lever.target, lever.target)
        on = f" on {target}"
        kind = {"pressure": "pressure", "incentive": "incentive", "guarantee": "guarantee"}[lever.kind]
        return f"{'most' if rest[2] == 'max' else 'cost of'} {kind}{on}"
    if rest == ("capability",):
        return "power (capability)"
    return None


def sample_params(
    params: list[UncertainParam], n: int, seed: int | np.random.Generator | None = 0, method: str = "uniform"
) -> FloatArray:
    """Draw ``n`` parameter vectors, shape (n, len(params)).

    ``uniform`` draws each parameter uniformly on its range; ``triangular`` uses the stated value as
    the mode. Parameters are drawn independently.
    """
    rng = np.random.default_rng(seed)
    lo = np.array([p.lo for p in params])
    hi = np.array([p.hi for p in params])
    mode = np.array([p.value for p in params])
    if not params:
        return np.zeros((n, 0))
    if method == "uniform":
        return lo + (hi - lo) * rng.random((n, len(params)))
    if method == "triangular":
        return rng.triangular(lo, np.clip(mode, lo, hi), np.maximum(hi, lo + 1e-300), size=(n, len(params)))
    raise ValueError(f"unknown sampling method '{method}'; use 'uniform' or 'triangular'")


class _Compiled:
    """The parts of a scenario the ZOPA and Nash point depend on, as plain arrays."""

    def __init__(self, space: OutcomeSpace, params: list[UncertainParam]) -> None:
        self.space = space
        sc = space.scenario
        self.parties = [int(p) for p in space.actors.parties]
        P, K = len(self.parties), len(space.issues)
        self.grids = space.grids
        self.sal = np.zeros((P, K))
        self.shape: dict[tuple[int, int], str] = {}
        self.ideal = np.zeros((P, K))
        self.tol = np.zeros((P, K))
        self.table: dict[tuple[int, int], FloatArray] = {}
        self.rl_min = np.full((P, K), -np.inf)
        self.rl_max = np.full((P, K), np.inf)
        self.static_ok: dict[tuple[int, int], NDArray[np.bool_]] = {}
        self.nd = np.zeros((P, 3))  # value, decay, floor
        for pi, a in enumerate(self.parties):
            actor = sc.actors[a]
            for k, issue in enumerate(space.issues):
                pos = actor.positions.get(issue.id)
                if pos is None:
                    continue
                self.sal[pi, k] = pos.salience.value
                shape = position_shape(issue, pos)
                self.shape[(pi, k)] = shape
                if shape == "table":
                    ids = level_ids(issue)
                    vals = pos.values or {}
                    self.table[(pi, k)] = np.array([float(vals[i].value) if i in vals else 0.0 for i in ids])
                else:
                    assert pos.ideal is not None
                    self.ideal[pi, k] = _coord(issue, pos.ideal)
                    self.tol[pi, k] = pos.tolerance.value if pos.tolerance is not None else 0.0
                rl = pos.red_line
                if rl is not None:
                    if rl.min is not None:
                        self.rl_min[pi, k] = _coord(issue, rl.min)
                    if rl.max is not None:
                        self.rl_max[pi, k] = _coord(issue, rl.max)
                    # forbid/allow lists do not carry numbers: fixed across draws
                    bare = rl.model_copy(update={"min": None, "max": None})
                    if bare.forbid is not None or bare.allow is not None:
                        self.static_ok[(pi, k)] = red_line_mask(
                            issue, pos.model_copy(update={"red_line": bare}), self.grids[k]
                        )
            nd = actor.no_deal
            if nd is not None:
                self.nd[pi] = [
                    nd.value.value,
                    nd.decay.value if nd.decay else 0.0,
                    nd.floor.value if nd.floor else 0.0,
                ]
        self.constraint_ok: NDArray[np.bool_] | None = None
        masks = _constraint_masks(sc, self.grids)
        if masks:
            ok = np.ones(space.shape, dtype=bool)
            for m in masks:
                ok = ok & m
            self.constraint_ok = ok
        # where each uncertain parameter goes
        self.bind: list[tuple[str, int, int, int]] = []
        pidx = {a: i for i, a in enumerate(self.parties)}
        for prm in params:
            self.bind.append(self._binding(prm.path, pidx))

    def _binding(self, path: tuple[str | int, ...], pidx: dict[int, int]) -> tuple[str, int, int, int]:
        space = self.space
        if len(path) < 3 or path[0] != "actors" or not isinstance(path[1], int) or path[1] not in pidx:
            return ("none", 0, 0, 0)
        p = pidx[path[1]]
        if path[2] == "no_deal" and len(path) == 4:
            return ("no_deal", p, 0, ["value", "decay", "floor"].index(str(path[3])))
        if path[2] == "positions" and len(path) >= 5:
            k = space.issue_ids.index(str(path[3]))
            field_ = path[4]
            if field_ == "salience":
                return ("salience", p, k, 0)
            if field_ == "ideal":
                return ("ideal", p, k, 0)
            if field_ == "tolerance":
                return ("tolerance", p, k, 0)
            if field_ == "values" and len(path) == 6:
                return ("table", p, k, level_ids(space.issues[k]).index(str(path[5])))
            if field_ == "red_line" and len(path) == 6:
                return ("rl_min" if path[5] == "min" else "rl_max", p, k, 0)
        return ("none", 0, 0, 0)

    def draw(self, values: FloatArray) -> tuple[list[FloatArray], list[NDArray[np.bool_]], FloatArray]:
        """Per issue, the weighted value tables and red-line masks (n_levels, n_parties), and the
        no-deal parameters (n_parties, 3: value, decay, floor), with ``values`` substituted."""
        sal = self.sal.copy()
        ideal = self.ideal.copy()
        tol = self.tol.copy()
        rl_min = self.rl_min.copy()
        rl_max = self.rl_max.copy()
        nd = self.nd.copy()
        tables = {key: t.copy() for key, t in self.table.items()}
        for (kind, p, k, j), v in zip(self.bind, values, strict=True):
            if kind == "salience":
                sal[p, k] = v
            elif kind == "ideal":
                ideal[p, k] = v
            elif kind == "tolerance":
                tol[p, k] = v
            elif kind == "table":
                tables[(p, k)][j] = v
            elif kind == "rl_min":
                rl_min[p, k] = v
            elif kind == "rl_max":
                rl_max[p, k] = v
            elif kind == "no_deal":
                nd[p, j] = v
        P, K = sal.shape
        total = sal.sum(axis=1, keepdims=True)
        w = np.divide(sal, total, out=np.zeros_like(sal), where=total > 0)
        pieces: list[FloatArray] = []
        oks: list[NDArray[np.bool_]] = []
        for k in range(K):
            x = self.grids[k]
            vals = np.zeros((x.size, P))
            ok = np.ones((x.size, P), dtype=bool)
            for p in range(P):
                shape = self.shape.get((p, k))
                if shape is None:
                    continue
                if shape == "table":
                    vals[:, p] = tables[(p, k)]
                else:
                    vals[:, p] = shape_values(x, shape, ideal[p, k], tol[p, k])
                ok[:, p] = (x >= rl_min[p, k] - _EPS) & (x <= rl_max[p, k] + _EPS)
                static = self.static_ok.get((p, k))
                if static is not None:
                    ok[:, p] &= static
            pieces.append(vals * w[:, k][None, :])
            oks.append(ok)
        return pieces, oks, nd

    def evaluate(self, values: FloatArray, ts: tuple[float, ...]) -> tuple[list[bool], int]:
        """ZOPA existence at each clock time in ``ts``, and the Nash outcome (grid flat index) at ts[0]."""
        all_pieces, oks, nd = self.draw(values)
        K = len(all_pieces)
        P = nd.shape[0]
        box: list[NDArray[np.int64]] = []
        pieces: list[FloatArray] = []
        for k in range(K):
            levels = np.flatnonzero(oks[k].all(axis=1))
            if levels.size == 0:
                return [False] * len(ts), -1
            box.append(levels)
            pieces.append(all_pieces[k][levels])
        shape_box = tuple(b.size for b in box)
        U = np.zeros((*shape_box, P))
        for k, piece in enumerate(pieces):
            view = [1] * K + [P]
            view[k] = piece.shape[0]
            U += piece.reshape(view)
        U = U.reshape(-1, P)
        allowed = None
        if self.constraint_ok is not None:
            allowed = self.constraint_ok[np.ix_(*box)].reshape(-1)
        exists = []
        nash = -1
        for i, t in enumerate(ts):
            d = np.maximum(nd[:, 2], nd[:, 0] - nd[:, 1] * t)
            gain = U - d[None, :]
            inside: NDArray[np.bool_] = np.asarray((gain > 1e-12).all(axis=1))
            if allowed is not None:
                inside &= allowed
            exists.append(bool(inside.any()))
            if i == 0 and exists[0]:
                logprod = np.where(inside, np.log(np.where(inside[:, None], gain, 1.0)).sum(axis=1), -np.inf)
                b = int(np.argmax(logprod))
                lv = np.unravel_index(b, shape_box)
                nash = int(
                    np.ravel_multi_index(tuple(int(box[k][lv[k]]) for k in range(K)), self.space.shape)
                )
        return exists, nash


@dataclass
class MonteCarlo:
    """Result of :func:`monte_carlo`."""

    n: int
    seed: int | None
    method: str
    horizon: float
    params: list[UncertainParam]
    samples: FloatArray
    exists_now: NDArray[np.bool_]
    exists_horizon: NDArray[np.bool_]
    nash_index: NDArray[np.int64]
    nash_terms: dict[str, dict[str, Any]]
    first_order: FloatArray
    tornado: list[dict[str, Any]]
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)

    @property
    def p_deal(self) -> float:
        """Share of draws in which a zone of possible agreement exists now."""
        return float(self.exists_now.mean()) if self.n else 0.0

    @property
    def p_deal_horizon(self) -> float:
        """Share of draws in which one exists at the clock's horizon."""
        return float(self.exists_horizon.mean()) if self.n else 0.0

    def ranking(self, top: int = 10) -> list[dict[str, Any]]:
        """Parameters that bear on the deal, by their first-order index for its existence."""
        order = [i for i in np.argsort(-self.first_order, kind="stable") if self.first_order[i] > 0][:top]
        return [{**self.params[i].to_dict(), "first_order": float(self.first_order[i])} for i in order]

    def to_dict(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "seed": self.seed,
            "method": self.method,
            "p_deal_now": self.p_deal,
            "p_deal_horizon": self.p_deal_horizon,
            "horizon": self.horizon,
            "n_uncertain_params": len(self.params),
            "nash_terms": self.nash_terms,
            "sensitivity": self.ranking(len(self.params)),
            "tornado": self.tornado,
            "seconds": self.seconds,
            "notes": list(self.notes),
        }


def first_order_indices(X: FloatArray, y: FloatArray, bins: int = 10) -> FloatArray:
    """First-order variance-based sensitivity index of ``y`` to each column of ``X``, from given data.

    ``S_i = Var(E[y | X_i]) / Var(y)``, with the conditional mean taken over ``bins`` equal-count
    bins of ``X_i`` (the correlation ratio; Plischke, Borgonovo & Smith 2013, eq. 8). Zero when
    ``y`` does not vary. The bin-count bias is about ``bins / n``.
    """
    n, m = X.shape
    out = np.zeros(m)
    var = float(np.var(y))
    if n < 2 * bins or var == 0.0:
        return out
    for i in range(m):
        order = np.argsort(X[:, i], kind="stable")
        groups = np.array_split(y[order], bins)
        means = np.array([g.mean() for g in groups])
        sizes = np.array([g.size for g in groups])
        out[i] = float(np.sum(sizes * (means - y.mean()) ** 2) / n / var)
    return out


def monte_carlo(
    space: OutcomeSpace,
    n: int = 1000,
    seed: int | None = 0,
    *,
    method: str = "uniform",
    horizon: float | None = None,
    params: list[UncertainParam] | None = None,
) -> MonteCarlo:
    """Draw every uncertain parameter ``n`` times; for each draw, is there a deal, and where is Nash?

    Parameters
    ----------
    space : OutcomeSpace
    n : int
        Number of draws.
    seed : int or None
        Seed of the draws (same seed, same result).
    method : {"uniform", "triangular"}
        Distribution of each parameter on its range.
    horizon : float, optional
        Second clock time at which existence is checked (default: the scenario's horizon).
    params : list of UncertainParam, optional
        Which parameters to vary (default: every one with a range).

    Returns
    -------
    MonteCarlo
        Probability of a deal now and at the horizon, the distribution of the Nash terms over the
        draws with a deal, first-order sensitivity indices and a tornado table.
    """
    import time

    t0 = time.perf_counter()
    if n < 1:
        raise ValueError("n must be at least 1")
    params = uncertain_params(space.scenario) if params is None else params
    h = float(space.scenario.clock.horizon if horizon is None else horizon)
    X = sample_params(params, n, seed, method)
    comp = _Compiled(space, params)
    exists_now = np.zeros(n, dtype=bool)
    exists_h = np.zeros(n, dtype=bool)
    nash = np.full(n, -1, dtype=np.int64)
    for s in range(n):
        ex, nb = comp.evaluate(X[s], (0.0, h))
        exists_now[s], exists_h[s] = ex
        nash[s] = nb
    terms = terms_distribution(space, nash)
    y = exists_now.astype(np.float64)
    s1 = first_order_indices(X, y)
    relevant = [b[0] != "none" for b in comp.bind]
    s1[~np.array(relevant, dtype=bool)] = 0.0
    tornado = []
    if n >= 10:
        for i, prm in enumerate(params):
            if not relevant[i]:
                continue
            q_lo, q_hi = np.quantile(X[:, i], [0.2, 0.8])
            low = y[X[:, i] <= q_lo]
            high = y[X[:, i] >= q_hi]
            tornado.append(
                {
                    **prm.to_dict(),
                    "p_deal_low": float(low.mean()) if low.size else None,
                    "p_deal_high": float(high.mean()) if high.size else None,
                }
            )
        tornado.sort(key=lambda r: -abs((r["p_deal_high"] or 0) - (r["p_deal_low"] or 0)))
    notes = []
    if not params:
        notes.append("no parameter carries a range: every draw is the same scenario")
    ignored = [p.label for p, b in zip(params, comp.bind, strict=True) if b[0] == "none"]
    if ignored:
        notes.append(
            f"{len(ignored)} uncertain parameters do not affect the parties' deal (e.g. capabilities, mediators' levers)"
        )
    return MonteCarlo(
        n=n,
        seed=seed,
        method=method,
        horizon=h,
        params=params,
        samples=X,
        exists_now=exists_now,
        exists_horizon=exists_h,
        nash_index=nash,
        nash_terms=terms,
        first_order=s1,
        tornado=tornado,
        seconds=time.perf_counter() - t0,
        notes=notes,
    )


def terms_distribution(space: OutcomeSpace, grid_index: NDArray[np.int64]) -> dict[str, dict[str, Any]]:
    """Distribution of deal terms over a set of outcomes given by flat grid index (-1 = none).

    Numeric issues: mean, 5th percentile, median and 95th percentile (on the grid); ordinal and
    categorical issues: the share of each level.
    """
    found = grid_index[grid_index >= 0]
    out: dict[str, dict[str, Any]] = {}
    if found.size == 0:
        return out
    lv = np.stack(np.unravel_index(found, space.shape), axis=1)
    for k, issue in enumerate(space.issues):
        if isinstance(issue, NumericIssue):
            x = space.grids[k][lv[:, k]]
            q5, q50, q95 = np.quantile(x, [0.05, 0.5, 0.95], method="inverted_cdf")
            out[issue.id] = {
                "mean": float(x.mean()),
                "p5": float(q5),
                "median": float(q50),
                "p95": float(q95),
            }
        else:
            ids = level_ids(issue)
            counts = np.bincount(lv[:, k], minlength=len(ids))
            out[issue.id] = {"shares": {ids[i]: float(c / found.size) for i, c in enumerate(counts)}}
    return out


__all__ = [
    "MonteCarlo",
    "UncertainParam",
    "first_order_indices",
    "monte_carlo",
    "sample_params",
    "terms_distribution",
    "uncertain_params",
]
