"""The outcome space of a scenario and its vectorized utility matrix.

An *outcome* is one level on every issue. The outcomes of a scenario are the Cartesian product of
the issue grids, less the combinations that its linkage constraints rule out. Outcomes are numbered
in row-major (C) order of the issue grids, so outcome ``i`` has level ``np.unravel_index(i, shape)``.

Utilities are additive over issues (multi-attribute value theory; Keeney & Raiffa 1976, ch. 3;
Raiffa 1982, *The Art and Science of Negotiation*, ch. 10)::

    U[o, a] = sum_i  w[a, i] * v[a, i](o_i),   w[a, i] = salience[a, i] / sum_j salience[a, j]

with each one-issue value ``v`` in [0, 1] given by the actor's utility shape. The matrix is built by
broadcasting one small per-issue table per issue (``k`` passes over the output, no per-outcome Python
loop) and can be produced in chunks for spaces that would not fit in memory.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from accord.errors import Location, ScenarioError, did_you_mean, one_of
from accord.scenario.checks import level_ids
from accord.scenario.schema import (
    CategoricalIssue,
    Condition,
    ForbidConstraint,
    ImpliesConstraint,
    LinearConstraint,
    NumericIssue,
    OrdinalIssue,
    Param,
    Position,
    Scenario,
)

AnyIssue = NumericIssue | OrdinalIssue | CategoricalIssue
FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]
IntArray = NDArray[np.int64]

#: Largest number of outcomes (before constraints) an OutcomeSpace accepts.
MAX_OUTCOMES = 50_000_000
_EPS = 1e-9


def issue_grid(issue: AnyIssue) -> FloatArray:
    """Numeric coordinates of an issue's levels: values for numeric issues, 0..k-1 otherwise."""
    if isinstance(issue, NumericIssue):
        n = round((issue.max - issue.min) / issue.step) + 1
        return np.round(issue.min + issue.step * np.arange(n), 10)
    return np.arange(len(level_ids(issue)), dtype=np.float64)


def _coord(issue: AnyIssue, value: Param | str) -> float:
    """Coordinate of a position / red-line value on an issue's axis."""
    if isinstance(value, Param):
        return float(value.value)
    return float(level_ids(issue).index(value))


def value_function(issue: AnyIssue, pos: Position, grid: FloatArray | None = None) -> FloatArray:
    """Utility in [0, 1] of each level of ``issue`` for an actor with position ``pos``.

    Parameters
    ----------
    issue : NumericIssue, OrdinalIssue or CategoricalIssue
    pos : Position
        The actor's ideal, shape and tolerance (see :class:`~accord.scenario.schema.Position`).
    grid : ndarray, optional
        Coordinates of the levels (default: :func:`issue_grid`).

    Returns
    -------
    ndarray of float64, shape (n_levels,)
    """
    x = issue_grid(issue) if grid is None else grid
    shape = position_shape(issue, pos)
    if shape == "table":
        ids = level_ids(issue)
        table = pos.values or {}
        return np.array([float(table[i].value) if i in table else 0.0 for i in ids])
    assert pos.ideal is not None
    tol = float(pos.tolerance.value) if pos.tolerance is not None else 0.0
    return shape_values(x, shape, _coord(issue, pos.ideal), tol)


def position_shape(issue: AnyIssue, pos: Position) -> str:
    """The utility shape in force: the given one, else table / step (categorical) / linear."""
    if pos.shape is not None:
        return pos.shape
    if pos.values is not None:
        return "table"
    return "step" if isinstance(issue, CategoricalIssue) else "linear"


def shape_values(x: FloatArray, shape: str, ideal: float, tol: float) -> FloatArray:
    """Values 0..1 at coordinates ``x`` of a linear, peaked or step shape around ``ideal``.

    ``linear``: ``1 - d / span`` with ``span`` the distance from ``ideal`` to the far end of ``x``;
    ``peaked``: ``2 ** -((d / tol) ** 2)``; ``step``: ``1`` if ``d <= tol`` else ``0``.
    """
    d = np.abs(x - ideal)
    if shape == "linear":
        span = max(ideal - x[0], x[-1] - ideal)
        return np.clip(1.0 - d / span, 0.0, 1.0) if span > 0 else np.ones_like(x)
    if shape == "peaked":
        return np.exp2(-((d / tol) ** 2))
    return (d <= tol + _EPS).astype(np.float64)


