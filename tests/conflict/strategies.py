"""Hypothesis strategies: small random graph models in option form."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from accord.conflict.model import ConflictModel, build_model


@st.composite
def random_models(
    draw: st.DrawFn, max_dms: int = 4, max_options: int = 6, max_per_dm: int = 2
) -> ConflictModel:
    """A random model: 2..max_dms DMs with 1..max_per_dm options, random infeasibility,
    irreversibility, ties."""
    n_dm = draw(st.integers(2, max_dms))
    sizes = [draw(st.integers(1, max_per_dm)) for _ in range(n_dm)]
    while sum(sizes) > max_options:
        sizes[sizes.index(max(sizes))] -= 1
    dms = [(f"D{i}", [f"o{i}{j}" for j in range(k)]) for i, k in enumerate(sizes)]
    n = sum(sizes)
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    infeasible = rng.random(2**n) < draw(st.sampled_from([0.0, 0.2, 0.4]))
    infeasible[rng.integers(2**n)] = False
    forbid = rng.integers(0, 4, n) * (rng.random(n) < draw(st.sampled_from([0.0, 0.3])))
    m = int((~infeasible).sum())
    n_levels = draw(st.integers(1, max(1, m)))
    levels = rng.integers(0, n_levels, (n_dm, m))
    return build_model("random", dms, infeasible=infeasible, forbid=forbid.tolist(), levels=levels)
