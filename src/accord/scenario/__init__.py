"""Scenario files: the typed schema, the loader with located errors, and the built-in scenarios."""

from accord.scenario.checks import Problem, check, estimates_without_range, unsourced_params
from accord.scenario.loader import (
    DEFAULT_SCENARIO,
    builtin_names,
    dump,
    from_dict,
    load,
    loads,
    to_data,
)
from accord.scenario.schema import (
    Actor,
    CategoricalIssue,
    Event,
    Lever,
    NoDeal,
    NumericIssue,
    OrdinalIssue,
    Param,
    Position,
    RedLine,
    Scenario,
    Source,
)

__all__ = [
    "DEFAULT_SCENARIO",
    "Actor",
    "CategoricalIssue",
    "Event",
    "Lever",
    "NoDeal",
    "NumericIssue",
    "OrdinalIssue",
    "Param",
    "Position",
    "Problem",
    "RedLine",
    "Scenario",
    "Source",
    "builtin_names",
    "check",
    "dump",
    "estimates_without_range",
    "from_dict",
    "load",
    "loads",
    "to_data",
    "unsourced_params",
]
