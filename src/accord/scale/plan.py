"""What a sweep computes: the samples, their numbers and seeds, and one batch of them.

Sample ``i`` of a sweep is fully determined by the plan and ``i``: its grid point and replicate, the
draws of the sampled parameters and the job's seed all come from
``numpy.random.SeedSequence([seed, i])`` (O'Neill 2015's seeding, as numpy implements it). So any
subset of samples can run anywhere, in any order, any number of times, with identical rows.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from accord.errors import AccordError, ConfigurationError, Location
from accord.scale.jobs import Job, Row
from accord.scale.paths import Target, numeric_paths, resolve, substitute
from accord.scenario.schema import Scenario

FloatArray = NDArray[np.float64]

#: The largest number of samples one sweep may have.
MAX_SAMPLES = 10**10


@dataclass(frozen=True)
class Vary:
    """One swept number and the values it takes."""

    target: Target
    values: tuple[float, ...]

    @property
    def path(self) -> str:
        return self.target.path


def _num(text: str, spec: str, what: str) -> float:
    try:
        x = float(text)
    except ValueError:
        raise ConfigurationError(
            f"'{spec}': {what} '{text.strip()}' is not a number", Location(path="--vary")
        ) from None
    if not math.isfinite(x):
        raise ConfigurationError(f"'{spec}': {what} must be a finite number", Location(path="--vary"))
    return x


def parse_vary(
    scenario: Scenario, spec: str | tuple[str, Any], table: dict[str, Target] | None = None
) -> Vary:
    """Parse ``PATH=LO:HI:N`` (N evenly spaced values, ends included) or ``PATH=v1,v2,...``.

    A ``(path, values)`` pair (a sequence of numbers, or a ``"LO:HI:N"`` string) is accepted from
    Python. Raises a one-line :class:`ConfigurationError` for an unknown path (naming the nearest
    valid one), ``LO > HI``, ``N < 1``, a non-number or a fraction for a whole-number field.
    """
    if isinstance(spec, tuple):
        path, rhs = spec
        text = f"{path}={rhs if isinstance(rhs, str) else ','.join(str(v) for v in rhs)}"
    else:
        text = spec
        if "=" not in spec:
            raise ConfigurationError(
                f"'{spec}': expected PATH=LO:HI:N or PATH=v1,v2,... (e.g. actors.hamas.no_deal.value=0.2:0.5:4)",
                Location(path="--vary"),
            )
        path, rhs = spec.split("=", 1)
    target = resolve(scenario, path, table)
    if isinstance(rhs, str):
        rhs = rhs.strip()
        if not rhs:
            raise ConfigurationError(f"'{text}': no values after '='", Location(path="--vary"))
        if ":" in rhs:
            parts = rhs.split(":")
            if len(parts) != 3:
                raise ConfigurationError(
                    f"'{text}': a range is LO:HI:N (three parts), got {len(parts)}", Location(path="--vary")
                )
            lo, hi = _num(parts[0], text, "LO"), _num(parts[1], text, "HI")
            try:
                n = int(parts[2])
            except ValueError:
                raise ConfigurationError(
                    f"'{text}': N '{parts[2].strip()}' must be a whole number of values",
                    Location(path="--vary"),
                ) from None
            if lo > hi:
                raise ConfigurationError(
                    f"'{text}': LO ({lo:g}) is greater than HI ({hi:g}); write {hi:g}:{lo:g}:{n}",
                    Location(path="--vary"),
                )
            if n < 1:
                raise ConfigurationError(f"'{text}': N must be at least 1, got {n}", Location(path="--vary"))
            if n == 1 and lo != hi:
                raise ConfigurationError(
                    f"'{text}': N = 1 gives one value but LO != HI; use N >= 2, or {target.path}={lo:g}",
                    Location(path="--vary"),
                )
            values = tuple(float(x) for x in np.linspace(lo, hi, n))
        else:
            values = tuple(_num(v, text, "value") for v in rhs.split(","))
    else:
        values = tuple(_num(str(v), text, "value") for v in rhs)
        if not values:
            raise ConfigurationError(f"'{text}': no values", Location(path="--vary"))
    if target.integer:
        bad = [v for v in values if v != round(v)]
        if bad:
            raise ConfigurationError(
                f"'{text}': {target.path} is a whole number, but {bad[0]:g} is not", Location(path="--vary")
            )
    return Vary(target, values)


@dataclass
class Plan:
    """The samples of a sweep: a grid of swept values times ``runs`` replicates, or Monte Carlo.

    Sample ``i`` is replicate ``i // n_points`` of grid point ``i % n_points`` (the first ``--vary``
    changes slowest), so adding replicates keeps the numbering of existing samples.
    """

    scenario: Scenario
    job: Job
    grid: list[Vary]
    sampled: list[Target]
    seed: int
    runs: int
    key: str = ""
    _lo: FloatArray = field(default_factory=lambda: np.zeros(0), repr=False)
    _hi: FloatArray = field(default_factory=lambda: np.zeros(0), repr=False)

    def __post_init__(self) -> None:
        self._lo = np.array([t.range[0] if t.range else t.value for t in self.sampled], dtype=float)
        self._hi = np.array([t.range[1] if t.range else t.value for t in self.sampled], dtype=float)
        self._shape = tuple(len(v.values) for v in self.grid)
        self._grid_values = [np.array(v.values, dtype=float) for v in self.grid]
        if not self.key:
            self.key = hashlib.sha256(json.dumps(self.fingerprint(), sort_keys=True).encode()).hexdigest()[
                :16
            ]

    @property
    def n_points(self) -> int:
        return int(np.prod(self._shape)) if self.grid else 1

    @property
    def n(self) -> int:
        """Number of samples."""
        return self.n_points * self.runs

    @property
    def targets(self) -> list[Target]:
        return [v.target for v in self.grid] + list(self.sampled)

    @property
    def columns(self) -> list[str]:
        """Parameter columns of a row, in order: swept paths, then sampled paths."""
        return [t.path for t in self.targets]

    @property
    def fast(self) -> bool:
        """Whether the job's compiled path applies (it has one and only Params are swept)."""
        return self.job.compile is not None and all(t.kind == "param" for t in self.targets)

    def fingerprint(self) -> dict[str, Any]:
        """What identifies the sweep's samples (for ``--resume``): all but the number of runs."""
        return {
            "scenario": hashlib.sha256(self.scenario.model_dump_json().encode()).hexdigest(),
            "job": self.job.name,
            "grid": [[v.path, list(v.values)] for v in self.grid],
            "sampled": [
                [t.path, t.range[0] if t.range else None, t.range[1] if t.range else None]
                for t in self.sampled
            ],
            "seed": self.seed,
        }

    def draw(self, i: int) -> tuple[FloatArray, int]:
        """The numbers (in :attr:`columns` order) and the job's seed of sample ``i``."""
        state = np.random.SeedSequence([self.seed, i]).generate_state(2, np.uint64)
        job_seed = int(state[0] >> np.uint64(1))
        values = np.empty(len(self.grid) + len(self.sampled))
        if self.grid:
            point = np.unravel_index(i % self.n_points, self._shape)
            for j, g in enumerate(self._grid_values):
                values[j] = g[int(point[j])]
        if self.sampled:
            u = np.random.default_rng(int(state[1])).random(len(self.sampled))
            values[len(self.grid) :] = self._lo + (self._hi - self._lo) * u
        return values, job_seed