def red_line_mask(issue: AnyIssue, pos: Position | None, grid: FloatArray | None = None) -> BoolArray:
    """Which levels of ``issue`` the actor accepts (all, if it has no red line there)."""
    x = issue_grid(issue) if grid is None else grid
    ok = np.ones(x.shape, dtype=bool)
    if pos is None or pos.red_line is None:
        return ok
    rl = pos.red_line
    if rl.min is not None:
        ok &= x >= _coord(issue, rl.min) - _EPS
    if rl.max is not None:
        ok &= x <= _coord(issue, rl.max) + _EPS
    ids = level_ids(issue)
    if rl.forbid:
        ok &= ~np.isin(np.array(ids, dtype=object), rl.forbid)
    if rl.allow is not None:
        ok &= np.isin(np.array(ids, dtype=object), rl.allow)
    return ok


def _condition_mask(issue: AnyIssue, grid: FloatArray, cond: Any) -> BoolArray:
    """Levels of one issue that meet one condition value (see ForbidConstraint)."""
    if isinstance(issue, NumericIssue):
        if isinstance(cond, dict):
            ok = np.ones(grid.shape, dtype=bool)
            if "min" in cond:
                ok &= grid >= float(cond["min"]) - _EPS
            if "max" in cond:
                ok &= grid <= float(cond["max"]) + _EPS
            return ok
        items = cond if isinstance(cond, list) else [cond]
        return np.any(np.abs(grid[:, None] - np.array(items, dtype=float)[None, :]) <= _EPS, axis=1)
    ids = level_ids(issue)
    if isinstance(cond, dict):
        lo = ids.index(cond["min"]) if "min" in cond else 0
        hi = ids.index(cond["max"]) if "max" in cond else len(ids) - 1
        return (grid >= lo) & (grid <= hi)
    items = cond if isinstance(cond, list) else [cond]
    return np.isin(np.array(ids, dtype=object), items)


def _constraint_masks(scenario: Scenario, grids: Sequence[FloatArray]) -> list[BoolArray]:
    """One boolean array per constraint, broadcastable to the full grid shape (True = allowed)."""
    pos = {iss.id: k for k, iss in enumerate(scenario.issues)}
    ndim = len(grids)

    def axis(k: int, arr: NDArray[Any]) -> NDArray[Any]:
        shape = [1] * ndim
        shape[k] = arr.shape[0]
        return arr.reshape(shape)

    def conj(cond: Condition) -> BoolArray:
        out: BoolArray = np.ones([1] * ndim, dtype=bool)
        for iid, value in cond.items():
            k = pos[iid]
            out = out & axis(k, _condition_mask(scenario.issues[k], grids[k], value))
        return out

    masks: list[BoolArray] = []
    for c in scenario.constraints:
        if isinstance(c, LinearConstraint):
            total: FloatArray = np.zeros([1] * ndim)
            for iid, coef in c.terms.items():
                total = total + coef * axis(pos[iid], grids[pos[iid]])
            tol = 1e-9 * max(1.0, abs(c.rhs))
            if c.op == "<=":
                masks.append(total <= c.rhs + tol)
            elif c.op == ">=":
                masks.append(total >= c.rhs - tol)
            else:
                masks.append(np.abs(total - c.rhs) <= tol)
        elif isinstance(c, ForbidConstraint):
            masks.append(~conj(c.when))
        elif isinstance(c, ImpliesConstraint):
            masks.append(~conj(c.if_) | conj(c.then))
    return masks


