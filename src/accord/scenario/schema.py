"""The scenario format: typed, immutable pydantic models.

A scenario file describes one negotiation: metadata and sources, the issues on the table, linkage
constraints between issues, the actors (parties, mediators, stakeholders) with their positions,
saliences, utility shapes, red lines, no-deal values and levers, and a timeline of events.

Every number in a scenario is a :class:`Param`: either a bare number, or a mapping with ``value``,
an optional ``source`` (the id of an entry in ``sources``, or ``estimate`` for a modeller's estimate),
an optional ``range: [lo, hi]`` (its uncertainty, used by Monte Carlo) and an optional ``note``.

Structural rules (types, required fields, unknown keys) live here; rules that relate one part of a
file to another (ids that must exist, positions inside an issue's range) live in
:mod:`accord.scenario.checks`, so that both report the exact place in the file.
"""

from __future__ import annotations

import datetime as _dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

#: Version of the file format written by this release (``format: 1``).
FORMAT_VERSION = 1

Id = Annotated[
    str,
    Field(
        min_length=1,
        max_length=64,
        pattern=r"^[A-Za-z][A-Za-z0-9_\-]*$",
        description="An identifier: a letter, then letters, digits, '_' or '-'.",
    ),
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Param(_Model):
    """A number with its provenance and uncertainty.

    In a file, write either a bare number (``0.4``) or a mapping
    (``{value: 0.4, source: S5, range: [0.3, 0.5], note: "..."}``).
    """

    value: float = Field(description="The number used by default.")
    source: str | None = Field(
        None, description="Id of an entry in `sources` that supports the number, or 'estimate'."
    )
    range: tuple[float, float] | None = Field(
        None, description="Uncertainty [lo, hi] sampled by Monte Carlo; must contain `value`."
    )
    note: str | None = Field(None, description="How the number was arrived at.")

    @model_validator(mode="before")
    @classmethod
    def _from_number(cls, data: Any) -> Any:
        if isinstance(data, bool):
            raise ValueError("expected a number or a mapping with 'value', got true/false")
        if isinstance(data, int | float):
            return {"value": data}
        if not isinstance(data, dict):
            shown = (
                f"'{data}'" if isinstance(data, str) else ("a list" if isinstance(data, list) else repr(data))
            )
            raise ValueError(f"expected a number (or {{value: .., source: ..}}), got {shown}")
        return data

    @field_validator("value")
    @classmethod
    def _finite(cls, v: float) -> float:
        if v != v or v in (float("inf"), float("-inf")):
            raise ValueError("must be a finite number")
        return v

    @model_validator(mode="after")
    def _range_contains_value(self) -> Param:
        if self.range is not None:
            lo, hi = self.range
            if not lo <= hi:
                raise ValueError(f"range [{lo:g}, {hi:g}] must have lo <= hi")
            if not lo <= self.value <= hi:
                raise ValueError(f"value {self.value:g} lies outside its range [{lo:g}, {hi:g}]")
        return self

    def __float__(self) -> float:
        return float(self.value)


class Source(_Model):
    """A public report that supports numbers or facts in the scenario."""

    id: Id
    publisher: str = Field(description="Who published it (the original outlet if republished).")
    title: str
    date: _dt.date | str | None = Field(None, description="Publication date (YYYY-MM-DD) or text.")
    url: str | None = None
    citation: str | None = Field(None, description="Full citation for print sources.")

    @field_validator("date", mode="before")
    @classmethod
    def _iso_date(cls, v: Any) -> Any:
        # An ISO date written as text is the same date: keep it a date so files round-trip.
        if isinstance(v, str):
            try:
                return _dt.date.fromisoformat(v)
            except ValueError:
                return v
        return v


class Clock(_Model):
    """The time scale on which no-deal values decay (the humanitarian clock, domestic pressure)."""

    unit: Literal["day", "week", "month", "round"] = "week"
    horizon: int = Field(12, ge=1, le=10_000, description="How many units ahead analyses look.")


class Level(_Model):
    """One level of an ordinal issue or one option of a categorical issue."""

    id: Id
    label: str | None = None
    description: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_str(cls, data: Any) -> Any:
        return {"id": data} if isinstance(data, str) else data


class _IssueBase(_Model):
    id: Id
    label: str | None = None
    description: str | None = None
    sources: list[str] = Field(default_factory=list, description="Ids of supporting sources.")


class NumericIssue(_IssueBase):
    """A quantity on a grid ``min, min+step, ..., max`` (e.g. kilometres, prisoners per hostage)."""

    kind: Literal["numeric"]
    min: float
    max: float
    step: float = Field(gt=0)
    unit: str = ""
    status_quo: Param | None = Field(
        None,
        description="The value this issue keeps if no agreement is reached (the disagreement point of "
        "the spatial Nash bargaining forecast).",
    )

    @model_validator(mode="after")
    def _grid(self) -> NumericIssue:
        if not self.max > self.min:
            raise ValueError(f"max ({self.max:g}) must be greater than min ({self.min:g})")
        n = (self.max - self.min) / self.step
        if abs(n - round(n)) > 1e-6 * max(1.0, n):
            raise ValueError(
                f"max - min ({self.max - self.min:g}) must be a whole number of steps of {self.step:g}"
            )
        if round(n) + 1 > MAX_LEVELS:
            raise ValueError(f"grid has {round(n) + 1:,} points; at most {MAX_LEVELS:,} (use a larger step)")
        return self


class OrdinalIssue(_IssueBase):
    """Ordered levels, from the first (lowest) to the last (highest)."""

    kind: Literal["ordinal"]
    levels: list[Level] = Field(min_length=2)
    status_quo: str | None = Field(
        None,
        description="The level this issue keeps if no agreement is reached (the disagreement point of "
        "the spatial Nash bargaining forecast).",
    )


class CategoricalIssue(_IssueBase):
    """Unordered options."""

    kind: Literal["categorical"]
    options: list[Level] = Field(min_length=2)


MAX_LEVELS = 10_000

Issue = Annotated[NumericIssue | OrdinalIssue | CategoricalIssue, Field(discriminator="kind")]

#: A position or red-line value: a number on a numeric issue, a level id otherwise.
Value = Param | str


class RedLine(_Model):
    """A hard limit: outcomes past it are unacceptable to the actor, whatever else they offer.

    ``min``/``max`` bound a numeric issue (in its unit) or an ordinal one (by level id); ``forbid``
    lists level/option ids the actor will not accept; ``allow`` lists the only ones it accepts.
    """

    min: Value | None = None
    max: Value | None = None
    forbid: list[str] | None = None
    allow: list[str] | None = None
    source: str | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _not_empty(self) -> RedLine:
        if self.min is None and self.max is None and self.forbid is None and self.allow is None:
            raise ValueError("a red line needs at least one of 'min', 'max', 'forbid' or 'allow'")
        return self


Shape = Literal["linear", "peaked", "step", "table"]


class Position(_Model):
    """An actor's stance on one issue.

    Utility of a level on the issue (0 = worst, 1 = best):

    - ``linear``: falls linearly with distance from ``ideal``, reaching 0 at the far end of the issue;
    - ``peaked``: single-peaked, ``2 ** -((distance / tolerance) ** 2)`` (halves at ``tolerance``);
    - ``step``: 1 within ``tolerance`` of ``ideal`` (0 by default: only the ideal), else 0;
    - ``table``: explicit ``values`` per level/option id (ordinal or categorical issues).

    Distances on ordinal issues count levels.
    """

    ideal: Value | None = Field(None, description="Most preferred value (number or level id).")
    salience: Param = Field(description="How much the issue matters to the actor, 0..1.")
    shape: Shape | None = Field(None, description="Utility shape; default linear (step if categorical).")
    tolerance: Param | None = Field(None, description="For peaked/step: distance in issue units.")
    values: dict[str, Param] | None = Field(None, description="For table: value 0..1 per level id.")
    red_line: RedLine | None = None
    source: str | None = None
    note: str | None = None


class NoDeal(_Model):
    """What an actor gets if talks fail (reservation value / BATNA), in utility units 0..1.

    ``value(t) = max(floor, value - decay * t)`` where ``t`` counts clock units since ``as_of``.
    """

    value: Param
    decay: Param | None = Field(None, description="Utility lost per clock unit without a deal.")
    floor: Param | None = Field(None, description="Lowest the no-deal value can fall.")
    source: str | None = None
    note: str | None = None


class Lever(_Model):
    """Something a mediator (or any actor) can do to move a party.

    - ``pressure``: lowers the target's no-deal value by up to ``max`` utility units; with ``issue``,
      it instead moves the target's red line on that issue by up to ``max`` issue units (numeric
      issues) or levels (ordinal issues), away from the target's ideal;
    - ``incentive``: adds up to ``max`` utility units to the target's value of any deal;
    - ``guarantee``: on ``issue``, removes up to a fraction ``max`` of what the target fears:
      its value ``v`` on that issue becomes ``v + g * (1 - v)``.

    ``cost`` is the price of one unit of the lever, used to rank levers by cheapness.
    """

    id: Id
    kind: Literal["pressure", "incentive", "guarantee"]
    target: str
    issue: str | None = None
    max: Param
    cost: Param | None = Field(None, description="Price of one unit of the lever (default 1).")
    description: str | None = None
    source: str | None = None


class Actor(_Model):
    """A party to the bargain, a mediator, or a stakeholder whose utility is reported."""

    id: Id
    name: str
    role: Literal["party", "mediator", "stakeholder"]
    capability: Param = Field(description="Power / influence, 0..1 (relative).")
    description: str | None = None
    stakes: str | None = Field(None, description="What the actor stands to win or lose, in plain words.")
    constraints: list[str] = Field(default_factory=list, description="Domestic or other constraints.")
    positions: dict[str, Position] = Field(default_factory=dict, description="Stance per issue id.")
    no_deal: NoDeal | None = None
    levers: list[Lever] = Field(default_factory=list)
    strategy: str | None = Field(
        None,
        description="Negotiation strategy in simulations, e.g. 'boulware' or 'time-based:exponent=2' "
        "(see `accord strategies`); default derived from the no-deal clock.",
    )
    sources: list[str] = Field(default_factory=list)


Condition = dict[str, Any]


class LinearConstraint(_Model):
    """``sum(coefficient * issue value) op rhs`` over numeric issues (a linkage between issues)."""

    kind: Literal["linear"]
    id: Id | None = None
    terms: dict[str, float] = Field(min_length=1)
    op: Literal["<=", ">=", "=="]
    rhs: float = 0.0
    description: str | None = None
    source: str | None = None


class ForbidConstraint(_Model):
    """Rules out every outcome that meets all conditions in ``when``.

    A condition maps an issue id to a value, a list of values, or ``{min: .., max: ..}``.
    """

    kind: Literal["forbid"]
    id: Id | None = None
    when: Condition = Field(min_length=1)
    description: str | None = None
    source: str | None = None


class ImpliesConstraint(_Model):
    """If every condition in ``if`` holds, every condition in ``then`` must hold."""

    kind: Literal["implies"]
    id: Id | None = None
    if_: Condition = Field(alias="if", min_length=1)
    then: Condition = Field(min_length=1)
    description: str | None = None
    source: str | None = None


Constraint = Annotated[LinearConstraint | ForbidConstraint | ImpliesConstraint, Field(discriminator="kind")]

EventKind = Literal[
    "proposal",
    "counterproposal",
    "walkout",
    "return",
    "accusation",
    "pressure",
    "statement",
    "resumption",
    "agreement",
    "other",
]


class Event(_Model):
    """Something that happened in the talks (a walkout, an accusation, pressure, a resumption)."""

    date: _dt.date
    kind: EventKind
    actors: list[str] = Field(default_factory=list, description="Who acted (e.g. who walked out or accused).")
    targets: list[str] = Field(
        default_factory=list, description="Who it was aimed at (e.g. the accused, the pressured party)."
    )
    description: str
    sources: list[str] = Field(default_factory=list)


class Simulation(_Model):
    """Defaults for ``accord simulate`` on this scenario (each can be overridden on the command line)."""

    protocol: Literal["alternating-offers", "single-text", "shuttle"] = "alternating-offers"
    deadline: int = Field(48, ge=1, le=100_000, description="Rounds before the talks end without a deal.")
    clock_per_round: float = Field(
        0.25, gt=0, description="Clock units (see `clock`) that one round of talks takes."
    )
    mediator: str | None = Field(None, description="Actor id of the mediator for mediated protocols.")
    mediator_strategy: str = Field(
        "nash-single-text", description="Mediator strategy (see `accord strategies`)."
    )
    walkouts: bool = Field(True, description="Parties may walk out when continuing looks worse than leaving.")


class ConflictLink(_Model):
    """A graph model of the same conflict (see ``accord conflict``), and states worth naming in it."""

    model: str = Field(description="Built-in conflict model name or a path relative to the scenario file.")
    states: dict[str, str] = Field(
        default_factory=dict,
        description="Named states as option patterns (Y/N per option), e.g. {truce deal: YYNNYYNNYNN}.",
    )
    coalitions: list[list[str]] = Field(
        default_factory=list,
        description="Groups of decision makers that may move jointly in status-quo paths.",
    )


class Scenario(_Model):
    """One negotiation, as a scenario file describes it."""

    format: Literal[1] = Field(1, description="File format version.")
    id: Id
    title: str
    as_of: _dt.date = Field(description="Date the scenario describes (YYYY-MM-DD).")
    description: str = ""
    sources: list[Source] = Field(default_factory=list)
    clock: Clock = Field(default_factory=Clock)
    issues: list[Issue] = Field(min_length=1)
    constraints: list[Constraint] = Field(default_factory=list)
    actors: list[Actor] = Field(min_length=1)
    events: list[Event] = Field(default_factory=list)
    simulation: Simulation = Field(default_factory=Simulation)
    conflict: ConflictLink | None = None

    # ------------------------------------------------------------------ convenience look-ups
    def issue(self, issue_id: str) -> NumericIssue | OrdinalIssue | CategoricalIssue:
        """Return the issue with this id (KeyError if absent)."""
        for issue in self.issues:
            if issue.id == issue_id:
                return issue
        raise KeyError(issue_id)

    def actor(self, actor_id: str) -> Actor:
        """Return the actor with this id (KeyError if absent)."""
        for actor in self.actors:
            if actor.id == actor_id:
                return actor
        raise KeyError(actor_id)

    @property
    def parties(self) -> list[Actor]:
        """Actors with role ``party`` (the ones whose agreement makes a deal)."""
        return [a for a in self.actors if a.role == "party"]

    def source(self, source_id: str) -> Source | None:
        """Return the source with this id, or None."""
        for s in self.sources:
            if s.id == source_id:
                return s
        return None
