"""Small negotiation problems shared by the protocol tests."""

from __future__ import annotations

import numpy as np
import pytest

from accord.protocols.problem import NegotiationProblem


def pie(n: int = 101, discount: tuple[float, float] | None = None) -> NegotiationProblem:
    """Divide a unit pie on an n-point grid: party 0 gets x, party 1 gets 1 - x."""
    x = np.linspace(0.0, 1.0, n)
    return NegotiationProblem(U=np.c_[x, 1 - x], no_deal=[0.0, 0.0], discount=discount)


def two_issues(k: int = 11) -> NegotiationProblem:
    """Symmetric two-issue problem: each party cares concavely about one issue."""
    a, b = (g.ravel() for g in np.meshgrid(np.arange(k), np.arange(k), indexing="ij"))
    s = k - 1
    U = np.c_[0.5 * np.sqrt(a / s) + 0.5 * (1 - b / s), 0.5 * (1 - a / s) + 0.5 * np.sqrt(b / s)]
    return NegotiationProblem(
        U=U,
        no_deal=[0.1, 0.1],
        levels=np.c_[a, b],
        party_names=("north", "south"),
        decode=lambda o: {"a": int(a[o]), "b": int(b[o])},
    )


def random_problem(seed: int, n_outcomes: int = 60, n_parties: int = 2) -> NegotiationProblem:
    """Random utilities, red lines, a decaying no-deal value and discounting."""
    rng = np.random.default_rng(seed)
    U = rng.random((n_outcomes, n_parties))
    acc = rng.random((n_outcomes, n_parties)) > 0.15
    base = rng.random(n_parties) * 0.4
    decay = rng.random(n_parties) * 0.01

    def nd(k: int) -> np.ndarray:
        return np.maximum(0.0, base - decay * k)

    return NegotiationProblem(
        U=U,
        no_deal=nd,
        acceptable=acc,
        discount=1 - rng.random(n_parties) * 0.02,
    )


@pytest.fixture
def linear_pie() -> NegotiationProblem:
    return pie()