def constraint_conflict(scenario: Scenario, limit: int = 20_000_000) -> int | None:
    """Index of the first constraint that leaves no outcome at all (None if some outcome survives).

    Works on the product of the issues the constraints mention only, so it is cheap even when the
    whole space is large. Returns None without deciding if even that product exceeds ``limit``.
    """
    grids = [issue_grid(i) for i in scenario.issues]
    involved: set[str] = set()
    for c in scenario.constraints:
        if isinstance(c, LinearConstraint):
            involved |= set(c.terms)
        elif isinstance(c, ForbidConstraint):
            involved |= set(c.when)
        elif isinstance(c, ImpliesConstraint):
            involved |= set(c.if_) | set(c.then)
    reduced = [g if iss.id in involved else g[:1] for iss, g in zip(scenario.issues, grids, strict=True)]
    if math.prod(len(g) for g in reduced) > limit:
        return None
    alive: BoolArray = np.ones(tuple(len(g) for g in reduced), dtype=bool)
    for k, mask in enumerate(_constraint_masks(scenario, reduced)):
        alive = alive & mask
        if not alive.any():
            return k
    return None


@dataclass(frozen=True)
class Actors:
    """Actor ids, names and roles in column order of the utility matrix."""

    ids: tuple[str, ...]
    names: tuple[str, ...]
    roles: tuple[str, ...]

    @property
    def parties(self) -> IntArray:
        """Column indices of the parties."""
        return np.array([i for i, r in enumerate(self.roles) if r == "party"], dtype=np.int64)

    def index(self, actor_id: str) -> int:
        """Column of an actor id."""
        try:
            return self.ids.index(actor_id)
        except ValueError:
            raise ScenarioError(
                f"unknown actor '{actor_id}'{did_you_mean(actor_id, self.ids)}; valid: {one_of(self.ids)}"
            ) from None


