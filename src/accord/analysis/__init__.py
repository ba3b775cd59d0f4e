"""Analysis of a utility matrix: Pareto front and bargaining solution points.

Pure functions over numpy arrays ``U`` of shape (n_outcomes, n_parties), higher is better.
"""

from __future__ import annotations

from accord.analysis.pareto import pareto_front

__all__ = ["pareto_front"]
