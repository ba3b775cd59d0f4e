"""Sensitivity of stability results to the order of option-prioritization statements.

With option prioritization (Fang, Hipel, Kilgour & Peng 2003) a decision maker's preferences are
an ordered list of statements, and the order is usually the least certain part of a model built
from public reporting. :func:`priority_sensitivity` perturbs each DM's list one step at a time —
swap two adjacent statements, or drop one — recomputes that DM's ranking, and reports whether
chosen states remain equilibria. A finding that survives most one-step perturbations is robust to
the modeller's ordering; one that flips under a single swap rests on that judgement.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from accord.conflict.logic import evaluate, parse_statement, prioritization_scores, rank_from_scores
from accord.conflict.model import ConflictModel
from accord.conflict.stability import stability_tables
from accord.errors import ConfigurationError


def statement_truth(model: ConflictModel, text: str) -> np.ndarray:
    """Bool array over state ids: where a statement holds (names as in the model file)."""
    values = model.option_values()
    counts: dict[str, int] = {}
    for o in model.options:
        counts[o] = counts.get(o, 0) + 1
    columns: dict[str, np.ndarray] = {}
    for d in model.dms:
        for j, i in enumerate(d.indices):
            columns[f"{d.name}.{d.options[j]}"] = values[:, i]
            if counts[d.options[j]] == 1:
                columns[d.options[j]] = values[:, i]
    return evaluate(parse_statement(text), columns)


def levels_from_statements(model: ConflictModel, statements: list[str]) -> np.ndarray:
    """Preference levels over state ids from prioritization statements, most important first."""
    if not statements:
        return np.zeros(model.n_states, dtype=np.int64)
    return rank_from_scores(prioritization_scores([statement_truth(model, t) for t in statements]))


@dataclass
class SensitivityResult:
    """Per perturbation (DM, change), whether each chosen state is still an equilibrium."""

    model: ConflictModel
    concept: str
    states: list[int]
    baseline: dict[int, bool]
    rows: list[dict[str, Any]] = field(default_factory=list)

    def robustness(self) -> dict[int, float]:
        """Share of perturbations under which each state keeps its baseline verdict."""
        if not self.rows:
            return {s: 1.0 for s in self.states}
        return {
            s: sum(r["equilibrium"][s] == self.baseline[s] for r in self.rows) / len(self.rows)
            for s in self.states
        }

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: baseline verdicts, robustness shares and every perturbation that flips one."""
        m = self.model
        rob = self.robustness()
        return {
            "model": m.name,
            "concept": self.concept,
            "perturbations": len(self.rows),
            "states": [
                {"state": m.pattern(s), "equilibrium": self.baseline[s], "robustness": round(rob[s], 4)}
                for s in self.states
            ],
            "flips": [
                {
                    "dm": r["dm"],
                    "change": r["change"],
                    "statements": list(r["statements"]),
                    "state": m.pattern(s),
                    "equilibrium": r["equilibrium"][s],
                }
                for r in self.rows
                for s in self.states
                if r["equilibrium"][s] != self.baseline[s]
            ],
        }


def priority_sensitivity(
    model: ConflictModel,
    states: Iterable[int | str],
    concept: str = "seq",
    *,
    drops: bool = True,
) -> SensitivityResult:
    """Re-analyse ``model`` under every one-step change of each DM's statement order.

    Parameters
    ----------
    model : ConflictModel
        A model whose DMs' preferences were given as ``prioritize`` statements (others are kept).
    states : iterable of state ids or patterns
        States whose equilibrium status is tracked.
    concept : str
        ``nash``, ``gmr``, ``smr`` or ``seq``.
    drops : bool
        Also try dropping each statement in turn.
    """
    # Each state once, in the order given (a state named twice would count its flips twice).
    ids = list(dict.fromkeys(model.state_id(s) if isinstance(s, str) else int(s) for s in states))
    prefs = model.meta.get("preferences") or {}
    lists = {
        d.name: [str(item["statement"]) for item in prefs.get(d.name, {}).get("prioritize", [])]
        for d in model.dms
    }
    if not any(lists.values()):
        raise ConfigurationError("no decision maker's preferences are given as 'prioritize' statements")

    def verdict(m: ConflictModel) -> dict[int, bool]:
        tab = stability_tables(m, [concept])[concept]
        return {s: bool(tab[:, s].all()) for s in ids}

    result = SensitivityResult(model, concept, ids, verdict(model))
    for i, d in enumerate(model.dms):
        stmts = lists[d.name]
        variants: list[tuple[str, list[str], list[str]]] = []
        for k in range(len(stmts) - 1):
            swapped = [*stmts]
            swapped[k], swapped[k + 1] = swapped[k + 1], swapped[k]
            variants.append((f"swap {k + 1} and {k + 2}", swapped, [stmts[k], stmts[k + 1]]))
        if drops and len(stmts) > 1:
            variants += [(f"drop {k + 1}", stmts[:k] + stmts[k + 1 :], [stmts[k]]) for k in range(len(stmts))]
        for change, variant, touched in variants:
            levels = model.levels.copy()
            levels[i] = levels_from_statements(model, variant)
            m2 = dataclasses.replace(model, levels=levels)
            result.rows.append(
                {"dm": d.name, "change": change, "statements": touched, "equilibrium": verdict(m2)}
            )
    return result
