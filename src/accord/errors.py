"""Errors raised for user mistakes.

Every error a user can cause is an :class:`AccordError`. Its ``str()`` is one line that
names where the mistake is (file, line, column, field path) and what would be valid, so
the command-line interface can print it as it is and exit with status 2. A traceback
reaching a user is a bug.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Location:
    """Where in an input file a problem is.

    Attributes
    ----------
    file : str or None
        Path of the file (or a built-in scenario name), if known.
    line, column : int or None
        1-based line and column of the offending text, if known.
    path : str
        Field path inside the document, e.g. ``actors[1].positions.withdrawal``.
    """

    file: str | None = None
    line: int | None = None
    column: int | None = None
    path: str = ""

    def prefix(self) -> str:
        """Return ``file:line:column`` (the known parts), as compilers print it."""
        parts = [self.file or "<input>"]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)


class AccordError(Exception):
    """Base class of every error caused by user input or configuration."""

    def __init__(self, message: str, location: Location | None = None) -> None:
        self.message = message
        self.location = location or Location()
        #: Every problem found (this one first); an editor can show them all.
        self.problems: list[AccordError] = [self]
        super().__init__(self.format())

    def format(self) -> str:
        """One line: ``file:line:col: path: message``."""
        loc = self.location
        if loc.file is None and loc.line is None:  # no file involved (e.g. a command-line option)
            return f"{loc.path}: {self.message}" if loc.path else self.message
        where = loc.prefix()
        field = f" {loc.path}:" if loc.path else ""
        return f"{where}:{field} {self.message}"


class ScenarioError(AccordError):
    """A scenario file is malformed or inconsistent."""


class ModelError(AccordError):
    """A conflict (graph) model or a forecast input is malformed or inconsistent."""


class ConfigurationError(AccordError):
    """A command was asked for something impossible (unknown strategy, deadline 0, ...)."""


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """Return ``" (did you mean 'x'?)"`` for the closest choice, or ``""``.

    Examples
    --------
    >>> did_you_mean("salince", ["salience", "ideal"])
    " (did you mean 'salience'?)"
    """
    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def one_of(choices: Iterable[str], limit: int = 12) -> str:
    """Format valid choices for a message: ``'a', 'b' or 'c'``."""
    items = [f"'{c}'" for c in choices]
    if len(items) > limit:
        items = [*items[:limit], "..."]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " or " + items[-1]


class AnalysisError(AccordError, ValueError):
    """An analysis function got an impossible input (NaN utility, wrong shape, bad weights, ...).

    It is also a :class:`ValueError`, so code that treats numeric-input errors generically
    catches it. ``location.path`` names the offending argument, e.g. ``U`` or ``weights``.
    """