def make_plan(
    scenario: Scenario,
    job: Job,
    vary: list[str] | list[tuple[str, Any]] | dict[str, Any] | None,
    *,
    runs: int | None,
    seed: int,
    sample_rest: bool = False,
) -> Plan:
    """Resolve the swept paths and the sampled parameters of a sweep (see :func:`accord.scale.sweep`)."""
    if seed < 0:
        raise ConfigurationError(
            f"seed must be a non-negative whole number, got {seed}", Location(path="--seed")
        )
    table = {t.path: t for t in numeric_paths(scenario)}
    specs: list[Any] = list(vary.items()) if isinstance(vary, dict) else list(vary or [])
    grid = [parse_vary(scenario, s, table) for s in specs]
    seen: set[str] = set()
    for g in grid:
        if g.path in seen:
            raise ConfigurationError(f"'{g.path}' is varied twice; give it once", Location(path="--vary"))
        seen.add(g.path)
    sampled: list[Target] = []
    if not grid or sample_rest:
        sampled = [
            t
            for t in table.values()
            if t.kind == "param" and t.range is not None and t.range[0] < t.range[1] and t.path not in seen
        ]
    if runs is None:
        runs = 1000 if not grid else 1
    if runs < 1:
        raise ConfigurationError(f"runs must be at least 1, got {runs}", Location(path="--runs"))
    plan = Plan(scenario, job, grid, sampled, seed, runs)
    if plan.n > MAX_SAMPLES:
        raise ConfigurationError(
            f"the sweep has {plan.n:,} samples; at most {MAX_SAMPLES:,} (fewer values or runs)",
            Location(path="--vary"),
        )
    return plan


# ------------------------------------------------------------------------------ running one batch
_CACHE: dict[str, Any] = {}


def evaluator(plan: Plan) -> Any:
    """The job's compiled evaluator for this plan, built once per process."""
    ev = _CACHE.get(plan.key)
    if ev is None:
        from accord.space import OutcomeSpace

        assert plan.job.compile is not None
        from accord.analysis.uncertainty import UncertainParam

        params = [UncertainParam(t.index, t.path, t.value, t.value, t.value) for t in plan.targets]
        ev = plan.job.compile(OutcomeSpace(plan.scenario), params)
        _CACHE.clear()  # one plan at a time per process
        _CACHE[plan.key] = ev
    return ev


def run_batch(plan: Plan, indices: NDArray[np.int64]) -> dict[str, Any]:
    """Rows of the samples ``indices``, column by column (``sample``, ``seed``, parameters, results)."""
    idx = np.asarray(indices, dtype=np.int64)
    m = len(plan.targets)
    X = np.empty((idx.size, m))
    seeds = np.empty(idx.size, dtype=np.int64)
    rows: list[Row] = []
    ev = evaluator(plan) if plan.fast else None
    targets = plan.targets
    assert plan.job.row is not None
    for r, i in enumerate(idx):
        values, s = plan.draw(int(i))
        X[r] = values
        seeds[r] = s
        if ev is not None:
            rows.append(ev(values, s))
            continue
        try:
            variant = substitute(plan.scenario, targets, values.tolist())
            rows.append(plan.job.row(variant, s))
        except AccordError as exc:
            rows.append({"error": str(exc)})
    out: dict[str, Any] = {"sample": idx, "seed": seeds}
    for j, name in enumerate(plan.columns):
        out[name] = X[:, j].copy()
    keys: list[str] = []
    for row in rows:
        for k in row:
            if k not in out and k not in keys:
                keys.append(k)
    for k in keys:
        out[k] = [row.get(k) for row in rows]
    return out


__all__ = ["MAX_SAMPLES", "Plan", "Vary", "evaluator", "make_plan", "parse_vary", "run_batch"]
