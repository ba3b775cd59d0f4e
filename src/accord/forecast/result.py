"""Result object shared by all forecasting models."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = ["ForecastResult", "jsonable"]


def jsonable(value: Any) -> Any:
    """Convert numpy scalars/arrays (also nested in dicts, lists, tuples) to Python types."""
    if isinstance(value, np.ndarray):
        return jsonable(value.tolist())
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value


@dataclass(frozen=True)
class ForecastResult:
    """What a forecasting model predicts.

    Attributes
    ----------
    model : str
        Registry name of the model (``"compromise"``, ``"smp"``, ...).
    forecast : dict of str to float
        Predicted outcome on each dimension, 0-100 scale.
    turns : int
        Number of bargaining rounds a dynamic model ran (0 for static models).
    final_positions : dict of str to dict of str to float, or None
        Actor -> dimension -> position after the last round (dynamic models).
    history : list of dict
        One entry per state (the initial one first) of a dynamic model, with at least
        ``positions`` (actor -> dimension -> value) and, where the model defines them,
        ``probabilities`` (actor -> probability that the actor's position prevails).
    converged : bool or None
        Whether a dynamic model stopped by its convergence rule (``False``: hit the round
        limit; ``None``: static model).
    details : dict
        Model-specific extras (parameters used, diagnostics); JSON-serialisable.
    """

    model: str
    forecast: dict[str, float]
    turns: int = 0
    final_positions: dict[str, dict[str, float]] | None = None
    history: list[dict[str, Any]] = field(default_factory=list)
    converged: bool | None = None
    details: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        """A short plain-text summary: model, rounds and the forecast per dimension."""
        head = f"{self.model} forecast"
        if self.turns:
            state = "converged" if self.converged else "stopped at the round limit"
            head += f" after {self.turns} rounds ({state})"
        width = max((len(d) for d in self.forecast), default=0)
        rows = [f"  {d:<{width}}  {v:7.2f}" for d, v in self.forecast.items()]
        return "\n".join([head + ":", *rows])

    def _repr_html_(self) -> str:
        """Jupyter display: the forecast as an HTML table."""
        from html import escape

        rows = "".join(f"<tr><td>{escape(d)}</td><td>{v:.2f}</td></tr>" for d, v in self.forecast.items())
        cap = escape(str(self).splitlines()[0])
        head = "<tr><th>dimension</th><th>forecast</th></tr>"
        return f"<table><caption>{cap}</caption>{head}{rows}</table>"

    def to_dict(self) -> dict[str, Any]:
        """JSON-serialisable form (plain Python types only)."""
        return {
            "model": self.model,
            "forecast": jsonable(self.forecast),
            "turns": int(self.turns),
            "final_positions": jsonable(self.final_positions),
            "history": jsonable(self.history),
            "converged": self.converged,
            "details": jsonable(self.details),
        }
