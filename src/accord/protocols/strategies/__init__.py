"""Negotiation strategies and their registry (Axelrod style).

Every strategy is a small class with metadata (``name``, ``family``, ``stochastic``,
``uses_opponent_model``, ``source``). Look them up by name::

    from accord.protocols.strategies import make_strategy, strategy_table
    s = make_strategy("boulware")                 # or "time-based", exponent=2.0
    [row.name for row in strategy_table()]
"""

from __future__ import annotations

from typing import Any

from accord.errors import ConfigurationError, did_you_mean, one_of
from accord.protocols.strategies.badfaith import BadFaith
from accord.protocols.strategies.base import Strategy, StrategyInfo, View
from accord.protocols.strategies.equilibrium import SubgamePerfect, backward_induction
from accord.protocols.strategies.mediators import (
    Mediator,
    MediatorView,
    NashSingleText,
    SplitTheDifference,
    nash_products,
)
from accord.protocols.strategies.opponent import FrequencyModel, frequency_model
from accord.protocols.strategies.timebased import (
    Boulware,
    Conceder,
    Hardliner,
    Linear,
    RandomStrategy,
    TimeBased,
    TitForTat,
)

__all__ = [
    "MEDIATORS",
    "STRATEGIES",
    "BadFaith",
    "Boulware",
    "Conceder",
    "FrequencyModel",
    "Hardliner",
    "Linear",
    "Mediator",
    "MediatorView",
    "NashSingleText",
    "RandomStrategy",
    "SplitTheDifference",
    "Strategy",
    "StrategyInfo",
    "SubgamePerfect",
    "TimeBased",
    "TitForTat",
    "View",
    "backward_induction",
    "frequency_model",
    "make_mediator",
    "make_strategy",
    "mediator_table",
    "nash_products",
    "strategy_table",
]

#: Party strategies by name.
STRATEGIES: dict[str, type[Strategy]] = {
    cls.name: cls
    for cls in (
        TimeBased,
        Boulware,
        Linear,
        Conceder,
        Hardliner,
        TitForTat,
        RandomStrategy,
        FrequencyModel,
        BadFaith,
        SubgamePerfect,
    )
}

#: Mediator strategies by name.
MEDIATORS: dict[str, type[Mediator]] = {cls.name: cls for cls in (SplitTheDifference, NashSingleText)}


def _info(cls: type[Strategy] | type[Mediator]) -> StrategyInfo:
    return StrategyInfo(
        name=cls.name,
        family=cls.family,
        stochastic=cls.stochastic,
        uses_opponent_model=cls.uses_opponent_model,
        source=cls.source,
    )


def strategy_table() -> list[StrategyInfo]:
    """Metadata of every registered party strategy."""
    return [_info(c) for c in STRATEGIES.values()]


def mediator_table() -> list[StrategyInfo]:
    """Metadata of every registered mediator strategy."""
    return [_info(c) for c in MEDIATORS.values()]


def _split(spec: str) -> tuple[str, dict[str, Any]]:
    """``"time-based:exponent=2"`` -> ("time-based", {"exponent": 2.0})."""
    name, _, rest = spec.partition(":")
    params: dict[str, Any] = {}
    for item in filter(None, rest.split(",")):
        key, eq, val = item.partition("=")
        if not eq:
            raise ConfigurationError(f"strategy parameter '{item}' must look like key=value")
        params[key.strip()] = _value(val.strip(), item)
    return name.strip(), params


def _value(text: str, item: str) -> Any:
    low = text.lower()
    if low in ("true", "false"):
        return low == "true"
    if low == "none":
        return None
    try:
        return int(text) if text.lstrip("-").isdigit() else float(text)
    except ValueError:
        raise ConfigurationError(
            f"strategy parameter '{item}' must be a number, true, false or none"
        ) from None


def make_strategy(spec: str | Strategy, **params: Any) -> Strategy:
    """A party strategy from its registry name (``"name"`` or ``"name:k=v,k2=v2"``).

    Raises
    ------
    ConfigurationError
        Unknown name (with a did-you-mean suggestion) or bad parameters.
    """
    if isinstance(spec, Strategy):
        return spec
    name, extra = _split(spec)
    cls = STRATEGIES.get(name)
    if cls is None:
        raise ConfigurationError(
            f"unknown strategy '{name}'{did_you_mean(name, STRATEGIES)}; "
            f"valid: {one_of(STRATEGIES, limit=20)}"
        )
    try:
        return cls(**{**extra, **params})
    except TypeError as err:
        raise ConfigurationError(f"bad parameters for strategy '{name}': {err}") from None


def make_mediator(spec: str | Mediator, **params: Any) -> Mediator:
    """A mediator strategy from its registry name (see :func:`make_strategy`)."""
    if isinstance(spec, Mediator):
        return spec
    name, extra = _split(spec)
    cls = MEDIATORS.get(name)
    if cls is None:
        raise ConfigurationError(
            f"unknown mediator '{name}'{did_you_mean(name, MEDIATORS)}; valid: {one_of(MEDIATORS)}"
        )
    try:
        return cls(**{**extra, **params})
    except TypeError as err:
        raise ConfigurationError(f"bad parameters for mediator '{name}': {err}") from None
