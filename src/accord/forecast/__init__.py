"""Forecasting with spatial models of politics.

Three lines from numbers to a forecast::

    from accord.forecast import SpatialProblem, run
    problem = SpatialProblem(actors, dimensions, capability, position, salience)
    result = run(problem, "smp")          # or "compromise", "median", "nash", "eu"
    result.forecast                        # {dimension: predicted value on 0-100}

Models (one module each):

- ``compromise``, ``median``, ``nash`` -- static baselines (:mod:`accord.forecast.baselines`);
- ``smp`` -- KTAB's Spatial Model of Politics (:mod:`accord.forecast.smp`);
- ``eu`` -- Bueno de Mesquita's expected-utility model as reconstructed by Scholz,
  Calbert & Smith 2011 (:mod:`accord.forecast.expected_utility`).

KTAB CSV files are read and written by :mod:`accord.forecast.ktab_io`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from accord.errors import ConfigurationError, did_you_mean, one_of
from accord.forecast.problem import SpatialProblem
from accord.forecast.result import ForecastResult

__all__ = ["MODELS", "ForecastResult", "SpatialProblem", "run", "sweep_row"]


SWEEP_MODELS = ("compromise", "smp")


def sweep_row(scenario: Any, seed: int) -> dict[str, Any]:
    """One row of ``accord sweep --job forecast``: each model's forecast per ordered issue.

    Columns ``<model>.<issue>`` hold the forecast in the issue's units for numeric issues and on
    the 0-100 scale for ordinal ones; ``smp.turns`` the number of SMP bargaining rounds. The models
    are deterministic, so ``seed`` is unused.
    """
    from accord.forecast.from_scenario import forecast_scenario
    from accord.scenario.schema import NumericIssue

    numeric = {i.id for i in scenario.issues if isinstance(i, NumericIssue)}
    row: dict[str, Any] = {}
    for model in SWEEP_MODELS:
        data = forecast_scenario(scenario, model)
        for dim, v in data["forecast_0_100"].items():
            row[f"{model}.{dim}"] = float(data["forecast"][dim]) if dim in numeric else float(v)
        if model == "smp":
            row["smp.turns"] = int(data["turns"])
    return row


def _compromise(problem: SpatialProblem, **options: Any) -> ForecastResult:
    from accord.forecast.baselines import compromise_forecast

    _no_options("compromise", options)
    return compromise_forecast(problem)


def _median(problem: SpatialProblem, **options: Any) -> ForecastResult:
    from accord.forecast.baselines import weighted_median_forecast

    _no_options("median", options)
    return weighted_median_forecast(problem)


def _nash(problem: SpatialProblem, **options: Any) -> ForecastResult:
    from accord.forecast.baselines import nash_bargaining_forecast

    _check_options("nash", options, {"status_quo", "exponent"})
    return nash_bargaining_forecast(problem, **options)


def _smp(problem: SpatialProblem, **options: Any) -> ForecastResult:
    from accord.forecast.smp import SMPConfig, smp_forecast

    return smp_forecast(problem, **options) if options else smp_forecast(problem, SMPConfig())


def _eu(problem: SpatialProblem, **options: Any) -> ForecastResult:
    from accord.forecast.expected_utility import eu_forecast

    return eu_forecast(problem, **options)


def _no_options(model: str, options: dict[str, Any]) -> None:
    _check_options(model, options, set())


def _check_options(model: str, options: dict[str, Any], valid: set[str]) -> None:
    for key in options:
        if key not in valid:
            choices = one_of(sorted(valid)) if valid else "none"
            raise ConfigurationError(
                f"model {model!r} has no option {key!r}{did_you_mean(key, valid)}; valid options: {choices}"
            )


#: Registry: model name -> function(problem, **options) -> ForecastResult.
MODELS: dict[str, Callable[..., ForecastResult]] = {
    "compromise": _compromise,
    "median": _median,
    "nash": _nash,
    "smp": _smp,
    "eu": _eu,
}
#: Other names accepted for a model (``nbs``: Nash bargaining solution).
ALIASES = {"nbs": "nash", "weighted-median": "median", "expected-utility": "eu"}


def model_name(model: str) -> str:
    """The registry name of a model given by name or alias (``nbs`` -> ``nash``)."""
    return ALIASES.get(model, model)


def run(problem: SpatialProblem, model: str = "smp", **options: Any) -> ForecastResult:
    """Forecast ``problem`` with the named model.

    Parameters
    ----------
    problem : SpatialProblem
    model : str
        A key of :data:`MODELS`.
    **options
        Model options (see each model's documentation).

    Raises
    ------
    accord.errors.ConfigurationError
        For an unknown model or option.
    accord.errors.ModelError
        For input the model cannot use.
    """
    try:
        fn = MODELS[model_name(model)]
    except KeyError:
        raise ConfigurationError(
            f"unknown forecast model {model!r}{did_you_mean(model, MODELS)}; "
            f"choose {one_of([*MODELS, *ALIASES])}"
        ) from None
    return fn(problem, **options)
