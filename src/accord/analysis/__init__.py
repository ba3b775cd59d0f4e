"""Analysis of a utility matrix: Pareto front and bargaining solution points.

Pure functions over numpy arrays ``U`` of shape (n_outcomes, n_parties), higher is better.
"""

from __future__ import annotations

from accord.analysis.pareto import pareto_front
from accord.analysis.solutions import (
    BargainingSolution,
    bargaining_solutions,
    egalitarian,
    kalai_smorodinsky,
    nash_bargaining,
    utilitarian,
)

__all__ = [
    "BargainingSolution",
    "bargaining_solutions",
    "egalitarian",
    "kalai_smorodinsky",
    "nash_bargaining",
    "pareto_front",
    "utilitarian",
]
