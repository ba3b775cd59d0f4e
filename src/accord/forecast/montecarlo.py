"""Monte Carlo over uncertain inputs: how robust is a forecast to the numbers fed in?

Capabilities, positions and saliences of real negotiations are estimates; scenario files
give them a ``range``. :func:`monte_carlo` draws every uncertain number independently and
uniformly from its range (seeded), runs a forecasting model on each draw and summarises
the distribution of forecasts per dimension.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from accord.errors import ConfigurationError, Location, ModelError
from accord.forecast.problem import SpatialProblem
from accord.forecast.result import jsonable

__all__ = ["MonteCarloResult", "monte_carlo"]


@dataclass(frozen=True)
class MonteCarloResult:
    """Distribution of a model's forecasts over sampled inputs.

    Attributes
    ----------
    model : str
    dimensions : tuple of str
    samples : numpy.ndarray, shape (n_samples, n_dims)
        The forecast of every draw (0-100 scale).
    seed : int or None
    """

    model: str
    dimensions: tuple[str, ...]
    samples: NDArray[np.float64]
    seed: int | None = None
    options: dict[str, Any] = field(default_factory=dict)

    def summary(self) -> dict[str, dict[str, float]]:
        """Per dimension: mean, standard deviation and the 5th, 50th and 95th percentiles."""
        q = np.percentile(self.samples, [5, 50, 95], axis=0)
        return {
            d: {
                "mean": float(self.samples[:, k].mean()),
                "std": float(self.samples[:, k].std(ddof=1)) if len(self.samples) > 1 else 0.0,
                "p05": float(q[0, k]),
                "p50": float(q[1, k]),
                "p95": float(q[2, k]),
            }
            for k, d in enumerate(self.dimensions)
        }

    def to_dict(self) -> dict[str, Any]:
        """JSON-serialisable form (summary plus every sample)."""
        return {
            "model": self.model,
            "seed": self.seed,
            "n_samples": int(self.samples.shape[0]),
            "summary": self.summary(),
            "samples": jsonable(self.samples),
            "options": jsonable(self.options),
        }


def _range(
    name: str, value: tuple[ArrayLike, ArrayLike] | None, base: NDArray[np.float64],
    lo_ok: float, hi_ok: float, source: str | None,
) -> tuple[NDArray[np.float64], NDArray[np.float64]] | None:  # fmt: skip
    if value is None:
        return None
    try:
        lo = np.broadcast_to(np.asarray(value[0], dtype=np.float64), base.shape).copy()
        hi = np.broadcast_to(np.asarray(value[1], dtype=np.float64), base.shape).copy()
    except (ValueError, TypeError, IndexError):
        raise ModelError(
            f"range must be a pair (low, high) of arrays broadcastable to {base.shape}",
            Location(file=source, path=f"{name}_range"),
        ) from None
    bad = np.argwhere((lo > hi) | (lo < lo_ok) | (hi > hi_ok) | ~np.isfinite(lo + hi))
    if bad.size:
        idx = tuple(int(v) for v in bad[0])
        raise ModelError(
            f"range [{lo[idx]:g}, {hi[idx]:g}] is invalid; need low <= high within [{lo_ok:g}, {hi_ok:g}]",
            Location(file=source, path=f"{name}_range{list(idx)}"),
        )
    return lo, hi


def monte_carlo(
    problem: SpatialProblem,
    model: str = "compromise",
    n_samples: int = 200,
    seed: int | np.random.Generator | None = 0,
    capability_range: tuple[ArrayLike, ArrayLike] | None = None,
    position_range: tuple[ArrayLike, ArrayLike] | None = None,
    salience_range: tuple[ArrayLike, ArrayLike] | None = None,
    **options: Any,
) -> MonteCarloResult:
    """Forecast ``problem`` ``n_samples`` times with inputs drawn from their ranges.

    Parameters
    ----------
    problem : SpatialProblem
        Point estimates; numbers without a range keep these values.
    model : str
        Any model of :data:`accord.forecast.MODELS`.
    n_samples : int
    seed : int, numpy.random.Generator or None
        Same seed, same samples.
    capability_range, position_range, salience_range : pair of array_like, optional
        ``(low, high)`` broadcastable to the shape of the input (capability (n,),
        position and salience (n, m)). Positions on 0-100, saliences in [0, 1]. A drawn
        salience row summing to more than 1 is scaled down to sum to 1.
    **options
        Passed to the model.

    Returns
    -------
    MonteCarloResult
    """
    from accord.forecast import MODELS, run

    if model not in MODELS:
        run(problem, model)  # raises the registry's ConfigurationError
    if n_samples < 1:
        raise ConfigurationError(f"n_samples must be >= 1, got {n_samples}")
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    src = problem.source
    cr = _range("capability", capability_range, problem.capability, 0.0, np.inf, src)
    pr = _range("position", position_range, problem.position, 0.0, 100.0, src)
    sr = _range("salience", salience_range, problem.salience, 0.0, 1.0, src)
    out = np.empty((n_samples, problem.n_dims))
    for k in range(n_samples):
        cap = rng.uniform(*cr) if cr else problem.capability
        pos = rng.uniform(*pr) if pr else problem.position
        sal = problem.salience
        if sr:
            sal = rng.uniform(*sr)
            tot = sal.sum(axis=1, keepdims=True)
            sal = np.where(tot > 1.0, sal / np.where(tot > 1.0, tot, 1.0), sal)
        draw = SpatialProblem(problem.actors, problem.dimensions, cap, pos, sal, problem.status_quo, src)
        res = run(draw, model, **options)
        out[k] = [res.forecast[d] for d in problem.dimensions]
    return MonteCarloResult(
        model=model,
        dimensions=problem.dimensions,
        samples=out,
        seed=seed if isinstance(seed, int) else None,
        options=dict(options),
    )
