"""Bargaining analysis over an OutcomeSpace: ZOPA, why no deal, and (as they land) more."""

from accord.analysis.diagnose import Collision, describe_red_line, red_line_collisions
from accord.analysis.zopa import Zopa, issue_ranges, zopa

__all__ = ["Collision", "Zopa", "describe_red_line", "issue_ranges", "red_line_collisions", "zopa"]
