"""Bargaining analysis: Pareto front, solution points, ZOPA, why no deal, leverage.

The core functions are pure functions over numpy arrays ``U`` of shape (n_outcomes, n_parties),
higher is better; the scenario-level ones take an :class:`~accord.space.OutcomeSpace`.
"""

from __future__ import annotations

from accord.analysis.diagnose import (
    Collision,
    Requirement,
    WhyNoDeal,
    describe_red_line,
    red_line_collisions,
    requirement_matrix,
    why_no_deal,
)
from accord.analysis.leverage import Leverage, leverage
from accord.analysis.pareto import pareto_front
from accord.analysis.solutions import (
    BargainingSolution,
    bargaining_solutions,
    egalitarian,
    kalai_smorodinsky,
    nash_bargaining,
    utilitarian,
)
from accord.analysis.zopa import Zopa, issue_ranges, zopa

__all__ = [
    "BargainingSolution",
    "Collision",
    "Leverage",
    "Requirement",
    "WhyNoDeal",
    "Zopa",
    "bargaining_solutions",
    "describe_red_line",
    "egalitarian",
    "issue_ranges",
    "kalai_smorodinsky",
    "leverage",
    "nash_bargaining",
    "pareto_front",
    "red_line_collisions",
    "requirement_matrix",
    "utilitarian",
    "why_no_deal",
    "zopa",
]
