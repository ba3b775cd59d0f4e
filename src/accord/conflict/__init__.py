"""Graph Model for Conflict Resolution (GMCR): model, stability, coalitions, status quo, inverse.

Three lines from a model file to the equilibria::

    from accord import conflict
    model = conflict.load_model("elmira")              # a built-in name or a .yaml/.gmcr path
    result = conflict.analyze(model)                    # Nash, GMR, SMR, SEQ for every DM
    result.to_dict()["concepts"]["seq"]["equilibria"]   # option patterns, Y/N per option

See ``docs/conflict.md`` for the file format and the definitions used.
"""

from __future__ import annotations

from accord.conflict.analysis import StabilityResult, analyze
from accord.conflict.coalitions import CoalitionResult, coalition_analysis
from accord.conflict.graphsearch import EXPLAINED, Explanation, explain
from accord.conflict.inverse import InverseResult, inverse
from accord.conflict.limited import limited_move, non_myopic
from accord.conflict.load import builtin_names, load_model, loads_model, parse_gmcr
from accord.conflict.model import ConflictModel, build_model
from accord.conflict.save import pattern_cover, write_gmcr
from accord.conflict.sensitivity import SensitivityResult, priority_sensitivity
from accord.conflict.simultaneous import SimExplanation, explain_sim, sim_table
from accord.conflict.stability import CONCEPTS, stability_tables
from accord.conflict.statusquo import StatusQuoResult, status_quo_paths
from accord.conflict.uncertain import stability_tables_uncertain

__all__ = [
    "CONCEPTS",
    "EXPLAINED",
    "CoalitionResult",
    "ConflictModel",
    "Explanation",
    "InverseResult",
    "SensitivityResult",
    "SimExplanation",
    "StabilityResult",
    "StatusQuoResult",
    "analyze",
    "build_model",
    "builtin_names",
    "coalition_analysis",
    "explain",
    "explain_sim",
    "inverse",
    "limited_move",
    "load_model",
    "loads_model",
    "non_myopic",
    "parse_gmcr",
    "pattern_cover",
    "priority_sensitivity",
    "sim_table",
    "stability_tables",
    "stability_tables_uncertain",
    "status_quo_paths",
    "write_gmcr",
]
