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
from accord.conflict.graphsearch import Explanation, explain
from accord.conflict.load import builtin_names, load_model, loads_model, parse_gmcr
from accord.conflict.model import ConflictModel, build_model
from accord.conflict.stability import CONCEPTS, stability_tables

__all__ = [
    "CONCEPTS",
    "ConflictModel",
    "Explanation",
    "StabilityResult",
    "analyze",
    "build_model",
    "builtin_names",
    "explain",
    "load_model",
    "loads_model",
    "parse_gmcr",
    "stability_tables",
]
