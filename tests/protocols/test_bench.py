"""The canonical SAO benchmark reproduces NegMAS's agreements seed by seed."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from accord.errors import ConfigurationError
from accord.protocols.bench import (
    canonical_utilities,
    decode_canonical,
    run_canonical,
    run_sao_benchmark,
)

DATA = Path(__file__).parent / "data" / "negmas_sao_seeds.json"


def spec_utilities(seed: int) -> list[dict[tuple[int, int, int], float]]:
    """The draw written exactly as /work/shared/benchmarks/sao-canonical.md section 2."""
    rng = np.random.default_rng(seed)
    out = []
    for _party in (0, 1):
        w = rng.random(3)
        w = w / w.sum()
        tables = []
        for _k in range(3):
            r = rng.random(22)
            tables.append((r - r.min()) / (r.max() - r.min()))
        u = {}
        for a in range(22):
            for b in range(22):
                for c in range(22):
                    u[(a, b, c)] = 0.0 + w[0] * tables[0][a] + w[1] * tables[1][b] + w[2] * tables[2][c]
        out.append(u)
    return out


@pytest.mark.parametrize("seed", [0, 7])
def test_utilities_follow_the_specified_draw_bit_for_bit(seed: int) -> None:
    u = canonical_utilities(seed)
    ref = spec_utilities(seed)
    for party in (0, 1):
        got = {decode_canonical(i): float(x) for i, x in enumerate(u[party])}
        assert got == ref[party]


def test_spec_cross_check_values() -> None:
    # sao-canonical.md section 6: seed 0 -> (6,1,20) round 1; 1 -> (20,4,9) 215; 2 -> (13,0,8) 145
    assert run_canonical(0) == ((6, 1, 20), 1)
    assert run_canonical(1) == ((20, 4, 9), 215)
    assert run_canonical(2) == ((13, 0, 8), 145)


def test_same_agreements_as_negmas_on_400_seeds() -> None:
    ref = json.loads(DATA.read_text())
    for seed, v0, v1, v2, rounds in ref["rows"]:
        expected = (v0, v1, v2) if v0 is not None else None
        assert run_canonical(seed) == (expected, rounds), seed


def test_benchmark_json_object() -> None:
    out = run_sao_benchmark(n=5, agreements=True)
    json.dumps(out)
    assert out["n_negotiations"] == 5
    assert out["agreement_rate"] == 1.0
    assert out["agreements"][1] == {"seed": 1, "agreement": [20, 4, 9], "rounds": 215}
    assert out["mean_rounds"] == pytest.approx(np.mean([a["rounds"] for a in out["agreements"]]))
    assert out["negotiations_per_second"] > 0 and out["seconds"] > 0
    timed = run_sao_benchmark(seconds=0.05, first_seed=3)
    assert timed["n_negotiations"] >= 1 and timed["first_seed"] == 3
    assert "agreements" not in timed


def test_short_deadline_changes_the_outcome() -> None:
    # One round: t = 1/2, the Conceder's threshold is 1 - 0.5**0.25 - 1e-4 ~ 0.159.
    out = run_sao_benchmark(n=3, steps=1, agreements=True)
    assert [a["rounds"] for a in out["agreements"]] == [1, 1, 1]
    assert out["agreements"][1]["agreement"] != [20, 4, 9]


@pytest.mark.parametrize(
    ("kwargs", "word"),
    [({"steps": 0}, "steps"), ({"seconds": 0.0}, "seconds"), ({"first_seed": -1}, "seed")],
)
def test_bad_configuration_is_one_line_error(kwargs: dict, word: str) -> None:
    with pytest.raises(ConfigurationError) as err:
        run_sao_benchmark(**kwargs)
    assert word in str(err.value) and "\n" not in str(err.value)
