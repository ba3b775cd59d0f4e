"""Monte Carlo over input ranges: seeded, bounded, and exact when ranges are points."""

from __future__ import annotations

import numpy as np
import pytest

from accord.errors import ConfigurationError, ModelError
from accord.forecast import SpatialProblem, run
from accord.forecast.montecarlo import monte_carlo

PR = SpatialProblem(
    ["a", "b", "c"],
    ["x", "y"],
    [1.0, 2.0, 1.0],
    [[0.0, 10.0], [50.0, 20.0], [100.0, 90.0]],
    [[0.5, 0.5], [0.5, 0.5], [0.4, 0.6]],
)


def test_point_ranges_reproduce_the_point_forecast() -> None:
    mc = monte_carlo(PR, "compromise", n_samples=5, position_range=(PR.position, PR.position))
    point = run(PR, "compromise").forecast
    np.testing.assert_allclose(mc.samples, [[point["x"], point["y"]]] * 5)
    assert mc.summary()["x"]["std"] == 0.0


def test_seeded_and_bounded() -> None:
    kw = dict(
        n_samples=50,
        capability_range=(0.5, 3.0),
        position_range=(np.clip(PR.position - 5, 0, 100), np.clip(PR.position + 5, 0, 100)),
    )
    a = monte_carlo(PR, "compromise", seed=3, **kw)  # type: ignore[arg-type]
    b = monte_carlo(PR, "compromise", seed=3, **kw)  # type: ignore[arg-type]
    c = monte_carlo(PR, "compromise", seed=4, **kw)  # type: ignore[arg-type]
    assert np.array_equal(a.samples, b.samples) and not np.array_equal(a.samples, c.samples)
    # the compromise is a weighted mean, so it stays within the sampled positions' hull
    assert a.samples[:, 0].min() >= 0 and a.samples[:, 0].max() <= 100
    s = a.summary()["x"]
    assert s["p05"] <= s["p50"] <= s["p95"] and s["std"] > 0
    d = a.to_dict()
    assert d["n_samples"] == 50 and len(d["samples"]) == 50


def test_smp_with_salience_ranges_rescales_rows() -> None:
    mc = monte_carlo(PR, "smp", n_samples=3, seed=1, salience_range=(0.4, 0.9))
    assert mc.samples.shape == (3, 2) and np.all((mc.samples >= 0) & (mc.samples <= 100))


def test_bad_ranges_and_model() -> None:
    with pytest.raises(ModelError, match=r"position_range\[0, 0\]"):
        monte_carlo(PR, position_range=(PR.position + 10, PR.position))
    with pytest.raises(ModelError, match="salience_range"):
        monte_carlo(PR, salience_range=(0.0, 1.5))
    with pytest.raises(ConfigurationError, match="unknown forecast model"):
        monte_carlo(PR, "nope")
    with pytest.raises(ConfigurationError, match="n_samples"):
        monte_carlo(PR, n_samples=0)
