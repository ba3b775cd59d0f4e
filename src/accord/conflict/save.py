"""Write a conflict model as a GMCR+ save file (the JSON read by :func:`accord.conflict.parse_gmcr`).

The file lists the options (with ``permittedDirection``: ``fwd`` = may only be taken, ``back`` = may
only be withdrawn, ``both``), the decision makers with the indices of their options, the
infeasible states as *conditions* (lists of ``[option index, "Y" | "N"]``; a state is infeasible
when it meets any condition) and, since a :class:`~accord.conflict.model.ConflictModel` keeps
preference *levels* rather than the statements they came from, an explicit
``preferenceRanking`` per decision maker (``useManualPreferenceRanking: true``): 1-based numbers
of the feasible states in increasing code order, most preferred first, tied states in a nested
list. This is the save format of GMCR+ 0.4 (Petersons & Hipel, University of Waterloo); the file
can be opened there, and :func:`accord.conflict.parse_gmcr` reads it back to the same model.

The infeasible states are written as a small set of disjoint conditions (:func:`pattern_cover`):
the set of infeasible codes is split on the highest option bit until each part is all
infeasible, and parts that are equal on both sides of a split are merged into one pattern with a
``-`` for that option (a binary decision diagram read off as cubes).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from accord.conflict.model import (
    FORBID_BOTH,
    FORBID_N_TO_Y,
    FORBID_NONE,
    FORBID_Y_TO_N,
    ConflictModel,
)
from accord.errors import ConfigurationError

_DIRECTION = {FORBID_NONE: "both", FORBID_Y_TO_N: "fwd", FORBID_N_TO_Y: "back"}


def pattern_cover(mask: NDArray[np.bool_]) -> list[str]:
    """Disjoint ``Y``/``N``/``-`` patterns whose union is exactly the codes where ``mask`` is True.

    Parameters
    ----------
    mask : bool array of length ``2**n``
        Indexed by state code (option ``i`` is bit ``i``).

    Returns
    -------
    list of str
        Patterns of ``n`` letters (option 0 first). Equal halves of a split share one pattern with
        ``-`` at the split option, so a constraint on a few options gives a few patterns, not one
        per state.
    """
    m = np.asarray(mask, dtype=bool)
    size = m.size
    n = size.bit_length() - 1
    if size != 1 << n:
        raise ValueError(f"mask length {size} is not a power of two")

    def cover(part: NDArray[np.bool_], bit: int) -> list[str]:
        # ``part`` covers codes whose bits above ``bit`` are fixed; patterns give bits 0..bit.
        if not part.any():
            return []
        if part.all():
            return ["-" * (bit + 1)]
        half = part.size // 2
        lo, hi = part[:half], part[half:]
        if np.array_equal(lo, hi):
            return [p + "-" for p in cover(lo, bit - 1)]
        return [p + "N" for p in cover(lo, bit - 1)] + [p + "Y" for p in cover(hi, bit - 1)]

    return cover(m, n - 1)


def write_gmcr(model: ConflictModel) -> dict[str, Any]:
    """A GMCR+ save file (as a JSON-ready dict) for ``model``.

    Preferences are written as explicit rankings (see the module docstring), infeasibility as the
    conditions of :func:`pattern_cover`. ``json.dump(write_gmcr(model), fh)`` gives a ``.gmcr``
    file that :func:`accord.conflict.load_model` and GMCR+ read.

    Raises
    ------
    accord.errors.ConfigurationError
        If an option may change in neither direction (GMCR+ has no such option).
    """
    options = []
    for i, name in enumerate(model.options):
        code = int(model.forbid[i])
        if code == FORBID_BOTH:
            raise ConfigurationError(
                f"option '{name}' can change in neither direction; GMCR+ options are fwd, back or both"
            )
        options.append({"name": name, "permittedDirection": _DIRECTION[code]})
    infeasibles = [[[i, ch] for i, ch in enumerate(p) if ch != "-"] for p in pattern_cover(~model.feasible)]
    dms = []
    for k, d in enumerate(model.dms):
        lv = model.levels[k]
        ranking: list[Any] = []
        for value in np.unique(lv)[::-1]:  # most preferred first
            group = [int(s) + 1 for s in np.flatnonzero(lv == value)]
            ranking.append(group if len(group) > 1 else group[0])
        dms.append(
            {
                "name": d.name,
                "options": list(d.indices),
                "preferences": [],
                "misperceptions": [],
                "preferenceRanking": ranking,
            }
        )
    return {
        "options": options,
        "decisionMakers": dms,
        "infeasibles": infeasibles,
        "useManualPreferenceRanking": True,
        "program": "accord",
    }
