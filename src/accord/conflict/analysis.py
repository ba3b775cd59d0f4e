"""Stability analysis facade: :func:`analyze` and its result object."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from accord.conflict.graphsearch import EXPLAINED, Explanation, MoveCache, explain
from accord.conflict.limited import limited_move, non_myopic
from accord.conflict.model import ConflictModel
from accord.conflict.simultaneous import sim_table
from accord.conflict.stability import CONCEPTS, stability_tables
from accord.errors import ConfigurationError, did_you_mean

#: Models up to this many states list every state in ``to_dict()``.
TABLE_LIMIT = 4096
#: Largest number of (state, DM, concept) explanations :func:`analyze` records.
MAX_EXPLANATIONS = 20_000


@dataclass
class StabilityResult:
    """Per-DM stability of every state under several solution concepts.

    Attributes
    ----------
    model : ConflictModel
    tables : dict
        ``concept -> bool array (n_dms, m)``, True where state id ``s`` is stable for DM ``i``.
    explanations : dict
        ``(concept, dm, state) -> Explanation`` for the states explained (see :func:`analyze`).
    """

    model: ConflictModel
    tables: dict[str, NDArray[np.bool_]]
    explanations: dict[tuple[str, int, int], Explanation] = field(default_factory=dict)

    @property
    def concepts(self) -> list[str]:
        """Concepts analysed, in order."""
        return list(self.tables)

    def table(self, concept: str) -> NDArray[np.bool_]:
        """Per-DM stability (n_dms, m) under ``concept`` (any case), which must have been analysed."""
        key = str(concept).strip().lower()
        if key not in self.tables:
            raise ConfigurationError(
                f"concept '{concept}' was not analysed; analysed: {', '.join(self.tables)}"
            )
        return self.tables[key]

    def equilibria(self, concept: str) -> list[int]:
        """State ids stable for every DM under ``concept``."""
        return [int(s) for s in np.flatnonzero(self.table(concept).all(axis=0))]

    def stable_for(self, concept: str, dm: int | str) -> list[int]:
        """State ids stable for one DM."""
        return [int(s) for s in np.flatnonzero(self.table(concept)[self.model.dm_index(dm)])]

    def is_equilibrium(self, concept: str, state: int | str) -> bool:
        """Whether a state (id or pattern) is an equilibrium under ``concept``."""
        s = self.model.state_id(state) if isinstance(state, str) else int(state)
        return bool(self.table(concept)[:, s].all())

    def summary(self, max_states: int = 20) -> str:
        """Plain-text summary: per concept, the equilibria (patterns) and per-DM stable counts."""
        model = self.model
        lines = [f"{model.name}: {model.n_states} feasible states, options {' '.join(model.options)}"]
        for c, tab in self.tables.items():
            eq = [model.pattern(s) for s in self.equilibria(c)]
            shown = ", ".join(eq[:max_states]) + (f", ... ({len(eq)} in all)" if len(eq) > max_states else "")
            counts = ", ".join(f"{d.name} {int(tab[i].sum())}" for i, d in enumerate(model.dms))
            lines.append(f"{c.upper():>5}: {len(eq)} equilibria: {shown or '-'}   [stable states: {counts}]")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()

    def _repr_html_(self) -> str:
        model = self.model
        head = "".join(f"<th>{c.upper()}</th>" for c in self.tables)
        rows = []
        for s in range(min(model.n_states, 256)):
            cells = "".join(
                "<td>"
                + (
                    "<b>eq</b>"
                    if tab[:, s].all()
                    else " ".join(d.name for i, d in enumerate(model.dms) if tab[i, s])
                )
                + "</td>"
                for tab in self.tables.values()
            )
            rows.append(f"<tr><td>{s + 1}</td><td><code>{model.pattern(s)}</code></td>{cells}</tr>")
        return (
            f"<table><caption>{html.escape(model.name)}</caption><tr><th>#</th><th>state</th>{head}</tr>"
            + "".join(rows)
            + "</table>"
        )

    def to_dict(self, all_states: bool | None = None) -> dict[str, Any]:
        """JSON-ready summary.

        Per concept: the equilibria as option patterns and, per DM, how many states are stable.
        ``states`` lists every state with its number, pattern, options taken per DM, and the DMs
        for which it is stable per concept — by default for models of at most ``TABLE_LIMIT``
        states; ``all_states=True`` lists them for any size, ``False`` never.
        """
        model = self.model
        out: dict[str, Any] = {
            "model": model.name,
            "options": list(model.options),
            "decision_makers": {d.name: list(d.options) for d in model.dms},
            "n_states": model.n_states,
            "status_quo": None if model.status_quo is None else model.pattern(model.status_quo),
            "concepts": {},
        }
        for c, tab in self.tables.items():
            eq = self.equilibria(c)
            out["concepts"][c] = {
                "equilibria": [model.pattern(s) for s in eq],
                "equilibrium_numbers": [s + 1 for s in eq],
                "stable_count": {d.name: int(tab[i].sum()) for i, d in enumerate(model.dms)},
            }
        if (model.n_states <= TABLE_LIMIT) if all_states is None else all_states:
            states = []
            for s in range(model.n_states):
                states.append(
                    {
                        "number": s + 1,
                        "pattern": model.pattern(s),
                        "options": model.describe_state(s),
                        "stable": {
                            c: [d.name for i, d in enumerate(model.dms) if tab[i, s]]
                            for c, tab in self.tables.items()
                        },
                        "equilibrium": [c for c, tab in self.tables.items() if tab[:, s].all()],
                    }
                )
            out["states"] = states
        if self.explanations:
            out["explanations"] = [e.to_dict(model) for e in self.explanations.values()]
        return out


def analyze(
    model: ConflictModel,
    concepts: Iterable[str] = CONCEPTS,
    *,
    explain_states: Iterable[int | str] | str | None = None,
) -> StabilityResult:
    """Stability analysis of a graph model.

    Parameters
    ----------
    model : ConflictModel
    concepts : iterable of str
        Among ``"nash"``, ``"gmr"``, ``"smr"``, ``"seq"`` (see :mod:`accord.conflict.stability`),
        ``"sim"`` (simultaneous stability, :mod:`accord.conflict.simultaneous`); for two DMs also ``"nm"`` (non-myopic) and ``"l<h>"`` (limited move with horizon h, e.g.
        ``"l2"``; see :mod:`accord.conflict.limited`). Sanction explanations cover all but these two.
    explain_states : iterable or ``"equilibria"``, optional
        States (ids or patterns) for which to record, for every DM and concept, each unilateral
        improvement and the sanctioning sequence that deters it (:func:`accord.conflict.explain`).
        ``"equilibria"`` explains every state that is an equilibrium under some concept.

    Returns
    -------
    StabilityResult
    """
    concepts = list(dict.fromkeys(str(c).strip().lower() for c in concepts))
    if not concepts:
        raise ConfigurationError(
            "give at least one solution concept: nash, gmr, smr, seq, sim (two DMs: nm, l<h>)"
        )
    standard = [c for c in concepts if c in CONCEPTS]
    computed = stability_tables(model, standard)
    tables: dict[str, NDArray[np.bool_]] = {}
    for c in concepts:
        if c in computed:
            tables[c] = computed[c]
        elif c == "sim":
            tables[c] = sim_table(model)
        elif c == "nm":
            tables[c] = non_myopic(model)
        elif re.fullmatch(r"l[1-9][0-9]*", c):
            tables[c] = limited_move(model, int(c[1:]))
        else:
            raise ConfigurationError(
                f"unknown solution concept '{c}'{did_you_mean(c, [*CONCEPTS, 'sim', 'nm', 'l2'])}; "
                "use nash, gmr, smr, seq, sim, or for two DMs nm or l<h> (e.g. l3)"
            )
    result = StabilityResult(model, tables)
    concepts = [c for c in concepts if c in EXPLAINED]
    if explain_states is not None:
        if isinstance(explain_states, str) and explain_states == "equilibria":
            ids = sorted({s for c in concepts for s in result.equilibria(c)})
        else:
            assert not isinstance(explain_states, str)
            ids = [model.state_id(s) if isinstance(s, str) else int(s) for s in explain_states]
        if len(ids) * model.n_dms * len(concepts) > MAX_EXPLANATIONS:
            raise ConfigurationError(
                f"{len(ids)} states x {model.n_dms} DMs x {len(concepts)} concepts is more than "
                f"{MAX_EXPLANATIONS} explanations; explain fewer states (or call explain() per state)"
            )
        cache = MoveCache(model)
        for c in concepts:
            for s in ids:
                for i in range(model.n_dms):
                    result.explanations[(c, i, s)] = explain(model, i, s, c, cache=cache)
    return result


__all__ = ["CONCEPTS", "StabilityResult", "analyze"]
