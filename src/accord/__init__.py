"""accord: model, analyse, simulate and forecast multi-party, multi-issue negotiations.

Three lines from a scenario file to a utility matrix::

    import accord
    scenario = accord.load("gaza-2025-07")          # a built-in name or a file path
    space = accord.OutcomeSpace(scenario)           # every combination of issue levels
    U = space.utilities()                           # (n_outcomes, n_actors) numpy array

Heavy modules are imported lazily so that ``accord --help`` starts fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = ["OutcomeSpace", "Scenario", "ScenarioError", "__version__", "load", "sweep"]

if TYPE_CHECKING:  # pragma: no cover
    from accord.errors import ScenarioError
    from accord.scale import sweep
    from accord.scenario import Scenario, load
    from accord.space import OutcomeSpace


def __getattr__(name: str) -> Any:
    if name in ("Scenario", "load"):
        from accord import scenario

        return getattr(scenario, name)
    if name == "OutcomeSpace":
        from accord.space import OutcomeSpace

        return OutcomeSpace
    if name == "ScenarioError":
        from accord.errors import ScenarioError

        return ScenarioError
    if name == "sweep":
        from accord.scale import sweep

        return sweep
    raise AttributeError(f"module 'accord' has no attribute {name!r}")
