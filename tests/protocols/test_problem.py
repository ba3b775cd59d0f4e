"""NegotiationProblem validation and conversion."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from accord.errors import ConfigurationError
from accord.protocols.problem import NegotiationProblem


def test_defaults_and_accessors() -> None:
    p = NegotiationProblem(U=[[1.0, 0.0], [0.0, 1.0]], no_deal=[0.1, 0.2], discount=[0.5, 1.0])
    assert p.n_outcomes == 2 and p.n_parties == 2
    assert p.party_names == ("P0", "P1")
    assert p.no_deal_at(7).tolist() == [0.1, 0.2]
    assert p.utilities_at(0, 2).tolist() == [0.25, 0.0]
    assert p.acceptable_for(1).all()
    assert p.terms(0) is None


def test_decaying_no_deal_is_a_function_of_the_round() -> None:
    p = NegotiationProblem(U=np.eye(2), no_deal=lambda k: np.array([1.0 - 0.1 * k, 0.5]))
    assert p.no_deal_at(3).tolist() == pytest.approx([0.7, 0.5])


@pytest.mark.parametrize(
    ("kwargs", "word"),
    [
        ({"U": np.ones(3), "no_deal": [0, 0]}, "2-D"),
        ({"U": np.ones((3, 2)), "no_deal": [0, 0, 0]}, "no_deal"),
        ({"U": [[np.nan, 0.0]], "no_deal": [0, 0]}, "NaN"),
        ({"U": np.ones((3, 2)), "no_deal": [0, 0], "discount": [0.0, 1.0]}, "discount"),
        ({"U": np.ones((3, 2)), "no_deal": [0, 0], "acceptable": np.ones((2, 2))}, "acceptable"),
        ({"U": np.ones((3, 2)), "no_deal": [0, 0], "party_names": ("a",)}, "party_names"),
    ],
)
def test_bad_problems_raise_one_line_errors(kwargs: dict, word: str) -> None:
    with pytest.raises(ConfigurationError) as err:
        NegotiationProblem(**kwargs)
    assert word in str(err.value) and "\n" not in str(err.value)


def test_from_space_uses_the_outcome_space_interface() -> None:
    U = np.array([[0.9, 0.1, 0.5], [0.2, 0.8, 0.5]])
    space = SimpleNamespace(
        utilities=lambda: U,
        acceptable=lambda: np.array([[True, True, True], [True, False, True]]),
        no_deal=lambda t: np.array([0.1 * t, 0.2, 0.3]),
        decode=lambda o: {"withdrawal": ["full", "partial"][o]},
        levels=lambda: np.array([[0], [1]]),
        actors=SimpleNamespace(names=("Israel", "Hamas", "Qatar"), parties=np.array([0, 1])),
    )
    p = NegotiationProblem.from_space(space, clock_per_round=0.5)
    assert p.party_names == ("Israel", "Hamas")
    assert p.U.shape == (2, 2)
    assert p.no_deal_at(4).tolist() == pytest.approx([0.2, 0.2])
    assert p.acceptable_for(1).tolist() == [True, False]
    assert p.terms(1) == {"withdrawal": "partial"}