class OutcomeSpace:
    """All outcomes of a scenario, their encoding, utilities and red-line masks.

    Parameters
    ----------
    scenario : Scenario
        A validated scenario.

    Attributes
    ----------
    grids : list of ndarray
        Coordinates of each issue's levels (values for numeric issues, 0..k-1 otherwise).
    shape : tuple of int
        Number of levels per issue.
    index : ndarray of int64
        Flat (row-major) grid index of each outcome that satisfies the constraints.
    actors : Actors
        Column order of the utility matrix.

    Examples
    --------
    >>> import accord
    >>> space = accord.OutcomeSpace(accord.load("textbook-two-party"))
    >>> U = space.utilities()
    >>> U.shape == (space.n_outcomes, len(space.actors.ids))
    True
    """

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.issues: list[AnyIssue] = list(scenario.issues)
        self.grids: list[FloatArray] = [issue_grid(i) for i in self.issues]
        self.shape: tuple[int, ...] = tuple(len(g) for g in self.grids)
        self.n_grid = math.prod(self.shape)
        if self.n_grid > MAX_OUTCOMES:
            raise ScenarioError(
                f"the issue grids span {self.n_grid:,} outcomes; at most {MAX_OUTCOMES:,} "
                "(use larger steps or fewer levels)",
                Location(path="issues"),
            )
        self.actors = Actors(
            tuple(a.id for a in scenario.actors),
            tuple(a.name for a in scenario.actors),
            tuple(a.role for a in scenario.actors),
        )
        masks = _constraint_masks(scenario, self.grids)
        if masks:
            allowed: BoolArray = np.ones(self.shape, dtype=bool)
            for m in masks:
                allowed = allowed & m
            self.index: IntArray = np.flatnonzero(allowed.ravel()).astype(np.int64)
            self._all = False
        else:
            self.index = np.arange(self.n_grid, dtype=np.int64)
            self._all = True
        if self.index.size == 0:
            raise ScenarioError(
                "the constraints leave no outcome; loosen or remove one", Location(path="constraints")
            )
        self._weights, self._tables, self._allowed = self._build_tables()

    # ------------------------------------------------------------------ structure
    @property
    def n_outcomes(self) -> int:
        """Number of outcomes (after constraints)."""
        return int(self.index.size)

    @property
    def issue_ids(self) -> list[str]:
        """Issue ids in column order of :meth:`levels`."""
        return [i.id for i in self.issues]

    def __len__(self) -> int:
        return self.n_outcomes

    def __repr__(self) -> str:
        dims = " x ".join(f"{i.id}:{n}" for i, n in zip(self.issues, self.shape, strict=True))
        return f"OutcomeSpace({self.n_outcomes:,} outcomes; {dims}; {len(self.actors.ids)} actors)"

    def levels(self, outcomes: IntArray | None = None) -> IntArray:
        """Level index per issue of each outcome, shape (n, n_issues)."""
        flat = self.index if outcomes is None else self.index[np.asarray(outcomes, dtype=np.int64)]
        return np.stack(np.unravel_index(flat, self.shape), axis=1).astype(np.int64)

    def decode(self, outcome: int) -> dict[str, float | str]:
        """Terms of one outcome: issue id -> value (numeric) or level id."""
        lv = self.levels(np.array([outcome]))[0]
        out: dict[str, float | str] = {}
        for issue, grid, k in zip(self.issues, self.grids, lv, strict=True):
            out[issue.id] = float(grid[k]) if isinstance(issue, NumericIssue) else level_ids(issue)[k]
        return out

    def encode(self, terms: dict[str, float | str]) -> int:
        """Outcome number of the given terms (every issue must be given)."""
        ks = []
        for issue, grid in zip(self.issues, self.grids, strict=True):
            if issue.id not in terms:
                raise ScenarioError(f"missing a value for issue '{issue.id}'", Location(path=issue.id))
            v = terms[issue.id]
            if isinstance(issue, NumericIssue):
                hits = np.flatnonzero(np.abs(grid - float(v)) <= 1e-6 * max(1.0, abs(float(v))))
                if hits.size == 0:
                    raise ScenarioError(
                        f"{v} is not on the grid of '{issue.id}' ({issue.min:g}..{issue.max:g} step {issue.step:g})",
                        Location(path=issue.id),
                    )
                ks.append(int(hits[0]))
            else:
                ids = level_ids(issue)
                if v not in ids:
                    raise ScenarioError(
                        f"unknown level '{v}'{did_you_mean(str(v), ids)}; valid: {one_of(ids)}",
                        Location(path=issue.id),
                    )
                ks.append(ids.index(str(v)))
        flat = int(np.ravel_multi_index(tuple(ks), self.shape))
        pos = int(np.searchsorted(self.index, flat))
        if pos >= self.index.size or self.index[pos] != flat:
            raise ScenarioError("these terms break a linkage constraint", Location(path="constraints"))
        return pos

    # ------------------------------------------------------------------ utilities
    def _build_tables(self) -> tuple[FloatArray, list[FloatArray], list[BoolArray]]:
        n_act = len(self.actors.ids)
        sal = np.zeros((n_act, len(self.issues)))
        raw: list[FloatArray] = []
        allowed: list[BoolArray] = []
        for k, (issue, grid) in enumerate(zip(self.issues, self.grids, strict=True)):
            table = np.zeros((grid.size, n_act))
            ok = np.ones((grid.size, n_act), dtype=bool)
            for a, actor in enumerate(self.scenario.actors):
                pos = actor.positions.get(issue.id)
                if pos is None:
                    continue
                sal[a, k] = pos.salience.value
                table[:, a] = value_function(issue, pos, grid)
                ok[:, a] = red_line_mask(issue, pos, grid)
            raw.append(table)
            allowed.append(ok)
        total = sal.sum(axis=1, keepdims=True)
        weights = np.divide(sal, total, out=np.zeros_like(sal), where=total > 0)
        return weights, raw, allowed

    @property
    def weights(self) -> FloatArray:
        """Normalised saliences, shape (n_actors, n_issues); each actor's row sums to 1 (or 0)."""
        return self._weights.copy()

    def value_tables(self) -> list[FloatArray]:
        """Per issue, the value 0..1 of each level to each actor: arrays (n_levels, n_actors)."""
        return [t.copy() for t in self._tables]

    def allowed_tables(self) -> list[BoolArray]:
        """Per issue, which levels each actor's red lines allow: arrays (n_levels, n_actors)."""
        return [t.copy() for t in self._allowed]

    def weighted_tables(
        self, weights: FloatArray | None = None, tables: Sequence[FloatArray] | None = None
    ) -> list[FloatArray]:
        """Per issue ``w[a, i] * v[a, i](level)``: the additive pieces of the utility matrix."""
        w = self._weights if weights is None else weights
        tabs = self._tables if tables is None else tables
        return [t * w[:, k][None, :] for k, t in enumerate(tabs)]

    def utilities(
        self,
        outcomes: IntArray | None = None,
        *,
        weights: FloatArray | None = None,
        tables: Sequence[FloatArray] | None = None,
    ) -> FloatArray:
        """Utility matrix ``U`` of shape (n, n_actors), float64 in [0, 1].

        Parameters
        ----------
        outcomes : ndarray of int, optional
            Outcome numbers (default: all outcomes).
        weights, tables : optional
            Replacement saliences (n_actors, n_issues) or value tables (for sensitivity analysis).
        """
        pieces = self.weighted_tables(weights, tables)
        if outcomes is None and self._all:
            return _broadcast_sum(pieces, self.shape)
        if outcomes is None and self.n_grid <= 4 * self.n_outcomes:
            # Dense enough: broadcasting over the grid and dropping excluded rows beats gathering.
            return _broadcast_sum(pieces, self.shape)[self.index]
        lv = self.levels(outcomes)
        out = np.zeros((lv.shape[0], len(self.actors.ids)))
        for k, piece in enumerate(pieces):
            out += piece[lv[:, k]]
        return out

    def iter_utilities(self, chunk_size: int = 1_000_000) -> Iterator[tuple[IntArray, FloatArray]]:
        """Yield ``(outcome numbers, U rows)`` in chunks, for spaces too large for memory."""
        for start in range(0, self.n_outcomes, chunk_size):
            idx = np.arange(start, min(start + chunk_size, self.n_outcomes), dtype=np.int64)
            yield idx, self.utilities(idx)

    def acceptable(self, outcomes: IntArray | None = None) -> BoolArray:
        """Red-line mask, shape (n, n_actors): True where the outcome crosses none of the actor's red lines."""
        if outcomes is None and self._all:
            out: BoolArray = np.ones((*self.shape, len(self.actors.ids)), dtype=bool)
            ndim = len(self.shape)
            for k, t in enumerate(self._allowed):
                shape = [1] * ndim + [t.shape[1]]
                shape[k] = t.shape[0]
                out &= t.reshape(shape)
            return out.reshape(self.n_grid, -1)
        lv = self.levels(outcomes)
        res: BoolArray = np.ones((lv.shape[0], len(self.actors.ids)), dtype=bool)
        for k, t in enumerate(self._allowed):
            res &= t[lv[:, k]]
        return res

    def no_deal(self, t: float = 0.0) -> FloatArray:
        """Each actor's no-deal value after ``t`` clock units: ``max(floor, value - decay * t)``."""
        out = np.zeros(len(self.actors.ids))
        for a, actor in enumerate(self.scenario.actors):
            nd = actor.no_deal
            if nd is None:
                continue
            v = nd.value.value - (nd.decay.value if nd.decay is not None else 0.0) * t
            floor = nd.floor.value if nd.floor is not None else 0.0
            out[a] = max(floor, v)
        return out


def _broadcast_sum(pieces: Sequence[FloatArray], shape: tuple[int, ...]) -> FloatArray:
    """Sum per-issue tables over the full grid by broadcasting: k passes, no Python loop per outcome."""
    n_act = pieces[0].shape[1]
    ndim = len(shape)
    out = np.zeros((*shape, n_act))
    for k, piece in enumerate(pieces):
        view = [1] * ndim + [n_act]
        view[k] = piece.shape[0]
        out += piece.reshape(view)
    return out.reshape(-1, n_act)
